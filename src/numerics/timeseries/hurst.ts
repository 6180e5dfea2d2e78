import { neumaierSum } from "../stats/summation.js";

/**
 * Hurst exponent estimators of a series of increments (returns, price
 * changes): rescaled range with the Anis–Lloyd–Peters small-sample
 * correction, and first-order detrended fluctuation analysis. Both give
 * ≈ 0.5 for independent increments (a random walk in levels), less for
 * anti-persistent increments (a mean-reverting level series) and more for
 * persistent ones.
 *
 * Window sizes (both methods): log-spaced from 16 points (below which R/S
 * and a linear detrend are dominated by noise) to a quarter of the series
 * (so the largest size still averages four non-overlapping windows), with
 * ratio r = max(√2, (⌊N/4⌋/16)^{1/19}) between neighbours — two sizes per octave,
 * but never more than 20 sizes: n_k = round(16·r^k) while n_k ≤ N/4,
 * deduplicated. Windows tile the series from its start; the incomplete last
 * window is left out. At least 3 sizes are needed (16, 23, 32), hence NaN for
 * N < 128 (`HURST_MIN_LENGTH`).
 * Cost: O(N) per size, at most 20 sizes.
 */

/** Smallest window size, in points. */
export const HURST_MIN_WINDOW = 16;
/** Shortest series for which a Hurst exponent is returned (3 window sizes). */
export const HURST_MIN_LENGTH = 128;

/** Most window sizes used, whatever the length. */
export const HURST_MAX_SIZES = 20;

/**
 * The window sizes used for a series of length `length` (see the module
 * comment), ascending.
 *
 * @example
 * hurstWindowSizes(200); // => [16, 23, 32, 45]
 * hurstWindowSizes(2_000_000).length; // => 20
 */
export function hurstWindowSizes(length: number): number[] {
  const sizes: number[] = [];
  const largest = Math.floor(length / 4);
  const ratio = Math.max(Math.SQRT2, (largest / HURST_MIN_WINDOW) ** (1 / (HURST_MAX_SIZES - 1)));
  for (let k = 0; ; k++) {
    const size = Math.round(HURST_MIN_WINDOW * ratio ** k);
    if (size > largest) break;
    if (sizes.length === 0 || sizes[sizes.length - 1] !== size) sizes.push(size);
  }
  return sizes;
}

/**
 * Anis–Lloyd expected rescaled range of n iid normal values, with Peters'
 * correction factor (n − ½)/n:
 *
 *     E[R/S]_n = (n − ½)/n · Γ((n−1)/2) / (√π·Γ(n/2)) · Σ_{i=1}^{n−1} √((n − i)/i)
 *
 * The gamma ratio r(n) = Γ((n−1)/2)/Γ(n/2) is computed exactly by the
 * recurrence r(n + 2) = r(n)·(n − 1)/n from r(2) = √π, r(3) = 2/√π, for every
 * n (Weron's switch to the asymptotic 1/√(nπ/2) above n = 340 was only a
 * guard against overflow of Γ, which the recurrence avoids).
 *
 * References:
 * - A. A. Anis, E. H. Lloyd (1976), "The expected value of the adjusted
 *   rescaled Hurst range of independent normal summands", Biometrika 63(1),
 *   111–116. doi:10.1093/biomet/63.1.111
 * - E. E. Peters (1994), *Fractal Market Analysis*, Wiley, ch. 5.
 * - R. Weron (2002), "Estimating long-range dependence: finite sample
 *   properties and confidence intervals", Physica A 312(1–2), 285–299.
 *   doi:10.1016/S0378-4371(02)00961-5
 *
 * @param n window size, integer ≥ 2
 * @example
 * expectedRescaledRange(4); // => 1.4478629710818451  (7/8 · ½ · (√3 + 1 + √(1/3)) = 7/16 · (1 + 4/√3))
 */
