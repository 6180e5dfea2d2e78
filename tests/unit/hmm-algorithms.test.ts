import { describe, expect, it } from "vitest";
import { parseModel } from "../../src/commands/shared/hmmModel.js";
import { expNonPositive } from "../../src/numerics/special/expNonPositive.js";
import { emissionFactors, logEmissions, scaledEmissions } from "../../src/numerics/hmm/gaussianEmission.js";
import { forward, forwardBackward, forwardBackwardWork } from "../../src/numerics/hmm/forwardBackward.js";
import { decodeGaussianHmm, fitGaussianHmm } from "../../src/numerics/hmm/gaussianHmm.js";
import { expectedDurations, type GaussianHmm, stationaryDistribution } from "../../src/numerics/hmm/model.js";
import { Prng } from "../../src/numerics/random/prng.js";
import { logOf, viterbi } from "../../src/numerics/hmm/viterbi.js";

function univariate(
  startProb: number[],
  transmat: number[],
  means: number[],
  variances: number[],
): GaussianHmm {
  return {
    states: means.length,
    dimension: 1,
    covariance: "full",
    startProb: Float64Array.from(startProb),
    transmat: Float64Array.from(transmat),
    means: Float64Array.from(means),
    covars: Float64Array.from(variances),
  };
}

function logLikelihoodOf(model: GaussianHmm, x: Float64Array): number {
  const k = model.states;
  const factors = emissionFactors(model);
  if ("notPositiveDefinite" in factors) throw new Error("not PD");
  const scaled = new Float64Array(x.length * k);
  const shift = new Float64Array(x.length);
  scaledEmissions(x, x.length, model, factors, scaled, shift);
  return forward(
    scaled,
    shift,
    x.length,
    k,
    model.startProb,
    model.transmat,
    forwardBackwardWork(x.length, k),
  );
}

describe("Viterbi: the textbook example", () => {
  it("finds Healthy, Healthy, Fever with probability 0.01512 (Wikipedia, 'Viterbi algorithm', example)", () => {
    // States Healthy (0), Fever (1); start 0.6/0.4; A = [[0.7, 0.3], [0.4, 0.6]];
    // emissions normal/cold/dizzy: Healthy 0.5/0.4/0.1, Fever 0.1/0.3/0.6; observed normal, cold, dizzy.
    const logB = logOf(Float64Array.of(0.5, 0.1, 0.4, 0.3, 0.1, 0.6));
    const path = new Int32Array(3);
    const logP = viterbi(
      logB,
      3,
      2,
      logOf(Float64Array.of(0.6, 0.4)),
      logOf(Float64Array.of(0.7, 0.3, 0.4, 0.6)),
      path,
    );
    expect(Array.from(path)).toEqual([0, 0, 1]);
    expect(Math.exp(logP)).toBeCloseTo(0.01512, 15);
  });
});

