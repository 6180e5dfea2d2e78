import type { Prng } from "../random/prng.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";

/**
 * The leading singular triplets of a dense T×N matrix A (row-major) by
 * block subspace iteration with Rayleigh–Ritz extraction, warm-started from
 * a previous basis: what singular value thresholding needs when only the
 * few singular values above a threshold matter (the full SVD of a 2000×200
 * matrix every iteration is what makes robust PCA slow).
 *
 * `at` is Aᵀ (N×T row-major), so that both products are contiguous dot
 * products.
 *
 * Method (Halko, Martinsson & Tropp 2011, Alg. 4.4, with Ritz extraction):
 * Q = orth(A·V); B = QᵀA (k×N); B·Bᵀ = W·Λ·Wᵀ (Jacobi, k×k); σ = √λ,
 * U = Q·W, V = BᵀW/σ. Then Aᵀu_i = σ_i·v_i exactly, and the next product
 * A·V gives the other residual ‖A·v_i − σ_i·u_i‖; iteration stops when it is
 * ≤ tol·σ₁ for every triplet above `threshold` and the smallest Ritz value
 * of the block is below it (so the block reaches past the threshold). The
 * block grows when every Ritz value is above the threshold.
 *
 * Reference: N. Halko, P.-G. Martinsson, J. A. Tropp (2011), "Finding
 * structure with randomness", SIAM Review 53(2), 217–288.
 * doi:10.1137/090771806
 */
export interface PartialSvd {
  /** Singular values above the threshold, descending. */
  values: Float64Array;
  /** Left vectors, r×T (vector i contiguous). */
  left: Float64Array;
  /** Right vectors, r×N (vector i contiguous). */
  right: Float64Array;
  /** The basis to warm-start the next call with: k×N. */
  basis: Float64Array;
  blockSize: number;
  iterations: number;
}

/** Oversampling beyond the expected rank. */
const OVERSAMPLE = 4;

export function partialSvd(
  a: Float64Array,
  at: Float64Array,
  rows: number,
  cols: number,
  threshold: number,
  warm: { basis: Float64Array; blockSize: number } | null,
  rng: Prng,
  tol: number,
  maxIterations: number,
): PartialSvd {
  const limit = Math.min(rows, cols);
  let k = Math.min(limit, warm?.blockSize ?? 1 + OVERSAMPLE);
  let v = new Float64Array(k * cols);
  const start = warm?.basis ?? new Float64Array(0);
  v.set(start.subarray(0, Math.min(start.length, k * cols)));
  for (let i = start.length; i < k * cols; i++) v[i] = rng.normal();
  let z = new Float64Array(k * rows);
  let iterations = 0;
  let sigma = new Float64Array(0);
  let u = new Float64Array(0);
  for (;;) {
    multiplyBasis(a, rows, cols, v, k, z);
    iterations++;
    if (sigma.length === k) {
      const converged = residualsSmall(z, u, sigma, rows, k, threshold, tol);
      const reachesPast = sigma[k - 1]! <= threshold || k === limit;
      if ((converged && reachesPast) || iterations >= maxIterations) break;
      if (converged && !reachesPast) {
        const grown = Math.min(limit, k + Math.max(OVERSAMPLE, Math.ceil(k / 2)));
        const vv = new Float64Array(grown * cols);
        vv.set(v);
        for (let i = k * cols; i < grown * cols; i++) vv[i] = rng.normal();
        k = grown;
        v = vv;
        z = new Float64Array(k * rows);
        multiplyBasis(a, rows, cols, v, k, z);
      }
    }
    orthonormalise(z, k, rows);
    const b = new Float64Array(k * cols);
    multiplyBasis(at, cols, rows, z, k, b);
    const w = new Float64Array(k * k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += b[i * cols + c]! * b[j * cols + c]!;
        w[i * k + j] = s;
        w[j * k + i] = s;
      }
    const eigen = symmetricEigen(w, k);
    sigma = new Float64Array(k);
    u = new Float64Array(k * rows);
    v = new Float64Array(k * cols);
    for (let r = 0; r < k; r++) {
      const e = k - 1 - r; // descending
      const s = Math.sqrt(Math.max(eigen.values[e]!, 0));
      sigma[r] = s;
      for (let i = 0; i < k; i++) {
        const q = eigen.vectors[i * k + e]!;
        if (q === 0) continue;
        for (let t = 0; t < rows; t++) u[r * rows + t]! += q * z[i * rows + t]!;
        const scale = s > 0 ? q / s : 0;
        for (let c = 0; c < cols; c++) v[r * cols + c]! += scale * b[i * cols + c]!;
      }
      if (!(s > 0)) for (let c = 0; c < cols; c++) v[r * cols + c] = rng.normal() / Math.sqrt(cols);
    }
  }
  let rank = 0;
  while (rank < k && sigma[rank]! > threshold) rank++;
  return {
    values: sigma.slice(0, rank),
    left: u.slice(0, rank * rows),
    right: v.slice(0, rank * cols),
    basis: v,
    blockSize: Math.min(limit, Math.max(rank + OVERSAMPLE, 1)),
    iterations,
  };
}

