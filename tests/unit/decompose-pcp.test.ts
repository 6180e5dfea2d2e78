import { describe, expect, it } from "vitest";
import { partialSvd } from "../../src/numerics/decompose/partialSvd.js";
import {
  principalComponentPursuit,
  spectralNorm,
} from "../../src/numerics/decompose/principalComponentPursuit.js";
import { Prng } from "../../src/numerics/random/prng.js";

/** Candès, Li, Ma & Wright (2011) §4.1: L = X·Yᵀ with N(0, 1/n) factors, S = ±1 spikes on a random support. */
function synthetic(rows: number, cols: number, rank: number, fraction: number, seed: number) {
  const rng = new Prng(seed);
  const x = Float64Array.from({ length: rows * rank }, () => rng.normal() / Math.sqrt(rows));
  const y = Float64Array.from({ length: cols * rank }, () => rng.normal() / Math.sqrt(cols));
  const low = new Float64Array(rows * cols);
  const sparse = new Float64Array(rows * cols);
  for (let t = 0; t < rows; t++)
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rank; r++) s += x[t * rank + r]! * y[j * rank + r]!;
      low[t * cols + j] = s;
      if (rng.nextFloat() < fraction) sparse[t * cols + j] = rng.nextFloat() < 0.5 ? -1 : 1;
    }
  const m = low.map((v, i) => v + sparse[i]!);
  return { m, low, sparse };
}

function frobenius(a: Float64Array, b?: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - (b?.[i] ?? 0)) ** 2;
  return Math.sqrt(s);
}

describe("partial SVD by warm-started subspace iteration", () => {
  it("returns the singular values above the threshold of a wide-spectrum matrix", () => {
    const rows = 60;
    const cols = 20;
    const { low } = synthetic(rows, cols, 4, 0, 3);
    const at = new Float64Array(rows * cols);
    for (let t = 0; t < rows; t++) for (let j = 0; j < cols; j++) at[j * rows + t] = low[t * cols + j]!;
    const svd = partialSvd(low, at, rows, cols, 1e-8, null, new Prng(1), 1e-13, 500);
    expect(svd.values.length).toBe(4);
    // reconstruction from the triplets is exact for a rank-4 matrix
    const back = new Float64Array(rows * cols);
    for (let r = 0; r < 4; r++)
      for (let t = 0; t < rows; t++)
        for (let j = 0; j < cols; j++)
          back[t * cols + j]! += svd.values[r]! * svd.left[r * rows + t]! * svd.right[r * cols + j]!;
    expect(frobenius(back, low) / frobenius(low)).toBeLessThan(1e-10);
  });
});

describe("principal component pursuit", () => {
  it("recovers a rank-5% + 5%-sparse matrix exactly (Candès, Li, Ma & Wright 2011), relative error ≤ 1e-6", () => {
    const rows = 200;
    const cols = 100;
    const { m, low, sparse } = synthetic(rows, cols, 5, 0.05, 42);
    const result = principalComponentPursuit(
      m,
      rows,
      cols,
      { lambda: 1 / Math.sqrt(rows), tol: 1e-9, gapTolerance: 1e-6, maxIterations: 1000 },
      new Prng(42),
    );
    expect(result.converged).toBe(true);
    expect(result.rank).toBe(5);
    expect(frobenius(result.low, low) / frobenius(low)).toBeLessThan(1e-6);
    expect(frobenius(result.sparse, sparse) / frobenius(sparse)).toBeLessThan(1e-6);
    let support = 0;
    for (let i = 0; i < sparse.length; i++)
      if (Math.abs(result.sparse[i]!) > 1e-6 !== (sparse[i] !== 0)) support++;
    expect(support).toBe(0);
  });

  it("stops with a dual certificate: ‖Y‖∞ ≤ λ, ‖Y‖₂ ≈ 1 and ⟨Y, M⟩ equal to the objective within 1e-6", () => {
    const rows = 150;
    const cols = 60;
    const { m } = synthetic(rows, cols, 3, 0.05, 7);
    const lambda = 1 / Math.sqrt(rows);
    const result = principalComponentPursuit(
      m,
      rows,
      cols,
      { lambda, tol: 1e-7, gapTolerance: 1e-6, maxIterations: 1000 },
      new Prng(1),
    );
    expect(result.converged).toBe(true);
    expect(result.relativeGap).toBeLessThanOrEqual(1e-6);
    let maxY = 0;
    let inner = 0;
    for (let i = 0; i < m.length; i++) {
      maxY = Math.max(maxY, Math.abs(result.dual[i]!));
      inner += result.dual[i]! * m[i]!;
    }
    // exact up to the rounding of Y + μ·Z with μ ~ 1e7/‖M‖₂
    expect(maxY).toBeLessThanOrEqual(lambda * (1 + 1e-7));
    expect(spectralNorm(result.dual, rows, cols, new Prng(3))).toBeLessThan(1 + 1e-5);
    expect(Math.abs(inner - result.objective) / result.objective).toBeLessThan(1e-6);
    expect(result.dualBound).toBeLessThanOrEqual(result.objective * (1 + 1e-12));
  });

  it("handles an all-zero matrix", () => {
    const result = principalComponentPursuit(
      new Float64Array(12),
      4,
      3,
      { lambda: 0.5, tol: 1e-7, gapTolerance: 1e-6, maxIterations: 10 },
      new Prng(1),
    );
    expect(result.converged).toBe(true);
    expect(result.rank).toBe(0);
  });
});
