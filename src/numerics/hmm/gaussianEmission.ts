import { choleskyInPlace, forwardSubstitute } from "../linalg/cholesky.js";
import { expNonPositive } from "../special/expNonPositive.js";
import type { GaussianHmm } from "./model.js";

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Per-state factors of the Gaussian densities: the Cholesky factor L_k of
 * each covariance (K×d×d, lower triangle) and the log normalising constant
 * −½(d·ln 2π + ln det Σ_k) = −½d·ln 2π − Σ_j ln L_k,jj.
 */
export interface EmissionFactors {
  cholesky: Float64Array;
  logNormaliser: Float64Array;
}

/**
 * Factors every state's covariance. Returns the index of the first state
 * whose covariance is not (numerically) positive definite, or the factors.
 *
 * @example
 * // one state, one feature, variance 4: L = 2, log normaliser −½ln(2π·4)
 * emissionFactors({ states: 1, dimension: 1, covars: Float64Array.of(4), … }).logNormaliser // => [-1.612…]
 */
export function emissionFactors(model: GaussianHmm): EmissionFactors | { notPositiveDefinite: number } {
  const k = model.states;
  const d = model.dimension;
  const cholesky = Float64Array.from(model.covars);
  const logNormaliser = new Float64Array(k);
  for (let s = 0; s < k; s++) {
    const block = cholesky.subarray(s * d * d, (s + 1) * d * d);
    if (d === 1) {
      const variance = block[0]!;
      if (!(variance > 0) || !Number.isFinite(variance)) return { notPositiveDefinite: s };
      block[0] = Math.sqrt(variance);
    } else if (choleskyInPlace(block, d, d) !== d) {
      return { notPositiveDefinite: s };
    }
    let logDiagonal = 0;
    for (let j = 0; j < d; j++) logDiagonal += Math.log(block[j * d + j]!);
    logNormaliser[s] = -0.5 * d * LOG_2PI - logDiagonal;
  }
  return { cholesky, logNormaliser };
}

/**
 * Log densities log N(x_t; μ_k, Σ_k) into `out` (T×K row-major):
 * −½(d ln 2π + ln det Σ_k) − ½‖L_k⁻¹(x_t − μ_k)‖².
 *
 * @param x observations, T×d row-major
 */
export function logEmissions(
  x: Float64Array,
  rows: number,
  model: GaussianHmm,
  factors: EmissionFactors,
  out: Float64Array,
): void {
  const k = model.states;
  const d = model.dimension;
  const z = new Float64Array(d);
  for (let t = 0; t < rows; t++) {
    for (let s = 0; s < k; s++) out[t * k + s] = stateLogDensity(x, t, d, s, model.means, factors, z);
  }
}

function stateLogDensity(
  x: Float64Array,
  t: number,
  d: number,
  s: number,
  means: Float64Array,
  factors: EmissionFactors,
  z: Float64Array,
): number {
  if (d === 1) {
    const u = (x[t]! - means[s]!) / factors.cholesky[s]!;
    return factors.logNormaliser[s]! - 0.5 * u * u;
  }
  for (let j = 0; j < d; j++) z[j] = x[t * d + j]! - means[s * d + j]!;
  forwardSubstitute(factors.cholesky.subarray(s * d * d, (s + 1) * d * d), d, d, z);
  let q = 0;
  for (let j = 0; j < d; j++) q += z[j]! * z[j]!;
  return factors.logNormaliser[s]! - 0.5 * q;
}

/**
 * Emission likelihoods scaled per row so that they cannot underflow:
 * `scaled[t·K + k] = exp(log b_k(x_t) − m_t)` with m_t = max_k log b_k(x_t)
 * written to `rowLogScale[t]`. The forward–backward recursions are invariant
 * to a per-row factor, and the log-likelihood adds Σ_t m_t back.
 *
 * The univariate case (d = 1) is specialised: it is the hot loop of every
 * regime fit (T·K exponentials per EM iteration, nothing else costly).
 */
export function scaledEmissions(
  x: Float64Array,
  rows: number,
  model: GaussianHmm,
  factors: EmissionFactors,
  scaled: Float64Array,
  rowLogScale: Float64Array,
): void {
  const k = model.states;
  if (model.dimension === 1) {
    scaledUnivariate(x, rows, k, model.means, factors, scaled, rowLogScale);
    return;
  }
  logEmissions(x, rows, model, factors, scaled);
  for (let t = 0; t < rows; t++) {
    const o = t * k;
    let max = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < k; s++) if (scaled[o + s]! > max) max = scaled[o + s]!;
    rowLogScale[t] = max;
    for (let s = 0; s < k; s++) scaled[o + s] = expNonPositive(scaled[o + s]! - max);
  }
}

// Readable version: scaled[t,k] = exp(logN(x_t; μ_k, σ_k²) − max_j logN(x_t; μ_j, σ_j²)).
// Written with the per-state constants hoisted and the log densities kept in the output row.
function scaledUnivariate(
  x: Float64Array,
  rows: number,
  k: number,
  means: Float64Array,
  factors: EmissionFactors,
  scaled: Float64Array,
  rowLogScale: Float64Array,
): void {
  const halfPrecision = new Float64Array(k);
  for (let s = 0; s < k; s++) {
    const sd = factors.cholesky[s]!;
    halfPrecision[s] = 0.5 / (sd * sd);
  }
  const logNormaliser = factors.logNormaliser;
  if (k === 3) {
    scaledUnivariate3(x, rows, means, logNormaliser, halfPrecision, scaled, rowLogScale);
    return;
  }
  for (let t = 0; t < rows; t++) {
    const xt = x[t]!;
    const o = t * k;
    let max = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < k; s++) {
      const u = xt - means[s]!;
      const v = logNormaliser[s]! - halfPrecision[s]! * u * u;
      scaled[o + s] = v;
      if (v > max) max = v;
    }
    rowLogScale[t] = max;
    // The largest entry is exp(0) = 1 exactly: one exponential fewer per row.
    for (let s = 0; s < k; s++) {
      const v = scaled[o + s]!;
      scaled[o + s] = v === max ? 1 : expNonPositive(v - max);
    }
  }
}

// K = 3 unrolled (the regime default): constants in locals and no data-dependent branch
// (which state is the row's maximum is random, and mispredicted branches cost more than e^0).
function scaledUnivariate3(
  x: Float64Array,
  rows: number,
  means: Float64Array,
  logNormaliser: Float64Array,
  halfPrecision: Float64Array,
  scaled: Float64Array,
  rowLogScale: Float64Array,
): void {
  const m0 = means[0]!;
  const m1 = means[1]!;
  const m2 = means[2]!;
  const n0 = logNormaliser[0]!;
  const n1 = logNormaliser[1]!;
  const n2 = logNormaliser[2]!;
  const h0 = halfPrecision[0]!;
  const h1 = halfPrecision[1]!;
  const h2 = halfPrecision[2]!;
  for (let t = 0, o = 0; t < rows; t++, o += 3) {
    const xt = x[t]!;
    const u0 = xt - m0;
    const u1 = xt - m1;
    const u2 = xt - m2;
    const v0 = n0 - h0 * u0 * u0;
    const v1 = n1 - h1 * u1 * u1;
    const v2 = n2 - h2 * u2 * u2;
    const max = Math.max(v0, v1, v2);
    rowLogScale[t] = max;
    scaled[o] = expNonPositive(v0 - max);
    scaled[o + 1] = expNonPositive(v1 - max);
    scaled[o + 2] = expNonPositive(v2 - max);
  }
}
