import { describe, expect, it } from "vitest";
import { elasticNetGram, polish } from "../../src/numerics/sparse/coordinateDescent.js";
import { fitElasticNet } from "../../src/numerics/sparse/elasticNet.js";
import { firstNonFinite } from "../../src/numerics/stats/finite.js";
import { Prng } from "../../src/numerics/random/prng.js";
import { WorkingDesign } from "../../src/numerics/sparse/workingDesign.js";
import { elasticNetWorkingSet, INITIAL_WORKING_SET } from "../../src/numerics/sparse/workingSet.js";

/**
 * A sparse regression in which the predictors share a common factor, so the
 * predictors most correlated with y at b = 0 are not all in the support:
 * the first working set is wrong and has to grow.
 */
function sparseProblem(n: number, p: number, seed: number, offset = 0) {
  const rng = new Prng(seed);
  const factor = Float64Array.from({ length: n }, () => rng.normal());
  const x = Array.from({ length: p }, () =>
    Float64Array.from(factor, (f) => offset + 0.8 * f + rng.normal()),
  );
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    y[t] = 3 + 0.5 * rng.normal() + 2 * factor[t]!;
    for (let j = 0; j < p; j += 9) y[t]! += (j % 2 === 0 ? 1 : -1) * (x[j]![t]! - offset) * (1 + j / p);
  }
  return { x, y };
}

/** x_jᵀr/n for r = y − Xb − c, by brute force over the rows. */
function correlations(x: Float64Array[], y: Float64Array, b: Float64Array, c: number): number[] {
  const n = y.length;
  const r = Float64Array.from(y, (v, t) => v - c - x.reduce((s, col, j) => s + col[t]! * b[j]!, 0));
  return x.map((col) => col.reduce((s, v, t) => s + v * r[t]!, 0) / n);
}

/** The centred Gram problem of every predictor, by brute force (the solver the working set replaces). */
function wholeProblem(x: Float64Array[], y: Float64Array) {
  const n = y.length;
  const p = x.length;
  const centre = (v: Float64Array) => {
    const m = v.reduce((s, a) => s + a, 0) / n;
    return v.map((a) => a - m);
  };
  const xc = x.map(centre);
  const yc = centre(y);
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, t) => s + v * b[t]!, 0);
  const gram = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) gram[i * p + j] = dot(xc[i]!, xc[j]!);
  return { gram, xty: Float64Array.from(xc, (c) => dot(c, yc)), yty: dot(yc, yc), p, n };
}

const options = {
  l1Ratio: 1,
  tol: 1e-10,
  maxIterations: 100_000,
  positive: false,
  standardize: false,
  folds: 0,
  nAlphas: 100,
  eps: 1e-3,
};

