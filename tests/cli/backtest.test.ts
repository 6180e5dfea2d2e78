import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PrefixView } from "../../src/numerics/backtest/strategy.js";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab } from "./run.js";

/**
 * `hftlab backtest` against a deliberately naive reference backtester
 * written here from SPEC §3's definition (one loop over bars, no shared
 * code with the engine), the no-look-ahead property, a look-ahead canary,
 * and the cost identity.
 */
const file = temporaryFiles("hftlab-backtest-");
const EU = "fixtures/eustocks.csv";

interface Row {
  time: string;
  equity: number;
  return: number;
  cost: number;
  gross: number;
  net: number;
  drawdown: number;
  weights: Record<string, number>;
}

function rows(args: string[]): Row[] {
  const r = hftlab(["backtest", "--ndjson", ...args]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
}

function readWide(path: string): { times: string[]; symbols: string[]; prices: number[][] } {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const symbols = lines[0]!.split(",").slice(1);
  const times: string[] = [];
  const prices: number[][] = symbols.map(() => []);
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    times.push(cells[0]!);
    symbols.forEach((_, j) => {
      prices[j]!.push(Number(cells[j + 1]));
    });
  }
  return { times, symbols, prices };
}

/**
 * The reference: targets[t] (or null: no trade) decided at bar t, traded at
 * bar t + delay; per bar gross = Σ w·r, weights drift, cost on |target −
 * drifted|, net = gross − cost, equity compounds.
 */
function reference(prices: number[][], targets: (number[] | null)[], delay: number, costRate: number) {
  const k = prices.length;
  const n = prices[0]!.length;
  let w = new Array<number>(k).fill(0);
  let equity = 1;
  const out: { equity: number; ret: number; cost: number; weights: number[] }[] = [];
  for (let t = 1; t < n; t++) {
    const r = prices.map((p) => p[t]! / p[t - 1]! - 1);
    let gross = 0;
    for (let i = 0; i < k; i++) gross += w[i]! * r[i]!;
    const drifted = w.map((wi, i) => (wi * (1 + r[i]!)) / (1 + gross));
    const due = t - delay >= 0 ? targets[t - delay] : null;
    let traded = 0;
    if (due !== null && due !== undefined) {
      for (let i = 0; i < k; i++) traded += Math.abs(due[i]! - drifted[i]!);
      w = [...due];
    } else w = drifted;
    const cost = traded * costRate;
    equity *= 1 + gross - cost;
    out.push({ equity, ret: gross - cost, cost, weights: [...w] });
  }
  return out;
}

/** meanrev's own positions (from `hftlab meanrev --ndjson`), as targets position/N. */
function meanrevTargets(path: string, window: number, symbols: string[], n: number): (number[] | null)[] {
  const r = hftlab(["meanrev", "--ndjson", "--no-adf", "--no-hurst", "--window", String(window), path]);
  expect(r.status, r.stderr).toBe(0);
  const targets = Array.from({ length: n }, () => new Array<number>(symbols.length).fill(0));
  r.stdout
    .trimEnd()
    .split("\n")
    .forEach((line, index) => {
      const row = JSON.parse(line);
      targets[Math.floor(index / symbols.length)]![symbols.indexOf(row.symbol)] =
        row.position / symbols.length;
    });
  return targets;
}

function expectRowsMatch(got: Row[], want: ReturnType<typeof reference>, symbols: string[]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((row, t) => {
    const w = want[t]!;
    expect(Math.abs(row.equity - w.equity)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(row.return - w.ret)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(row.cost - w.cost)).toBeLessThanOrEqual(1e-12);
    symbols.forEach((s, i) => {
      expect(Math.abs(row.weights[s]! - w.weights[i]!)).toBeLessThanOrEqual(1e-12);
    });
  });
}

