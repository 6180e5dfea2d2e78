import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError } from "./expectations.js";
import { BIN, ROOT, type RunResult, spawn } from "./run.js";

/**
 * Issue #23: symbols named like members of Object.prototype. A column
 * `__proto__` used to vanish from optimize's weights (which then summed to
 * 0.80, exit 0), sparse's and box-tiao's. The independent truth here is the
 * same data under ordinary names: every case runs the built binary twice, in
 * two folders holding the same files, once with the symbols A, B, C, D and
 * once with __proto__, constructor, toString, hasOwnProperty. Renaming must
 * change nothing but the names: stdout and stderr are compared byte for byte
 * after the hostile names are mapped back, so values, key order and the
 * presence of every key are all checked at once.
 */
type Names = readonly [string, string, string, string];
const ORDINARY: Names = ["A", "B", "C", "D"];
const HOSTILE: Names = ["__proto__", "constructor", "toString", "hasOwnProperty"];

/** Hostile output with each hostile name written as its ordinary counterpart. */
function ordinaryText(text: string): string {
  return HOSTILE.reduce((t, name, i) => t.replaceAll(name, ORDINARY[i]!), text);
}

// The first 200 days of fixtures/eustocks.csv (DAX, SMI, CAC, FTSE): small enough to keep every run short,
// and __proto__ (DAX) has a non-zero weight in min-variance, greedy and sparse-pca, so a lost key shows.
const ROWS = readFileSync(`${ROOT}fixtures/eustocks.csv`, "utf8").trim().split("\n").slice(1, 201);

function widePrices(n: Names): string {
  return `t,${n.join(",")}\n${ROWS.join("\n")}\n`;
}

/** The same prices as (date, symbol, price) rows, interleaved by date. */
function longPrices(n: Names): string {
  const lines = ["date,symbol,price"];
  for (const row of ROWS) {
    const [t, ...prices] = row.split(",");
    prices.forEach((p, j) => {
      lines.push(`${t},${n[j]},${p}`);
    });
  }
  return `${lines.join("\n")}\n`;
}

/** The same prices as stream ticks, one NDJSON line per symbol and date. */
function ticks(n: Names): string {
  return ROWS.flatMap((row) => {
    const [t, ...prices] = row.split(",");
    return prices.map((p, j) => `${JSON.stringify({ ts: t, symbol: n[j], price: Number(p) })}\n`);
  }).join("");
}

interface Variant {
  names: Names;
  /** Writes a file into this variant's folder, where its commands run (so both variants name files alike). */
  write(name: string, text: string): void;
  read(name: string): string;
  hftlab(args: string[], input?: string): Promise<RunResult>;
}

function variant(names: Names): Variant {
  const folder = mkdtempSync(join(tmpdir(), "hftlab-hostile-names-"));
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return {
    names,
    write: (name, text) => writeFileSync(join(folder, name), text),
    read: (name) => readFileSync(join(folder, name), "utf8"),
    hftlab: (args, input = "") =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: folder, env });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          stdout += chunk;
        });
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
          stderr += chunk;
        });
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
        child.stdin.end(input);
      }),
  };
}

/** Runs the same script under ordinary and hostile names, side by side. */
async function bothWays<T>(script: (v: Variant) => Promise<T>): Promise<{ ordinary: T; hostile: T }> {
  const [ordinary, hostile] = await Promise.all([script(variant(ORDINARY)), script(variant(HOSTILE))]);
  return { ordinary, hostile };
}

function expectSameOutput(ordinary: RunResult, hostile: RunResult, status = 0): void {
  expect(ordinary.status, ordinary.stderr).toBe(status);
  expect(hostile.status, hostile.stderr).toBe(status);
  expect(ordinaryText(hostile.stdout)).toBe(ordinary.stdout);
  expect(ordinaryText(hostile.stderr)).toBe(ordinary.stderr);
}

/** One command on a price file (`prices.csv`, wide unless told), compared both ways; returns the hostile run. */
async function sameOnPrices(
  args: (n: Names) => string[],
  prices: (n: Names) => string = widePrices,
): Promise<RunResult> {
  const { ordinary, hostile } = await bothWays((v) => {
    v.write("prices.csv", prices(v.names));
    return v.hftlab([...args(v.names), "prices.csv"]);
  });
  expectSameOutput(ordinary, hostile);
  return hostile;
}