export function expectedRescaledRange(n: number): number {
  if (!Number.isInteger(n) || n < 2) return Number.NaN;
  let ratio = n % 2 === 0 ? Math.sqrt(Math.PI) : 2 / Math.sqrt(Math.PI);
  for (let m = n % 2 === 0 ? 2 : 3; m < n; m += 2) ratio *= (m - 1) / m;
  const terms = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) terms[i - 1] = Math.sqrt((n - i) / i);
  return (((n - 0.5) / n) * ratio * neumaierSum(terms)) / Math.sqrt(Math.PI);
}

/**
 * Hurst exponent by rescaled-range (R/S) analysis with the Anis–Lloyd–Peters
 * correction, as in Weron (2002):
 *
 * 1. for each window size n, split the increments into ⌊N/n⌋ windows; in
 *    each, with mean m and population sd S = sqrt(Σ(x − m)²/n), the range
 *    R = max_k Y_k − min_k Y_k of the partial sums Y_k = Σ_{j≤k}(x_j − m)
 *    (Y_0 = 0 included); (R/S)_n is the average of R/S over the windows
 *    with S > 0;
 * 2. H = 0.5 + the OLS slope of log (R/S)_n − log E[R/S]_n on log n, with
 *    E[R/S]_n from `expectedRescaledRange`.
 *
 * Window sizes and the minimum length: see the module comment. NaN when the
 * series is shorter than `HURST_MIN_LENGTH` or fewer than 3 sizes have a
 * non-constant window.
 *
 * References: Weron (2002) (see `expectedRescaledRange`); H. E. Hurst (1951),
 * "Long-term storage capacity of reservoirs", Trans. ASCE 116, 770–799.
 *
 * @param increments the series' increments x_t − x_{t−1} (or returns)
 * @example
 * // iid normal increments (a random walk in levels):
 * const rng = new Prng(1);
 * const noise = Float64Array.from({ length: 65536 }, () => rng.normal());
 * hurstRescaledRange(noise); // => 0.4879806285184599
 */
export function hurstRescaledRange(increments: Float64Array): number {
  const length = increments.length;
  if (length < HURST_MIN_LENGTH) return Number.NaN;
  const sizes = hurstWindowSizes(length);
  const logSizes: number[] = [];
  const logRatios: number[] = [];
  for (const n of sizes) {
    const rs = averageRescaledRange(increments, n);
    if (!(rs > 0)) continue;
    logSizes.push(Math.log(n));
    logRatios.push(Math.log(rs) - logExpectedRescaledRange(n));
  }
  if (logSizes.length < 3) return Number.NaN;
  return 0.5 + olsSlope(logSizes, logRatios);
}

/**
 * log E[R/S]_n, remembered: a scan of many series of one length (pairs)
 * asks for the same few sizes every time, and each costs n square roots.
 */
const logExpected = new Map<number, number>();

function logExpectedRescaledRange(n: number): number {
  let value = logExpected.get(n);
  if (value === undefined) {
    value = Math.log(expectedRescaledRange(n));
    logExpected.set(n, value);
  }
  return value;
}

/** Average R/S over the ⌊N/n⌋ windows of size n with non-zero spread; NaN if none. */
function averageRescaledRange(x: Float64Array, n: number): number {
  const windows = Math.floor(x.length / n);
  let total = 0;
  let counted = 0;
  for (let w = 0; w < windows; w++) {
    const start = w * n;
    const end = start + n;
    let sum = 0;
    for (let i = start; i < end; i++) sum += x[i]!;
    const mean = sum / n;
    // Readable form: Y_k = Σ_{j≤k}(x_j − mean); R = max Y − min Y; S² = Σ(x − mean)²/n.
    // Math.max/min rather than comparisons: the same R in every window that counts (they differ
    // only on a NaN, and then S² is NaN and the window is left out; or in the sign of a zero
    // lowest, which R = highest − lowest does not see), without a branch per point.
    let partial = 0;
    let highest = 0;
    let lowest = 0;
    let squares = 0;
    for (let i = start; i < end; i++) {
      const deviation = x[i]! - mean;
      partial += deviation;
      squares += deviation * deviation;
      highest = Math.max(highest, partial);
      lowest = Math.min(lowest, partial);
    }
    if (squares > 0) {
      total += (highest - lowest) / Math.sqrt(squares / n);
      counted++;
    }
  }
  return counted > 0 ? total / counted : Number.NaN;
}