describe("backtest against a naive reference backtester", () => {
  const { times, symbols, prices } = readWide(EU);

  it("meanrev: meanrev's own positions, traded a bar later, 5 bps, to 1e-12 on every bar", () => {
    const targets = meanrevTargets(EU, 20, symbols, times.length);
    const got = rows([
      "--strategy",
      "meanrev",
      "--window",
      "20",
      "--cost-bps",
      "3",
      "--slippage-bps",
      "2",
      EU,
    ]);
    expectRowsMatch(got, reference(prices, targets, 1, 5e-4), symbols);
    expect(got[0]!.time).toBe(times[1]);
  });

  it("signals: monthly-ish rebalances with drift in between, delay 2, to 1e-12", () => {
    const targets: (number[] | null)[] = times.map((_, t) =>
      t % 21 === 0 ? symbols.map((_, j) => ((t / 21 + j) % 3) / 4 - 0.1) : null,
    );
    const lines = ["t,DAX,SMI,CAC,FTSE"];
    targets.forEach((target, t) => {
      if (target !== null) lines.push(`${times[t]},${target.join(",")}`);
    });
    const signals = file("signals.csv", `${lines.join("\n")}\n`);
    const got = rows(["--strategy", "signals", "--signals", signals, "--delay", "2", "--cost-bps", "10", EU]);
    expectRowsMatch(got, reference(prices, targets, 2, 1e-3), symbols);
  });

  it("reads meanrev --out's position column as signals", () => {
    const out = file("sig.csv", "");
    const r = hftlab(["meanrev", "--no-adf", "--no-hurst", "--out", out, EU]);
    expect(r.status, r.stderr).toBe(0);
    const got = rows(["--strategy", "signals", "--signals", out, EU]);
    const targets = meanrevTargets(EU, 20, symbols, times.length).map((t) =>
      t.map((x) => x * symbols.length),
    );
    expectRowsMatch(got, reference(prices, targets, 1, 0), symbols);
  });
});

describe("no look-ahead", () => {
  const all = readFileSync(EU, "utf8").trim().split("\n");

  for (const strategy of ["meanrev", "signals"]) {
    it(`${strategy}: the first t − 1 rows on the first t input rows equal those on the whole input`, () => {
      // Signals for every bar (the heads of the signals file go with the heads of the prices).
      const signalLines = [
        "t,DAX,SMI,CAC,FTSE",
        ...all.slice(1).map((line, t) => `${line.split(",")[0]},${t % 2},0.25,-0.25,${(t % 5) / 10}`),
      ];
      const args = (prices: string, t: number) => [
        "backtest",
        "--ndjson",
        "--strategy",
        strategy,
        "--cost-bps",
        "5",
        ...(strategy === "signals"
          ? ["--signals", file(`signals-${t}.csv`, `${signalLines.slice(0, t + 1).join("\n")}\n`)]
          : []),
        prices,
      ];
      const whole = hftlab(args(EU, all.length - 1))
        .stdout.trimEnd()
        .split("\n");
      expect(whole).toHaveLength(all.length - 2);
      for (const t of [25, 100, 777, 1500]) {
        // t price rows give t − 1 bars of output.
        const head = file(`head-${strategy}-${t}.csv`, `${all.slice(0, t + 1).join("\n")}\n`);
        const part = hftlab(args(head, t));
        expect(part.status, part.stderr).toBe(0);
        expect(part.stdout.trimEnd().split("\n")).toEqual(whole.slice(0, t - 1));
      }
    });
  }

  it("a strategy's view of the prices ends at the bar it decides on", () => {
    const view = new PrefixView([Float64Array.of(1, 2, 3)]);
    view.advanceTo(1);
    expect(view.price(0, 1)).toBe(2);
    expect(() => view.price(0, 2)).toThrow(RangeError);
  });

  it("a canary that knows the next bar's return earns the delayed PnL, not perfect foresight", () => {
    const { times, symbols, prices } = readWide(EU);
    const n = times.length;
    // Target at bar t: the sign of bar t+1's DAX return (the future), everything else flat.
    const targets = times.map((_, t) => {
      const next = t + 1 < n ? Math.sign(prices[0]![t + 1]! / prices[0]![t]! - 1) : 0;
      return [next, 0, 0, 0];
    });
    const lines = ["t,DAX", ...targets.map((target, t) => `${times[t]},${target[0]}`)];
    const got = rows(["--strategy", "signals", "--signals", file("canary.csv", `${lines.join("\n")}\n`), EU]);
    expectRowsMatch(got, reference(prices, targets, 1, 0), symbols);
    let foresight = 1;
    for (let t = 1; t < n; t++) foresight *= 1 + Math.abs(prices[0]![t]! / prices[0]![t - 1]! - 1);
    expect(foresight).toBeGreaterThan(1000);
    expect(got.at(-1)!.equity).toBeLessThan(foresight / 1000);
  });
});