describe("the elastic net by working sets", () => {
  it("finds the whole-Gram solution and satisfies the KKT conditions of the full problem", () => {
    const { x, y } = sparseProblem(500, 150, 3);
    const whole = wholeProblem(x, y);
    for (const [l1Ratio, positive] of [
      [1, false],
      [0.5, false],
      [1, true],
    ] as const) {
      const alpha = 0.02;
      const model = fitElasticNet(x, y, { ...options, alpha, l1Ratio, positive });
      expect(model.converged).toBe(true);
      const reference = new Float64Array(whole.p);
      elasticNetGram(
        whole,
        { alpha, l1Ratio, tol: 1e-12, maxIterations: 100_000, positive },
        reference,
        undefined,
        false,
      );
      model.coefficients.forEach((v, j) => {
        expect(Math.abs(v - reference[j]!)).toBeLessThan(1e-8);
      });
      const g = correlations(x, y, model.coefficients, model.intercept);
      g.forEach((gj, j) => {
        const b = model.coefficients[j]!;
        const ridge = alpha * (1 - l1Ratio) * b;
        if (b !== 0) expect(Math.abs(gj - ridge - alpha * l1Ratio * Math.sign(b))).toBeLessThan(1e-9);
        else if (positive) expect(gj).toBeLessThanOrEqual(alpha * l1Ratio + 1e-9);
        else expect(Math.abs(gj)).toBeLessThanOrEqual(alpha * l1Ratio + 1e-9);
      });
    }
  });

  it("grows the working set past a wrong first guess but stops far short of every predictor", () => {
    const { x, y } = sparseProblem(500, 150, 5);
    const b = new Float64Array(x.length);
    const fit = elasticNetWorkingSet(
      x,
      y,
      { alpha: 0.2, l1Ratio: 1, tol: 1e-10, maxIterations: 100_000, positive: false },
      b,
    )!;
    const support = b.reduce((k, v) => k + (v !== 0 ? 1 : 0), 0);
    expect(support).toBeGreaterThan(10);
    expect(fit.workingSet.length).toBeGreaterThan(INITIAL_WORKING_SET);
    expect(fit.workingSet.length).toBeLessThan(x.length / 2);
    // every non-zero coefficient is in the working set
    b.forEach((v, j) => {
      if (v !== 0) expect(Array.from(fit.workingSet)).toContain(j);
    });
  });

  it("takes in every predictor when the solution is dense, and then solves the normal equations with the l1 term", () => {
    const { x, y } = sparseProblem(300, 40, 7);
    const whole = wholeProblem(x, y);
    const alpha = 1e-6;
    const model = fitElasticNet(x, y, { ...options, alpha });
    expect(model.converged).toBe(true);
    expect(model.coefficients.every((v) => v !== 0)).toBe(true);
    // KKT with every coefficient non-zero: Q·b = q − n·alpha·sign(b)
    const l1 = whole.n * alpha;
    for (let i = 0; i < whole.p; i++) {
      let qb = 0;
      for (let j = 0; j < whole.p; j++) qb += whole.gram[i * whole.p + j]! * model.coefficients[j]!;
      const expected = whole.xty[i]! - l1 * Math.sign(model.coefficients[i]!);
      expect(Math.abs(qb - expected)).toBeLessThan(1e-9 * Math.abs(whole.xty[i]!) + 1e-9);
    }
  });

  it("centres exactly: predictors offset by 1e7 give the same coefficients and an intercept shifted by 1e7·Σb", () => {
    const plain = sparseProblem(400, 60, 9);
    const offset = sparseProblem(400, 60, 9, 1e7);
    const a = fitElasticNet(plain.x, plain.y, { ...options, alpha: 0.05 });
    const b = fitElasticNet(offset.x, offset.y, { ...options, alpha: 0.05 });
    a.coefficients.forEach((v, j) => {
      expect(Math.abs(b.coefficients[j]! - v)).toBeLessThan(1e-7);
    });
    const sum = a.coefficients.reduce((s, v) => s + v, 0);
    expect(Math.abs(b.intercept - (a.intercept - 1e7 * sum))).toBeLessThan(1e-7 * 1e7);
  });

  it("reports R² = 1 − RSS/TSS of the returned model, computed over the rows", () => {
    const { x, y } = sparseProblem(300, 50, 13);
    const model = fitElasticNet(x, y, { ...options, alpha: 0.03 });
    const n = y.length;
    const mean = y.reduce((s, v) => s + v, 0) / n;
    let rss = 0;
    let tss = 0;
    for (let t = 0; t < n; t++) {
      const fitted = model.intercept + x.reduce((s, col, j) => s + col[t]! * model.coefficients[j]!, 0);
      rss += (y[t]! - fitted) ** 2;
      tss += (y[t]! - mean) ** 2;
    }
    expect(model.r2).toBeCloseTo(1 - rss / tss, 10);
  });
});

