import { describe, expect, it } from "vitest";
import { logGamma } from "../../src/numerics/special/logGamma.js";
import {
  type ChainResult,
  type ChainSettings,
  runChain,
  type SamplerKind,
} from "../../src/numerics/mcmc/chain.js";
import { type ParameterSummary, summarizeParameter } from "../../src/numerics/mcmc/diagnostics.js";
import { buildPosteriorModel, type PosteriorModelSpec } from "../../src/numerics/mcmc/posteriorModels.js";
import { type ModelPriors, resolvePriors } from "../../src/numerics/mcmc/posteriorPriors.js";
import { Prng } from "../../src/numerics/random/prng.js";

function returns(n: number, seed: number, heavy = false): Float64Array {
  const rng = new Prng(seed);
  return Float64Array.from(
    { length: n },
    () => 0.0004 + 0.012 * rng.normal() * (heavy && rng.nextFloat() < 0.1 ? 3 : 1),
  );
}

function sample(spec: PosteriorModelSpec, sampler: SamplerKind, chains: number, draws: number, seed: number) {
  const settings: ChainSettings = {
    sampler,
    warmup: sampler === "nuts" ? 500 : 2000,
    draws,
    targetAccept: 0.8,
    maxDepth: 10,
  };
  const model = buildPosteriorModel(spec);
  const results: ChainResult[] = [];
  for (let c = 0; c < chains; c++) results.push(runChain(model, settings, new Prng(seed).split(c)));
  const d = model.dimension;
  const summaries = model.names.map((_, j) =>
    summarizeParameter(
      results.map((r) => Float64Array.from({ length: draws }, (_, i) => r.draws[i * d + j]!)),
    ),
  );
  const squares = (j: number) =>
    summarizeParameter(
      results.map((r) => Float64Array.from({ length: draws }, (_, i) => r.draws[i * d + j]! ** 2)),
    );
  return { results, summaries, squares };
}

function moments(y: Float64Array): { n: number; mean: number; ss: number } {
  const n = y.length;
  const mean = y.reduce((a, b) => a + b, 0) / n;
  return { n, mean, ss: y.reduce((a, b) => a + (b - mean) ** 2, 0) };
}

/** |estimate − truth| within k Monte Carlo standard errors. */
function withinMcse(summary: ParameterSummary, truth: number, k = 4): void {
  expect(Math.abs(summary.mean - truth)).toBeLessThan(k * summary.mcse);
}

describe("NUTS on the flat-prior normal model reproduces the closed-form posterior", () => {
  // Gelman et al. (2013), BDA3 §3.2: with p(mu, log σ) ∝ 1, mu | y ~ t_{n−1}(ȳ, s/√n) and
  // σ² | y ~ scaled-inv-χ²(n − 1, s²): E[mu] = ȳ, sd(mu) = (s/√n)·√((n−1)/(n−3)),
  // E[σ] = s·√((n−1)/2)·Γ((n−2)/2)/Γ((n−1)/2), E[σ²] = s²(n−1)/(n−3).
  const y = returns(200, 21);
  const { n, mean, ss } = moments(y);
  const s2 = ss / (n - 1);
  const spec: PosteriorModelSpec = { kind: "normal", priors: resolvePriors("normal", "flat", y), series: y };
  const { summaries, squares, results } = sample(spec, "nuts", 4, 1500, 42);

  it("has E[mu] = ȳ and E[σ], E[σ²] as the t and scaled-inverse-χ² laws give, within 4 MCSE", () => {
    withinMcse(summaries[0]!, mean);
    const expectedSigma =
      Math.sqrt(s2) * Math.sqrt((n - 1) / 2) * Math.exp(logGamma((n - 2) / 2) - logGamma((n - 1) / 2));
    withinMcse(summaries[1]!, expectedSigma);
    withinMcse(squares(1), (s2 * (n - 1)) / (n - 3));
  });

  it("has sd(mu) = (s/√n)·√((n−1)/(n−3)) within 5%", () => {
    const expected = Math.sqrt(s2 / n) * Math.sqrt((n - 1) / (n - 3));
    expect(summaries[0]!.sd / expected).toBeGreaterThan(0.95);
    expect(summaries[0]!.sd / expected).toBeLessThan(1.05);
  });

  it("mixes: R-hat ≤ 1.01, bulk ESS above 400 per chain-thousand, no divergences", () => {
    for (const s of summaries) {
      expect(s.rhat).toBeLessThan(1.01);
      expect(s.essBulk).toBeGreaterThan(2000);
    }
    expect(results.every((r) => r.divergences === 0)).toBe(true);
    for (const r of results) expect(r.acceptanceRate).toBeGreaterThan(0.7);
  });
});

