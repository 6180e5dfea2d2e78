import { columnMeans, gramRows } from "../stats/covariance.js";

export interface LedoitWolfEstimate {
  /** The shrunk covariance (1 − δ)·S + δ·μ·I, row-major n×n. */
  covariance: Float64Array;
  /** The shrinkage intensity δ ∈ [0, 1]. */
  shrinkage: number;
  /** μ = trace(S)/n, the scale of the identity target. */
  target: number;
}

/**
 * Ledoit–Wolf shrinkage of the covariance towards a scaled identity,
 * exactly as scikit-learn's `sklearn.covariance.LedoitWolf().fit(X)`
 * (`assume_centered=False`): the data are centred on their means and the
 * empirical covariance is S = XcᵀXc/T (ddof 0).
 *
 * Method (scikit-learn `ledoit_wolf_shrinkage`, T samples, n features):
 *   μ = tr(S)/n
 *   δ̂ = ‖S − μI‖²_F / n
 *   β̂ = min(δ̂, (1/(nT))·(Σ_t ‖x_t‖⁴/T − ‖S‖²_F)), using Σ_ij (X²ᵀX²)_ij = Σ_t (Σ_i x_ti²)²
 *   shrinkage = β̂/δ̂ (0 when β̂ = 0), Σ = (1 − shrinkage)·S + shrinkage·μ·I.
 *
 * Reference: O. Ledoit, M. Wolf (2004), "A well-conditioned estimator for
 * large-dimensional covariance matrices", Journal of Multivariate Analysis
 * 88(2), 365–411. doi:10.1016/S0047-259X(03)00096-4
 *
 * @example
 * // X = [[1, 0], [0, 1], [−1, 0], [0, −1]]: S = I/2, already a scaled identity
 * ledoitWolf([Float64Array.of(1, 0, -1, 0), Float64Array.of(0, 1, 0, -1)]);
 * // => { covariance: [0.5, 0, 0, 0.5], shrinkage: 0, target: 0.5 }
 */
export function ledoitWolf(columns: Float64Array[]): LedoitWolfEstimate {
  const n = columns.length;
  const T = n > 0 ? columns[0]!.length : 0;
  const means = columnMeans(columns);
  const y = new Float64Array(n * T);
  const rowSquares = new Float64Array(T);
  for (let j = 0; j < n; j++) {
    const x = columns[j]!;
    const m = means[j]!;
    const base = j * T;
    for (let t = 0; t < T; t++) {
      const v = x[t]! - m;
      y[base + t] = v;
      rowSquares[t]! += v * v;
    }
  }
  const s = gramRows(y, n, T, new Float64Array(n * n));
  for (let k = 0; k < n * n; k++) s[k]! /= T;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += s[i * n + i]!;
  const mu = trace / n;
  let frobenius2 = 0;
  for (let k = 0; k < n * n; k++) frobenius2 += s[k]! * s[k]!;
  let fourth = 0;
  for (let t = 0; t < T; t++) fourth += rowSquares[t]! * rowSquares[t]!;
  // δ̂·n = ‖S‖² − 2μ·tr(S) + nμ² (scikit-learn's expansion of ‖S − μI‖²)
  const delta = (frobenius2 - 2 * mu * trace + n * mu * mu) / n;
  const beta = Math.min(delta, (fourth / T - frobenius2) / (n * T));
  // scikit-learn returns 0 for a single feature (δ̂ = 0 there)
  const shrinkage = n === 1 || beta === 0 ? 0 : beta / delta;
  for (let k = 0; k < n * n; k++) s[k]! *= 1 - shrinkage;
  for (let i = 0; i < n; i++) s[i * n + i]! += shrinkage * mu;
  return { covariance: s, shrinkage, target: mu };
}
