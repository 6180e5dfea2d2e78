import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readFrame } from "../../src/io/read.js";
import { Prng } from "../../src/numerics/random/prng.js";
import { hftlab, shell } from "./run.js";

/**
 * --out writes the same rows --ndjson prints: a property (two outputs of one
 * computation agree), checked through an independent reader in each format.
 */
const dir = mkdtempSync(join(tmpdir(), "hftlab-out-"));
const args = ["meanrev", "--window", "5", "--columns", "DAX,FTSE", "fixtures/eustocks.csv"];
const rows = hftlab([...args, "--ndjson"])
  .stdout.trim()
  .split("\n")
  .map((line) => JSON.parse(line));

describe("meanrev --out", () => {
  it("writes CSV rows equal to the NDJSON rows", () => {
    const path = join(dir, "signals.csv");
    const r = hftlab([...args, "--json", "--out", path]);
    expect(r.status).toBe(0);
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines[0]).toBe("t,symbol,price,mean,std,z,position");
    expect(lines.length - 1).toBe(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const cells = lines[k + 1]!.split(",");
      const row = rows[k];
      expect(cells[0]).toBe(row.time);
      expect(cells[1]).toBe(row.symbol);
      for (const [index, key] of [
        [2, "price"],
        [3, "mean"],
        [4, "std"],
        [5, "z"],
        [6, "position"],
      ] as const) {
        expect(cells[index] === "" ? null : Number(cells[index])).toBe(row[key]);
      }
    }
  });

  it("writes an Arrow file that reads back to the same numbers", async () => {
    const path = join(dir, "signals.arrow");
    expect(hftlab([...args, "--json", "--out", path]).status).toBe(0);
    // The long layout (time, symbol, price) pivots back to wide prices per symbol.
    const frame = await readFrame(path, { priceCol: "price" });
    expect(frame.symbols).toEqual(["DAX", "FTSE"]);
    const dax = rows.filter((r) => r.symbol === "DAX");
    expect(frame.time.toArray()).toEqual(dax.map((r) => r.time));
    expect(Array.from(frame.columns[0]!)).toEqual(dax.map((r) => r.price));
    const z = await readFrame(path, { priceCol: "z", missing: "ffill" });
    const daxZ = dax.map((r) => r.z).filter((v) => v !== null);
    expect(Array.from(z.columns[0]!)).toEqual(daxZ);
  });
});

