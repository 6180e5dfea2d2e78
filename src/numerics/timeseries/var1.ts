import { backSubstitute, choleskyInPlace, forwardSubstitute } from "../linalg/cholesky.js";
import { neumaierSum } from "../stats/summation.js";

/**
 * The moments of a VAR(1) on price levels shared by Box–Tiao and
 * d'Aspremont's greedy search (SPEC §2 sparse/decompose):
 *
 * - levels demeaned per column (compensated mean);
 * - Γ0 = XᵀX/(T − 1), the sample covariance (ddof 1) over all rows;
 * - A = least-squares VAR(1) without intercept in the row convention
 *   X_t ≈ X_{t−1}·A, i.e. A = (X₋ᵀX₋)⁻¹·X₋ᵀX₊ with X₋ rows 0…T−2 and
 *   X₊ rows 1…T−1;
 * - predictability of a portfolio x: λ(x) = xᵀAᵀΓ0A·x / xᵀΓ0·x, the share
 *   of the portfolio's variance that the last value predicts (Box & Tiao
 *   1977): small λ is mean reversion, λ near 1 a random walk.
 *
 * References:
 * - G. E. P. Box, G. C. Tiao (1977), "A canonical analysis of multiple
 *   time series", Biometrika 64(2), 355–365. doi:10.1093/biomet/64.2.355
 * - A. d'Aspremont (2011), "Identifying small mean-reverting portfolios",
 *   Quantitative Finance 11(3), 351–364. doi:10.1080/14697688.2010.481634
 *
 * @example
 * // levels 1, 3, 2, 4, 3 → demeaned −1.6, 0.4, −0.6, 1.4, 0.4
 * var1Moments([Float64Array.of(1, 3, 2, 4, 3)]); // => { a: [-0.2301587301587302], gamma0: [1.3000000000000003], … }
 */
export interface Var1Moments {
  /** Number of assets. */
  n: number;
  /** Γ0, n×n row-major. */
  gamma0: Float64Array;
  /** A, n×n row-major (X_t ≈ X_{t−1}·A). */
  a: Float64Array;
  /** AᵀΓ0A, n×n row-major (symmetrised). */
  predicted: Float64Array;
}

/** Demeaned levels, time-major T×n. */
function demeanedRows(columns: Float64Array[]): Float64Array {
  const n = columns.length;
  const T = columns[0]!.length;
  const x = new Float64Array(T * n);
  for (let j = 0; j < n; j++) {
    const column = columns[j]!;
    const mean = neumaierSum(column) / T;
    for (let t = 0; t < T; t++) x[t * n + j] = column[t]! - mean;
  }
  return x;
}

/** Σ_t over rows [from, to) of x_{t}·y_{t+lag}ᵀ. */
function crossProducts(x: Float64Array, n: number, from: number, to: number, lag: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let t = from; t < to; t++) {
    const r = t * n;
    const s = (t + lag) * n;
    for (let i = 0; i < n; i++) {
      const xi = x[r + i]!;
      const row = i * n;
      for (let j = 0; j < n; j++) out[row + j] += xi * x[s + j]!;
    }
  }
  return out;
}

/**
 * @param columns price levels, one column per asset, all of length T ≥ n + 2
 * @returns the moments, or null when the lagged levels are collinear
 *   (X₋ᵀX₋ singular: A is not identified)
 */
export function var1Moments(columns: Float64Array[]): Var1Moments | null {
  const n = columns.length;
  const T = columns[0]!.length;
  const x = demeanedRows(columns);
  const gamma0 = crossProducts(x, n, 0, T, 0);
  for (let k = 0; k < n * n; k++) gamma0[k]! /= T - 1;
  const s00 = crossProducts(x, n, 0, T - 1, 0);
  const s01 = crossProducts(x, n, 0, T - 1, 1);
  if (choleskyInPlace(s00, n, n) < n) return null;
  const a = new Float64Array(n * n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) column[i] = s01[i * n + j]!;
    forwardSubstitute(s00, n, n, column);
    backSubstitute(s00, n, n, column);
    for (let i = 0; i < n; i++) a[i * n + j] = column[i]!;
  }
  // predicted = Aᵀ·(Γ0·A)
  const ga = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const g = gamma0[i * n + k]!;
      for (let j = 0; j < n; j++) ga[i * n + j] += g * a[k * n + j]!;
    }
  const predicted = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[k * n + i]! * ga[k * n + j]!;
      predicted[i * n + j] = s;
      predicted[j * n + i] = s;
    }
  return { n, gamma0, a, predicted };
}

/** λ(x) = xᵀ·predicted·x / xᵀ·Γ0·x. */
export function predictability(moments: Var1Moments, x: ArrayLike<number>): number {
  const { n, gamma0, predicted } = moments;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      num += x[i]! * predicted[i * n + j]! * x[j]!;
      den += x[i]! * gamma0[i * n + j]! * x[j]!;
    }
  return num / den;
}