describe("the design as the working set uses it", () => {
  it("centres the columns and extends the Gram block (through a capacity doubling) exactly as brute force", () => {
    // odd n exercises the zero pad; 100 predictors > the first capacity of 64
    const { x, y } = sparseProblem(301, 100, 17, 250);
    const whole = wholeProblem(x, y);
    const design = new WorkingDesign(x, y);
    const scale = (i: number, j: number) => Math.sqrt(whole.gram[i * 100 + i]! * whole.gram[j * 100 + j]!);
    for (let j = 0; j < 100; j++) {
      expect(design.means[j]).toBeCloseTo(x[j]!.reduce((s, v) => s + v, 0) / 301, 10);
      expect(Math.abs(design.xty[j]! - whole.xty[j]!)).toBeLessThan(
        1e-12 * Math.sqrt(whole.gram[j * 101]! * whole.yty),
      );
      expect(design.squares[j]).toBeCloseTo(whole.gram[j * 101]!, 9);
    }
    const order = Array.from({ length: 100 }, (_, k) => (k * 37) % 100);
    for (const batch of [
      order.slice(0, 5),
      order.slice(5, 30),
      order.slice(30, 31),
      order.slice(31, 90),
      order.slice(90),
    ]) {
      expect(design.extend(batch)).toBe(true);
      const problem = design.problem();
      expect(problem.p).toBe(design.cached.length);
      design.cached.forEach((i, a) => {
        design.cached.forEach((j, c) => {
          expect(Math.abs(problem.gram[a * problem.p + c]! - whole.gram[i * 100 + j]!)).toBeLessThan(
            1e-12 * scale(i, j),
          );
        });
      });
    }
  });

  it("computes Xᵀr for the predictors outside the block, r = y − Xb centred", () => {
    const { x, y } = sparseProblem(200, 30, 19);
    const whole = wholeProblem(x, y);
    const design = new WorkingDesign(x, y);
    const b = Float64Array.from({ length: 30 }, (_, j) => (j % 4 === 0 ? 0.3 - j / 100 : 0));
    const inBlock = Uint8Array.from({ length: 30 }, (_, j) => (j < 5 ? 1 : 0));
    const out = new Float64Array(30).fill(-7);
    design.gradientOutside(b, inBlock, out, 0, false);
    for (let j = 0; j < 30; j++) {
      if (j < 5) {
        expect(out[j]).toBe(-7);
        continue;
      }
      let expected = whole.xty[j]!;
      for (let k = 0; k < 30; k++) expected -= whole.gram[j * 30 + k]! * b[k]!;
      expect(out[j]).toBeCloseTo(expected, 9);
    }
  });
  it("screens out only predictors that cannot violate: every skipped |g_j| is at most l1", () => {
    const { x, y } = sparseProblem(300, 80, 23);
    const whole = wholeProblem(x, y);
    const design = new WorkingDesign(x, y);
    const inBlock = new Uint8Array(80);
    const out = new Float64Array(80);
    const prng = new Prng(29);
    const b = new Float64Array(80);
    let skipped = 0;
    let computedTotal = 0;
    // a threshold among the gradients: some predictors below it, some above
    const l1 = Array.from(whole.xty, Math.abs).sort((p, q) => p - q)[48]!;
    for (let round = 0; round < 6; round++) {
      // large moves first, then small ones (where the screen bites)
      const step = round < 3 ? 2 : 1e-4;
      for (let j = 0; j < 80; j += 3) b[j] = b[j]! + step * (prng.nextFloat() - 0.5);
      const computed = design.gradientOutside(b, inBlock, out, l1, false);
      skipped += 80 - computed;
      computedTotal += computed;
      for (let j = 0; j < 80; j++) {
        let g = whole.xty[j]!;
        for (let k = 0; k < 80; k++) g -= whole.gram[j * 80 + k]! * b[k]!;
        if (out[j] === 0) expect(Math.abs(g)).toBeLessThanOrEqual(l1);
        else expect(out[j]).toBeCloseTo(g, 8);
      }
    }
    expect(skipped).toBeGreaterThan(0);
    expect(computedTotal).toBeGreaterThan(0);
  });
});

describe("the active-set polish", () => {
  it("solves the restricted normal equations when the signs hold, and refuses a solution that flips one", () => {
    // Q = [[2, 1.8], [1.8, 2]], q = [3, 1]: least squares b = [2.5, −1.75]
    const problem = {
      gram: Float64Array.of(2, 1.8, 1.8, 2),
      xty: Float64Array.of(3, 1),
      yty: 10,
      p: 2,
      n: 10,
    };
    const active = Int32Array.of(0, 1);
    const b = Float64Array.of(1, -1);
    const h = new Float64Array(2);
    expect(polish(problem, 0.1, 0, b, h, active, 2)).toBe(true);
    // (Q)·b = q − l1·sign(b): 2b₀ + 1.8b₁ = 2.9, 1.8b₀ + 2b₁ = 1.1
    expect(2 * b[0]! + 1.8 * b[1]!).toBeCloseTo(2.9, 12);
    expect(1.8 * b[0]! + 2 * b[1]!).toBeCloseTo(1.1, 12);
    expect(h[0]).toBeCloseTo(2.9, 12);
    // with both signs positive the system's solution has b₁ < 0: refused, b unchanged
    const wrong = Float64Array.of(1, 0.5);
    expect(polish(problem, 0.1, 0, wrong, h, active, 2)).toBe(false);
    expect(Array.from(wrong)).toEqual([1, 0.5]);
  });
});

describe("firstNonFinite", () => {
  it("finds the first NaN or ±Infinity at any position, and −1 when there is none", () => {
    for (let n = 0; n < 11; n++) {
      const values = Float64Array.from({ length: n }, (_, t) => (t % 2 === 0 ? -0 : 1e300 * t));
      expect(firstNonFinite(values)).toBe(-1);
      for (let at = 0; at < n; at++) {
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
          const copy = values.slice();
          copy[at] = bad;
          if (at + 2 < n) copy[at + 2] = Number.NaN;
          expect(firstNonFinite(copy)).toBe(at);
        }
      }
    }
  });
});
