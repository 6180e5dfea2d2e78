import { backSubstitute, choleskyInPlace, forwardSubstitute } from "./cholesky.js";
import { symmetricEigen } from "./symmetricEigen.js";

/**
 * The symmetric-definite generalised eigenproblem M·x = λ·G·x (M symmetric,
 * G symmetric positive definite): the stationary values of the Rayleigh
 * quotient xᵀMx / xᵀGx.
 *
 * Method: reduction to a standard problem through the Cholesky factor
 * G = L·Lᵀ: C = L⁻¹·M·L⁻ᵀ has the same eigenvalues, and x = L⁻ᵀ·q for each
 * eigenvector q of C (Jacobi, {@link symmetricEigen}). The x come out
 * G-orthonormal (xᵢᵀGxⱼ = δᵢⱼ).
 *
 * Reference: G. H. Golub, C. F. Van Loan (2013), *Matrix Computations*, 4th
 * ed., §8.7.2 (the Cholesky reduction of the symmetric-definite problem).
 *
 * @param m symmetric n×n, row-major
 * @param g symmetric positive definite n×n, row-major
 * @returns eigenvalues ascending and vectors (column k for values[k],
 *   n×n row-major), or null when G is not numerically positive definite
 *
 * @example
 * generalizedSymmetricEigen(new Float64Array([2, 0, 0, 3]), new Float64Array([1, 0, 0, 2]), 2);
 * // => { values: [1.5, 2], vectors: [0, 1, 0.7071…, 0] }
 */
export function generalizedSymmetricEigen(
  m: Float64Array,
  g: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } | null {
  const l = Float64Array.from(g.subarray(0, n * n));
  if (choleskyInPlace(l, n, n) < n) return null;
  // W = L⁻¹·M (column by column), then C = L⁻¹·Wᵀ = L⁻¹·M·L⁻ᵀ (M symmetric).
  const w = new Float64Array(n * n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) column[i] = m[i * n + j]!;
    forwardSubstitute(l, n, n, column);
    for (let i = 0; i < n; i++) w[i * n + j] = column[i]!;
  }
  const c = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) column[i] = w[j * n + i]!;
    forwardSubstitute(l, n, n, column);
    for (let i = 0; i < n; i++) c[i * n + j] = column[i]!;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const mean = 0.5 * (c[i * n + j]! + c[j * n + i]!);
      c[i * n + j] = mean;
      c[j * n + i] = mean;
    }
  }
  const { values, vectors: q } = symmetricEigen(c, n);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) column[i] = q[i * n + k]!;
    backSubstitute(l, n, n, column);
    for (let i = 0; i < n; i++) vectors[i * n + k] = column[i]!;
  }
  return { values, vectors };
}
