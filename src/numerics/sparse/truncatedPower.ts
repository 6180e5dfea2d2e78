import { unitWeights } from "./greedyMeanReversion.js";

/**
 * Sparse principal components by the truncated power method: the leading
 * eigenvector of a covariance Σ restricted to k non-zero entries,
 *
 *     maximise xᵀΣx  subject to ‖x‖₂ = 1, ‖x‖₀ ≤ k.
 *
 * Method (Yuan & Zhang 2013, Algorithm 1 "TPower"): start from the unit
 * vector on the k largest diagonal entries of Σ; iterate
 * x ← Σx / ‖Σx‖, keep the k largest |x_i| (zero the rest), renormalise,
 * until the support is stable and ‖x − x_prev‖∞ ≤ tol. The objective never
 * decreases. Several components by projection deflation,
 * Σ ← (I − xxᵀ)·Σ·(I − xxᵀ) (Mackey 2009), so each next component is
 * orthogonal to the previous ones.
 *
 * References:
 * - X.-T. Yuan, T. Zhang (2013), "Truncated power method for sparse
 *   eigenvalue problems", JMLR 14, 899–925.
 * - L. Mackey (2009), "Deflation methods for sparse PCA", NIPS 21.
 *
 * @example
 * // Σ = diag(3, 2, 1), k = 1: the first axis, variance 3
 * truncatedPower(new Float64Array([3, 0, 0, 0, 2, 0, 0, 0, 1]), 3, 1, 1, 1e-12, 1000)[0];
 * // => { weights: [1, 0, 0], variance: 3, iterations: 1 }
 */
export interface SparseComponent {
  /** ‖w‖₂ = 1, at most k non-zeros, largest entry positive. */
  weights: Float64Array;
  /** wᵀΣw with the original (undeflated) Σ. */
  variance: number;
  iterations: number;
  converged: boolean;
}

export function truncatedPower(
  covariance: Float64Array,
  n: number,
  k: number,
  components: number,
  tol: number,
  maxIterations: number,
): SparseComponent[] {
  const sigma = Float64Array.from(covariance.subarray(0, n * n));
  const out: SparseComponent[] = [];
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const order = new Int32Array(n);
  for (let c = 0; c < Math.min(components, n); c++) {
    x.fill(0);
    const diagonal = Array.from({ length: n }, (_, i) => sigma[i * n + i]!);
    topIndices(diagonal, k, order);
    for (let r = 0; r < k; r++) x[order[r]!] = 1 / Math.sqrt(k);
    let iterations = 0;
    let converged = false;
    while (iterations < maxIterations && !converged) {
      iterations++;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += sigma[i * n + j]! * x[j]!;
        y[i] = s;
      }
      topIndices(Array.from(y, Math.abs), k, order);
      const keep = new Uint8Array(n);
      for (let r = 0; r < k; r++) keep[order[r]!] = 1;
      let norm = 0;
      for (let i = 0; i < n; i++) {
        if (!keep[i]) y[i] = 0;
        norm += y[i]! * y[i]!;
      }
      norm = Math.sqrt(norm);
      if (!(norm > 0)) break;
      let change = 0;
      for (let i = 0; i < n; i++) {
        const next = y[i]! / norm;
        change = Math.max(change, Math.abs(next - x[i]!));
        x[i] = next;
      }
      converged = change <= tol;
    }
    const weights = unitWeights(Float64Array.from(x));
    out.push({ weights, variance: quadratic(covariance, n, weights), iterations, converged });
    deflate(sigma, n, weights);
  }
  return out;
}

/** The indices of the k largest values (ties: lower index first) into order[0..k). */
function topIndices(values: number[], k: number, order: Int32Array): void {
  const sorted = values.map((_, i) => i).sort((i, j) => values[j]! - values[i]! || i - j);
  for (let r = 0; r < k; r++) order[r] = sorted[r]!;
}

function quadratic(sigma: Float64Array, n: number, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += x[i]! * sigma[i * n + j]! * x[j]!;
  return s;
}

/** Σ ← (I − xxᵀ)Σ(I − xxᵀ) for unit x. */
function deflate(sigma: Float64Array, n: number, x: Float64Array): void {
  const sx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += sigma[i * n + j]! * x[j]!;
    sx[i] = s;
  }
  let xsx = 0;
  for (let i = 0; i < n; i++) xsx += x[i]! * sx[i]!;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) sigma[i * n + j]! += -sx[i]! * x[j]! - x[i]! * sx[j]! + xsx * x[i]! * x[j]!;
}
