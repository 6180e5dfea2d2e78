import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generalizedSymmetricEigen } from "../../src/numerics/linalg/generalizedEigen.js";
import {
  boxTiaoPortfolios,
  greedyMeanReversion,
  supportMinimum,
} from "../../src/numerics/sparse/greedyMeanReversion.js";
import { Prng } from "../../src/numerics/random/prng.js";
import { symmetricEigen } from "../../src/numerics/linalg/symmetricEigen.js";
import { truncatedPower } from "../../src/numerics/sparse/truncatedPower.js";
import { predictability, var1Moments } from "../../src/numerics/timeseries/var1.js";

/** Six random walks; assets 1 and 4 are cointegrated (4 = 1 + stationary AR(1)). */
function universe(rows: number, seed: number): Float64Array[] {
  const rng = new Prng(seed);
  const columns = Array.from({ length: 6 }, () => new Float64Array(rows));
  let spread = 0;
  for (let t = 0; t < rows; t++) {
    spread = 0.8 * spread + rng.normal();
    for (let j = 0; j < 6; j++) columns[j]![t] = (t > 0 ? columns[j]![t - 1]! : 100) + rng.normal();
    columns[4]![t] = columns[1]![t]! + 2 * spread;
  }
  return columns;
}

function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first < n; first++)
    for (const rest of subsets(n, k - 1)) if (rest.every((r) => r > first)) out.push([first, ...rest]);
  return out;
}

function eustocksLevels(): Float64Array[] {
  const lines = readFileSync(new URL("../../fixtures/eustocks.csv", import.meta.url), "utf8")
    .trim()
    .split("\n");
  const columns = Array.from({ length: 4 }, () => new Float64Array(lines.length - 1));
  lines.slice(1).forEach((line, t) => {
    line
      .split(",")
      .slice(1)
      .forEach((v, j) => {
        columns[j]![t] = Number(v);
      });
  });
  return columns;
}

describe("symmetric and generalised eigenproblems", () => {
  it("diagonalises a symmetric matrix: A·v = λ·v, eigenvalues ascending, V orthonormal", () => {
    const rng = new Prng(1);
    const n = 7;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const v = rng.normal();
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      if (k > 0) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]!);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * vectors[j * n + k]!;
        expect(av).toBeCloseTo(values[k]! * vectors[i * n + k]!, 12);
      }
    }
  });

  it("solves M·x = λ·G·x with G-orthonormal vectors", () => {
    const moments = var1Moments(universe(400, 3))!;
    const n = moments.n;
    const eigen = generalizedSymmetricEigen(moments.predicted, moments.gamma0, n)!;
    for (let k = 0; k < n; k++) {
      const x = Array.from({ length: n }, (_, i) => eigen.vectors[i * n + k]!);
      for (let i = 0; i < n; i++) {
        let mx = 0;
        let gx = 0;
        for (let j = 0; j < n; j++) {
          mx += moments.predicted[i * n + j]! * x[j]!;
          gx += moments.gamma0[i * n + j]! * x[j]!;
        }
        expect(Math.abs(mx - eigen.values[k]! * gx)).toBeLessThan(1e-9 * Math.abs(gx) + 1e-9);
      }
      expect(predictability(moments, x)).toBeCloseTo(eigen.values[k]!, 12);
    }
  });
});

