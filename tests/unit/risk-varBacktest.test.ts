import { describe, expect, it } from "vitest";
import { coverageTests } from "../../src/numerics/risk/coverageTests.js";
import {
  exceedancesFromScratch,
  VAR_METHODS,
  type VarBacktestSettings,
} from "../../src/numerics/risk/exceedancesFromScratch.js";
import { returnMoments } from "../../src/numerics/risk/moments.js";
import { linearQuantiles } from "../../src/numerics/risk/quantile.js";
import {
  type ExceedanceCounters,
  varBacktest,
  varExceedances,
} from "../../src/numerics/risk/rollingValueAtRisk.js";
import { SortedWindow } from "../../src/numerics/risk/sortedWindow.js";
import {
  cornishFisherRisk,
  ewmaRisk,
  ewmaSigma,
  gaussianRisk,
  tailProbability,
} from "../../src/numerics/risk/valueAtRisk.js";
import { Prng } from "../../src/numerics/random/prng.js";

/**
 * The sliding VaR backtest (varExceedances) against the definition
 * (exceedancesFromScratch: every forecast the full-sample estimator on its
 * own window, recomputed). The hits must be identical, bar for bar, level
 * for level: that is the whole contract of the fast path.
 */

/** A seeded series mixing what breaks sliding sums: regimes, spikes, ties, flat stretches, offsets. */
function hostileSeries(n: number, rng: Prng): Float64Array {
  const r = new Float64Array(n);
  let scale = 0.01;
  let grid = 0;
  let flatUntil = -1;
  let flatValue = 0;
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.nextFloat();
    if (u < 0.01) scale = 10 ** (-4 + 3 * rng.nextFloat());
    else if (u < 0.015) grid = grid === 0 ? 10 ** -Math.floor(1 + 3 * rng.nextFloat()) : 0;
    else if (u < 0.02) {
      flatUntil = i + Math.floor(rng.nextFloat() * 700);
      flatValue = rng.nextFloat() < 0.5 ? 0 : Math.round(rng.normal() * 100) / 1e4;
    } else if (u < 0.022) offset = rng.nextFloat() < 0.5 ? 0 : 1e3 * rng.normal();
    if (i <= flatUntil) {
      r[i] = flatValue;
      continue;
    }
    let x = offset + scale * rng.normal();
    const v = rng.nextFloat();
    if (v < 0.003) x = offset + scale * 1e6 * (rng.nextFloat() < 0.5 ? -1 : 1);
    else if (v < 0.01) x = offset + scale * 30 * rng.normal();
    if (grid > 0) x = Math.round(x / grid) * grid;
    r[i] = x;
  }
  return r;
}

function expectSameHits(r: Float64Array, settings: VarBacktestSettings, counters?: ExceedanceCounters): void {
  const fast = varExceedances(r, settings, counters);
  const reference = exceedancesFromScratch(r, settings);
  for (const method of VAR_METHODS) {
    settings.confidences.forEach((c, k) => {
      const a = fast[method][k]!;
      const b = reference[method][k]!;
      const first = a.findIndex((hit, i) => hit !== b[i]);
      expect(
        first,
        `${method} at ${c}, window ${settings.window}: first difference at forecast ${first}`,
      ).toBe(-1);
      expect(a.length).toBe(b.length);
    });
  }
}

/** The from-scratch thresholds of the window r[t − N .. t) (hit iff r_t < threshold). */
function thresholds(r: Float64Array, t: number, settings: VarBacktestSettings): number[] {
  const sample = r.subarray(t - settings.window, t);
  const moments = returnMoments(sample);
  const probabilities = settings.confidences.map(tailProbability);
  const q = linearQuantiles(
    sample,
    probabilities,
    new Float64Array(sample.length),
    new Float64Array(probabilities.length),
  );
  const sigma = ewmaSigma(sample, settings.ewmaLambda);
  return settings.confidences.flatMap((c, k) => [
    q[k]!,
    -gaussianRisk(moments.mean, moments.sd, c).valueAtRisk,
    -cornishFisherRisk(moments, c).valueAtRisk,
    -ewmaRisk(sigma, c).valueAtRisk,
  ]);
}

/** x moved by `steps` units in the last place (steps ∈ {−1, 0, 1}). */
function ulpStep(x: number, steps: number): number {
  if (steps === 0 || x === 0) return steps === 0 ? x : steps * Number.MIN_VALUE;
  const bits = new Float64Array([x]);
  const words = new BigInt64Array(bits.buffer);
  words[0] = words[0]! + BigInt(x > 0 ? steps : -steps);
  return bits[0]!;
}