describe("costs", () => {
  it("a strategy that trades every bar on flat prices loses exactly turnover × cost", () => {
    const n = 50;
    const prices = ["t,A,B", ...Array.from({ length: n }, (_, t) => `${t},100,50`)];
    const path = file("flat.csv", `${prices.join("\n")}\n`);
    const signals = [
      "t,A,B",
      ...Array.from({ length: n }, (_, t) => `${t},${t % 2 === 0 ? 0.5 : -0.5},0.25`),
    ];
    const r = hftlab([
      "backtest",
      "--json",
      "--strategy",
      "signals",
      "--signals",
      file("flip.csv", `${signals.join("\n")}\n`),
      "--cost-bps",
      "7",
      path,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout).result;
    const bars = n - 1;
    // Traded notional: 0.75 at the first trade (bar 1, from cash), then |±0.5 − ∓0.5| = 1 a bar.
    const traded = 0.75 + (bars - 1) * 1;
    expect(result.costs).toBeCloseTo(traded * 7e-4, 14);
    expect(result.turnover).toBeCloseTo((252 * traded) / bars, 10);
    expect(result.stats.totalReturn).toBeCloseTo((1 - 0.75 * 7e-4) * (1 - 7e-4) ** (bars - 1) - 1, 14);
  });
});

describe("backtest's refusals", () => {
  it("refuses same-bar execution unless asked, and warns when asked", () => {
    let r = hftlab(["backtest", "--delay", "0", EU]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /--delay 0 trades at the very close/);
    r = hftlab(["backtest", "--delay", "0", "--allow-same-bar", "--json", EU]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).warnings[0]).toMatch(/--delay 0/);
  });

  it("refuses signals at times the prices lack and symbols they lack (exit 3), and a missing --signals (exit 2)", () => {
    let r = hftlab([
      "backtest",
      "--strategy",
      "signals",
      "--signals",
      file("bad-time.csv", "t,DAX\n1991.5,1\n"),
      EU,
    ]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /a row at 1991\.5, which is not a time of/);
    r = hftlab([
      "backtest",
      "--strategy",
      "signals",
      "--signals",
      file("bad-sym.csv", "t,XYZ\n1991.496154,1\n"),
      EU,
    ]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /the signals name XYZ, which is not a column/);
    r = hftlab(["backtest", "--strategy", "signals", EU]);
    expect(r.status).toBe(2);
  });

  it("refuses a window longer than the data and a non-positive price (exit 3)", () => {
    let r = hftlab(["backtest", "--window", "5000", EU]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /too few rows for the window/);
    r = hftlab(["backtest", "--window", "2", file("neg.csv", "t,A\n1,100\n2,0\n3,100\n4,101\n")]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /positive prices; A is 0 at 2/);
  });
});

describe("backtest --input-kind returns", () => {
  it("on a file of each bar's returns equals the backtest of the prices they compound from", () => {
    const { times, symbols, prices } = readWide(EU);
    const lines = [`t,${symbols.join(",")}`];
    for (let t = 1; t < times.length; t++)
      lines.push(`${times[t]},${prices.map((p) => (p[t]! / p[t - 1]! - 1).toPrecision(17)).join(",")}`);
    const returnsFile = file("eu-returns.csv", `${lines.join("\n")}\n`);
    for (const strategy of [
      ["--strategy", "meanrev"],
      ["--strategy", "optimize", "--lookback", "300"],
    ]) {
      const fromPrices = rows([...strategy, "--cost-bps", "5", EU]);
      const fromReturns = rows([...strategy, "--cost-bps", "5", "--input-kind", "returns", returnsFile]);
      expect(fromReturns.map((row) => row.time)).toEqual(fromPrices.map((row) => row.time));
      fromReturns.forEach((row, t) => {
        expect(Math.abs(row.equity / fromPrices[t]!.equity - 1)).toBeLessThan(1e-10);
        for (const s of symbols)
          expect(Math.abs(row.weights[s]! - fromPrices[t]!.weights[s]!)).toBeLessThan(1e-10);
      });
    }
  });
});

