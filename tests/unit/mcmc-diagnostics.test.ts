import { describe, expect, it } from "vitest";
import { autocovariance } from "../../src/numerics/timeseries/autocovariance.js";
import { digamma } from "../../src/numerics/special/digamma.js";
import { inverseNormalCdf } from "../../src/numerics/special/inverseNormalCdf.js";
import { logGamma } from "../../src/numerics/special/logGamma.js";
import {
  averageRanks,
  effectiveSampleSize,
  essBulk,
  quantile,
  splitChains,
  summarizeParameter,
} from "../../src/numerics/mcmc/diagnostics.js";
import { Prng } from "../../src/numerics/random/prng.js";

/**
 * The fixed draws set: 4 chains, x[i, c] = sin(0.7i + c) + 0.5·sin(0.013i² + 2c) + 0.15c.
 * Expected values: a plain numpy/scipy transcription of the R package `posterior`'s
 * R/convergence.R (rank normalisation with Blom's 3/8 offset as in Vehtari et al. 2021,
 * biased autocovariance by its definition, Geyer's initial monotone sequence with the
 * improved truncation), run once with Debian's Python 3.11 / numpy 1.24 / scipy 1.10.
 * Tests never run Python; the numbers are quoted here.
 */
function fixedDraws(n: number): Float64Array[] {
  return [0, 1, 2, 3].map((c) =>
    Float64Array.from(
      { length: n },
      (_, i) => Math.sin(0.7 * i + c) + 0.5 * Math.sin(0.013 * i * i + 2 * c) + 0.15 * c,
    ),
  );
}

function ar1Chains(rho: number, chains: number, n: number, seed: number): Float64Array[] {
  const root = new Prng(seed);
  return Array.from({ length: chains }, (_, c) => {
    const rng = root.split(c);
    const x = new Float64Array(n);
    // start in the stationary distribution N(0, 1/(1 − ρ²))
    let v = rng.normal() / Math.sqrt(1 - rho * rho);
    for (let i = 0; i < n; i++) {
      v = rho * v + rng.normal();
      x[i] = v;
    }
    return x;
  });
}

describe("special functions for the samplers and diagnostics", () => {
  it("inverts the normal CDF to scipy's ndtri within a few ulps", () => {
    // scipy.special.ndtri: 0.975 → 1.959963984540054, 0.05 → -1.6448536269514729, 1e-10 → -6.361340902404056
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(inverseNormalCdf(0.05)).toBeCloseTo(-1.6448536269514729, 14);
    expect(inverseNormalCdf(1e-10) / -6.361340902404056).toBeCloseTo(1, 14);
    expect(inverseNormalCdf(0.5)).toBe(0);
    expect(inverseNormalCdf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseNormalCdf(1.5)).toBeNaN();
  });

  it("matches scipy's gammaln and digamma", () => {
    // scipy.special.gammaln: 0.5 → 0.5723649429247001, 10 → 12.801827480081469, 1234.5 → 7550.550901077894
    expect(logGamma(0.5)).toBeCloseTo(0.5723649429247001, 14);
    expect(logGamma(10)).toBeCloseTo(12.801827480081469, 12);
    expect(logGamma(1234.5) / 7550.550901077894).toBeCloseTo(1, 14);
    // scipy.special.digamma: 1 → -0.5772156649015329, 2.5 → 0.7031566406452432, 0.1 → -10.423754940411076
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 14);
    expect(digamma(2.5)).toBeCloseTo(0.7031566406452432, 14);
    expect(digamma(0.1)).toBeCloseTo(-10.423754940411076, 13);
  });
});