describe("Viterbi, the likelihood and the posteriors against brute force over all K^T paths", () => {
  const model = univariate([0.3, 0.7], [0.8, 0.2, 0.35, 0.65], [-1, 1.5], [0.5, 2]);
  const x = Float64Array.of(-0.7, 0.2, 2.9, 1.1, -1.8, 0.4, 3.3);
  const T = x.length;
  const logN = (v: number, s: number) =>
    -0.5 * Math.log(2 * Math.PI * model.covars[s]!) - (v - model.means[s]!) ** 2 / (2 * model.covars[s]!);
  let total = 0;
  let best = -1;
  let bestPath: number[] = [];
  const marginal = new Float64Array(T * 2);
  for (let code = 0; code < 2 ** T; code++) {
    const s = Array.from({ length: T }, (_, t) => (code >> t) & 1);
    let logP = Math.log(model.startProb[s[0]!]!) + logN(x[0]!, s[0]!);
    for (let t = 1; t < T; t++) logP += Math.log(model.transmat[s[t - 1]! * 2 + s[t]!]!) + logN(x[t]!, s[t]!);
    const p = Math.exp(logP);
    total += p;
    for (let t = 0; t < T; t++) marginal[t * 2 + s[t]!] += p;
    if (p > best) {
      best = p;
      bestPath = s;
    }
  }
  const decoding = decodeGaussianHmm(x, T, model)!;

  it("the forward log-likelihood is ln Σ_paths p(x, s)", () => {
    expect(decoding.logLikelihood).toBeCloseTo(Math.log(total), 12);
    expect(logLikelihoodOf(model, x)).toBeCloseTo(Math.log(total), 12);
  });
  it("Viterbi returns the argmax path and its joint probability", () => {
    expect(Array.from(decoding.path)).toEqual(bestPath);
    expect(decoding.pathLogProbability).toBeCloseTo(Math.log(best), 12);
  });
  it("the smoothed posteriors are the normalised path marginals", () => {
    for (let i = 0; i < T * 2; i++) expect(decoding.posteriors[i]!).toBeCloseTo(marginal[i]! / total, 12);
  });
  it("the K = 3 kernels equal the generic ones (a 3-state model through both paths)", () => {
    const m3 = univariate(
      [0.2, 0.5, 0.3],
      [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.25, 0.25, 0.5],
      [-1, 0, 2],
      [0.5, 1, 3],
    );
    const factors = emissionFactors(m3) as { cholesky: Float64Array; logNormaliser: Float64Array };
    const logB = new Float64Array(T * 3);
    logEmissions(x, T, m3, factors, logB);
    const scaled = new Float64Array(T * 3);
    const shift = new Float64Array(T);
    scaledEmissions(x, T, m3, factors, scaled, shift);
    const work = forwardBackwardWork(T, 3);
    const ll = forwardBackward(scaled, shift, T, 3, m3.startProb, m3.transmat, work);
    let brute = 0;
    for (let code = 0; code < 3 ** T; code++) {
      let c = code;
      const s = Array.from({ length: T }, () => {
        const v = c % 3;
        c = Math.floor(c / 3);
        return v;
      });
      let logP = Math.log(m3.startProb[s[0]!]!) + logB[s[0]!]!;
      for (let t = 1; t < T; t++)
        logP += Math.log(m3.transmat[s[t - 1]! * 3 + s[t]!]!) + logB[t * 3 + s[t]!]!;
      brute += Math.exp(logP);
    }
    expect(ll).toBeCloseTo(Math.log(brute), 12);
  });
});

describe("no underflow at any length", () => {
  it("a 200,000-row series gives a finite log-likelihood and posteriors that sum to 1", () => {
    const rng = new Prng(7);
    const x = new Float64Array(200_000);
    for (let t = 0; t < x.length; t++) x[t] = rng.normal() * (t % 1000 < 500 ? 1 : 5) - 40;
    const model = univariate([0.5, 0.5], [0.99, 0.01, 0.01, 0.99], [-40, -40], [1, 25]);
    const d = decodeGaussianHmm(x, x.length, model)!;
    expect(Number.isFinite(d.logLikelihood)).toBe(true);
    expect(d.posteriors[x.length * 2 - 1]! + d.posteriors[x.length * 2 - 2]!).toBeCloseTo(1, 12);
  });
});

/**
 * Published fit: Stata 14 manual, [TS] mswitch, Example 1 (Markov-switching dynamic regression of the
 * US federal funds rate 1954q3–2010q4, 226 quarters, from https://www.stata-press.com/data/r14/usmacro,
 * copied in statsmodels' test_markov_regression.py as TestFedFundsConst): two states with switching
 * constant and one common variance (= our "tied"):
 *   p11 = .9820939, p21 = .0503587, mu1 = 3.70877, mu2 = 9.556793, sigma = 2.107562, log L = -508.63592.
 * Stata (and statsmodels) start the chain in its ergodic distribution; we estimate startProb.
 */