describe("varExceedances (the sliding VaR backtest)", () => {
  it("gives the from-scratch hits on 60 hostile random series, windows 2..500, three levels, any λ", () => {
    const rng = new Prng(20261208);
    for (let trial = 0; trial < 60; trial++) {
      const window = trial < 6 ? 2 + trial : 2 + Math.floor(rng.nextFloat() * 499);
      const n = window + 1 + Math.floor(rng.nextFloat() * 2500);
      const settings = {
        window,
        confidences: [0.95, 0.99, 0.8],
        ewmaLambda: [0.94, 0.5, 0.999, 0.97][trial % 4]!,
      };
      expectSameHits(hostileSeries(n, rng), settings);
    }
  });

  it("gives the from-scratch hits when r_t sits exactly on a threshold, or one ulp either side", () => {
    // Each outcome is placed on one of the from-scratch thresholds of its own window: the
    // sliding estimate, a few ulps off, would flip these hits without the guard.
    const rng = new Prng(7);
    for (const window of [2, 3, 17, 250]) {
      const settings = { window, confidences: [0.95, 0.99], ewmaLambda: 0.94 };
      const n = window + 1500;
      const r = new Float64Array(n);
      for (let i = 0; i < n; i++) r[i] = 0.01 * rng.normal();
      for (let t = window; t < n; t++) {
        if (rng.nextFloat() < 0.5) continue;
        const candidates = thresholds(r, t, settings).filter(Number.isFinite);
        const pick = candidates[Math.floor(rng.nextFloat() * candidates.length)]!;
        r[t] = ulpStep(pick, Math.floor(rng.nextFloat() * 3) - 1);
      }
      const counters = { recomputed: 0, repeated: 0 };
      expectSameHits(r, settings, counters);
      // the guard went back to the window for the placed outcomes (about half the bars)
      expect(counters.recomputed).toBeGreaterThan(n / 8);
    }
  });

  it("decides almost every bar from the sliding sums on ordinary returns (a window recomputed about every N bars)", () => {
    const rng = new Prng(3);
    const n = 40_000;
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = (i % 997 === 0 ? 8 : 1) * 0.01 * rng.normal();
    const settings = { window: 250, confidences: [0.95, 0.99], ewmaLambda: 0.94 };
    const counters = { recomputed: 0, repeated: 0 };
    expectSameHits(r, settings, counters);
    const periodic = Math.ceil((n - 250) / 250);
    expect(counters.recomputed).toBeGreaterThanOrEqual(periodic);
    expect(counters.recomputed).toBeLessThan(periodic + 100);
  });

  it("answers a long flat stretch (every outcome on every threshold) from the previous flat window", () => {
    const rng = new Prng(11);
    const r = new Float64Array(20_000);
    for (let i = 0; i < r.length; i++) r[i] = i >= 5000 && i < 15_000 ? 0.002 : 0.01 * rng.normal();
    const settings = { window: 100, confidences: [0.95, 0.99], ewmaLambda: 0.94 };
    const counters = { recomputed: 0, repeated: 0 };
    expectSameHits(r, settings, counters);
    expect(counters.repeated).toBeGreaterThan(9000);
    expect(counters.recomputed).toBeLessThan(500);
  });

  it("takes the from-scratch path for a series holding a non-finite value", () => {
    const r = Float64Array.of(0.01, -0.02, Number.NaN, 0.03, -0.01, 0.02, -0.04);
    const settings = { window: 3, confidences: [0.95], ewmaLambda: 0.94 };
    expect(varExceedances(r, settings)).toEqual(exceedancesFromScratch(r, settings));
  });

  it("backs its coverage tests with the same hits (varBacktest = coverageTests of the from-scratch hits)", () => {
    const rng = new Prng(5);
    const r = hostileSeries(3000, rng);
    const settings = { window: 120, confidences: [0.95, 0.99], ewmaLambda: 0.94 };
    const reference = exceedancesFromScratch(r, settings);
    const backtest = varBacktest(r, settings);
    for (const method of VAR_METHODS)
      settings.confidences.forEach((c, k) => {
        expect(backtest[method][k]).toEqual(coverageTests(reference[method][k]!, tailProbability(c)));
      });
  });
});

describe("SortedWindow", () => {
  it("holds the sorted window after every replacement, ties and signed zeros included", () => {
    const rng = new Prng(9);
    const n = 5000;
    const x = Float64Array.from({ length: n }, () => {
      const u = rng.nextFloat();
      return u < 0.1 ? 0 : u < 0.15 ? -0 : Math.round(rng.normal() * 20) / 10;
    });
    for (const window of [1, 2, 7, 64]) {
      const sorted = new SortedWindow(x.subarray(0, window));
      for (let t = window; t < n; t++) {
        sorted.replace(x[t - window]!, x[t]!);
        const want = Float64Array.from(x.subarray(t - window + 1, t + 1)).sort();
        for (let i = 0; i < window; i++) expect(sorted.at(i) === want[i]).toBe(true);
      }
    }
  });
});
