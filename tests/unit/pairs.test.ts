import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { benjaminiHochberg } from "../../src/numerics/pairs/benjaminiHochberg.js";
import { forEachPair, pairAt, pairList, shardRange } from "../../src/numerics/pairs/pairList.js";
import { PairScanner, prepareUniverse } from "../../src/numerics/pairs/pairScan.js";
import { relativeStatistics } from "../../src/numerics/risk/relative.js";
import { centredCorrelation, centreSeries } from "../../src/numerics/stats/correlation.js";
import { engleGranger, spreadSeries } from "../../src/numerics/timeseries/engleGranger.js";
import { hurstRescaledRange } from "../../src/numerics/timeseries/hurst.js";
import { increments, naturalLog } from "../../src/numerics/timeseries/meanReversion.js";
import { fitOrnsteinUhlenbeck } from "../../src/numerics/timeseries/ornsteinUhlenbeck.js";
import { periodReturns } from "../../src/numerics/timeseries/returns.js";

function eustocks(): { names: string[]; columns: Float64Array[] } {
  const lines = readFileSync(new URL("../../fixtures/eustocks.csv", import.meta.url), "utf8")
    .trim()
    .split("\n");
  const names = lines[0]!.split(",").slice(1);
  const columns = names.map((_, j) =>
    Float64Array.from(lines.slice(1), (line) => Number(line.split(",")[j + 1])),
  );
  return { names, columns };
}

function allPairs(list: ReturnType<typeof pairList>): string[] {
  const seen: string[] = [];
  forEachPair(list, 0, list.count, (k, a, b) => seen.push(`${k}:${a}-${b}`));
  return seen;
}

describe("the pair list", () => {
  it("lists every unordered pair once, in input order with A before B", () => {
    expect(allPairs(pairList(4))).toEqual(["0:0-1", "1:0-2", "2:0-3", "3:1-2", "4:1-3", "5:2-3"]);
    expect(pairList(500).count).toBe(124_750);
  });

  it("with one column, pairs it with each other column, the earlier column first", () => {
    expect(allPairs(pairList(4, 2))).toEqual(["0:0-2", "1:1-2", "2:2-3"]);
    expect(allPairs(pairList(3, 0))).toEqual(["0:0-1", "1:0-2"]);
  });

  it("starts anywhere in the list, and finds any pair by its index", () => {
    const list = pairList(7);
    const whole = allPairs(list);
    for (let from = 0; from < list.count; from++) {
      const part: string[] = [];
      forEachPair(list, from, list.count, (k, a, b) => part.push(`${k}:${a}-${b}`));
      expect(part).toEqual(whole.slice(from));
      expect(`${from}:${pairAt(list, from).join("-")}`).toBe(whole[from]);
    }
  });

  it("cuts the list into N contiguous shards that cover every pair exactly once", () => {
    for (const [count, shards] of [
      [4950, 3],
      [6, 4],
      [1, 3],
      [124_750, 7],
    ] as const) {
      let next = 0;
      for (let k = 1; k <= shards; k++) {
        const { from, to } = shardRange(count, k, shards);
        expect(from).toBe(next);
        expect(to - from).toBeGreaterThanOrEqual(Math.floor(count / shards));
        expect(to - from).toBeLessThanOrEqual(Math.ceil(count / shards));
        next = to;
      }
      expect(next).toBe(count);
    }
  });
});

describe("Benjamini–Hochberg q-values", () => {
  /** q_(i) = min_{j ≥ i} min(1, p_(j)·m/j), written out the textbook way. */
  function byHand(p: number[]): number[] {
    const m = p.length;
    const order = p.map((_, i) => i).sort((i, j) => p[i]! - p[j]! || i - j);
    const q = new Array<number>(m);
    for (let r = 0; r < m; r++) {
      let best = 1;
      for (let s = r; s < m; s++) best = Math.min(best, (p[order[s]!]! * m) / (s + 1));
      q[order[r]!] = best;
    }
    return q;
  }

  it("equals the hand computation, the ranking ties broken by input order", () => {
    const p = [0.01, 0.04, 0.03, 0.2, 0.03, 0.9, 0.0001, 0.5];
    const q = new Float64Array(p.length);
    const order = benjaminiHochberg(Float64Array.from(p), q);
    expect([...order]).toEqual([6, 0, 2, 4, 1, 3, 7, 5]);
    const expected = byHand(p);
    for (let i = 0; i < p.length; i++) expect(q[i]).toBeCloseTo(expected[i]!, 15);
    // by hand: m = 8; sorted 0.0001, 0.01, 0.03, 0.03, 0.04, 0.2, 0.5, 0.9 give p·8/j =
    // 0.0008, 0.04, 0.08, 0.06, 0.064, 0.2667, 0.5714, 0.9; running minimum from the right:
    expect(q[6]).toBeCloseTo(0.0008, 15);
    expect(q[0]).toBeCloseTo(0.04, 15);
    expect(q[2]).toBeCloseTo(0.06, 15); // the tie at 0.03 shares the smaller of its two
    expect(q[4]).toBeCloseTo(0.06, 15);
    expect(q[1]).toBeCloseTo(0.064, 15);
  });

  it("caps at 1, keeps q non-decreasing in the p-value order, and leaves NaN p-values out of m", () => {
    const p = Float64Array.of(0.9, Number.NaN, 0.95, 0.02);
    const q = new Float64Array(4);
    const order = benjaminiHochberg(p, q);
    expect([...order]).toEqual([3, 0, 2]);
    expect(q[1]).toBeNaN();
    expect(q[3]).toBeCloseTo(0.06, 15); // m = 3
    expect(q[0]).toBeCloseTo(0.95, 15); // min(0.9·3/2, 0.95·3/3)
    expect(q[2]).toBeCloseTo(0.95, 15);
    const big = new Float64Array(2000).map((_, i) => ((i * 7919) % 2000) / 2000);
    const qBig = new Float64Array(2000);
    const ranked = benjaminiHochberg(big, qBig);
    for (let r = 1; r < ranked.length; r++)
      expect(qBig[ranked[r]!]!).toBeGreaterThanOrEqual(qBig[ranked[r - 1]!]!);
    expect(Math.max(...qBig)).toBeLessThanOrEqual(1);
  });

  it("equals statsmodels' multipletests(method='fdr_bh') to the last bit", () => {
    // statsmodels 0.13.5: coint(log a, log b, trend="c", autolag="aic") p-values of the six pairs
    // of fixtures/eustocks.csv, and multipletests(p, method="fdr_bh")[1] of them.
    const p = [
      0.27811259367137336, 0.5464572119312511, 0.3004517971351194, 0.6361651653018774, 0.001547280981221629,
      0.9534961946072619,
    ];
    const statsmodels = [
      0.6009035942702388, 0.7633981983622529, 0.6009035942702388, 0.7633981983622529, 0.009283685887329774,
      0.9534961946072619,
    ];
    const q = new Float64Array(6);
    benjaminiHochberg(Float64Array.from(p), q);
    expect([...q]).toEqual(statsmodels);
  });

  it("handles no test at all", () => {
    expect(benjaminiHochberg(new Float64Array(0), new Float64Array(0)).length).toBe(0);
  });
});