describe("building blocks of the diagnostics", () => {
  it("computes the biased autocovariance by its definition", () => {
    // x̄ = 2.5, centred (-1.5, -0.5, 0.5, 1.5): lag 0: 5/4, lag 1: 1.25/4, lag 2: -1.5/4, lag 3: -2.25/4
    const ac = autocovariance(Float64Array.of(1, 2, 3, 4));
    for (const [k, v] of [1.25, 0.3125, -0.375, -0.5625].entries()) expect(ac[k]).toBeCloseTo(v, 14);
  });

  it("splits chains into halves, dropping the middle draw of an odd length (posterior::split_chains)", () => {
    const halves = splitChains([Float64Array.of(1, 2, 3, 4, 5)]);
    expect(halves.map((h) => Array.from(h))).toEqual([
      [1, 2],
      [4, 5],
    ]);
  });

  it("gives ties their average rank and interpolates quantiles as R's type 7", () => {
    expect(Array.from(averageRanks(Float64Array.of(3, 1, 3, 2)))).toEqual([3.5, 1, 3.5, 2]);
    // R: quantile(c(4, 1, 3, 2), 0.5) = 2.5; quantile(1:10, 0.05) = 1.45
    expect(quantile(Float64Array.of(4, 1, 3, 2), 0.5)).toBe(2.5);
    expect(
      quantile(
        Float64Array.from({ length: 10 }, (_, i) => i + 1),
        0.05,
      ),
    ).toBeCloseTo(1.45, 14);
  });

  it("returns NaN for constant draws and for chains shorter than 3", () => {
    const constant = [new Float64Array(10).fill(2), new Float64Array(10).fill(2)];
    expect(effectiveSampleSize(constant)).toBeNaN();
    expect(summarizeParameter(constant).rhat).toBeNaN();
    expect(effectiveSampleSize([Float64Array.of(1, 2)])).toBeNaN();
  });
});

describe("R-hat, bulk/tail ESS and MCSE against the numpy transcription of posterior", () => {
  it("reproduces every summary of the fixed 4 × 200 draws set", () => {
    const s = summarizeParameter(fixedDraws(200));
    expect(s.rhat).toBeCloseTo(1.0230215064134698, 10);
    expect(s.essBulk).toBeCloseTo(356.1918152286437, 8);
    expect(s.essTail).toBeCloseTo(666.8749564005526, 8);
    expect(s.mcse).toBeCloseTo(0.04384362105439023, 12);
    expect(s.mean).toBeCloseTo(0.23260136972233625, 13);
    expect(s.sd).toBeCloseTo(0.8156072447096283, 13);
    expect(s.q05).toBeCloseTo(-1.0411042565575148, 13);
    expect(s.q50).toBeCloseTo(0.2535320025681417, 13);
    expect(s.q95).toBeCloseTo(1.525726122560359, 13);
  });

  it("reproduces them with an odd chain length (201 draws), where splitting drops the middle draw", () => {
    const s = summarizeParameter(fixedDraws(201));
    expect(s.rhat).toBeCloseTo(1.0225516819781824, 10);
    expect(s.essBulk).toBeCloseTo(355.47304473079635, 8);
    expect(s.essTail).toBeCloseTo(673.9895302052204, 8);
    expect(s.mcse).toBeCloseTo(0.04386905746082426, 12);
  });
});

describe("ESS of chains with known autocorrelation", () => {
  // An AR(1) chain x_t = ρx_{t−1} + e_t has integrated autocorrelation time (1 + ρ)/(1 − ρ),
  // so ESS = N(1 − ρ)/(1 + ρ) (Geyer 1992, §3).
  for (const rho of [0, 0.5, 0.9]) {
    it(`gives ESS ≈ N(1 − ρ)/(1 + ρ) for ρ = ${rho}`, () => {
      const chains = ar1Chains(rho, 4, 5000, 11);
      const expected = (20000 * (1 - rho)) / (1 + rho);
      // the estimator's own sd is ≈ 5-10% of ESS at these lengths
      expect(effectiveSampleSize(chains) / expected).toBeGreaterThan(0.85);
      expect(effectiveSampleSize(chains) / expected).toBeLessThan(1.15);
      expect(essBulk(chains) / expected).toBeGreaterThan(0.85);
      expect(essBulk(chains) / expected).toBeLessThan(1.15);
    });
  }

  it("gives ESS > N for an antithetic chain (ρ = −0.5: N·3), within the log10 cap", () => {
    const chains = ar1Chains(-0.5, 4, 5000, 12);
    expect(effectiveSampleSize(chains) / 60000).toBeGreaterThan(0.8);
    expect(effectiveSampleSize(chains)).toBeLessThan(20000 * Math.log10(20000));
  });

  it("flags chains stuck in different places with R-hat far above 1.01", () => {
    const chains = ar1Chains(0.5, 4, 1000, 13);
    chains[3] = chains[3]!.map((v) => v + 3);
    expect(summarizeParameter(chains).rhat).toBeGreaterThan(1.1);
    expect(summarizeParameter(ar1Chains(0.5, 4, 1000, 13)).rhat).toBeLessThan(1.01);
  });
});