describe("backtest's benchmark", () => {
  it("--benchmark SYM has the risk command's statistics of that symbol", () => {
    const r = hftlab(["backtest", "--json", "--benchmark", "DAX", EU]);
    expect(r.status, r.stderr).toBe(0);
    const benchmark = JSON.parse(r.stdout).result.benchmark;
    const risk = JSON.parse(hftlab(["risk", "--json", "--columns", "DAX", EU]).stdout).result.series[0];
    expect(benchmark.name).toBe("DAX");
    for (const key of ["totalReturn", "cagr", "volatility", "sharpe", "sortino", "skew", "kurtosis"])
      expect(benchmark.stats[key] / risk[key]).toBeCloseTo(1, 12);
    expect(benchmark.stats.maxDrawdown.depth).toBeCloseTo(risk.maxDrawdown.depth, 13);
    expect({ ...benchmark.stats.maxDrawdown, depth: 0 }).toEqual({ ...risk.maxDrawdown, depth: 0 });
  });

  it("buy-and-hold equal weight is worth the mean of the price relatives at the end", () => {
    const { prices } = readWide(EU);
    const value = prices.reduce((sum, p) => sum + 0.25 * (p.at(-1)! / p[0]!), 0);
    const stats = JSON.parse(hftlab(["backtest", "--json", EU]).stdout).result.benchmark.stats;
    expect(stats.totalReturn).toBeCloseTo(value - 1, 12);
  });
});

describe("backtest --strategy optimize (walk-forward)", () => {
  const { times, symbols, prices } = readWide(EU);
  const all = readFileSync(EU, "utf8").trim().split("\n");
  const lookback = 252;
  const rebalance = 400;

  it("rebalances to hftlab optimize's weights on each window, run by hand, and agrees with the reference loop", () => {
    const targets: (number[] | null)[] = times.map(() => null);
    for (let t = lookback; t < times.length; t += rebalance) {
      // The window: price rows t − lookback .. t, i.e. the lookback returns up to and including bar t.
      const window = file(
        `window-${t}.csv`,
        `${[all[0], ...all.slice(t - lookback + 1, t + 2)].join("\n")}\n`,
      );
      const r = hftlab(["optimize", "--json", "--method", "min-variance", "--cov", "ledoit-wolf", window]);
      expect(r.status, r.stderr).toBe(0);
      const weights = JSON.parse(r.stdout).result.weights;
      targets[t] = symbols.map((s) => weights[s]);
    }
    const got = rows([
      "--strategy",
      "optimize",
      "--method",
      "min-variance",
      "--cov",
      "ledoit-wolf",
      "--lookback",
      String(lookback),
      "--rebalance",
      String(rebalance),
      "--cost-bps",
      "5",
      EU,
    ]);
    expectRowsMatch(got, reference(prices, targets, 1, 5e-4), symbols);
    // Traded at the close of the bar after each decision: the weights then are optimize's exactly.
    const first = targets[lookback]!;
    symbols.forEach((s, i) => {
      expect(Math.abs(got[lookback]!.weights[s]! - first[i]!)).toBeLessThanOrEqual(1e-15);
    });
  });

  it("has no look-ahead either", () => {
    const args = ["backtest", "--ndjson", "--strategy", "optimize", "--rebalance", "50", "--lookback", "100"];
    const whole = hftlab([...args, EU])
      .stdout.trimEnd()
      .split("\n");
    for (const t of [160, 420]) {
      const head = file(`opt-head-${t}.csv`, `${all.slice(0, t + 1).join("\n")}\n`);
      const part = hftlab([...args, head]);
      expect(part.status, part.stderr).toBe(0);
      expect(part.stdout.trimEnd().split("\n")).toEqual(whole.slice(0, t - 1));
    }
  });

  it("solves its windows on worker threads with the same bytes as on one thread", () => {
    // 50 random-walk prices × 1,200 bars, lookback 200, every 5 bars: 200 windows, enough cells for the pool.
    let seed = 12345;
    const uniform = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const names = Array.from({ length: 50 }, (_, j) => `S${j}`);
    const level = names.map(() => 100);
    const lines = [`t,${names.join(",")}`];
    for (let t = 0; t < 1200; t++) {
      for (let j = 0; j < 50; j++)
        level[j]! *= 1 + 0.01 * (uniform() - 0.5) + 0.002 * (t % 7 === j % 7 ? 1 : -0.1);
      lines.push(`${t},${level.map((v) => v.toFixed(6)).join(",")}`);
    }
    const path = file("universe.csv", `${lines.join("\n")}\n`);
    const args = [
      "backtest",
      "--json",
      "--strategy",
      "optimize",
      "--lookback",
      "200",
      "--rebalance",
      "5",
      path,
    ];
    const pooled = hftlab(args);
    const single = hftlab(args, { env: { HFTLAB_THREADS: "1" } });
    expect(pooled.status, pooled.stderr).toBe(0);
    expect(pooled.stdout).toBe(single.stdout);
    expect(pooled.stderr).toBe(single.stderr);
    expect(JSON.parse(pooled.stdout).result.trades.count).toBeGreaterThan(0);
  });

  it("refuses a lookback longer than the data (exit 3)", () => {
    const r = hftlab(["backtest", "--strategy", "optimize", "--lookback", "5000", EU]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /--lookback 5000 needs at least 5000 returns, found 1859/);
  });
});

