import { describe, expect, it } from "vitest";
import { compoundByPeriod } from "../../src/numerics/risk/calendar.js";
import {
  chiSquare1Survival,
  chiSquare2Survival,
  coverageTests,
} from "../../src/numerics/risk/coverageTests.js";
import { wealthPath, wealthSummary } from "../../src/numerics/risk/drawdowns.js";
import { returnMoments } from "../../src/numerics/risk/moments.js";
import { probabilisticSharpe } from "../../src/numerics/risk/performance.js";
import { portfolioReturns } from "../../src/numerics/risk/portfolioReturns.js";
import { linearQuantiles, orderStatistics } from "../../src/numerics/risk/quantile.js";
import { rollingRisk } from "../../src/numerics/risk/rollingRisk.js";
import { cornishFisherRisk, ewmaRisk, gaussianRisk } from "../../src/numerics/risk/valueAtRisk.js";
import { Prng } from "../../src/numerics/random/prng.js";

function normals(n: number, seed: number, scale = 0.01): Float64Array {
  const rng = new Prng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
  return out;
}

/** Hyndman–Fan 7 on a full sort: the brute-force truth for the selection. */
function sortedQuantile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const t = h - lo;
  return t === 0 ? sorted[lo]! : sorted[lo]! + t * (sorted[lo + 1]! - sorted[lo]!);
}

describe("linearQuantiles", () => {
  it("matches numpy.quantile on a small case", () => {
    // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0.05, 0.5, 0.95, 0.99]) = [1., 3.5, 7.95, 8.79]
    const out = linearQuantiles(
      Float64Array.of(3, 1, 4, 1, 5, 9, 2, 6),
      [0.05, 0.5, 0.95, 0.99],
      new Float64Array(8),
      new Float64Array(4),
    );
    expect(out[0]).toBe(1);
    expect(out[1]).toBe(3.5);
    expect(out[2]).toBeCloseTo(7.95, 14);
    expect(out[3]).toBeCloseTo(8.79, 14);
  });

  it("gives the exact order statistics of long series, whatever their order (the sampled path and its fallback)", () => {
    const n = 200_003;
    const base = normals(n, 7);
    const sortedInBlocks = Float64Array.from(base).sort().reverse();
    const ties = base.map((x) => Math.round(x * 300) / 300);
    const constant = new Float64Array(n).fill(0.5);
    const spikes = Float64Array.from(base);
    for (let i = 0; i < n; i += 997) spikes[i] = i % 2 === 0 ? 1e300 : -1e300;
    // Every value the sample reads (each floor(n/8192)-th) is an outlier: the bands miss, and the
    // exact fallback must answer.
    const misleading = Float64Array.from(base);
    for (let i = 0; i < n; i += Math.floor(n / 8192)) misleading[i] = 1000 + i;
    const probabilities = [0.01, 0.05, 0.95, 0.5, 0, 1, 0.999];
    for (const series of [base, sortedInBlocks, ties, constant, spikes, misleading]) {
      const out = linearQuantiles(
        series,
        probabilities,
        new Float64Array(n),
        new Float64Array(probabilities.length),
      );
      probabilities.forEach((p, k) => {
        const want = sortedQuantile(series, p);
        expect(Math.abs(out[k]! - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-15);
      });
    }
  });

  it("selects arbitrary ranks exactly", () => {
    const n = 70_000;
    const x = normals(n, 11);
    const sorted = Float64Array.from(x).sort();
    const ranks = Int32Array.from([0, 1, 699, 700, 3500, 35_000, 66_499, 69_999]);
    expect([...orderStatistics(x, ranks, new Float64Array(n))]).toEqual([...ranks].map((k) => sorted[k]));
  });
});

/** Drawdown episodes by the definition, on an explicit wealth array. */
function bruteEpisodes(r: Float64Array) {
  const w = [1];
  for (const x of r) w.push(w.at(-1)! * (1 + x));
  const episodes: { depth: number; peak: number; trough: number; recovery: number }[] = [];
  let i = 0;
  while (i < w.length - 1) {
    if (w[i + 1]! < w[i]! && w[i]! >= Math.max(...w.slice(0, i + 1))) {
      let j = i + 1;
      let trough = i + 1;
      while (j < w.length && w[j]! < w[i]!) {
        if (w[j]! < w[trough]!) trough = j;
        j++;
      }
      episodes.push({ depth: w[trough]! / w[i]! - 1, peak: i, trough, recovery: j < w.length ? j : -1 });
      i = j;
    } else i++;
  }
  return episodes.sort((a, b) => a.depth - b.depth);
}

describe("wealthSummary", () => {
  it("finds the deepest non-overlapping episodes as the definition does, open ones included", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = normals(300, seed, 0.02).map((x) => x + 0.0005);
      const got = wealthSummary(r, "simple", 4).episodes;
      const want = bruteEpisodes(r).slice(0, 4);
      expect(got.map((e) => [e.peak, e.trough, e.recovery])).toEqual(
        want.map((e) => [e.peak, e.trough, e.recovery]),
      );
      got.forEach((e, k) => {
        expect(e.depth).toBeCloseTo(want[k]!.depth, 12);
      });
    }
  });

  it("counts a fall in the first period from W_0 = 1, and reports a drawdown still open", () => {
    const { episodes } = wealthSummary(Float64Array.of(-0.1, 0.05, -0.2), "simple", 5);
    expect(episodes).toEqual([
      { depth: expect.closeTo(0.9 * 1.05 * 0.8 - 1, 15), peak: 0, trough: 3, recovery: -1 },
    ]);
  });

  it("finds no drawdown in a constant positive return, and compounds it exactly", () => {
    const r = new Float64Array(252).fill(0.001);
    const summary = wealthSummary(r, "simple", 5);
    expect(summary.episodes).toEqual([]);
    expect(summary.logFinalWealth).toBeCloseTo(252 * Math.log1p(0.001), 12);
  });

  it("keeps a ruined equity and a huge one finite in log (no under- or overflow)", () => {
    expect(wealthSummary(new Float64Array(100_000).fill(-0.5), "simple", 1).logFinalWealth).toBeCloseTo(
      100_000 * Math.log(0.5),
      6,
    );
    expect(wealthSummary(new Float64Array(100_000).fill(1), "simple", 1).logFinalWealth).toBeCloseTo(
      100_000 * Math.LN2,
      6,
    );
  });

  it("treats log returns as growth e^r", () => {
    const r = Float64Array.of(Math.log(1.1), Math.log(0.5), Math.log(2.2));
    const { episodes, logFinalWealth } = wealthSummary(r, "log", 5);
    expect(episodes).toEqual([{ depth: expect.closeTo(-0.5, 14), peak: 1, trough: 2, recovery: 3 }]);
    expect(logFinalWealth).toBeCloseTo(Math.log(1.21), 14);
    const logW = new Float64Array(3);
    const under = new Float64Array(3);
    wealthPath(r, "log", logW, under);
    expect(under[1]).toBeCloseTo(-0.5, 14);
  });
});

