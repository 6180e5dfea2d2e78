import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseModel } from "../../src/commands/shared/hmmModel.js";
import { forward, forwardBackwardWork } from "../../src/numerics/hmm/forwardBackward.js";
import { emissionFactors, scaledEmissions } from "../../src/numerics/hmm/gaussianEmission.js";
import { periodReturns } from "../../src/numerics/timeseries/returns.js";
import { BIN, hftlab, spawn } from "./run.js";

const dir = mkdtempSync(join(tmpdir(), "hftlab-stream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  time: string;
  symbol: string;
  price: number;
  mean: number | null;
  std: number | null;
  z: number | null;
  position: number;
  ewmaVol?: number | null;
  [key: string]: unknown;
}

function rows(text: string): Row[] {
  return text
    .trim()
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Row);
}

function close(a: number | null, b: number | null, tolerance = 1e-12): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The batch rows of `meanrev --ndjson`, and the same data as NDJSON ticks in feed (time-major) order. */
function batchAndTicks(args: string[]): { batch: Row[]; ticks: string } {
  const result = hftlab(["meanrev", "--ndjson", "--no-adf", "--no-hurst", ...args]);
  expect(result.status).toBe(0);
  const batch = rows(result.stdout);
  const ticks = batch.map((r) => JSON.stringify({ ts: r.time, symbol: r.symbol, price: r.price })).join("\n");
  return { batch, ticks: `${ticks}\n` };
}

function expectSameRows(stream: Row[], batch: Row[]): void {
  expect(stream.length).toBe(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const s = stream[i]!;
    const b = batch[i]!;
    const same =
      s.time === b.time &&
      s.symbol === b.symbol &&
      s.price === b.price &&
      close(s.mean, b.mean) &&
      close(s.std, b.std) &&
      close(s.z, b.z) &&
      s.position === b.position;
    if (!same) expect({ row: i, stream: s }).toEqual({ row: i, stream: b });
  }
}

describe("hftlab stream equals the batch meanrev", () => {
  it("matches every row of meanrev --ndjson on four interleaved symbols (eustocks), to 1e-12", () => {
    const { batch, ticks } = batchAndTicks(["--window", "20", "fixtures/eustocks.csv"]);
    expect(batch.length).toBe(1860 * 4);
    const result = hftlab(["stream", "--window", "20", "-"], { input: ticks });
    expect(result.status).toBe(0);
    const stream = rows(result.stdout);
    expectSameRows(stream, batch);
    // The kernels are shared, so the agreement is in fact exact.
    for (let i = 0; i < batch.length; i++) expect(stream[i]!.std).toBe(batch[i]!.std);
    expect(result.stderr).toContain("7440 ticks, 4 symbols, 0 skipped lines, 0 duplicates");
  });

  it("matches with CSV ticks and non-default --window/--entry/--exit (sp500 adjclose)", () => {
    const args = ["--window", "60", "--entry", "1.5", "--exit", "0.25"];
    const { batch } = batchAndTicks([...args, "fixtures/sp500-2000.csv"]);
    const csv = `timestamp,symbol,price\n${batch.map((r) => `${r.time},${r.symbol},${r.price}`).join("\n")}\n`;
    const result = hftlab(["stream", ...args, "-"], { input: csv });
    expect(result.status).toBe(0);
    expectSameRows(rows(result.stdout), batch);
    expect(batch.some((r) => r.position !== 0)).toBe(true);
  });

  it("gives each symbol the same rows interleaved as alone", () => {
    const { ticks } = batchAndTicks(["fixtures/eustocks.csv"]);
    const all = rows(hftlab(["stream", "-"], { input: ticks }).stdout);
    const daxTicks = `${ticks
      .split("\n")
      .filter((l) => l.includes('"DAX"'))
      .join("\n")}\n`;
    const alone = rows(hftlab(["stream", "-"], { input: daxTicks }).stdout);
    expect(all.filter((r) => r.symbol === "DAX")).toEqual(alone);
  });
});

describe("hftlab stream EWMA volatility", () => {
  it("follows v1 = r1², v_t = λ v_{t−1} + (1 − λ) r_t² on log returns", () => {
    const prices = [100, 101, 99.5, 102, 102];
    const input = prices.map((p, i) => JSON.stringify({ ts: i, symbol: "X", price: p })).join("\n");
    const out = rows(hftlab(["stream", "--ewma-lambda", "0.9", "-"], { input }).stdout);
    let v = Number.NaN;
    const expected: (number | null)[] = [null];
    for (let i = 1; i < prices.length; i++) {
      const r = Math.log(prices[i]! / prices[i - 1]!);
      v = i === 1 ? r * r : 0.9 * v + (1 - 0.9) * r * r;
      expected.push(Math.sqrt(v));
    }
    expect(out.map((r) => r.ewmaVol)).toEqual(expected);
  });
});