/**
 * Hurst exponent by first-order detrended fluctuation analysis (DFA-1):
 *
 * 1. profile Y_k = Σ_{j≤k}(x_j − x̄), k = 1 … N;
 * 2. for each window size n, split the profile into ⌊N/n⌋ windows, fit a
 *    least-squares line in each, and let F²(n) be the mean over windows of
 *    the residual mean square;
 * 3. H = the OLS slope of log F(n) on log n.
 *
 * Each window's line fit uses closed-form sums over i = 0 … n−1 (Σi and
 * Σ(i − ī)² are exact integers) on values shifted by the window's first
 * profile value, so one pass per window suffices.
 *
 * Window sizes and the minimum length: see the module comment. NaN when the
 * series is shorter than `HURST_MIN_LENGTH` or is constant.
 *
 * References:
 * - C.-K. Peng et al. (1994), "Mosaic organization of DNA nucleotides",
 *   Phys. Rev. E 49, 1685. doi:10.1103/PhysRevE.49.1685
 * - J. W. Kantelhardt et al. (2001), "Detecting long-range correlations with
 *   detrended fluctuation analysis", Physica A 295, 441–454.
 *   doi:10.1016/S0378-4371(01)00144-3
 * - R. Weron (2002), op. cit. (DFA's finite-sample behaviour).
 *
 * @param increments the series' increments x_t − x_{t−1} (or returns)
 * @example
 * const rng = new Prng(1);
 * const noise = Float64Array.from({ length: 65536 }, () => rng.normal());
 * hurstDfa(noise); // => 0.48428330183037516 (iid increments: ≈ 0.5)
 */
export function hurstDfa(increments: Float64Array): number {
  const length = increments.length;
  if (length < HURST_MIN_LENGTH) return Number.NaN;
  const mean = neumaierSum(increments) / length;
  const profile = new Float64Array(length);
  let running = 0;
  for (let i = 0; i < length; i++) {
    running += increments[i]! - mean;
    profile[i] = running;
  }
  const logSizes: number[] = [];
  const logFluctuations: number[] = [];
  for (const n of hurstWindowSizes(length)) {
    const f2 = meanDetrendedSquare(profile, n);
    if (!(f2 > 0)) continue;
    logSizes.push(Math.log(n));
    logFluctuations.push(0.5 * Math.log(f2));
  }
  if (logSizes.length < 3) return Number.NaN;
  return olsSlope(logSizes, logFluctuations);
}

/** Mean over the ⌊N/n⌋ windows of the residual mean square about each window's least-squares line. */
function meanDetrendedSquare(profile: Float64Array, n: number): number {
  const windows = Math.floor(profile.length / n);
  const sumIndex = (n * (n - 1)) / 2;
  const centredIndexSquares = (n * (n * n - 1)) / 12;
  let total = 0;
  for (let w = 0; w < windows; w++) {
    const start = w * n;
    const origin = profile[start]!;
    let sy = 0;
    let siy = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      const y = profile[start + i]! - origin;
      sy += y;
      siy += i * y;
      syy += y * y;
    }
    const centredYy = syy - (sy * sy) / n;
    const centredIy = siy - (sumIndex * sy) / n;
    const residual = centredYy - (centredIy * centredIy) / centredIndexSquares;
    total += residual > 0 ? residual / n : 0;
  }
  return total / windows;
}

/** Ordinary least-squares slope of y on x (two-pass, centred). */
function olsSlope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) * (x[i]! - mx);
  }
  return sxy / sxx;
}