const FEDFUNDS = Float64Array.of(
  1.03,
  0.99,
  1.34,
  1.5,
  1.94,
  2.36,
  2.48,
  2.69,
  2.81,
  2.93,
  2.93,
  3.0,
  3.23,
  3.25,
  1.86,
  0.94,
  1.32,
  2.16,
  2.57,
  3.08,
  3.58,
  3.99,
  3.93,
  3.7,
  2.94,
  2.3,
  2.0,
  1.73,
  1.68,
  2.4,
  2.46,
  2.61,
  2.85,
  2.92,
  2.97,
  2.96,
  3.33,
  3.45,
  3.46,
  3.49,
  3.46,
  3.58,
  3.97,
  4.08,
  4.07,
  4.17,
  4.56,
  4.91,
  5.41,
  5.56,
  4.82,
  3.99,
  3.89,
  4.17,
  4.79,
  5.98,
  5.94,
  5.92,
  6.57,
  8.33,
  8.98,
  8.94,
  8.57,
  7.88,
  6.7,
  5.57,
  3.86,
  4.56,
  5.47,
  4.75,
  3.54,
  4.3,
  4.74,
  5.14,
  6.54,
  7.82,
  10.56,
  10.0,
  9.32,
  11.25,
  12.09,
  9.35,
  6.3,
  5.42,
  6.16,
  5.41,
  4.83,
  5.2,
  5.28,
  4.87,
  4.66,
  5.16,
  5.82,
  6.51,
  6.76,
  7.28,
  8.1,
  9.58,
  10.07,
  10.18,
  10.95,
  13.58,
  15.05,
  12.69,
  9.84,
  15.85,
  16.57,
  17.78,
  17.58,
  13.59,
  14.23,
  14.51,
  11.01,
  9.29,
  8.65,
  8.8,
  9.46,
  9.43,
  9.69,
  10.56,
  11.39,
  9.27,
  8.48,
  7.92,
  7.9,
  8.1,
  7.83,
  6.92,
  6.21,
  6.27,
  6.22,
  6.65,
  6.84,
  6.92,
  6.66,
  7.16,
  7.98,
  8.47,
  9.44,
  9.73,
  9.08,
  8.61,
  8.25,
  8.24,
  8.16,
  7.74,
  6.43,
  5.86,
  5.64,
  4.82,
  4.02,
  3.77,
  3.26,
  3.04,
  3.04,
  3.0,
  3.06,
  2.99,
  3.21,
  3.94,
  4.49,
  5.17,
  5.81,
  6.02,
  5.8,
  5.72,
  5.36,
  5.24,
  5.31,
  5.28,
  5.28,
  5.52,
  5.53,
  5.51,
  5.52,
  5.5,
  5.53,
  4.86,
  4.73,
  4.75,
  5.09,
  5.31,
  5.68,
  6.27,
  6.52,
  6.47,
  5.59,
  4.33,
  3.5,
  2.13,
  1.73,
  1.75,
  1.74,
  1.44,
  1.25,
  1.25,
  1.02,
  1.0,
  1.0,
  1.01,
  1.43,
  1.95,
  2.47,
  2.94,
  3.46,
  3.98,
  4.46,
  4.91,
  5.25,
  5.25,
  5.26,
  5.25,
  5.07,
  4.5,
  3.18,
  2.09,
  1.94,
  0.51,
  0.18,
  0.18,
  0.16,
  0.12,
  0.13,
  0.19,
  0.19,
  0.19,
);

describe("the Stata fed funds Markov-switching example (tied variance)", () => {
  it("at Stata's parameters and the ergodic start, our forward log-likelihood is Stata's -508.63592", () => {
    const transmat = Float64Array.of(0.9820939, 1 - 0.9820939, 0.0503587, 1 - 0.0503587);
    const ergodic = stationaryDistribution(transmat, 2);
    const model = univariate(
      Array.from(ergodic),
      Array.from(transmat),
      [3.70877, 9.556793],
      [2.107562 ** 2, 2.107562 ** 2],
    );
    expect(logLikelihoodOf(model, FEDFUNDS)).toBeCloseTo(-508.63592, 4);
  });

  it("our maximum-likelihood fit is close to Stata's and at least as likely (startProb is free)", () => {
    const fit = fitGaussianHmm(FEDFUNDS, FEDFUNDS.length, 1, {
      states: 2,
      covariance: "tied",
      init: "kmeans",
      restarts: 4,
      maxIterations: 5000,
      tolerance: 1e-12,
      minCovar: 1e-6,
      rng: new Prng(42),
    });
    const m = fit.model;
    expect(fit.converged).toBe(true);
    // The estimated start puts all mass on the low-rate state the sample starts in (1.03 % in 1954q3).
    expect(m.startProb[0]).toBeCloseTo(1, 10);
    // Measured: p11 0.98047, p21 0.046545, mu 3.70778 / 9.55418, sigma 2.107653, log L -508.30999.
    expect(Math.abs(m.transmat[0]! - 0.9820939)).toBeLessThan(2.5e-3);
    expect(Math.abs(m.transmat[2]! - 0.0503587)).toBeLessThan(5e-3);
    expect(Math.abs(m.means[0]! - 3.70877)).toBeLessThan(2e-3);
    expect(Math.abs(m.means[1]! - 9.556793)).toBeLessThan(5e-3);
    expect(Math.abs(Math.sqrt(m.covars[0]!) - 2.107562)).toBeLessThan(5e-4);
    expect(m.covars[0]).toBe(m.covars[1]);
    expect(fit.logLikelihood).toBeGreaterThan(-508.63592);
    expect(fit.logLikelihood).toBeCloseTo(-508.30999, 4);
  });
});