/** Textbook OLS of y on x with an intercept over one window: slope, and the residuals' mean and sample sd. */
function windowFit(y: number[], x: number[]): { h: number; centre: number; sd: number } {
  const n = y.length;
  const my = y.reduce((s, v) => s + v, 0) / n;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const h = sxy / sxx;
  const spreads = y.map((v, i) => v - h * x[i]!);
  const centre = spreads.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(spreads.reduce((s, v) => s + (v - centre) ** 2, 0) / (n - 1));
  return { h, centre, sd };
}

describe("backtest --strategy pairs", () => {
  const { times, symbols, prices } = readWide(EU);
  const all = readFileSync(EU, "utf8").trim().split("\n");
  const lookback = 60;

  /** The reference targets: the fit of the previous `lookback` bars, bar t's z, the band rule, dollar-neutral weights. */
  function pairsTargets(a: number, b: number, log: boolean, entry: number, exit: number) {
    const level = log ? Math.log : (v: number) => v;
    const A = prices[a]!.map(level);
    const B = prices[b]!.map(level);
    let position = 0;
    return times.map((_, t) => {
      if (t < lookback) return null;
      const { h, centre, sd } = windowFit(A.slice(t - lookback, t), B.slice(t - lookback, t));
      const z = (A[t]! - h * B[t]! - centre) / sd;
      if (z > entry) position = -1;
      else if (z < -entry) position = 1;
      else if (Math.abs(z) < exit) position = 0;
      const target = new Array<number>(symbols.length).fill(0);
      if (position !== 0) {
        const da = log ? 1 : prices[a]![t]!;
        const db = log ? h : h * prices[b]![t]!;
        target[a] = (position * da) / (da + Math.abs(db));
        target[b] = (-position * db) / (da + Math.abs(db));
      }
      return target;
    });
  }

  for (const log of [false, true]) {
    it(`${log ? "log" : "price"} spread: the reference's rolling hedge and band rule, 5 bps, to 1e-12 on every bar`, () => {
      const got = rows([
        "--strategy",
        "pairs",
        "--pair",
        "DAX,CAC",
        ...(log ? ["--log"] : []),
        "--lookback",
        String(lookback),
        "--entry",
        "1.5",
        "--exit",
        "0.25",
        "--cost-bps",
        "5",
        EU,
      ]);
      const targets = pairsTargets(0, 2, log, 1.5, 0.25);
      expectRowsMatch(got, reference(prices, targets, 1, 5e-4), symbols);
      expect(got.some((row) => row.weights.DAX! > 0) && got.some((row) => row.weights.DAX! < 0)).toBe(true);
    });
  }

  it("takes its hedge ratio from the previous lookback bars as meanrev --pair computes it on them", () => {
    for (const t of [lookback, 700, 1858]) {
      const window = file(
        `pair-window-${t}.csv`,
        `${[all[0], ...all.slice(t - lookback + 1, t + 1)].join("\n")}\n`,
      );
      const r = hftlab(["meanrev", "--json", "--no-hurst", "--pair", "DAX,CAC", "--log", window]);
      expect(r.status, r.stderr).toBe(0);
      const meanrev = JSON.parse(r.stdout).result.pair.hedgeRatio;
      const { h } = windowFit(
        prices[0]!.slice(t - lookback, t).map(Math.log),
        prices[2]!.slice(t - lookback, t).map(Math.log),
      );
      expect(Math.abs(h / meanrev - 1)).toBeLessThan(1e-12);
    }
  });

  it("has no look-ahead", () => {
    const args = [
      "backtest",
      "--ndjson",
      "--strategy",
      "pairs",
      "--pair",
      "SMI,FTSE",
      "--lookback",
      "40",
      "--entry",
      "1",
    ];
    const whole = hftlab([...args, EU])
      .stdout.trimEnd()
      .split("\n");
    for (const t of [41, 333, 1200]) {
      const head = file(`pairs-head-${t}.csv`, `${all.slice(0, t + 1).join("\n")}\n`);
      const part = hftlab([...args, head]);
      expect(part.status, part.stderr).toBe(0);
      expect(part.stdout.trimEnd().split("\n")).toEqual(whole.slice(0, t - 1));
    }
  });

  it("refuses a pair of one symbol and a missing --pair (exit 2), an unknown symbol and a lookback past the data (exit 3)", () => {
    let r = hftlab(["backtest", "--strategy", "pairs", "--pair", "DAX,DAX", EU]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /--pair needs two different symbols/);
    r = hftlab(["backtest", "--strategy", "pairs", EU]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /--strategy pairs needs --pair A,B/);
    r = hftlab(["backtest", "--strategy", "meanrev", "--pair", "DAX,CAC", EU]);
    expect(r.status).toBe(2);
    r = hftlab(["backtest", "--strategy", "pairs", "--pair", "DAX,XYZ", EU]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /--pair: no column "XYZ"/);
    r = hftlab(["backtest", "--strategy", "pairs", "--pair", "DAX,CAC", "--lookback", "1860", EU]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /--lookback 1860 needs at least 1860 returns, found 1859/);
  });
});