describe("a conjugate normal-inverse-gamma prior (proper) gives its closed-form posterior", () => {
  // BDA3 §3.3: mu | σ² ~ N(m0, σ²/k0), σ² ~ Inv-Gamma(a0, b0) ⇒ kn = k0 + n, mn = (k0·m0 + n·ȳ)/kn,
  // an = a0 + n/2, bn = b0 + SS/2 + k0·n(ȳ − m0)²/(2kn); E[mu] = mn, E[σ²] = bn/(an − 1),
  // E[σ] = √bn·Γ(an − ½)/Γ(an), var(mu) = bn/(kn(an − 1)).
  const y = returns(40, 22);
  const { n, mean, ss } = moments(y);
  const m0 = 0.006;
  const k0 = 30;
  const a0 = 3;
  const b0 = 3e-4;
  const priors: ModelPriors = {
    mu: { distribution: "normal-given-sigma", location: m0, precisionWeight: k0 },
    sigma: { distribution: "inverse-gamma-variance", shape: a0, scale: b0 },
  };
  const kn = k0 + n;
  const mn = (k0 * m0 + n * mean) / kn;
  const an = a0 + n / 2;
  const bn = b0 + ss / 2 + (k0 * n * (mean - m0) ** 2) / (2 * kn);

  for (const sampler of ["nuts", "rwm"] as const) {
    it(`${sampler}: E[mu], E[σ], E[σ²] within 4 MCSE and sd(mu) within 6%`, () => {
      const draws = sampler === "nuts" ? 1500 : 6000;
      const { summaries, squares } = sample({ kind: "normal", priors, series: y }, sampler, 4, draws, 7);
      withinMcse(summaries[0]!, mn);
      withinMcse(summaries[1]!, Math.sqrt(bn) * Math.exp(logGamma(an - 0.5) - logGamma(an)));
      withinMcse(squares(1), bn / (an - 1));
      const sdMu = Math.sqrt(bn / (kn * (an - 1)));
      expect(Math.abs(summaries[0]!.sd / sdMu - 1)).toBeLessThan(0.06);
    });
  }
});

describe("NUTS and adaptive random-walk Metropolis agree on the same posterior", () => {
  it("student-t with default priors: every parameter's mean within 4 combined MCSE", () => {
    const y = returns(300, 23, true);
    const spec: PosteriorModelSpec = {
      kind: "student-t",
      priors: resolvePriors("student-t", "default", y),
      series: y,
    };
    const nuts = sample(spec, "nuts", 2, 1000, 1).summaries;
    const rwm = sample(spec, "rwm", 2, 8000, 2).summaries;
    for (let j = 0; j < 3; j++) {
      const combined = Math.hypot(nuts[j]!.mcse, rwm[j]!.mcse);
      expect(Math.abs(nuts[j]!.mean - rwm[j]!.mean)).toBeLessThan(4 * combined);
    }
  });

  it("ou with default priors: every parameter's mean within 4 combined MCSE", () => {
    const rng = new Prng(24);
    const x = new Float64Array(400);
    x[0] = 50;
    for (let t = 1; t < x.length; t++) x[t] = 50 + Math.exp(-0.1) * (x[t - 1]! - 50) + 0.3 * rng.normal();
    const spec: PosteriorModelSpec = { kind: "ou", priors: resolvePriors("ou", "default", x), series: x };
    const nuts = sample(spec, "nuts", 2, 1000, 3).summaries;
    const rwm = sample(spec, "rwm", 2, 8000, 4).summaries;
    for (let j = 0; j < 3; j++) {
      const combined = Math.hypot(nuts[j]!.mcse, rwm[j]!.mcse);
      expect(Math.abs(nuts[j]!.mean - rwm[j]!.mean)).toBeLessThan(4 * combined);
    }
    // and the truth (kappa 0.1, mu 50, sigma 0.3) lies inside the 90% intervals
    [0.1, 50, 0.3].forEach((truth, j) => {
      expect(nuts[j]!.q05).toBeLessThan(truth);
      expect(nuts[j]!.q95).toBeGreaterThan(truth);
    });
  });
});

describe("chains are independent seeded streams", () => {
  it("chain c's draws depend only on (seed, c), not on how many chains run", () => {
    const y = returns(100, 25);
    const spec: PosteriorModelSpec = {
      kind: "normal",
      priors: resolvePriors("normal", "default", y),
      series: y,
    };
    const one = sample(spec, "nuts", 1, 50, 99).results[0]!.draws;
    const four = sample(spec, "nuts", 4, 50, 99).results;
    expect(Array.from(four[0]!.draws)).toEqual(Array.from(one));
    expect(Array.from(four[1]!.draws)).not.toEqual(Array.from(one));
  });
});