describe("hftlab stream input handling", () => {
  const good = (ts: number, symbol: string, price: number) => JSON.stringify({ ts, symbol, price });

  it("reports malformed lines with their line number, skips and counts them", () => {
    const input = [
      good(1, "A", 10),
      "not json",
      '{"ts":2,"symbol":"A"}',
      good(3, "A", -1),
      "",
      '{"ts":4,"symbol":"A","price":"11.5","size":3}',
      '{"ts":5,"symbol":"A","price":12,"extra":{"nested":[1,2]}}',
      '{"ts":"2024-01-02T14:30:00.000000001Z","symbol":"B\\u00e9","price":1e2}',
    ].join("\n");
    const result = hftlab(["stream", "--window", "2", "-"], { input });
    expect(result.status).toBe(0);
    const out = rows(result.stdout);
    expect(out.map((r) => r.price)).toEqual([10, 11.5, 12, 100]);
    expect(out[3]!.symbol).toBe("Bé");
    expect(out[3]!.time).toBe("2024-01-02T14:30:00.000000001Z");
    expect(result.stderr).toMatch(/skipped line 2: expected a JSON object \(<stdin>:2:1\)/);
    expect(result.stderr).toMatch(/skipped line 3: no "price"/);
    expect(result.stderr).toMatch(
      /skipped line 4: price must be a positive finite number, got -1 \(<stdin>:4:/,
    );
    expect(result.stderr).toContain("4 ticks, 2 symbols, 3 skipped lines, 0 duplicates");
  });

  it("stops with exit 3 on a CSV header without the tick columns", () => {
    const result = hftlab(["stream", "-"], { input: "when,what\n1,2\n" });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain("unusable CSV header: the header has no time column");
    expect(result.stderr).toContain("(<stdin>:1:1)");
    // --strict was not given, so the hint does not say to drop it: it names the usual cause.
    expect(result.stderr).not.toContain("--strict");
    expect(result.stderr).toContain("hint: a CSV tick stream starts with its header (e.g. ts,symbol,price)");
  });

  it("echoes epoch-nanosecond stamps exactly", () => {
    const input = '{"ts":1704205800123456789,"symbol":"A","price":1}\n';
    expect(rows(hftlab(["stream", "-"], { input }).stdout)[0]!.time).toBe("1704205800123456789");
  });

  it("stops at the first malformed line with exit 3 under --strict, keeping the rows before it", () => {
    const input = [
      good(1, "A", 10),
      good(2, "A", 11),
      '{"ts":3,"symbol":"A","price":"x"}',
      good(4, "A", 12),
    ].join("\n");
    const result = hftlab(["stream", "--strict", "-"], { input });
    expect(result.status).toBe(3);
    expect(rows(result.stdout)).toHaveLength(2);
    expect(result.stderr).toMatch(/hftlab: error: malformed tick: .* \(<stdin>:3:\d+\)/);
    expect(result.stderr).toContain("hint: fix or remove the line, or drop --strict to skip such lines");
  });

  it("drops ticks whose seq is not above their symbol's last seq", () => {
    const input = [
      '{"ts":1,"symbol":"A","price":10,"seq":1}',
      '{"ts":2,"symbol":"A","price":11,"seq":2}',
      '{"ts":1,"symbol":"B","price":5,"seq":1}',
      '{"ts":1,"symbol":"A","price":10,"seq":1}',
      '{"ts":2,"symbol":"A","price":11,"seq":2}',
      '{"ts":3,"symbol":"A","price":12,"seq":3}',
    ].join("\n");
    const result = hftlab(["stream", "-"], { input });
    expect(rows(result.stdout).map((r) => `${r.symbol}${r.time}`)).toEqual(["A1", "A2", "B1", "A3"]);
    expect(result.stderr).toContain("4 ticks, 2 symbols, 0 skipped lines, 2 duplicates");
  });

  it("reads a large file (warm-up first, many read chunks) exactly as the same ticks through stdin", () => {
    // Past WARM_UP_MIN_BYTES (4 MiB), so the file run warms up first; stdin never does.
    const lines: string[] = [];
    let price = 14306;
    for (let i = 0; i < 80_000; i++) {
      price += ((i * 7919) % 11) - 5;
      lines.push(
        `{"ts":${1704205800000 + i},"symbol":"T0${i % 7}","price":${price / 100},"size":${100 + (i % 300)}}`,
      );
    }
    const text = `${lines.join("\n")}\n`;
    expect(text.length).toBeGreaterThan(4 << 20);
    const path = join(dir, "large.ndjson");
    writeFileSync(path, text);
    const fromFile = hftlab(["stream", path]);
    const fromStdin = hftlab(["stream", "-"], { input: text });
    expect(fromFile.status).toBe(0);
    expect(fromFile.stderr).toBe("hftlab: stream: 80000 ticks, 7 symbols, 0 skipped lines, 0 duplicates\n");
    expect(fromFile.stdout).toBe(fromStdin.stdout);
  });

  it("rejects contradictory options and a missing file", () => {
    expect(hftlab(["stream", "--exit", "3", "x.ndjson"]).status).toBe(2);
    expect(hftlab(["stream", "--feed", "binance", "x.ndjson"]).status).toBe(2);
    expect(hftlab(["stream", "--ws", "http://x", "--feed", "binance"]).status).toBe(2);
    const missing = hftlab(["stream", join(dir, "none.ndjson")]);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain("no such file");
  });
});

describe("hftlab stream --model", () => {
  for (const states of [2, 3]) {
    it(`gives the forward-filtered probabilities of the batch filter (${states} states)`, () => {
      const modelPath = join(dir, `dax-${states}.json`);
      const fit = hftlab([
        "hmm",
        "--columns",
        "DAX",
        "--states",
        String(states),
        "--restarts",
        "2",
        "--save",
        modelPath,
        "--json",
        "fixtures/eustocks.csv",
      ]);
      expect(fit.status).toBe(0);
      const { ticks } = batchAndTicks(["--columns", "DAX", "fixtures/eustocks.csv"]);
      const result = hftlab(["stream", "--model", modelPath, "-"], { input: ticks });
      expect(result.status).toBe(0);
      const out = rows(result.stdout);

      const { model } = parseModel(readFileSync(modelPath, "utf8"), modelPath);
      const prices = Float64Array.from(out, (r) => r.price);
      const returns = new Float64Array(prices.length - 1);
      periodReturns(prices, "log", returns);
      const factors = emissionFactors(model);
      if ("notPositiveDefinite" in factors) throw new Error("bad model");
      const scaled = new Float64Array(returns.length * states);
      const rowLogScale = new Float64Array(returns.length);
      scaledEmissions(returns, returns.length, model, factors, scaled, rowLogScale);
      const work = forwardBackwardWork(returns.length, states);
      forward(scaled, rowLogScale, returns.length, states, model.startProb, model.transmat, work);
      for (let s = 0; s < states; s++) expect(out[0]![`p${s}`]).toBeNull();
      for (let t = 0; t < returns.length; t++) {
        for (let s = 0; s < states; s++) {
          const p = out[t + 1]![`p${s}`] as number;
          expect(Math.abs(p - work.posteriors[t * states + s]!)).toBeLessThanOrEqual(1e-12);
        }
      }
    });
  }

  it("rejects a model of several features (exit 3)", () => {
    const modelPath = join(dir, "two.json");
    expect(
      hftlab([
        "hmm",
        "--columns",
        "DAX,CAC",
        "--restarts",
        "1",
        "--save",
        modelPath,
        "--json",
        "fixtures/eustocks.csv",
      ]).status,
    ).toBe(0);
    const result = hftlab(["stream", "--model", modelPath, "-"], { input: "" });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain("the model needs one feature");
  });
});

/** Collects a child's stdout rows until `done` says so (or a timeout), then sends SIGINT. */
function runLive(
  args: string[],
  steps: (rowsSoFar: Row[]) => void,
  done: (rowsSoFar: Row[]) => boolean,
): Promise<{ rows: Row[]; stderr: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let stopped = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out; stdout so far:\n${stdout}\nstderr:\n${stderr}`));
    }, 30_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const sofar = rows(stdout);
      steps(sofar);
      if (!stopped && done(sofar)) {
        stopped = true;
        child.kill("SIGINT");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ rows: rows(stdout), stderr, status });
    });
  });
}

describe("hftlab stream --follow", () => {
  it("reads appends, survives truncation and rotation, and ends on Ctrl-C with a summary", async () => {
    const path = join(dir, "follow.ndjson");
    const tick = (ts: number) => `${JSON.stringify({ ts, symbol: "A", price: 100 + ts })}\n`;
    writeFileSync(path, tick(1) + tick(2));
    const stage = new Set<number>();
    const result = await runLive(
      ["stream", "--window", "2", "--follow", path, "--poll", "20"],
      (sofar) => {
        const n = sofar.length;
        if (n >= 2 && !stage.has(2)) {
          stage.add(2);
          appendFileSync(path, tick(3).slice(0, 10)); // half a line: held until its end arrives
          setTimeout(() => appendFileSync(path, tick(3).slice(10)), 100);
        }
        if (n >= 3 && !stage.has(3)) {
          stage.add(3);
          truncateSync(path, 0);
          setTimeout(() => appendFileSync(path, tick(4)), 150);
        }
        if (n >= 4 && !stage.has(4)) {
          stage.add(4);
          renameSync(path, `${path}.1`);
          writeFileSync(path, tick(5));
        }
      },
      (sofar) => sofar.length >= 5,
    );
    expect(result.rows.map((r) => r.time)).toEqual(["1", "2", "3", "4", "5"]);
    expect(result.rows[2]!.mean).toBe(102.5);
    expect(result.status).toBe(130);
    expect(result.stderr).toContain("truncated, reading from its start");
    expect(result.stderr).toContain("rotated, reading from its start");
    expect(result.stderr).toContain("interrupted after 5 ticks, 1 symbol, 0 skipped lines, 0 duplicates");
  });
});
