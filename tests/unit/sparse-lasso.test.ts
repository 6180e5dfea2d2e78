import { describe, expect, it } from "vitest";
import { fitElasticNet } from "../../src/numerics/sparse/elasticNet.js";
import { foldBoundaries, logAlphaGrid } from "../../src/numerics/sparse/lassoPath.js";
import { Prng } from "../../src/numerics/random/prng.js";
import {
  blockResidualSquares,
  blockStatistics,
  columnShift,
} from "../../src/numerics/sparse/regressionStatistics.js";

const base = {
  alpha: 0.1 as number | null,
  l1Ratio: 1,
  tol: 1e-10,
  maxIterations: 100_000,
  positive: false,
  standardize: false,
  folds: 0,
  nAlphas: 100,
  eps: 1e-3,
};

function randomProblem(n: number, p: number, seed: number) {
  const rng = new Prng(seed);
  const x = Array.from({ length: p }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const common = rng.normal();
    for (let j = 0; j < p; j++) x[j]![t] = 0.5 * common + rng.normal() + (j === 0 ? 3 : 0);
    y[t] = 1.5 * x[0]![t]! - 2 * x[3]![t]! + 0.7 * x[7]![t]! + 0.5 * rng.normal() + 10;
  }
  return { x, y };
}

/** x_jᵀr/n for the residual r = y − Xb − c. */
function correlations(x: Float64Array[], y: Float64Array, b: Float64Array, c: number): number[] {
  const n = y.length;
  const r = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let fitted = c;
    for (let j = 0; j < x.length; j++) fitted += x[j]![t]! * b[j]!;
    r[t] = y[t]! - fitted;
  }
  return x.map((col) => col.reduce((s, v, t) => s + v * r[t]!, 0) / n);
}

describe("elastic net by coordinate descent (scikit-learn's objective)", () => {
  it("reproduces scikit-learn's documented toy lasso on x = y = [-1, 0, 1]", () => {
    // Python: Lasso(alpha=a).fit([[-1],[0],[1]], [-1,0,1]).coef_ -> 0.85, 0.25, 0 for a = 0.1, 0.5, 1
    const x = [Float64Array.of(-1, 0, 1)];
    const y = Float64Array.of(-1, 0, 1);
    for (const [alpha, expected] of [
      [0.1, 0.85],
      [0.5, 0.25],
      [1, 0],
    ] as const) {
      const model = fitElasticNet(x, y, { ...base, alpha });
      expect(model.coefficients[0]).toBeCloseTo(expected, 14);
      expect(model.intercept).toBeCloseTo(0, 15);
      expect(model.converged).toBe(true);
    }
  });

  it("reproduces scikit-learn's elastic net on the same toy problem", () => {
    // Python: ElasticNet(alpha=0.1, l1_ratio=0.5).fit([[-1],[0],[1]], [-1,0,1]).coef_ -> 0.86046512 (= 1.85/2.15)
    const model = fitElasticNet([Float64Array.of(-1, 0, 1)], Float64Array.of(-1, 0, 1), {
      ...base,
      l1Ratio: 0.5,
    });
    expect(model.coefficients[0]).toBeCloseTo(1.85 / 2.15, 14);
  });

  it("satisfies the KKT conditions on a random correlated problem (lasso and elastic net)", () => {
    const { x, y } = randomProblem(300, 25, 7);
    for (const l1Ratio of [1, 0.5, 0.2]) {
      const alpha = 0.05;
      const model = fitElasticNet(x, y, { ...base, alpha, l1Ratio });
      const g = correlations(x, y, model.coefficients, model.intercept);
      let nonzero = 0;
      g.forEach((gj, j) => {
        const b = model.coefficients[j]!;
        const ridge = alpha * (1 - l1Ratio) * b;
        if (b !== 0) {
          nonzero++;
          expect(Math.abs(gj - ridge - alpha * l1Ratio * Math.sign(b))).toBeLessThan(1e-9);
        } else {
          expect(Math.abs(gj)).toBeLessThanOrEqual(alpha * l1Ratio + 1e-9);
        }
      });
      expect(nonzero).toBeGreaterThan(2);
      // the intercept makes the mean residual zero
      const meanResidual = y.reduce((s, v) => s + v, 0) / y.length;
      const meanFitted =
        model.intercept +
        x.reduce((s, col, j) => s + (col.reduce((a, v) => a + v, 0) / y.length) * model.coefficients[j]!, 0);
      expect(Math.abs(meanResidual - meanFitted)).toBeLessThan(1e-9);
    }
  });

  it("keeps every coefficient non-negative with positive, and satisfies the one-sided KKT conditions", () => {
    const { x, y } = randomProblem(300, 25, 11);
    const alpha = 0.02;
    const model = fitElasticNet(x, y, { ...base, alpha, positive: true });
    const g = correlations(x, y, model.coefficients, model.intercept);
    g.forEach((gj, j) => {
      const b = model.coefficients[j]!;
      expect(b).toBeGreaterThanOrEqual(0);
      if (b > 0) expect(Math.abs(gj - alpha)).toBeLessThan(1e-9);
      else expect(gj).toBeLessThanOrEqual(alpha + 1e-9);
    });
    expect(model.coefficients[3]).toBe(0); // the true coefficient is −2
  });

  it("uses the scikit-learn/glmnet alpha_max = max|x_jᵀ(y − ȳ)|/(n·l1Ratio): all zero at it, not below it", () => {
    const { x, y } = randomProblem(200, 10, 3);
    const top = fitElasticNet(x, y, { ...base, alpha: 1 }).alphaMax;
    expect(fitElasticNet(x, y, { ...base, alpha: top }).coefficients.every((b) => b === 0)).toBe(true);
    expect(fitElasticNet(x, y, { ...base, alpha: top * 0.99 }).coefficients.some((b) => b !== 0)).toBe(true);
  });

  it("standardizes as glmnet does: the fit on unit-variance (ddof 0) predictors, mapped back by 1/sd", () => {
    const { x, y } = randomProblem(200, 8, 5);
    const n = y.length;
    const sds = x.map((col) => {
      const m = col.reduce((s, v) => s + v, 0) / n;
      return Math.sqrt(col.reduce((s, v) => s + (v - m) ** 2, 0) / n);
    });
    const scaled = x.map((col, j) => col.map((v) => v / sds[j]!));
    const a = fitElasticNet(x, y, { ...base, alpha: 0.1, standardize: true });
    const b = fitElasticNet(scaled, y, { ...base, alpha: 0.1 });
    a.coefficients.forEach((v, j) => {
      expect(v).toBeCloseTo(b.coefficients[j]! / sds[j]!, 10);
    });
    expect(a.intercept).toBeCloseTo(b.intercept, 10);
  });
});