describe("coverageTests", () => {
  it("matches the likelihood ratios computed by hand for a short hit sequence", () => {
    // T = 10, x = 2, α = 0.05; transitions n00 = 6, n01 = 2, n10 = 1, n11 = 0 (the last hit ends it).
    const hits = Uint8Array.from([0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    const tests = coverageTests(hits, 0.05);
    const pof = -2 * (8 * Math.log(0.95) + 2 * Math.log(0.05)) + 2 * (8 * Math.log(0.8) + 2 * Math.log(0.2));
    const pi = 2 / 9;
    const pi0 = 2 / 8;
    const ind =
      -2 * (7 * Math.log(1 - pi) + 2 * Math.log(pi)) + 2 * (6 * Math.log(1 - pi0) + 2 * Math.log(pi0));
    expect(tests.exceedances).toBe(2);
    expect(tests.kupiec.statistic).toBeCloseTo(pof, 12);
    expect(tests.independence.statistic).toBeCloseTo(ind, 12);
    expect(tests.conditionalCoverage.statistic).toBeCloseTo(pof + ind, 12);
  });

  it("gives χ² p-values as scipy.stats.chi2.sf", () => {
    // scipy.stats.chi2.sf(3.841458820694124, 1) = 0.05; chi2.sf(5.991464547107979, 2) = 0.05
    expect(chiSquare1Survival(3.841458820694124)).toBeCloseTo(0.05, 14);
    expect(chiSquare2Survival(5.991464547107979)).toBeCloseTo(0.05, 14);
    // scipy.stats.chi2.sf(30, 1) = 4.320463057827488e-08
    expect(chiSquare1Survival(30) / 4.320463057827488e-8).toBeCloseTo(1, 12);
  });

  it("has Kupiec 0 when the hit rate is exactly α", () => {
    const hits = new Uint8Array(100);
    for (let i = 0; i < 100; i += 20) hits[i] = 1;
    expect(coverageTests(hits, 0.05).kupiec).toEqual({ statistic: 0, pValue: 1 });
  });
});

describe("value at risk", () => {
  it("is monotone in the confidence level for every method on real-looking returns", () => {
    const r = normals(5000, 3).map((x, i) => (i % 97 === 0 ? x * 6 : x));
    const moments = returnMoments(r);
    const levels = [0.8, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999];
    const scratch = new Float64Array(r.length);
    const historical = linearQuantiles(
      r,
      levels.map((c) => 1 - c),
      scratch,
      new Float64Array(levels.length),
    );
    for (let k = 1; k < levels.length; k++) {
      const [a, b] = [levels[k - 1]!, levels[k]!];
      expect(-historical[k]!).toBeGreaterThanOrEqual(-historical[k - 1]!);
      expect(gaussianRisk(moments.mean, moments.sd, b).valueAtRisk).toBeGreaterThan(
        gaussianRisk(moments.mean, moments.sd, a).valueAtRisk,
      );
      expect(cornishFisherRisk(moments, b).valueAtRisk).toBeGreaterThan(
        cornishFisherRisk(moments, a).valueAtRisk,
      );
      expect(ewmaRisk(0.01, b).valueAtRisk).toBeGreaterThan(ewmaRisk(0.01, a).valueAtRisk);
    }
  });

  it("reduces Cornish–Fisher to the Gaussian with the moment sd when skew and excess kurtosis are 0", () => {
    const m = { mean: 0.001, m2: 1e-4, skew: 0, kurtosis: 0 } as Parameters<typeof cornishFisherRisk>[0];
    const cf = cornishFisherRisk(m, 0.99);
    const g = gaussianRisk(0.001, 0.01, 0.99);
    expect(cf.valueAtRisk).toBeCloseTo(g.valueAtRisk, 15);
    expect(cf.expectedShortfall).toBeCloseTo(g.expectedShortfall, 15);
  });
});

describe("probabilisticSharpe", () => {
  it("is Φ of the standardised Sharpe with the raw kurtosis", () => {
    // Normal returns: γ3 = 0, γ4 = 3, so the variance term is 1 + SR²/2 (Lo 2002).
    // scipy.stats.norm.cdf(0.1 * sqrt(99) / sqrt(1.005)) = 0.8398... computed below from erf.
    const z = (0.1 * Math.sqrt(99)) / Math.sqrt(1 + 0.5 * 0.01);
    expect(probabilisticSharpe(0.1, 0, 100, 0, 0)).toBeCloseTo(0.5 * (1 + erf(z / Math.SQRT2)), 12);
  });
});

/** erf by its Taylor series (|x| < 3 here), independent of the library's erfc. */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k++) {
    term *= (-x * x) / k;
    sum += term / (2 * k + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe("portfolioReturns", () => {
  it("with weight 1 on one asset is that asset, for simple and log returns", () => {
    const a = normals(50, 1);
    const b = normals(50, 2);
    expect([...portfolioReturns([a, b], [1, 0], "simple")]).toEqual([...a]);
    const log = portfolioReturns([a, b], [1, 0], "log");
    log.forEach((x, i) => {
      expect(x).toBeCloseTo(a[i]!, 15);
    });
  });
});

describe("compoundByPeriod", () => {
  it("compounds each run of equal keys", () => {
    const out = compoundByPeriod(
      Float64Array.of(0.1, 0.1, -0.5, 0.2),
      Int32Array.from([5, 5, 6, 8]),
      "simple",
    );
    expect(out.map((p) => p.key)).toEqual([5, 6, 8]);
    expect(out[0]!.return).toBeCloseTo(0.21, 15);
    expect(out[1]!.return).toBe(-0.5);
  });
});

describe("rollingRisk", () => {
  it("equals a direct computation over every window, spikes included", () => {
    const n = 400;
    const w = 30;
    const r = normals(n, 5);
    r[100] = 0.5;
    r[101] = -0.4;
    const b = normals(n, 6);
    const out = {
      windowReturn: new Float64Array(n),
      volatility: new Float64Array(n),
      sharpe: new Float64Array(n),
      drawdown: new Float64Array(n),
      beta: new Float64Array(n),
    };
    rollingRisk(r, b, { window: w, periodsPerYear: 252, riskFreePerPeriod: 0, kind: "simple" }, out);
    for (let t = 0; t < n; t++) {
      if (t < w - 1) {
        expect(Number.isNaN(out.volatility[t]!) && Number.isNaN(out.drawdown[t]!)).toBe(true);
        continue;
      }
      const window = r.subarray(t - w + 1, t + 1);
      const bw = b.subarray(t - w + 1, t + 1);
      const mean = window.reduce((s, x) => s + x, 0) / w;
      const sd = Math.sqrt(window.reduce((s, x) => s + (x - mean) ** 2, 0) / (w - 1));
      let wealth = 1;
      let high = 1;
      for (const x of window) {
        wealth *= 1 + x;
        high = Math.max(high, wealth);
      }
      const meanB = bw.reduce((s, x) => s + x, 0) / w;
      let cross = 0;
      let squares = 0;
      for (let i = 0; i < w; i++) {
        cross += (window[i]! - mean) * (bw[i]! - meanB);
        squares += (bw[i]! - meanB) ** 2;
      }
      expect(out.windowReturn[t]).toBeCloseTo(wealth - 1, 12);
      expect(out.volatility[t]! / (Math.sqrt(252) * sd)).toBeCloseTo(1, 12);
      expect(out.sharpe[t]! / ((Math.sqrt(252) * mean) / sd)).toBeCloseTo(1, 10);
      expect(out.drawdown[t]).toBeCloseTo(wealth / high - 1, 12);
      expect(out.beta[t]! / (cross / squares)).toBeCloseTo(1, 12);
    }
  });
});
