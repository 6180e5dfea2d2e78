import {
  CholeskyDecomposition,
  EigenvalueDecomposition,
  Matrix,
  SingularValueDecomposition,
} from "ml-matrix";
import { describe, expect, it } from "vitest";
import { partialSvd } from "../../src/numerics/decompose/partialSvd.js";
import { choleskyInPlace } from "../../src/numerics/linalg/cholesky.js";
import { symmetricEigen } from "../../src/numerics/linalg/symmetricEigen.js";
import { symmetricEigenvalues } from "../../src/numerics/linalg/symmetricEigenvalues.js";
import { Prng } from "../../src/numerics/random/prng.js";

/**
 * ml-matrix (a maintained linear-algebra library, kept as a dev dependency
 * for this) as the independent truth beside hftlab's own kernels, on random
 * and ill-conditioned matrices: Cholesky, symmetric eigen-decomposition and
 * the partial SVD of robust PCA.
 */
const rng = new Prng(2026);

/** A random symmetric positive-definite n×n matrix with condition number about `condition`. */
function spd(n: number, condition: number): Float64Array {
  const q = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q.set(i, j, rng.normal());
  const orthogonalMatrix = new EigenvalueDecomposition(q.mmul(q.transpose()), { assumeSymmetric: true })
    .eigenvectorMatrix;
  const d = Matrix.diag(Array.from({ length: n }, (_, i) => condition ** (i / Math.max(1, n - 1))));
  const a = orthogonalMatrix.mmul(d).mmul(orthogonalMatrix.transpose());
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = (a.get(i, j) + a.get(j, i)) / 2;
  return out;
}

const toMatrix = (a: Float64Array, rows: number, cols: number) =>
  new Matrix(Array.from({ length: rows }, (_, i) => Array.from(a.subarray(i * cols, (i + 1) * cols))));

describe("hftlab's linear algebra against ml-matrix", () => {
  for (const [n, condition] of [
    [3, 10],
    [20, 1e3],
    [80, 1e8],
    [150, 1e12],
  ] as const) {
    it(`Cholesky, n = ${n}, condition ${condition}: the same factor, to rounding × condition`, () => {
      const a = spd(n, condition);
      const ours = Float64Array.from(a);
      expect(choleskyInPlace(ours, n, n)).toBe(n);
      const theirs = new CholeskyDecomposition(toMatrix(a, n, n)).lowerTriangularMatrix;
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const scale = Math.sqrt(a[i * n + i]!);
          worst = Math.max(worst, Math.abs(ours[i * n + j]! - theirs.get(i, j)) / scale);
        }
      }
      expect(worst).toBeLessThan(1e-14 * Math.sqrt(condition) * n);
    });

    it(`symmetric eigenvalues and vectors, n = ${n}, condition ${condition}`, () => {
      const a = spd(n, condition);
      const theirs = new EigenvalueDecomposition(toMatrix(a, n, n), { assumeSymmetric: true });
      const values = [...theirs.realEigenvalues].sort((x, y) => x - y);
      const largest = values.at(-1)!;
      const ours = symmetricEigen(a, n);
      const oursValues = symmetricEigenvalues(a, n);
      values.forEach((value, k) => {
        expect(Math.abs(ours.values[k]! - value)).toBeLessThan(1e-12 * largest);
        expect(Math.abs(oursValues[k]! - value)).toBeLessThan(1e-12 * largest);
      });
      // Each of our vectors satisfies A v = λ v to rounding in the norm of A (the basis itself may differ in sign).
      for (let k = 0; k < n; k++) {
        let residual = 0;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += a[i * n + j]! * ours.vectors[j * n + k]!;
          residual = Math.max(residual, Math.abs(s - ours.values[k]! * ours.vectors[i * n + k]!));
        }
        expect(residual).toBeLessThan(1e-12 * largest);
      }
    });
  }

  it("the partial SVD's leading singular values and subspaces equal ml-matrix's full SVD (a rank-5 plus noise matrix)", () => {
    const rows = 120;
    const cols = 40;
    const a = new Float64Array(rows * cols);
    const factors = Array.from({ length: 5 }, (_, f) => ({
      u: Array.from({ length: rows }, () => rng.normal()),
      v: Array.from({ length: cols }, () => rng.normal()),
      s: 10 * 2 ** -f,
    }));
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let x = 1e-3 * rng.normal();
        for (const f of factors) x += f.s * f.u[i]! * f.v[j]!;
        a[i * cols + j] = x;
      }
    }
    const at = new Float64Array(cols * rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) at[j * rows + i] = a[i * cols + j]!;
    const full = new SingularValueDecomposition(toMatrix(a, rows, cols));
    const threshold = full.diagonal[4]! / 2;
    const ours = partialSvd(a, at, rows, cols, threshold, null, new Prng(7), 1e-12, 200);
    expect(ours.values.length).toBe(5);
    for (let k = 0; k < 5; k++) {
      expect(Math.abs(ours.values[k]! / full.diagonal[k]! - 1)).toBeLessThan(1e-9);
      // |<our right vector, theirs>| = 1: the same direction up to sign.
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += ours.right[k * cols + j]! * full.rightSingularVectors.get(j, k);
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-8);
    }
  });
});
