import { choleskyInPlace } from "../linalg/cholesky.js";
import type { CovarianceType, GaussianHmm } from "./model.js";

/**
 * Expected occupancy below which a state counts as unvisited: its mean and
 * covariance are kept from the previous iteration instead of being divided
 * by ~0 (hmmlearn's "startprob_ must sum to 1 (got nan)" comes from there).
 */
export const UNVISITED_OCCUPANCY = 1e-10;

/**
 * Population variance of each feature (T×d row-major), two-pass; the scale
 * of the relative covariance floor.
 *
 * @example featureVariances(Float64Array.of(1, 2, 3, 4), 4, 1) // => [1.25]
 */
export function featureVariances(x: Float64Array, rows: number, dimension: number): Float64Array {
  const d = dimension;
  const mean = new Float64Array(d);
  const out = new Float64Array(d);
  for (let t = 0; t < rows; t++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[t * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / rows;
  for (let t = 0; t < rows; t++) {
    for (let j = 0; j < d; j++) {
      const u = x[t * d + j]! - mean[j]!;
      out[j] = out[j]! + u * u;
    }
  }
  for (let j = 0; j < d; j++) out[j] = out[j]! / rows;
  return out;
}

/**
 * Imposes the variance floor on one d×d covariance block in place, by type:
 * diagonal entries are raised to at least `floor[j]` (a clamp, not an
 * addition, so a well-estimated covariance is exactly the maximum-likelihood
 * one); a full matrix that is still not positive definite gets the floor
 * added to its diagonal, ten times larger each time, until it is.
 */
export function floorCovariance(
  block: Float64Array,
  dimension: number,
  covariance: CovarianceType,
  floor: Float64Array,
): void {
  const d = dimension;
  if (covariance === "spherical") {
    let s = 0;
    let f = 0;
    for (let j = 0; j < d; j++) {
      s += block[j * d + j]!;
      f += floor[j]!;
    }
    const v = Math.max(s / d, f / d);
    block.fill(0);
    for (let j = 0; j < d; j++) block[j * d + j] = v;
    return;
  }
  for (let j = 0; j < d; j++) {
    const v = block[j * d + j]!;
    if (!(v >= floor[j]!)) block[j * d + j] = floor[j]!;
  }
  if (covariance === "diag" || d === 1) return;
  const copy = new Float64Array(d * d);
  for (let attempt = 0, scale = 1; attempt < 30; attempt++, scale *= 10) {
    copy.set(block);
    if (choleskyInPlace(copy, d, d) === d) return;
    for (let j = 0; j < d; j++) block[j * d + j] = block[j * d + j]! + scale * floor[j]!;
  }
}

/** Scratch arrays of the M-step, allocated once per fit. */
export interface MaximisationWork {
  occupancy: Float64Array;
  sums: Float64Array;
  scatter: Float64Array;
}

export function maximisationWork(states: number, dimension: number): MaximisationWork {
  return {
    occupancy: new Float64Array(states),
    sums: new Float64Array(states * dimension),
    scatter: new Float64Array(states * dimension * dimension),
  };
}

/**
 * The Baum–Welch M-step, in place on `model`: π = γ_0, a_ij = Σ_t ξ_t(i,j) /
 * Σ_t Σ_j ξ_t(i,j), μ_k = Σ_t γ_tk x_t / Σ_t γ_tk and
 * Σ_k = Σ_t γ_tk (x_t − μ_k)(x_t − μ_k)ᵀ / Σ_t γ_tk (two passes: the new mean
 * first, so that large offsets cost no precision), restricted to the
 * covariance type (diag: its diagonal; spherical: the mean of the diagonal;
 * tied: pooled over states and divided by T), then floored.
 *
 * Reference: J. A. Bilmes (1998), "A gentle tutorial of the EM algorithm and
 * its application to parameter estimation for Gaussian mixture and hidden
 * Markov models", ICSI TR-97-021, §4.
 */
export function maximise(
  x: Float64Array,
  rows: number,
  model: GaussianHmm,
  posteriors: Float64Array,
  transitionCounts: Float64Array,
  floor: Float64Array,
  work: MaximisationWork,
): void {
  const k = model.states;
  const d = model.dimension;
  updateChain(model, posteriors, transitionCounts);
  const { occupancy, sums, scatter } = work;
  occupancy.fill(0);
  sums.fill(0);
  scatter.fill(0);
  if (d === 1) {
    maximiseUnivariate(x, rows, model, posteriors, floor, work);
    return;
  }
  for (let t = 0; t < rows; t++) {
    for (let s = 0; s < k; s++) {
      const g = posteriors[t * k + s]!;
      occupancy[s] = occupancy[s]! + g;
      for (let j = 0; j < d; j++) sums[s * d + j] = sums[s * d + j]! + g * x[t * d + j]!;
    }
  }
  for (let s = 0; s < k; s++) {
    if (!(occupancy[s]! > UNVISITED_OCCUPANCY)) continue;
    for (let j = 0; j < d; j++) model.means[s * d + j] = sums[s * d + j]! / occupancy[s]!;
  }
  const fullScatter = model.covariance === "full" || model.covariance === "tied";
  accumulateScatter(x, rows, k, d, model.means, posteriors, fullScatter, scatter);
  if (model.covariance === "tied") {
    const pooled = new Float64Array(d * d);
    let total = 0;
    for (let s = 0; s < k; s++) {
      total += occupancy[s]!;
      for (let e = 0; e < d * d; e++) pooled[e] = pooled[e]! + scatter[s * d * d + e]!;
    }
    for (let e = 0; e < d * d; e++) pooled[e] = pooled[e]! / total;
    floorCovariance(pooled, d, "tied", floor);
    for (let s = 0; s < k; s++) model.covars.set(pooled, s * d * d);
    return;
  }
  for (let s = 0; s < k; s++) {
    if (!(occupancy[s]! > UNVISITED_OCCUPANCY)) continue;
    const block = scatter.subarray(s * d * d, (s + 1) * d * d);
    for (let e = 0; e < d * d; e++) block[e] = block[e]! / occupancy[s]!;
    floorCovariance(block, d, model.covariance, floor);
    model.covars.set(block, s * d * d);
  }
}

/**
 * The univariate M-step for means and variances in one pass: with c_k the
 * previous mean of state k, S1 = Σγ(x − c_k) and S2 = Σγ(x − c_k)² give
 * μ_k = c_k + S1/w_k and σ²_k = S2/w_k − (S1/w_k)². Shifting by the previous
 * mean (close to the new one) keeps the subtraction free of cancellation, as
 * the two-pass formula would, at half the cost.
 */
function maximiseUnivariate(
  x: Float64Array,
  rows: number,
  model: GaussianHmm,
  posteriors: Float64Array,
  floor: Float64Array,
  work: MaximisationWork,
): void {
  const k = model.states;
  const { occupancy, sums, scatter } = work;
  if (k === 3) univariateStatistics3(x, rows, model.means, posteriors, occupancy, sums, scatter);
  else {
    for (let t = 0; t < rows; t++) {
      const xt = x[t]!;
      const o = t * k;
      for (let s = 0; s < k; s++) {
        const g = posteriors[o + s]!;
        const u = xt - model.means[s]!;
        const gu = g * u;
        occupancy[s] = occupancy[s]! + g;
        sums[s] = sums[s]! + gu;
        scatter[s] = scatter[s]! + gu * u;
      }
    }
  }
  let pooled = 0;
  let total = 0;
  for (let s = 0; s < k; s++) {
    const w = occupancy[s]!;
    total += w;
    if (!(w > UNVISITED_OCCUPANCY)) continue;
    const shift = sums[s]! / w;
    model.means[s] = model.means[s]! + shift;
    const within = Math.max(0, scatter[s]! - sums[s]! * shift);
    pooled += within;
    model.covars[s] = Math.max(within / w, floor[0]!);
  }
  if (model.covariance === "tied") model.covars.fill(Math.max(pooled / total, floor[0]!));
}

// K = 3 unrolled, accumulators in locals (see the generic loop in maximiseUnivariate).
function univariateStatistics3(
  x: Float64Array,
  rows: number,
  means: Float64Array,
  posteriors: Float64Array,
  occupancy: Float64Array,
  sums: Float64Array,
  scatter: Float64Array,
): void {
  const c0 = means[0]!;
  const c1 = means[1]!;
  const c2 = means[2]!;
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  for (let t = 0, o = 0; t < rows; t++, o += 3) {
    const xt = x[t]!;
    const g0 = posteriors[o]!;
    const g1 = posteriors[o + 1]!;
    const g2 = posteriors[o + 2]!;
    const u0 = xt - c0;
    const u1 = xt - c1;
    const u2 = xt - c2;
    const gu0 = g0 * u0;
    const gu1 = g1 * u1;
    const gu2 = g2 * u2;
    w0 += g0;
    w1 += g1;
    w2 += g2;
    s0 += gu0;
    s1 += gu1;
    s2 += gu2;
    q0 += gu0 * u0;
    q1 += gu1 * u1;
    q2 += gu2 * u2;
  }
  occupancy[0] = w0;
  occupancy[1] = w1;
  occupancy[2] = w2;
  sums[0] = s0;
  sums[1] = s1;
  sums[2] = s2;
  scatter[0] = q0;
  scatter[1] = q1;
  scatter[2] = q2;
}

/** π and A from γ_0 and Σ ξ; a row with no expected transitions keeps its old values. */
function updateChain(model: GaussianHmm, posteriors: Float64Array, transitionCounts: Float64Array): void {
  const k = model.states;
  let total = 0;
  for (let s = 0; s < k; s++) total += posteriors[s]!;
  if (total > 0) for (let s = 0; s < k; s++) model.startProb[s] = posteriors[s]! / total;
  for (let i = 0; i < k; i++) {
    let rowSum = 0;
    for (let j = 0; j < k; j++) rowSum += transitionCounts[i * k + j]!;
    if (!(rowSum > 0)) continue;
    for (let j = 0; j < k; j++) model.transmat[i * k + j] = transitionCounts[i * k + j]! / rowSum;
  }
}

/** Σ_t γ_tk (x_t − μ_k)(x_t − μ_k)ᵀ per state (only the diagonal unless `full`). */
function accumulateScatter(
  x: Float64Array,
  rows: number,
  k: number,
  d: number,
  means: Float64Array,
  posteriors: Float64Array,
  full: boolean,
  scatter: Float64Array,
): void {
  if (d === 1) {
    for (let t = 0; t < rows; t++) {
      const xt = x[t]!;
      const o = t * k;
      for (let s = 0; s < k; s++) {
        const u = xt - means[s]!;
        scatter[s] = scatter[s]! + posteriors[o + s]! * u * u;
      }
    }
    return;
  }
  const u = new Float64Array(d);
  for (let t = 0; t < rows; t++) {
    for (let s = 0; s < k; s++) {
      const g = posteriors[t * k + s]!;
      const base = s * d * d;
      for (let j = 0; j < d; j++) u[j] = x[t * d + j]! - means[s * d + j]!;
      for (let a = 0; a < d; a++) {
        const ga = g * u[a]!;
        if (full) {
          for (let b = 0; b <= a; b++) scatter[base + a * d + b] = scatter[base + a * d + b]! + ga * u[b]!;
        } else {
          scatter[base + a * d + a] = scatter[base + a * d + a]! + ga * u[a]!;
        }
      }
    }
  }
  if (!full) return;
  for (let s = 0; s < k; s++) {
    const base = s * d * d;
    for (let a = 0; a < d; a++)
      for (let b = 0; b < a; b++) scatter[base + b * d + a] = scatter[base + a * d + b]!;
  }
}