function sum(values: Record<string, number>): number {
  return Object.values(values).reduce((s, w) => s + w, 0);
}

describe.concurrent("renaming symbols to __proto__, constructor, toString, hasOwnProperty changes only the names", () => {
  const PROTO = HOSTILE[0];

  it("optimize min-variance: every symbol keeps its weight and risk contribution, and they sum to 1", async () => {
    const { result } = JSON.parse((await sameOnPrices(() => ["optimize", "--json"])).stdout);
    expect(Object.keys(result.weights)).toEqual(HOSTILE);
    expect(Object.keys(result.riskContributions)).toEqual(HOSTILE);
    expect(result.weights[PROTO]).toBeGreaterThan(0.1);
    expect(sum(result.weights)).toBeCloseTo(1, 12);
    expect(sum(result.riskContributions)).toBeCloseTo(1, 12);
  });

  it("optimize --csv, the frontier's weights, and the long layout with --columns picking hostile names", async () => {
    await sameOnPrices(() => ["optimize", "--csv"]);
    const frontier = ["optimize", "--method", "frontier", "--points", "3", "--json"];
    const { result } = JSON.parse((await sameOnPrices(() => frontier)).stdout);
    for (const point of [...result.frontier, result.minVariance]) {
      expect(Object.keys(point.weights)).toEqual(HOSTILE);
      expect(sum(point.weights)).toBeCloseTo(1, 12);
    }
    await sameOnPrices(
      (n) => ["optimize", "--method", "risk-parity", "--columns", `${n[2]},${n[0]}`, "--json"],
      longPrices,
    );
  });

  it("meanrev, with --pair on two hostile names, and its rows as NDJSON from the long layout", async () => {
    await sameOnPrices((n) => ["meanrev", "--pair", `${n[0]},${n[1]}`, "--json"]);
    await sameOnPrices(() => ["meanrev", "--ndjson"], longPrices);
  });

  it("regime: the report, and --state-file remembering and detecting a change for __proto__", async () => {
    const regime = ["regime", "--states", "2", "--restarts", "2", "--state-file", "state.json", "--json"];
    const { ordinary, hostile } = await bothWays(async (v) => {
      v.write("prices.csv", widePrices(v.names));
      const first = await v.hftlab([...regime, "prices.csv"]);
      const remembered = v.read("state.json");
      // The first symbol's remembered regime made the other one, so the next run reports a change.
      const state = JSON.parse(remembered);
      const entry = state.symbols[v.names[0]];
      entry.regime = entry.regime === "calm" ? "turbulent" : "calm";
      v.write("state.json", JSON.stringify(state));
      const second = await v.hftlab([...regime, "--exit-on-change", "prices.csv"]);
      return { first, remembered, second };
    });
    expectSameOutput(ordinary.first, hostile.first);
    expect(ordinaryText(hostile.remembered)).toBe(ordinary.remembered);
    expect(Object.keys(JSON.parse(hostile.remembered).symbols)).toEqual(HOSTILE);
    expectSameOutput(ordinary.second, hostile.second, 10);
    expect(JSON.parse(hostile.second.stdout).result.changed).toEqual([PROTO]);
  });

  it("hmm on hostile features, and the model file it saves", async () => {
    const { ordinary, hostile } = await bothWays(async (v) => {
      v.write("prices.csv", widePrices(v.names));
      const columns = ["--columns", `${v.names[0]},${v.names[1]}`];
      const fit = await v.hftlab([
        "hmm",
        "--restarts",
        "2",
        ...columns,
        "--save",
        "model.json",
        "--json",
        "prices.csv",
      ]);
      return { fit, model: v.read("model.json") };
    });
    expectSameOutput(ordinary.fit, hostile.fit);
    expect(ordinaryText(hostile.model)).toBe(ordinary.model);
    expect(JSON.parse(hostile.model).features).toEqual(HOSTILE.slice(0, 2));
  });

  it("mcmc on the __proto__ column", async () => {
    await sameOnPrices((n) => [
      "mcmc",
      "--columns",
      n[0],
      "--draws",
      "200",
      "--warmup",
      "200",
      "--chains",
      "2",
      "--json",
    ]);
  });

  it("mcmc --diagnose on draws whose parameters are named constructor, toString, hasOwnProperty", async () => {
    // Not __proto__: a draws column ending in "__" is a Stan sampler column (lp__ aside) and is left out by design.
    const draws = (n: Names) => {
      const lines = [`chain,draw,${n[1]},${n[2]},${n[3]}`];
      for (let k = 0; k < 40; k++) {
        const [, a, b, c] = ROWS[k]!.split(",");
        lines.push(`${1 + (k % 2)},${k >> 1},${a},${b},${c}`);
      }
      return `${lines.join("\n")}\n`;
    };
    const { ordinary, hostile } = await bothWays(async (v) => {
      v.write("draws.csv", draws(v.names));
      return v.hftlab(["mcmc", "--diagnose", "draws.csv", "--json"]);
    });
    expectSameOutput(ordinary, hostile);
    expect(Object.keys(JSON.parse(hostile.stdout).result.params)).toEqual(HOSTILE.slice(1));
  });

  it("sparse: lasso's coefficients beside a hostile --target, greedy's weights and path, sparse-pca's CSV", async () => {
    const lasso = JSON.parse(
      (await sameOnPrices((n) => ["sparse", "--target", n[1], "--alpha", "1e-6", "--json"])).stdout,
    );
    expect(Object.keys(lasso.result.coefficients)).toEqual([HOSTILE[0], HOSTILE[2], HOSTILE[3]]);
    const greedy = JSON.parse(
      (await sameOnPrices(() => ["sparse", "--method", "greedy", "--k", "3", "--json"])).stdout,
    );
    expect(Object.keys(greedy.result.weights)).toEqual(HOSTILE);
    expect(greedy.result.weights[PROTO]).not.toBe(0);
    await sameOnPrices(() => ["sparse", "--method", "sparse-pca", "--k", "2", "--csv"]);
  });

  it("decompose pcp (outliers by symbol, low-rank file) and box-tiao (weights as JSON and CSV)", async () => {
    const { ordinary, hostile } = await bothWays(async (v) => {
      v.write("prices.csv", widePrices(v.names));
      const pcp = await v.hftlab(["decompose", "--out-low-rank", "low.csv", "--json", "prices.csv"]);
      return { pcp, lowRank: v.read("low.csv") };
    });
    expectSameOutput(ordinary.pcp, hostile.pcp);
    expect(ordinaryText(hostile.lowRank)).toBe(ordinary.lowRank);
    const boxTiao = JSON.parse(
      (await sameOnPrices(() => ["decompose", "--method", "box-tiao", "--json"])).stdout,
    );
    for (const p of boxTiao.result.portfolios) expect(Object.keys(p.weights)).toEqual(HOSTILE);
    await sameOnPrices(() => ["decompose", "--method", "box-tiao", "--csv"]);
  });

  it("risk with --weights __proto__=0.4,… and a hostile --benchmark", async () => {
    const weights = (n: Names) => `${n[0]}=0.4,${n[1]}=0.3,${n[2]}=0.2,${n[3]}=0.1`;
    const { result } = JSON.parse(
      (await sameOnPrices((n) => ["risk", "--weights", weights(n), "--benchmark", n[2], "--json"])).stdout,
    );
    expect(Object.keys(result.weights)).toEqual(HOSTILE);
    expect(sum(result.weights)).toBeCloseTo(1, 15);
  });

  it("risk --weights from a file of optimize --json output, whose weights include __proto__", async () => {
    const { ordinary, hostile } = await bothWays(async (v) => {
      v.write("prices.csv", widePrices(v.names));
      const optimized = await v.hftlab(["optimize", "--json", "prices.csv"]);
      v.write("weights.json", optimized.stdout);
      return v.hftlab(["risk", "--weights", "weights.json", "--csv", "prices.csv"]);
    });
    expectSameOutput(ordinary, hostile);
    expect(hostile.stdout).toContain("\nportfolio,");
  });

  it("backtest meanrev (per-bar NDJSON, a weight per symbol), optimize walk-forward, signals with hostile columns", async () => {
    await sameOnPrices(() => ["backtest", "--strategy", "meanrev", "--ndjson"]);
    await sameOnPrices((n) => [
      "backtest",
      "--strategy",
      "optimize",
      "--lookback",
      "60",
      "--rebalance",
      "20",
      "--benchmark",
      n[2],
      "--json",
    ]);
    const { ordinary, hostile } = await bothWays(async (v) => {
      v.write("prices.csv", widePrices(v.names));
      const targets = ROWS.filter((_, k) => k % 20 === 0).map(
        (row) => `${row.split(",")[0]},0.4,0.3,0.2,0.1`,
      );
      v.write("signals.csv", `t,${v.names.join(",")}\n${targets.join("\n")}\n`);
      return v.hftlab([
        "backtest",
        "--strategy",
        "signals",
        "--signals",
        "signals.csv",
        "--json",
        "prices.csv",
      ]);
    });
    expectSameOutput(ordinary, hostile);
  });

  it("backtest pairs on two hostile names (with --trades) and regime per hostile symbol", async () => {
    await sameOnPrices((n) => [
      "backtest",
      "--strategy",
      "pairs",
      "--pair",
      `${n[0]},${n[1]}`,
      "--lookback",
      "60",
      "--trades",
      "--json",
    ]);
    await sameOnPrices(() => [
      "backtest",
      "--strategy",
      "regime",
      "--train",
      "100",
      "--states",
      "2",
      "--restarts",
      "2",
      "--json",
    ]);
  });

  it("stream: per-symbol state for ticks of __proto__ and the others", async () => {
    const { ordinary, hostile } = await bothWays(async (v) => {
      v.write("ticks.ndjson", ticks(v.names));
      return v.hftlab(["stream", "--window", "10", "ticks.ndjson"]);
    });
    expectSameOutput(ordinary, hostile);
    expect(hostile.stdout).toContain('"symbol":"__proto__"');
  });
});

