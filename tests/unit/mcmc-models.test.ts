import { describe, expect, it } from "vitest";
import { buildPosteriorModel, type PosteriorModel } from "../../src/numerics/mcmc/posteriorModels.js";
import {
  type ModelPriors,
  type PosteriorModelKind,
  resolvePriors,
} from "../../src/numerics/mcmc/posteriorPriors.js";
import { Prng } from "../../src/numerics/random/prng.js";

function returns(n: number, seed: number, heavy = false): Float64Array {
  const rng = new Prng(seed);
  return Float64Array.from({ length: n }, () => {
    const z = rng.normal();
    // heavy: a normal scale mixture, so the Student-t model has something to fit
    return 0.0004 + 0.012 * z * (heavy && rng.nextFloat() < 0.1 ? 3 : 1);
  });
}

function ouLevels(n: number, seed: number): Float64Array {
  const rng = new Prng(seed);
  const x = new Float64Array(n);
  x[0] = 100;
  for (let t = 1; t < n; t++) x[t] = 100 + Math.exp(-0.05) * (x[t - 1]! - 100) + 0.5 * rng.normal();
  return x;
}

/** Central differences with a step relative to the coordinate's posterior scale. */
function checkGradient(model: PosteriorModel, theta: Float64Array): void {
  const g = new Float64Array(model.dimension);
  const lp = model.logDensityGradient(theta, g);
  expect(model.logDensity(theta)).toBeCloseTo(lp, 9);
  for (let i = 0; i < model.dimension; i++) {
    const h = 1e-4 * model.scale[i]!;
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    plus[i] = plus[i]! + h;
    minus[i] = minus[i]! - h;
    const numeric = (model.logDensity(plus) - model.logDensity(minus)) / (2 * h);
    // gradients here are O(1/scale); compare relative to that size
    expect(Math.abs(g[i]! - numeric) * model.scale[i]!).toBeLessThan(
      1e-5 * Math.max(1, Math.abs(g[i]! * model.scale[i]!)),
    );
  }
}

const conjugate: ModelPriors = {
  mu: { distribution: "normal-given-sigma", location: 0.002, precisionWeight: 20 },
  sigma: { distribution: "inverse-gamma-variance", shape: 3, scale: 3e-4 },
};

describe("posterior models: analytic gradients agree with finite differences", () => {
  const cases: Array<[PosteriorModelKind, string, Float64Array, ModelPriors | "default" | "flat"]> = [
    ["normal", "default priors", returns(500, 1), "default"],
    ["normal", "flat prior", returns(500, 1), "flat"],
    ["normal", "conjugate normal-inverse-gamma prior", returns(50, 2), conjugate],
    ["student-t", "default priors", returns(400, 3, true), "default"],
    ["student-t", "flat prior", returns(400, 3, true), "flat"],
    ["ou", "default priors", ouLevels(600, 4), "default"],
    ["ou", "flat prior", ouLevels(600, 4), "flat"],
  ];
  for (const [kind, label, series, prior] of cases) {
    it(`${kind} with ${label}, at the centre and at dispersed points`, () => {
      const priors = typeof prior === "string" ? resolvePriors(kind, prior, series) : prior;
      const model = buildPosteriorModel({ kind, priors, series });
      const rng = new Prng(9);
      for (let k = 0; k < 5; k++) {
        const theta = model.center.map(
          (c, i) => c + (k === 0 ? 0 : (4 * rng.nextFloat() - 2) * model.scale[i]!),
        );
        checkGradient(model, theta);
      }
    });
  }

  it("the normal model's density equals the textbook likelihood (flat prior, up to a constant)", () => {
    const y = returns(30, 5);
    const model = buildPosteriorModel({
      kind: "normal",
      priors: resolvePriors("normal", "flat", y),
      series: y,
    });
    const direct = (mu: number, sigma: number) => {
      let s = 0;
      for (const v of y) s += -Math.log(sigma) - ((v - mu) * (v - mu)) / (2 * sigma * sigma);
      return s;
    };
    const a = Float64Array.of(0.001, Math.log(0.011));
    const b = Float64Array.of(-0.002, Math.log(0.014));
    expect(model.logDensity(a) - model.logDensity(b)).toBeCloseTo(
      direct(0.001, 0.011) - direct(-0.002, 0.014),
      8,
    );
  });

  it("the OU model's density equals the sum of exact Gaussian transition densities", () => {
    const x = ouLevels(50, 6);
    const priors: ModelPriors = { mu: { distribution: "flat" }, sigma: { distribution: "flat-log" } };
    const model = buildPosteriorModel({ kind: "ou", priors, series: x });
    const direct = (kappa: number, mu: number, sigma: number) => {
      const b = Math.exp(-kappa);
      const v = (sigma * sigma * (1 - b * b)) / (2 * kappa);
      let s = 0;
      for (let t = 1; t < x.length; t++) {
        const e = x[t]! - mu - b * (x[t - 1]! - mu);
        s += -0.5 * Math.log(v) - (e * e) / (2 * v);
      }
      return s + Math.log(kappa); // + log κ: the Jacobian of κ = e^u (kappa keeps no prior here)
    };
    const a = Float64Array.of(Math.log(0.05), 100.2, Math.log(0.5));
    const b = Float64Array.of(Math.log(0.2), 99.5, Math.log(0.6));
    expect(model.logDensity(a) - model.logDensity(b)).toBeCloseTo(
      direct(0.05, 100.2, 0.5) - direct(0.2, 99.5, 0.6),
      7,
    );
  });
});
