import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab, shell } from "./run.js";

const tmp = mkdtempSync(join(tmpdir(), "hftlab-risk-out-"));
const file = temporaryFiles("hftlab-risk-");

function json(args: string[], input?: string) {
  const r = hftlab([...args, "--json"], input === undefined ? {} : { input });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const EU = "fixtures/eustocks.csv";

describe("risk --weights", () => {
  it("a portfolio with weight 1 on one symbol equals that symbol", () => {
    const document = json(["risk", "--weights", "CAC=1", "--benchmark", "FTSE", EU]);
    const series = document.result.series;
    expect(series.map((s: { symbol: string }) => s.symbol)).toEqual([
      "DAX",
      "SMI",
      "CAC",
      "FTSE",
      "portfolio",
    ]);
    const { symbol: _a, ...cac } = series[2];
    const { symbol: _b, ...portfolio } = series[4];
    expect(portfolio).toEqual(cac);
    expect(document.result.weights).toEqual({ CAC: 1 });
  });

  it("is rebalanced every period: its return is the weighted sum of the returns", () => {
    const r = hftlab(["risk", "--weights", "DAX=0.25,FTSE=0.75", "--rolling", "2", "--ndjson", EU]);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const at = (symbol: string, k: number) => rows.filter((x) => x.symbol === symbol)[k];
    // Two-bar window return = (1 + r_{t-1})(1 + r_t) - 1; recover the one-bar returns from the prices.
    const prices = readFileSync(EU, "utf8")
      .trim()
      .split("\n")
      .slice(1, 4)
      .map((l) => l.split(",").map(Number));
    const ret = (j: number, t: number) => prices[t]![j]! / prices[t - 1]![j]! - 1;
    const p1 = 0.25 * ret(1, 1) + 0.75 * ret(4, 1);
    const p2 = 0.25 * ret(1, 2) + 0.75 * ret(4, 2);
    expect(at("portfolio", 1).return).toBeCloseTo((1 + p1) * (1 + p2) - 1, 14);
  });

  it("reads optimize --json from a pipe", () => {
    const r = shell(`node bin/hftlab optimize --json ${EU} | node bin/hftlab risk --json --weights - ${EU}`);
    expect(r.status, r.stderr).toBe(0);
    const document = JSON.parse(r.stdout);
    const optimized = json(["optimize", EU]).result.weights;
    expect(document.result.weights).toEqual(optimized);
    expect(document.result.series.at(-1).symbol).toBe("portfolio");
    // optimize's annualised volatility is the portfolio's volatility.
    expect(document.result.series.at(-1).volatility).toBeCloseTo(
      json(["optimize", EU]).result.volatility,
      10,
    );
  });

  it("reads a weights file, and refuses weights that do not sum to 1 or name unknown symbols", () => {
    const weights = file("w.json", JSON.stringify({ DAX: 0.5, CAC: 0.5 }));
    expect(json(["risk", "--weights", weights, EU]).result.weights).toEqual({ DAX: 0.5, CAC: 0.5 });
    let r = hftlab(["risk", "--weights", "DAX=0.5,CAC=0.4", EU]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /weights sum to 0\.9, not 1/);
    r = hftlab(["risk", "--weights", file("bad-sum.json", '{"DAX": 2}'), EU]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /sum to 2, not 1/);
    r = hftlab(["risk", "--weights", "DAX=0.5,XYZ=0.5", EU]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /the weights name XYZ, which is not a column/);
    r = hftlab(["risk", "--weights", "DAX:1", EU]);
    expect(r.status).toBe(3); // not a list (no '='): read as a path that does not exist
    expectOneLineError(r.stderr, /cannot read the weights file DAX:1/);
    r = hftlab(["risk", "--weights", file("bad.json", "{not json"), EU]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /are not JSON/);
    r = hftlab(["risk", "--weights", "-", "-"], { input: "{}" });
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /cannot both come from standard input/);
  });

  it("keeps a symbol named __proto__ as a weight key", () => {
    const path = file("proto.csv", "t,__proto__,B\n1,100,50\n2,101,51\n3,99,52\n4,100,51\n");
    const document = json(["risk", "--weights", "__proto__=0.5,B=0.5", path]);
    expect(Object.keys(document.result.weights)).toEqual(["__proto__", "B"]);
    expect(document.result.series.map((s: { symbol: string }) => s.symbol)).toEqual([
      "__proto__",
      "B",
      "portfolio",
    ]);
  });
});