describe.concurrent("words of Object.prototype where hftlab expects its own words", () => {
  const book = (side: string, event = "add", extraColumns = "note,remark") =>
    `ts,event,order_id,side,price,size,${extraColumns}\n1,add,1,B,100,5,x,x\n2,${event},2,${side},101,5,y,y\n`;

  // Lower-cased, these two are still members of Object.prototype (toString is not: the reader lower-cases).
  it.each(["__proto__", "constructor"])(
    "book: a side or an event written %s is unknown (exit 3), never taken for a bid",
    async (word) => {
      const v = variant(HOSTILE);
      v.write("side.csv", book(word));
      v.write("event.csv", book("S", word));
      const [side, event] = await Promise.all([
        v.hftlab(["book", "side.csv"]),
        v.hftlab(["book", "event.csv"]),
      ]);
      expect(side!.status, side!.stdout).toBe(3);
      expectOneLineError(side!.stderr, new RegExp(`unknown side "${word}"`));
      expect(event!.status, event!.stdout).toBe(3);
      expectOneLineError(event!.stderr, new RegExp(`unknown event "${word}"`));
    },
  );

  it("book: columns named __proto__ and constructor are skipped like any unknown column", async () => {
    const v = variant(HOSTILE);
    v.write("notes.csv", book("S", "add", "note,remark"));
    v.write("hostile.csv", book("S", "add", "__proto__,constructor"));
    const [notes, hostile] = await Promise.all([
      v.hftlab(["book", "--json", "notes.csv"]),
      v.hftlab(["book", "--json", "hostile.csv"]),
    ]);
    expect(hostile!.status, hostile!.stderr).toBe(0);
    expect(JSON.parse(hostile!.stdout).result).toEqual(JSON.parse(notes!.stdout).result);
  });

  it.each(["constructor", "__proto__"])("hftlab %s is an unknown command (exit 2)", async (word) => {
    const r = await variant(HOSTILE).hftlab([word]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^hftlab: error: unknown command '${word}'`));
  });
});