describe("Box–Tiao canonical decomposition", () => {
  it("matches a direct generalised eigen-solve on eustocks levels", () => {
    // Python (numpy/scipy): X = levels - mean; G0 = np.cov(X, rowvar=False, ddof=1);
    // A = np.linalg.lstsq(X[:-1], X[1:])[0]; scipy.linalg.eigh(A.T @ G0 @ A, G0, eigvals_only=True)
    // -> [0.94324708, 0.97223318, 0.99559135, 1.00568044]
    const portfolios = boxTiaoPortfolios(var1Moments(eustocksLevels())!)!;
    const expected = [0.94324708, 0.97223318, 0.99559135, 1.00568044];
    portfolios.forEach((p, k) => {
      expect(p.predictability).toBeCloseTo(expected[k]!, 8);
      expect(Math.hypot(...p.weights)).toBeCloseTo(1, 14);
    });
  });

  it("orders portfolios from most mean-reverting to most predictable and finds the cointegrating pair", () => {
    const columns = universe(600, 5);
    const portfolios = boxTiaoPortfolios(var1Moments(columns)!)!;
    const w = portfolios[0]!.weights;
    expect(Math.abs(w[1]! + w[4]!)).toBeLessThan(0.2); // ≈ (−1, +1)/√2 on assets 1 and 4
    expect(Math.abs(w[4]!)).toBeGreaterThan(0.6);
    for (let k = 1; k < portfolios.length; k++)
      expect(portfolios[k]!.predictability).toBeGreaterThanOrEqual(portfolios[k - 1]!.predictability);
  });
});

describe("d'Aspremont greedy search", () => {
  const moments = var1Moments(universe(600, 5))!;
  const path = greedyMeanReversion(moments, 4);

  it("equals exhaustive search over all supports of size 1 and 2 on a small universe", () => {
    for (const k of [1, 2]) {
      let best = Number.POSITIVE_INFINITY;
      let bestSet: number[] = [];
      for (const s of subsets(6, k)) {
        const v = supportMinimum(moments, s)!.value;
        if (v < best) {
          best = v;
          bestSet = s;
        }
      }
      expect(path[k - 1]!.predictability).toBeCloseTo(best, 12);
      expect([...path[k - 1]!.assets].sort()).toEqual(bestSet);
    }
    expect([...path[1]!.assets].sort()).toEqual([1, 4]);
  });

  it("takes at each step the best single addition (checked against every candidate) and never gets worse", () => {
    for (let k = 2; k <= path.length; k++) {
      const previous = path[k - 2]!.assets;
      let best = Number.POSITIVE_INFINITY;
      for (let j = 0; j < 6; j++)
        if (!previous.includes(j)) best = Math.min(best, supportMinimum(moments, [...previous, j])!.value);
      expect(path[k - 1]!.predictability).toBeCloseTo(best, 12);
      expect(path[k - 1]!.predictability).toBeLessThanOrEqual(path[k - 2]!.predictability + 1e-12);
    }
  });

  it("returns unit-norm weights whose predictability is the reported one", () => {
    for (const step of path) {
      expect(Math.hypot(...step.weights)).toBeCloseTo(1, 14);
      expect(predictability(moments, step.weights)).toBeCloseTo(step.predictability, 10);
      expect(step.weights.filter((w) => w !== 0).length).toBe(step.k);
    }
  });
});

describe("sparse PCA by truncated power iteration", () => {
  it("finds the dominant block of a block-diagonal covariance with k non-zeros", () => {
    // Σ: assets 0-2 strongly correlated (variance 2), assets 3-5 independent, variance 1
    const n = 6;
    const sigma = new Float64Array(n * n);
    for (let i = 0; i < n; i++) sigma[i * n + i] = i < 3 ? 2 : 1;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== j) sigma[i * n + j] = 1.5;
    const [first, second] = truncatedPower(sigma, n, 3, 2, 1e-14, 1000);
    expect(Array.from(first!.weights.subarray(0, 3), (w) => w.toFixed(12))).toEqual(
      Array(3).fill((1 / Math.sqrt(3)).toFixed(12)),
    );
    expect(first!.variance).toBeCloseTo(5, 12); // 2 + 2·1.5
    expect(first!.weights.filter((w) => w !== 0).length).toBe(3);
    let dot = 0;
    for (let i = 0; i < n; i++) dot += first!.weights[i]! * second!.weights[i]!;
    expect(Math.abs(dot)).toBeLessThan(1e-12);
  });
});