describe("risk's refusals", () => {
  it("refuses fewer than two returns, a zero-variance series and a non-positive price (exit 3)", () => {
    let r = hftlab(["risk", file("one.csv", "t,A\n1,100\n2,101\n")]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /at least 2 returns, found 1/);
    r = hftlab(["risk", file("flat.csv", "t,A,B\n1,100,1\n2,100,2\n3,100,3\n4,100,2\n")]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /A has zero variance/);
    r = hftlab(["risk", file("neg.csv", "t,A\n1,100\n2,-1\n3,100\n")]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /positive prices; A is -1 at 2 \(.*neg\.csv:3\)/);
  });

  it("refuses a simple return below -100 % in a returns file, naming the line", () => {
    const r = hftlab(["risk", "--input-kind", "returns", file("r.csv", "t,A\n1,0.01\n2,-1.5\n3,0.02\n")]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /simple return of -1\.5 at 2, below -1 .*r\.csv:3/);
  });

  it("refuses confidence levels outside (0, 1) and misused output flags (exit 2)", () => {
    for (const levels of ["1", "0", "0.95,1.2", "abc", "0.95,0.95"]) {
      const r = hftlab(["risk", "--confidence", levels, EU]);
      expect(r.status, levels).toBe(2);
    }
    expect(hftlab(["risk", "--ndjson", EU]).status).toBe(2);
    expect(hftlab(["risk", "--rolling", "20", EU]).status).toBe(2);
    expect(hftlab(["risk", "--ewma-lambda", "1", EU]).status).toBe(2);
  });

  it("refuses an unknown benchmark and a too-long VaR backtest (exit 3)", () => {
    let r = hftlab(["risk", "--benchmark", "NIKKEI", EU]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /--benchmark NIKKEI is not a column/);
    r = hftlab(["risk", "--var-backtest", "5000", EU]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /--var-backtest 5000 needs more than 5000 returns, found 1859/);
  });

  it("warns, and writes null, for a series that never falls (no Calmar, infinite Sortino)", () => {
    const r = hftlab(["risk", "--json", file("up.csv", "t,A\n1,100\n2,101\n3,103\n4,104\n5,107\n")]);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout).result.series[0];
    expect([s.sortino, s.omega, s.calmar, s.maxDrawdown]).toEqual([null, null, null, null]);
    expect(s.drawdowns).toEqual([]);
    expect(r.stderr).toMatch(/A never falls below the --mar threshold/);
    expect(r.stderr).toMatch(/A has no drawdown: calmar is undefined/);
  });
});

describe("risk's properties on real data", () => {
  it("gives the same wealth-based numbers from simple and log returns (the wealth index is the prices')", () => {
    const simple = json(["risk", "--returns", "simple", "fixtures/sp500-2000.csv"]).result.series[0];
    const log = json(["risk", "--returns", "log", "fixtures/sp500-2000.csv"]).result.series[0];
    for (const key of ["totalReturn", "cagr"]) expect(log[key]).toBeCloseTo(simple[key], 12);
    expect(log.maxDrawdown.depth).toBeCloseTo(simple.maxDrawdown.depth, 12);
    expect(log.maxDrawdown.peak).toBe(simple.maxDrawdown.peak);
    log.years.forEach((y: { return: number }, k: number) => {
      expect(y.return).toBeCloseTo(simple.years[k].return, 12);
    });
    // The totals are the prices' own ratio.
    const lines = readFileSync("fixtures/sp500-2000.csv", "utf8").trim().split("\n");
    const adjclose = (line: string) => Number(line.split(",")[5]);
    expect(simple.totalReturn).toBeCloseTo(adjclose(lines.at(-1)!) / adjclose(lines[1]!) - 1, 12);
  });

  it("has VaR and ES increasing with the confidence level, and ES ≥ VaR, for every method", () => {
    const s = json(["risk", "--confidence", "0.9,0.95,0.975,0.99,0.995", "fixtures/sp500-2000.csv"]).result
      .series[0];
    const levels = ["0.9", "0.95", "0.975", "0.99", "0.995"];
    for (const method of ["historical", "gaussian", "cornishFisher", "ewma"]) {
      for (let k = 1; k < levels.length; k++)
        expect(s.var[method][levels[k]!]).toBeGreaterThan(s.var[method][levels[k - 1]!]);
      for (const level of levels) expect(s.es[method][level]).toBeGreaterThanOrEqual(s.var[method][level]);
    }
  });

  it("reads prices from standard input", () => {
    const r = hftlab(["risk", "--json", "-"], { input: readFileSync(EU, "utf8") });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result.series).toHaveLength(4);
  });
});