describe("the correlation kernel", () => {
  it("gives the very double risk's relativeStatistics gives for the correlation", () => {
    const { columns } = eustocks();
    const returns = columns.map((c) => {
      const r = new Float64Array(c.length - 1);
      periodReturns(c, "simple", r);
      return r;
    });
    const centred = returns.map((r) => new Float64Array(r.length));
    const squares = returns.map((r, j) => centreSeries(r, centred[j]!));
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        if (a === b) continue;
        const expected = relativeStatistics(returns[a]!, returns[b]!, 0, "arithmetic", 252).correlation;
        expect(centredCorrelation(centred[a]!, centred[b]!, squares[a]!, squares[b]!)).toBe(expected);
      }
    }
  });

  it("is NaN for a constant series", () => {
    const flat = new Float64Array(3);
    expect(
      centredCorrelation(flat, Float64Array.of(-1, 0, 1), centreSeries(Float64Array.of(2, 2, 2), flat), 2),
    ).toBeNaN();
  });
});

describe("the pair scanner", () => {
  const { columns } = eustocks();

  for (const log of [false, true]) {
    for (const settings of [
      { trend: "c", autolag: "AIC" },
      { trend: "ct", autolag: "BIC" },
      { trend: "n", autolag: "t-stat" },
      { trend: "c", autolag: null, maxLag: 4 },
      { trend: "ctt", autolag: "AIC", maxLag: 7 },
    ] as const) {
      it(`tests exactly as engleGranger does (${log ? "log prices" : "prices"}, ${JSON.stringify(settings)})`, () => {
        const levels = log ? columns.map(naturalLog) : columns;
        const scanner = new PairScanner(prepareUniverse(levels, columns, false), settings);
        const out = new Float64Array(5);
        const options = {
          trend: settings.trend,
          autolag: settings.autolag,
          ...("maxLag" in settings ? { maxLag: settings.maxLag } : {}),
        };
        for (let a = 0; a < 4; a++) {
          for (let b = 0; b < 4; b++) {
            if (a === b) continue;
            scanner.test(a, b, out, 0);
            const expected = engleGranger(levels[a]!, levels[b]!, options);
            expect([...out]).toEqual([
              expected.hedgeRatio,
              expected.intercept,
              expected.stat,
              expected.pValue,
              expected.lags,
            ]);
          }
        }
      });
    }
  }

  it("describes the spread with meanrev's own half-life and Hurst functions, and the returns' correlation", () => {
    const levels = columns.map(naturalLog);
    const scanner = new PairScanner(prepareUniverse(levels, columns, true), { trend: "c", autolag: "AIC" });
    const out = new Float64Array(3);
    for (const [a, b] of [
      [0, 1],
      [1, 3],
      [2, 0],
    ] as const) {
      const test = engleGranger(levels[a]!, levels[b]!);
      scanner.describe(a, b, test.hedgeRatio, test.intercept, out, 0);
      const spread = new Float64Array(levels[a]!.length);
      spreadSeries(levels[a]!, levels[b]!, test.hedgeRatio, test.intercept, spread);
      const ra = new Float64Array(spread.length - 1);
      const rb = new Float64Array(spread.length - 1);
      periodReturns(columns[a]!, "simple", ra);
      periodReturns(columns[b]!, "simple", rb);
      expect([...out]).toEqual([
        fitOrnsteinUhlenbeck(spread).halfLife,
        hurstRescaledRange(increments(spread)),
        relativeStatistics(ra, rb, 0, "arithmetic", 252).correlation,
      ]);
    }
  });

  it("gives the same numbers whichever pair it tested before (its memory is reused)", () => {
    const scanner = new PairScanner(prepareUniverse(columns, columns, false), { trend: "c", autolag: "AIC" });
    const first = new Float64Array(5);
    const again = new Float64Array(5);
    scanner.test(0, 2, first, 0);
    scanner.test(3, 1, again, 0);
    scanner.test(1, 2, again, 0);
    scanner.test(0, 2, again, 0);
    expect([...again]).toEqual([...first]);
  });
});