function residualsSmall(
  av: Float64Array,
  u: Float64Array,
  sigma: Float64Array,
  rows: number,
  k: number,
  threshold: number,
  tol: number,
): boolean {
  const scale = tol * sigma[0]!;
  for (let r = 0; r < k && sigma[r]! > threshold * (1 - 1e-3); r++) {
    let ss = 0;
    for (let t = 0; t < rows; t++) {
      const d = av[r * rows + t]! - sigma[r]! * u[r * rows + t]!;
      ss += d * d;
    }
    if (Math.sqrt(ss) > scale) return false;
  }
  return true;
}

/**
 * out (k×T, vector i contiguous) = (A·v_i)_i for v k×N. Four vectors per
 * pass over a row of A, so each loaded a_tj feeds four multiply-adds; the
 * readable version is out[i·T + t] = Σ_j a[t·N + j]·v[i·N + j].
 */
export function multiplyBasis(
  a: Float64Array,
  rows: number,
  cols: number,
  v: Float64Array,
  k: number,
  out: Float64Array,
): void {
  const blocked = k - (k % 4);
  for (let t = 0; t < rows; t++) {
    const row = t * cols;
    for (let i = 0; i < blocked; i += 4) {
      const v0 = i * cols;
      const v1 = v0 + cols;
      const v2 = v1 + cols;
      const v3 = v2 + cols;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < cols; j++) {
        const x = a[row + j]!;
        s0 += x * v[v0 + j]!;
        s1 += x * v[v1 + j]!;
        s2 += x * v[v2 + j]!;
        s3 += x * v[v3 + j]!;
      }
      out[i * rows + t] = s0;
      out[(i + 1) * rows + t] = s1;
      out[(i + 2) * rows + t] = s2;
      out[(i + 3) * rows + t] = s3;
    }
    for (let i = blocked; i < k; i++) {
      const v0 = i * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) s += a[row + j]! * v[v0 + j]!;
      out[i * rows + t] = s;
    }
  }
}

/** out (k×N) = Zᵀ·A for z k×T (vector i contiguous); the readable version is out[i·N + j] = Σ_t z[i·T + t]·a[t·N + j]. */
export function transposeMultiply(
  a: Float64Array,
  rows: number,
  cols: number,
  z: Float64Array,
  k: number,
  out: Float64Array,
): void {
  out.fill(0);
  for (let t = 0; t < rows; t++) {
    const row = t * cols;
    for (let i = 0; i < k; i++) {
      const zi = z[i * rows + t]!;
      if (zi === 0) continue;
      const o = i * cols;
      for (let j = 0; j < cols; j++) out[o + j]! += zi * a[row + j]!;
    }
  }
}

/** Modified Gram–Schmidt, twice ("twice is enough"), on k vectors of length T stored contiguously. */
function orthonormalise(z: Float64Array, k: number, rows: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < k; i++) {
      const zi = i * rows;
      for (let j = 0; j < i; j++) {
        const zj = j * rows;
        let d = 0;
        for (let t = 0; t < rows; t++) d += z[zi + t]! * z[zj + t]!;
        for (let t = 0; t < rows; t++) z[zi + t]! -= d * z[zj + t]!;
      }
      let norm = 0;
      for (let t = 0; t < rows; t++) norm += z[zi + t]! * z[zi + t]!;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let t = 0; t < rows; t++) z[zi + t]! /= norm;
    }
  }
}