describe("risk's outputs", () => {
  it("is byte-identical from run to run", () => {
    const a = hftlab(["risk", "--json", "--var-backtest", "100", "--benchmark", "FTSE", EU]);
    const b = hftlab(["risk", "--json", "--var-backtest", "100", "--benchmark", "FTSE", EU]);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it("echoes every option in params and names its conventions", () => {
    const document = json(["risk", EU]);
    expect(document.params).toMatchObject({
      weights: null,
      benchmark: null,
      periodsPerYear: 252,
      riskFree: 0,
      mar: 0,
      sharpeBenchmark: 0,
      confidence: [0.95, 0.99],
      ewmaLambda: 0.94,
      drawdowns: 5,
      varBacktest: null,
      rolling: null,
      compat: "hftlab",
      returns: "simple",
      inputKind: "prices",
    });
    for (const rule of [
      "observations",
      "varQuantile",
      "esRule",
      "lossSign",
      "moments",
      "drawdownBaseline",
      "openDrawdown",
    ])
      expect(typeof document.result.conventions[rule], rule).toBe("string");
    const s = document.result.series[0];
    expect(Object.keys(s)).toEqual([
      "symbol",
      "observations",
      "totalReturn",
      "cagr",
      "annualReturn",
      "volatility",
      "sharpe",
      "sortino",
      "downsideDeviation",
      "calmar",
      "omega",
      "tailRatio",
      "skew",
      "kurtosis",
      "probabilisticSharpe",
      "maxDrawdown",
      "drawdowns",
      "var",
      "es",
      "benchmark",
      "varBacktest",
      "calendar",
      "years",
    ]);
    expect(s.calendar).toBeNull(); // eustocks' time column holds fractional years, not dates
    expect(Object.keys(s.var)).toEqual(["historical", "gaussian", "cornishFisher", "ewma"]);
    expect(Object.keys(s.var.historical)).toEqual(["0.95", "0.99"]);
  });

  it("labels a returns file's start as null and counts an open drawdown to the last bar", () => {
    const path = file("ret.csv", "date,A\n2024-01-02,-0.1\n2024-01-03,0.05\n2024-01-04,-0.02\n");
    const s = json(["risk", "--input-kind", "returns", path]).result.series[0];
    // W = 1, 0.9, 0.945, 0.9261: the trough is the first return's bar, and the run ends under water.
    expect(s.maxDrawdown).toEqual({
      depth: expect.closeTo(-0.1, 15),
      peak: null,
      trough: "2024-01-02",
      recovery: null,
      bars: 1,
      recoveryBars: null,
      durationBars: 3,
      open: true,
    });
    expect(s.calendar).toEqual([{ year: 2024, month: 1, return: expect.closeTo(0.9 * 1.05 * 0.98 - 1, 15) }]);
  });

  it("prints one CSV row per series", () => {
    const r = hftlab(["risk", "--csv", "--weights", "DAX=0.5,SMI=0.5", EU]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(
      /^symbol,observations,totalReturn,cagr,.*,var_historical_0\.95,.*es_ewma_0\.99$/,
    );
    expect(lines[5]).toMatch(/^portfolio,1859,/);
  });

  it("draws a table with sparklines for a person", () => {
    const r = hftlab(["risk", "--benchmark", "FTSE", "--var-backtest", "250", EU]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/risk · fixtures\/eustocks\.csv · 1859 returns/);
    expect(r.stdout).toMatch(/[▁▂▃▄▅▆▇█]{10,}/);
    expect(r.stdout).toMatch(/Against FTSE/);
    expect(r.stdout).toMatch(/VaR backtest/);
  });

  it("ends quietly when the reader of the rolling rows goes away", () => {
    const r = shell("node bin/hftlab risk --rolling 20 --ndjson fixtures/sp500-2000.csv | head -2");
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(2);
    expect(r.stderr).toBe("");
  });

  it("writes the same rolling bytes whether one thread or several format them", () => {
    // 60,000 rows × 20 symbols = 1.2M rows: enough for the worker pool to take chunks.
    const rows = [`t,${Array.from({ length: 20 }, (_, j) => `S${j}`).join(",")}`];
    let seed = 1;
    const prices = new Array(20).fill(100);
    for (let i = 0; i < 60_000; i++) {
      for (let j = 0; j < 20; j++) {
        seed = (seed * 16807) % 2147483647;
        prices[j] *= 1 + (seed / 2147483647 - 0.5) * 0.01;
      }
      rows.push(`${i},${prices.map((p) => p.toFixed(4)).join(",")}`);
    }
    const path = file("wide.csv", `${rows.join("\n")}\n`);
    const many = hftlab(["risk", "--rolling", "30", "--ndjson", "--benchmark", "S0", path]);
    const one = hftlab(["risk", "--rolling", "30", "--ndjson", "--benchmark", "S0", path], {
      env: { HFTLAB_THREADS: "1" },
    });
    expect(many.status, many.stderr).toBe(0);
    expect(one.status).toBe(0);
    expect(many.stdout.length).toBeGreaterThan(100_000_000);
    expect(many.stdout === one.stdout).toBe(true);
  });

  it("writes the rolling rows to a table with --out, beside the JSON summary", () => {
    const out = join(tmp, "rolling.csv");
    const r = hftlab(["risk", "--rolling", "20", "--out", out, "--json", "--columns", "DAX,CAC", EU]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).command).toBe("risk");
    expect(existsSync(out)).toBe(true);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("t,symbol,return,volatility,sharpe,drawdown,beta");
    expect(lines).toHaveLength(1 + 2 * 1859);
  });

  it("writes the same rows with no summary to make as beside one, and rows of a flat series the summary refuses", () => {
    const alone = join(tmp, "alone.csv");
    const beside = join(tmp, "beside.csv");
    const args = ["risk", "--rolling", "20", "--benchmark", "DAX", "--var-backtest", "250", EU];
    expect(hftlab([...args, "--out", alone]).status).toBe(0);
    expect(hftlab([...args, "--out", beside, "--json"]).status).toBe(0);
    expect(readFileSync(alone).equals(readFileSync(beside))).toBe(true);
    // A constant price has zero variance: no Sharpe ratio for the summary (exit 3), but its rolling
    // rows are defined, volatility 0 and sharpe null, so --ndjson alone prints them.
    const flat = file("flat-rolling.csv", "t,A,B\n1,100,1\n2,100,2\n3,100,3\n4,100,2\n5,100,4\n");
    expect(hftlab(["risk", "--rolling", "2", "--json", "--out", join(tmp, "flat.csv"), flat]).status).toBe(3);
    const rows = hftlab(["risk", "--rolling", "2", "--ndjson", flat]);
    expect(rows.status, rows.stderr).toBe(0);
    const a = rows.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .filter((row) => row.symbol === "A");
    expect(a.map((row) => row.volatility)).toEqual([null, 0, 0, 0]);
    expect(a.map((row) => row.sharpe)).toEqual([null, null, null, null]);
  });

  it("--out as CSV and as Arrow holds exactly the --ndjson rows, with and without a benchmark", () => {
    for (const extra of [[], ["--benchmark", "FTSE"]]) {
      const args = ["risk", "--rolling", "20", "--columns", "DAX,CAC", ...extra, EU];
      const rows = hftlab([...args, "--ndjson"])
        .stdout.trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line));
      const csv = join(tmp, "rolling-rows.csv");
      const arrow = join(tmp, "rolling-rows.arrow");
      expect(hftlab([...args, "--json", "--out", csv]).status).toBe(0);
      expect(hftlab([...args, "--json", "--out", arrow]).status).toBe(0);
      const lines = readFileSync(csv, "utf8").trimEnd().split("\n").slice(1);
      const table = tableFromIPC(readFileSync(arrow));
      expect(lines).toHaveLength(rows.length);
      expect(table.numRows).toBe(rows.length);
      const keys = ["return", "volatility", "sharpe", "drawdown", "beta"];
      const columns = keys.map((key) => table.getChild(key)!.toArray() as Float64Array);
      const valid = keys.map((key) => table.getChild(key)!);
      const times = table.getChild("t")!;
      const symbols = table.getChild("symbol")!;
      rows.forEach((row, k) => {
        const cells = lines[k]!.split(",");
        expect(cells.slice(0, 2)).toEqual([row.time, row.symbol]);
        expect([times.get(k), symbols.get(k)]).toEqual([row.time, row.symbol]);
        keys.forEach((key, j) => {
          expect(cells[2 + j] === "" ? null : Number(cells[2 + j])).toBe(row[key]);
          expect(valid[j]!.isValid(k) ? columns[j]![k] : null).toBe(row[key]);
        });
      });
    }
  });
});