interface SavedHmm {
  startProb: number[];
  transmat: number[][];
  means: number[][];
  covars: number[][][];
}

describe("backtest --strategy regime", () => {
  const { times, symbols, prices } = readWide(EU);
  const all = readFileSync(EU, "utf8").trim().split("\n");
  const em = ["--states", "3", "--restarts", "2", "--max-iter", "200"];

  /** `hftlab hmm --save` of symbol `symbol` on price rows 0..t (its log returns r_1..r_t). */
  function hmmOn(symbol: string, t: number): SavedHmm {
    const head = file(`hmm-head-${t}.csv`, `${all.slice(0, t + 2).join("\n")}\n`);
    const saved = file(`hmm-${symbol}-${t}.json`, "");
    const r = hftlab(["hmm", ...em, "--columns", symbol, "--save", saved, head]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(readFileSync(saved, "utf8"));
  }

  /** The textbook forward filter from r_1: argmax of P(s_t | r_1..r_t) at each bar, as regime indices (by mean). */
  function filteredRegimes(model: SavedHmm, r: number[]): number[] {
    const k = model.startProb.length;
    const order = [...Array(k).keys()].sort((a, b) => model.means[a]![0]! - model.means[b]![0]! || a - b);
    const density = (s: number, x: number) => {
      const v = model.covars[s]![0]![0]!;
      return Math.exp(-((x - model.means[s]![0]!) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
    };
    let alpha: number[] = [];
    return r.map((x, t) => {
      const prior =
        t === 0
          ? model.startProb
          : [...Array(k).keys()].map((j) => alpha.reduce((s, a, i) => s + a * model.transmat[i]![j]!, 0));
      const joint = prior.map((p, s) => p * density(s, x));
      const total = joint.reduce((s, v) => s + v, 0);
      alpha = joint.map((v) => v / total);
      const best = alpha.indexOf(Math.max(...alpha));
      return order.indexOf(best);
    });
  }

  it("filters with hmm's own fit on the first --train bars, refits on every bar so far, to 1e-12 on every bar", () => {
    const train = 500;
    const refit = 450;
    const positions = [-0.5, 0.25, 1]; // bear, sideways, bull
    const targets: (number[] | null)[] = times.map(() => null);
    symbols.forEach((symbol, j) => {
      const p = prices[j]!;
      const r = p.slice(1).map((v, t) => Math.log(v / p[t]!));
      for (let fitAt = train; fitAt < times.length; fitAt += refit) {
        const regimes = filteredRegimes(hmmOn(symbol, fitAt), r);
        for (let t = fitAt; t < Math.min(fitAt + refit, times.length); t++) {
          targets[t] ??= new Array<number>(symbols.length).fill(0);
          targets[t]![j] = positions[regimes[t - 1]!]! / symbols.length;
        }
      }
    });
    const got = rows([
      "--strategy",
      "regime",
      ...em,
      "--train",
      String(train),
      "--refit",
      String(refit),
      "--positions",
      "bear=-0.5,sideways=0.25,bull=1",
      "--cost-bps",
      "5",
      EU,
    ]);
    expectRowsMatch(got, reference(prices, targets, 1, 5e-4), symbols);
    const held = new Set(got.flatMap((row) => symbols.map((s) => row.weights[s]! !== 0)));
    expect(held.has(true)).toBe(true);
  });

  it("has no look-ahead, refits included", () => {
    const args = [
      "backtest",
      "--ndjson",
      "--strategy",
      "regime",
      ...em,
      "--columns",
      "DAX",
      "--train",
      "300",
      "--refit",
      "200",
    ];
    const whole = hftlab([...args, EU])
      .stdout.trimEnd()
      .split("\n");
    for (const t of [450, 1234]) {
      const head = file(`regime-head-${t}.csv`, `${all.slice(0, t + 1).join("\n")}\n`);
      const part = hftlab([...args, head]);
      expect(part.status, part.stderr).toBe(0);
      expect(part.stdout.trimEnd().split("\n")).toEqual(whole.slice(0, t - 1));
    }
  });

  it("refuses an unknown regime label (exit 2) and a --train past the data (exit 3)", () => {
    let r = hftlab(["backtest", "--strategy", "regime", "--positions", "bull=1,crash=0", EU]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /--positions: no regime "crash" with 3 states/);
    r = hftlab(["backtest", "--strategy", "regime", "--states", "2", "--long", "bull", EU]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /--long: no regime "bull" with 2 states/);
    expect(r.stderr).toContain("hint: the regimes are calm, turbulent");
    r = hftlab(["backtest", "--strategy", "regime", "--train", "1860", EU]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /--train 1860 needs at least 1860 returns, found 1859/);
  });
});

describe("backtest --trades", () => {
  it("lists every run of bars held with one sign, as the reference's weights show them", () => {
    const { times, symbols, prices } = readWide(EU);
    const r = hftlab(["backtest", "--json", "--trades", "--window", "30", EU]);
    expect(r.status, r.stderr).toBe(0);
    const trades = JSON.parse(r.stdout).result.trades;
    const want = reference(
      prices,
      meanrevTargets(EU, 30, symbols, times.length).map((t, i) => (i < 29 ? null : t)),
      1,
      0,
    );
    // Runs of the reference's held weights: bar t (index t − 1) is held with the weights after bar t − 1's trade.
    const expected: {
      symbol: string;
      side: string;
      entry: string;
      exit: string | null;
      bars: number;
      return: number;
    }[] = [];
    symbols.forEach((symbol, i) => {
      let sign = 0;
      let start = 0;
      let growth = 1;
      for (let t = 1; t <= want.length; t++) {
        const w = t >= 2 ? want[t - 2]!.weights[i]! : 0;
        const s = t < want.length + 1 ? Math.sign(w) : 0;
        if (s !== sign) {
          if (sign !== 0)
            expected.push({
              symbol,
              side: sign > 0 ? "long" : "short",
              entry: times[start - 1]!,
              exit: times[t - 1]!,
              bars: t - start,
              return: growth - 1,
            });
          sign = s;
          start = t;
          growth = 1;
        }
        if (s !== 0) growth *= 1 + w * (prices[i]![t]! / prices[i]![t - 1]! - 1);
      }
      const last = Math.sign(want.at(-1)!.weights[i]!);
      if (sign !== 0)
        expected.push({
          symbol,
          side: sign > 0 ? "long" : "short",
          entry: times[start - 1]!,
          exit: last === sign ? null : times.at(-1)!,
          bars: want.length + 1 - start,
          return: growth - 1,
        });
    });
    expect(trades.count).toBe(expected.length);
    expect(trades.list).toHaveLength(expected.length);
    const key = (t: { symbol: string; entry: string }) => `${t.symbol} ${t.entry}`;
    const byKey = new Map(expected.map((t) => [key(t), t]));
    for (const trade of trades.list) {
      const e = byKey.get(key(trade))!;
      expect({ ...trade, return: 0 }).toEqual({ ...e, return: 0 });
      expect(Math.abs(trade.return - e.return)).toBeLessThan(1e-12);
    }
    const wins = expected.filter((t) => t.return > 0).length;
    expect(trades.hitRate).toBeCloseTo(wins / expected.length, 15);
    expect(hftlab(["backtest", "--json", EU]).stdout).not.toContain('"list"');
  });
});