describe("parameter recovery", () => {
  it("recovers a known 3-state model from 30,000 simulated rows", () => {
    const truth = {
      means: [-1, 0, 1.5],
      sds: [2, 0.5, 1],
      transmat: [0.97, 0.02, 0.01, 0.01, 0.98, 0.01, 0.02, 0.03, 0.95],
    };
    const rng = new Prng(2024);
    const x = new Float64Array(30_000);
    let s = 1;
    for (let t = 0; t < x.length; t++) {
      if (t > 0) {
        const u = rng.nextFloat();
        let acc = 0;
        for (let j = 0; j < 3; j++) {
          acc += truth.transmat[s * 3 + j]!;
          if (u < acc) {
            s = j;
            break;
          }
        }
      }
      x[t] = truth.means[s]! + truth.sds[s]! * rng.normal();
    }
    const fit = fitGaussianHmm(x, x.length, 1, {
      states: 3,
      covariance: "full",
      init: "kmeans",
      restarts: 3,
      maxIterations: 1000,
      tolerance: 1e-8,
      minCovar: 1e-6,
      rng: new Prng(42),
    });
    for (let k = 0; k < 3; k++) {
      expect(Math.abs(fit.model.means[k]! - truth.means[k]!)).toBeLessThan(0.08);
      expect(Math.abs(Math.sqrt(fit.model.covars[k]!) / truth.sds[k]! - 1)).toBeLessThan(0.05);
      expect(Math.abs(fit.model.transmat[k * 4]! - truth.transmat[k * 4]!)).toBeLessThan(0.015);
    }
  });

  it("a state no row visits keeps finite parameters (no NaN, unlike hmmlearn's 'got nan')", () => {
    const x = Float64Array.from({ length: 50 }, (_, t) => (t % 2 === 0 ? 1 : 1.5));
    const fit = fitGaussianHmm(x, x.length, 1, {
      states: 5,
      covariance: "full",
      init: "random",
      restarts: 3,
      maxIterations: 200,
      tolerance: 1e-8,
      minCovar: 1e-6,
      rng: new Prng(1),
    });
    for (const v of [
      ...fit.model.startProb,
      ...fit.model.transmat,
      ...fit.model.means,
      ...fit.model.covars,
    ]) {
      expect(Number.isFinite(v)).toBe(true);
    }
  });
});

describe("model helpers", () => {
  it("stationary distribution and expected durations of a 2-state chain", () => {
    const a = Float64Array.of(0.9, 0.1, 0.5, 0.5);
    const pi = stationaryDistribution(a, 2);
    expect(pi[0]).toBeCloseTo(5 / 6, 15);
    const durations = expectedDurations(a, 2);
    expect(durations[0]).toBeCloseTo(10, 12); // 1/(1 − 0.9) = 10.000000000000002 in doubles
    expect(durations[1]).toBe(2);
  });
  it("expNonPositive agrees with Math.exp to 1e-15 relative on [-708, 0]", () => {
    const rng = new Prng(3);
    for (let i = 0; i < 100_000; i++) {
      const v = -708 * rng.nextFloat() ** 3;
      expect(Math.abs(expNonPositive(v) / Math.exp(v) - 1)).toBeLessThan(1e-15);
    }
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-800)).toBe(0);
  });
});

describe("model files are validated on load", () => {
  const good = {
    states: 2,
    features: ["R"],
    covariance: "full",
    startProb: [0.5, 0.5],
    transmat: [
      [0.9, 0.1],
      [0.2, 0.8],
    ],
    means: [[0], [1]],
    covars: [[[1]], [[2]]],
  };
  it("accepts a good file", () => {
    expect(parseModel(JSON.stringify(good), "m.json").model.states).toBe(2);
  });
  it.each([
    [
      "a row of transmat not summing to 1",
      {
        transmat: [
          [0.9, 0.2],
          [0.2, 0.8],
        ],
      },
      /transmat"\[0\] sums to/,
    ],
    ["a wrong shape", { means: [[0], [1], [2]] }, /"means" must be an array of 2/],
    ["a covariance that is not positive definite", { covars: [[[1]], [[-2]]] }, /not positive definite/],
    ["a negative probability", { startProb: [1.5, -0.5] }, /negative/],
    ["an unknown covariance type", { covariance: "banded" }, /covariance/],
  ])("rejects %s with exit 3", (_, patch, message) => {
    expect(() => parseModel(JSON.stringify({ ...good, ...patch }), "m.json")).toThrow(message);
    try {
      parseModel(JSON.stringify({ ...good, ...patch }), "m.json");
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(3);
    }
  });
  it("a __proto__ key never reaches Object.prototype", () => {
    const text = JSON.stringify(good).replace("{", '{"__proto__":{"polluted":true,"states":9},');
    const named = parseModel(text, "m.json");
    expect(named.model.states).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