describe("meanrev --pair's per-row output", () => {
  const pairArgs = ["meanrev", "--pair", "DAX,CAC", "--no-hurst", "--window", "20", "fixtures/eustocks.csv"];

  it("adds the spread's rows (symbol A-B, price A − h·B − c) to --ndjson and --out, after the symbols", () => {
    const pair = JSON.parse(hftlab([...pairArgs, "--json"]).stdout).result.pair;
    const lines = hftlab([...pairArgs, "--ndjson"])
      .stdout.trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const prices = readFileSync("fixtures/eustocks.csv", "utf8").trim().split("\n").slice(1);
    expect(lines).toHaveLength(prices.length * 5);
    const spread = lines.filter((row) => row.symbol === "DAX-CAC");
    expect(spread).toHaveLength(prices.length);
    expect(lines[4].symbol).toBe("DAX-CAC");
    spread.forEach((row, t) => {
      const [, dax, , cac] = prices[t]!.split(",").map(Number);
      expect(row.price).toBeCloseTo(dax! - pair.hedgeRatio * cac! - pair.intercept, 9);
      if (t >= 19) {
        const window = spread.slice(t - 19, t + 1).map((r) => r.price);
        const mean = window.reduce((s, v) => s + v, 0) / 20;
        expect(row.mean).toBeCloseTo(mean, 9);
        const sd = Math.sqrt(window.reduce((s, v) => s + (v - mean) ** 2, 0) / 19);
        expect(row.std).toBeCloseTo(sd, 9);
      }
    });
    expect(spread.at(-1)).toMatchObject({
      price: pair.last.price,
      z: pair.last.z,
      position: pair.last.position,
    });
    const out = join(dir, "pair.csv");
    expect(hftlab([...pairArgs, "--out", out]).status).toBe(0);
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(prices.length * 5 + 1);
  });

  it("backtest --strategy signals on it points at --strategy pairs", () => {
    const out = join(dir, "pair-signals.csv");
    expect(hftlab([...pairArgs, "--out", out]).status).toBe(0);
    const r = hftlab(["backtest", "--strategy", "signals", "--signals", out, "fixtures/eustocks.csv"]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(
      "hint: DAX-CAC is meanrev --pair's spread: backtest it with --strategy pairs --pair DAX,CAC",
    );
  });
});

describe("meanrev's per-row output at a size formatted on worker threads", () => {
  // 52,500 bars × 20 series = 1.05M rows: past the row formatter's threshold (2^20 rows), and the
  // series pool's, so the signals sit in shared memory and chunks format on every core.
  const bars = 52_500;
  const path = join(dir, "wide.csv");
  const prng = new Prng(7);
  const names = Array.from({ length: 20 }, (_, j) => `S${String(j).padStart(2, "0")}`);
  const levels = names.map(() => 100 + 900 * prng.nextFloat());
  const lines = [`time,${names.join(",")}`];
  for (let i = 0; i < bars; i++) {
    for (let j = 0; j < levels.length; j++) levels[j]! *= Math.exp(0.001 * prng.normal());
    lines.push(`${1704205800000 + 1000 * i},${levels.map((p) => p.toFixed(4)).join(",")}`);
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  const wide = ["meanrev", "--no-adf", "--no-hurst", path];
  const threads = (n: number) => ({ env: { HFTLAB_THREADS: String(n) } });

  it("prints the same NDJSON bytes on one thread and on two", () => {
    const one = join(dir, "one.ndjson");
    const two = join(dir, "two.ndjson");
    expect(shell(`HFTLAB_THREADS=1 bin/hftlab ${wide.join(" ")} --ndjson > ${one}`).status).toBe(0);
    expect(shell(`HFTLAB_THREADS=2 bin/hftlab ${wide.join(" ")} --ndjson > ${two}`).status).toBe(0);
    const bytes = readFileSync(two);
    expect(bytes.equals(readFileSync(one))).toBe(true);
    const rows = bytes.toString("utf8").trimEnd().split("\n");
    expect(rows).toHaveLength(bars * names.length);
    // Time-major: bar i's rows are i·20 … i·20 + 19, symbols in column order.
    for (const k of [0, 19, 20, 524_287, 524_288, rows.length - 1]) {
      const row = JSON.parse(rows[k]!);
      expect(row.time).toBe(String(1704205800000 + 1000 * Math.floor(k / 20)));
      expect(row.symbol).toBe(names[k % 20]);
    }
  });

  it("writes the same CSV and Arrow files on one thread and on two, and the CSV holds the NDJSON's rows", async () => {
    for (const extension of ["csv", "arrow"]) {
      const one = join(dir, `one.${extension}`);
      const two = join(dir, `two.${extension}`);
      expect(hftlab([...wide, "--json", "--out", one], threads(1)).status).toBe(0);
      expect(hftlab([...wide, "--json", "--out", two], threads(2)).status).toBe(0);
      expect(readFileSync(two).equals(readFileSync(one))).toBe(true);
    }
    const csv = readFileSync(join(dir, "two.csv"), "utf8").trimEnd().split("\n");
    const ndjson = readFileSync(join(dir, "two.ndjson"), "utf8").trimEnd().split("\n");
    expect(csv.length - 1).toBe(ndjson.length);
    for (let k = 0; k < ndjson.length; k += 4099) {
      const row = JSON.parse(ndjson[k]!);
      const cells = csv[k + 1]!.split(",");
      expect(cells.slice(0, 2)).toEqual([row.time, row.symbol]);
      const numbers = cells.slice(2).map((cell) => (cell === "" ? null : Number(cell)));
      expect(numbers).toEqual([row.price, row.mean, row.std, row.z, row.position]);
    }
    const frame = await readFrame(join(dir, "two.arrow"), { priceCol: "std", missing: "ffill" });
    expect(frame.symbols).toEqual(names);
    const last = JSON.parse(ndjson.at(-1)!);
    expect(frame.columns[19]!.at(-1)).toBe(last.std);
  });

  it("prints the same summary with --out (its statistics computed while the rows are written) as without", () => {
    const full = ["meanrev", "--json", path];
    const alone = hftlab(full, threads(2));
    const rows = join(dir, "full.arrow");
    const writing = hftlab([...full, "--out", rows], threads(2));
    expect(writing.status, writing.stderr).toBe(0);
    expect(writing.stdout).toBe(alone.stdout);
    expect(writing.stderr).toBe(alone.stderr);
    const result = JSON.parse(writing.stdout).result;
    expect(result.series[0].hurst).not.toBeNull();
    expect(result.series[0].adf.pValue).not.toBeNull();
  });
});

describe("meanrev --ndjson", () => {
  it("prints the rows alone: no statistic it does not print is computed or warned about", () => {
    // 60 rows: too few for the Hurst exponent (128), so the summary warns and --ndjson must not.
    const lines = readFileSync("fixtures/eustocks.csv", "utf8").trim().split("\n").slice(0, 61);
    const path = join(dir, "short.csv");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const summary = hftlab(["meanrev", "--window", "5", "--json", path]);
    expect(summary.status).toBe(0);
    expect(summary.stderr).toMatch(/too few rows for the Hurst exponent/);
    const ndjson = hftlab(["meanrev", "--window", "5", "--ndjson", path]);
    expect(ndjson.status).toBe(0);
    expect(ndjson.stderr).toBe("");
    const csvPath = join(dir, "short-rows.csv");
    expect(hftlab(["meanrev", "--window", "5", "--json", "--out", csvPath, path]).status).toBe(0);
    expect(ndjson.stdout.trim().split("\n")).toHaveLength(60 * 4);
    expect(readFileSync(csvPath, "utf8").trim().split("\n")).toHaveLength(60 * 4 + 1);
  });
});