describe("regularisation path and time-ordered cross-validation", () => {
  it("cuts contiguous folds as scikit-learn's KFold does (first n mod K folds one longer)", () => {
    // Python: [len(t) for _, t in KFold(3).split(range(10))] -> [4, 3, 3]
    expect(Array.from(foldBoundaries(10, 3))).toEqual([0, 4, 7, 10]);
  });

  it("spaces alphas logarithmically from alpha_max down to eps·alpha_max", () => {
    const grid = logAlphaGrid(2, 1e-3, 4);
    expect(grid[0]).toBeCloseTo(2, 14);
    expect(grid[3]).toBeCloseTo(2e-3, 14);
    expect(grid[1]! / grid[0]!).toBeCloseTo(0.1, 12);
  });

  it("computes held-out squared errors from block statistics exactly as from the rows", () => {
    const { x: all, y } = randomProblem(120, 8, 9);
    const x = all.slice(0, 6);
    const shift = columnShift(x, y);
    const stats = blockStatistics(x, y, shift, 40, 80);
    const b = Float64Array.of(1.2, 0, 0, -1.7, 0, 0.3);
    const xMean = Float64Array.of(0.1, 0.2, 0, -0.1, 0.05, 0);
    const yMean = 0.4;
    let direct = 0;
    for (let t = 40; t < 80; t++) {
      let e = y[t]! - shift[6]! - yMean;
      for (let j = 0; j < 6; j++) e -= (x[j]![t]! - shift[j]! - xMean[j]!) * b[j]!;
      direct += e * e;
    }
    expect(blockResidualSquares(stats, b, xMean, yMean)).toBeCloseTo(direct, 8);
  });

  it("picks alphaMin by mean held-out error and alpha1se at least as large (glmnet's rule)", () => {
    const { x, y } = randomProblem(400, 12, 13);
    const model = fitElasticNet(x, y, { ...base, alpha: null, folds: 5, nAlphas: 30, tol: 1e-8 });
    const cv = model.crossValidation!;
    const best = cv.path.reduce((a, b) => (b.mse < a.mse ? b : a));
    expect(cv.alphaMin).toBe(best.alpha);
    expect(model.alpha).toBe(cv.alphaMin);
    expect(cv.alpha1se).toBeGreaterThanOrEqual(cv.alphaMin);
    const oneSe = cv.path.find((p) => p.alpha === cv.alpha1se)!;
    expect(oneSe.mse).toBeLessThanOrEqual(best.mse + best.mseSe);
    // the refit at alphaMin equals a direct fit at that alpha
    const direct = fitElasticNet(x, y, { ...base, alpha: cv.alphaMin, tol: 1e-10 });
    direct.coefficients.forEach((v, j) => {
      expect(model.coefficients[j]).toBeCloseTo(v, 7);
    });
  });
});
