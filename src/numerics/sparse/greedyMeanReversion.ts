import { generalizedSymmetricEigen } from "../linalg/generalizedEigen.js";
import type { Var1Moments } from "../timeseries/var1.js";

/**
 * d'Aspremont's (2011) greedy search for a sparse mean-reverting
 * portfolio: minimise the predictability λ(x) = xᵀAᵀΓ0A·x / xᵀΓ0·x
 * (conventions in {@link var1Moments}) over portfolios of at most K assets,
 * growing the support one asset at a time.
 *
 * Method: k = 1 takes the asset with the smallest (AᵀΓ0A)_ii / (Γ0)_ii; each
 * next step tries every asset j outside the support S and keeps the one
 * whose support S ∪ {j} has the smallest minimal generalised eigenvalue of
 * ((AᵀΓ0A)_SS, (Γ0)_SS) (ties: the lower column index). The weights at each
 * k are that eigenvector, scaled to ‖w‖₂ = 1 with its largest entry
 * positive. Cost: O(n·K) eigenproblems of size ≤ K.
 *
 * Reference: A. d'Aspremont (2011), "Identifying small mean-reverting
 * portfolios", Quantitative Finance 11(3), 351–364, §3.1 (greedy search).
 * doi:10.1080/14697688.2010.481634
 *
 * @example
 * // two assets with x1 = −x0 + noise: the pair beats either asset alone
 * greedyMeanReversion(moments, 2).at(-1).assets // => [0, 1]
 */
export interface SparseStep {
  /** Support size. */
  k: number;
  /** Column indices of the support, in the order they were added. */
  assets: number[];
  predictability: number;
  /** Weights over all n assets (zero outside the support), ‖w‖₂ = 1. */
  weights: Float64Array;
}

/** The minimal generalised eigenpair of the (M, Γ0) block on `support`, or null if Γ0_SS is singular. */
export function supportMinimum(
  moments: Var1Moments,
  support: number[],
): { value: number; weights: Float64Array } | null {
  const { n, gamma0, predicted } = moments;
  const k = support.length;
  const m = new Float64Array(k * k);
  const g = new Float64Array(k * k);
  for (let r = 0; r < k; r++)
    for (let c = 0; c < k; c++) {
      m[r * k + c] = predicted[support[r]! * n + support[c]!]!;
      g[r * k + c] = gamma0[support[r]! * n + support[c]!]!;
    }
  const eigen = generalizedSymmetricEigen(m, g, k);
  if (eigen === null) return null;
  const weights = new Float64Array(n);
  for (let r = 0; r < k; r++) weights[support[r]!] = eigen.vectors[r * k]!;
  return { value: eigen.values[0]!, weights: unitWeights(weights) };
}

/** w/‖w‖₂ with the largest-magnitude entry positive (a deterministic sign). */
export function unitWeights(w: Float64Array): Float64Array {
  let norm = 0;
  let big = 0;
  for (let i = 0; i < w.length; i++) {
    norm += w[i]! * w[i]!;
    if (Math.abs(w[i]!) > Math.abs(w[big]!)) big = i;
  }
  const scale = (w[big]! < 0 ? -1 : 1) / Math.sqrt(norm);
  return w.map((v) => (v === 0 ? 0 : v * scale));
}

/** The greedy path k = 1 … maxAssets (shorter if every larger support is singular). */
export function greedyMeanReversion(moments: Var1Moments, maxAssets: number): SparseStep[] {
  const path: SparseStep[] = [];
  const support: number[] = [];
  const limit = Math.min(maxAssets, moments.n);
  for (let k = 1; k <= limit; k++) {
    let best: { j: number; value: number; weights: Float64Array } | null = null;
    for (let j = 0; j < moments.n; j++) {
      if (support.includes(j)) continue;
      const candidate = supportMinimum(moments, [...support, j]);
      if (candidate !== null && (best === null || candidate.value < best.value)) best = { j, ...candidate };
    }
    if (best === null) break;
    support.push(best.j);
    path.push({ k, assets: [...support], predictability: best.value, weights: best.weights });
  }
  return path;
}

/**
 * Box–Tiao canonical decomposition: every generalised eigenpair of
 * (AᵀΓ0A, Γ0), ascending, i.e. from the most mean-reverting portfolio to
 * the most predictable. Weights ‖w‖₂ = 1, largest entry positive.
 *
 * Reference: Box & Tiao (1977), Biometrika 64(2), 355–365, §3.
 */
export function boxTiaoPortfolios(
  moments: Var1Moments,
): { predictability: number; weights: Float64Array }[] | null {
  const { n } = moments;
  const eigen = generalizedSymmetricEigen(moments.predicted, moments.gamma0, n);
  if (eigen === null) return null;
  const out: { predictability: number; weights: Float64Array }[] = [];
  for (let k = 0; k < n; k++) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = eigen.vectors[i * n + k]!;
    out.push({ predictability: eigen.values[k]!, weights: unitWeights(w) });
  }
  return out;
}
