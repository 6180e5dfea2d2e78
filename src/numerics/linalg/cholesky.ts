/**
 * Dense Cholesky factorisation and triangular solves for the small
 * symmetric positive-definite normal-equation matrices of least squares,
 * stored row-major in a Float64Array with a given row stride.
 */

import { choleskyWasm } from "./choleskyKernel.js";

/**
 * Relative pivot floor: column j is declared linearly dependent on the
 * columns before it when its squared pivot (the residual sum of squares of
 * column j regressed on columns 0…j−1) falls to this fraction of its
 * diagonal entry, i.e. when 1 − R²_j ≤ 1e-12.
 */
export const CHOLESKY_RELATIVE_PIVOT_FLOOR = 1e-12;

/**
 * In-place Cholesky factorisation A = L·Lᵀ of the leading `size`×`size`
 * block of a symmetric matrix (lower triangle read, L written over it;
 * the strict upper triangle is left untouched).
 *
 * Method: the column-oriented (left-looking) Cholesky–Banachiewicz
 * recurrence, L_jj = sqrt(A_jj − Σ_{k<j} L_jk²),
 * L_ij = (A_ij − Σ_{k<j} L_ik L_jk)/L_jj. Because L's leading blocks are the
 * factors of A's leading blocks, stopping early still leaves a valid factor
 * of the leading block.
 *
 * Reference: G. H. Golub, C. F. Van Loan (2013), *Matrix Computations*,
 * 4th ed., Algorithm 4.2.1.
 *
 * @param a matrix, row-major, entry (i, j) at a[i·stride + j]
 * @param size order of the block to factor
 * @param stride row stride of `a`
 * @returns the number of leading columns factored before the first
 *   (numerically) dependent column; `size` when A is positive definite
 *
 * @example
 * const a = new Float64Array([4, 0, 2, 5]); // [[4, 2], [2, 5]], lower triangle used
 * choleskyInPlace(a, 2, 2); // => 2; a => [2, 0, 1, 2]
 */
export function choleskyInPlace(a: Float64Array, size: number, stride: number): number {
  if (size >= CHOLESKY_KERNEL_MIN_ORDER) {
    const factored = choleskyWasm(a, size, stride, CHOLESKY_RELATIVE_PIVOT_FLOOR);
    if (factored >= 0) return factored;
  }
  return choleskyScalar(a, size, stride);
}

/**
 * Order from which `choleskyInPlace` runs the WebAssembly kernel
 * (`choleskyKernel.ts`): below it the copy in and out costs more than the
 * SIMD sums save.
 */
export const CHOLESKY_KERNEL_MIN_ORDER = 48;

/** `choleskyInPlace` in plain JavaScript, one running sum per entry. */
export function choleskyScalar(a: Float64Array, size: number, stride: number): number {
  for (let j = 0; j < size; j++) {
    const rowJ = j * stride;
    const diagonal = a[rowJ + j]!;
    let pivot = diagonal;
    for (let k = 0; k < j; k++) pivot -= a[rowJ + k]! * a[rowJ + k]!;
    if (!(pivot > CHOLESKY_RELATIVE_PIVOT_FLOOR * diagonal)) return j;
    const ljj = Math.sqrt(pivot);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < size; i++) {
      const rowI = i * stride;
      let s = a[rowI + j]!;
      for (let k = 0; k < j; k++) s -= a[rowI + k]! * a[rowJ + k]!;
      a[rowI + j] = s / ljj;
    }
  }
  return size;
}

/**
 * Solves L·z = b in place (b becomes z) for the lower-triangular factor
 * written by `choleskyInPlace`, using its leading `size` columns.
 */
export function forwardSubstitute(l: Float64Array, size: number, stride: number, b: Float64Array): void {
  for (let i = 0; i < size; i++) {
    const row = i * stride;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[row + k]! * b[k]!;
    b[i] = s / l[row + i]!;
  }
}

/** Solves Lᵀ·β = z in place (z becomes β) for the factor written by `choleskyInPlace`. */
export function backSubstitute(l: Float64Array, size: number, stride: number, z: Float64Array): void {
  for (let i = size - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < size; k++) s -= l[k * stride + i]! * z[k]!;
    z[i] = s / l[i * stride + i]!;
  }
}
