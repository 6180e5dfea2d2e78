/**
 * Rolling mean and sample standard deviation over a fixed window, the one
 * rolling-window kernel of hftlab: `meanrev` runs it over whole columns
 * (`rollingMeanStd`) and `stream` pushes ticks through `RollingMoments`; both
 * perform the same floating-point operations in the same order, so their
 * numbers are bit-identical.
 *
 * Conventions (pandas `Series.rolling(window).mean()` / `.std()`): the window
 * ends at, and includes, the current value; the first `window − 1` outputs
 * are NaN; the standard deviation is the sample one (ddof = 1), so a window
 * of 1 gives NaN; a window whose values are all identical gives that value as
 * mean and exactly 0 as standard deviation.
 *
 * Method: the window lives in a ring buffer. The moments are kept about a
 * shift K (a recent window mean), as mean of the deviations `d = x − K` and
 * M2 = Σ(d − d̄)²:
 * - when a value `x_new` replaces `x_old` (sliding Welford update,
 *   Welford 1962 adapted to a fixed window, cf. Chan, Golub & LeVeque 1983):
 *
 *       d̄'  = d̄ + (d_new − d_old)·(1/w)
 *       M2' = M2 + (d_new − d_old)·(d_new − d̄' + d_old − d̄)
 *
 * - every `window` values (and when the window first fills) the moments
 *   are recomputed from the buffer about a new shift K = the current mean
 *   (on the first full window, or after a non-finite value, K = Σx/w from an
 *   extra pass): d̄ = Σ(x − K)/w and M2 = Σ(x − K)² − w·d̄². With K within
 *   rounding of the window mean, d̄ is at rounding level and this "shifted
 *   data" pass is as accurate as the textbook two-pass algorithm (Chan,
 *   Golub & LeVeque 1983) at half its cost. Rounding error therefore never
 *   accumulates over more than `window` updates, whatever the series
 *   length, at an amortised O(1) cost per value.
 * - 1/w and 1/(w − 1) are applied as products (the same in both forms), so
 *   results are within an ulp or two of the exact moments rather than
 *   correctly rounded.
 *
 * Because deviations from K are small, a series such as 1e7 + 0.1·noise
 * keeps full precision (NIST StRD NumAcc4 is reproduced to the precision of
 * its binary inputs).
 *
 * Inputs are expected to be finite; a NaN poisons the moments until the
 * first recomputation after it has left the window.
 *
 * References:
 * - B. P. Welford (1962), "Note on a method for calculating corrected sums of
 *   squares and products", Technometrics 4(3), 419–420. doi:10.1080/00401706.1962.10490022
 * - T. F. Chan, G. H. Golub, R. J. LeVeque (1983), "Algorithms for computing
 *   the sample variance: analysis and recommendations", The American
 *   Statistician 37(3), 242–247. doi:10.1080/00031305.1983.10483115
 * - NIST Statistical Reference Datasets, univariate summary statistics,
 *   NumAcc4. https://www.itl.nist.gov/div898/strd/univ/numacc4.html
 */

/**
 * Incremental rolling mean and sample standard deviation (ddof = 1): O(1)
 * amortised work and O(window) memory per series.
 *
 * @example
 * const rolling = new RollingMoments(3);
 * for (const x of [1, 2, 4, 8]) rolling.push(x);
 * rolling.mean(); // => 4.666666666666666  (mean of 2, 4, 8; 14/3 to within one ulp)
 * rolling.std(); // => 3.055050463303893   (pandas: Series([1,2,4,8]).rolling(3).std())
 */
export class RollingMoments {
  private readonly window: number;
  private readonly inverseWindow: number;
  private readonly inverseDdof: number;
  private readonly ring: Float64Array;
  /** Index of the oldest value once the window is full. */
  private oldest = 0;
  private seen = 0;
  private sinceRecompute = 0;
  private shift = Number.NaN;
  private meanDeviation = 0;
  private m2 = 0;
  private runLength = 0;
  private lastValue = Number.NaN;

  /** @throws RangeError when `window` is not a positive integer */
  constructor(window: number) {
    if (!Number.isInteger(window) || window < 1) {
      throw new RangeError(`rolling window must be a positive integer, got ${window}`);
    }
    this.window = window;
    this.inverseWindow = 1 / window;
    this.inverseDdof = 1 / (window - 1);
    this.ring = new Float64Array(window);
  }

  /** Adds the next value of the series (the window slides once it is full). */
  push(x: number): void {
    const w = this.window;
    if (x === this.lastValue) this.runLength++;
    else {
      this.runLength = 1;
      this.lastValue = x;
    }
    if (this.seen < w) {
      this.ring[this.seen++] = x;
      if (this.seen === w) this.recompute();
      return;
    }
    const slot = this.oldest;
    const old = this.ring[slot]!;
    this.ring[slot] = x;
    this.oldest = slot + 1 === w ? 0 : slot + 1;
    if (++this.sinceRecompute === w) {
      this.recompute();
      return;
    }
    const shift = this.shift;
    const meanBefore = this.meanDeviation;
    const dNew = x - shift;
    const dOld = old - shift;
    const change = dNew - dOld;
    const meanAfter = meanBefore + change * this.inverseWindow;
    this.m2 += change * (dNew - meanAfter + dOld - meanBefore);
    this.meanDeviation = meanAfter;
  }

  /** Number of values seen so far, capped at the window length. */
  get count(): number {
    return this.seen;
  }

  /** Mean of the last `window` values; NaN while fewer have been pushed. */
  mean(): number {
    if (this.seen < this.window) return Number.NaN;
    if (this.runLength >= this.window) return this.lastValue;
    return this.shift + this.meanDeviation;
  }

  /** Sample standard deviation (ddof = 1) of the last `window` values; NaN while fewer have been pushed. */
  std(): number {
    const w = this.window;
    if (this.seen < w || w < 2) return Number.NaN;
    if (this.runLength >= w) return 0;
    const m2 = this.m2;
    return m2 < 0 ? 0 : Math.sqrt(m2 * this.inverseDdof);
  }

  /**
   * Exact recomputation over the buffer, oldest value first, about the
   * current mean (or, on the first full window or after a non-finite value,
   * about a freshly summed mean).
   */
  private recompute(): void {
    const ring = this.ring;
    const w = this.window;
    const start = this.oldest;
    let shift = this.shift + this.meanDeviation;
    if (!Number.isFinite(shift)) {
      let sum = 0;
      for (let i = start; i < w; i++) sum += ring[i]!;
      for (let i = 0; i < start; i++) sum += ring[i]!;
      shift = sum / w;
    }
    let deviationSum = 0;
    let squareSum = 0;
    for (let i = start; i < w; i++) {
      const d = ring[i]! - shift;
      deviationSum += d;
      squareSum += d * d;
    }
    for (let i = 0; i < start; i++) {
      const d = ring[i]! - shift;
      deviationSum += d;
      squareSum += d * d;
    }
    const meanDeviation = deviationSum / w;
    this.shift = shift;
    this.meanDeviation = meanDeviation;
    this.m2 = squareSum - deviationSum * meanDeviation;
    this.sinceRecompute = 0;
  }
}

/**
 * Rolling mean and sample standard deviation (ddof = 1) of a whole series,
 * pandas `rolling(window)` conventions: `outMean[i]`, `outStd[i]` describe
 * `x[i − window + 1 .. i]`; the first `window − 1` entries are NaN.
 *
 * Bit-identical to pushing `x` through a `RollingMoments(window)` one value
 * at a time and reading `mean()`/`std()` after each push (the same
 * operations in the same order, inlined; the window is read from `x` instead
 * of a ring buffer). O(n) time, no allocation.
 *
 * @param x the series
 * @param window window length (positive integer)
 * @param outMean receives the rolling means (length ≥ x.length)
 * @param outStd receives the rolling standard deviations (length ≥ x.length)
 * @throws RangeError on a bad window or short output arrays
 *
 * @example
 * const mean = new Float64Array(4);
 * const std = new Float64Array(4);
 * rollingMeanStd(new Float64Array([1, 2, 4, 8]), 3, mean, std);
 * // mean => [NaN, NaN, 2.3333333333333335, 4.666666666666666]
 * // std  => [NaN, NaN, 1.5275252316519465, 3.055050463303893]
 */
export function rollingMeanStd(
  x: Float64Array,
  window: number,
  outMean: Float64Array,
  outStd: Float64Array,
): void {
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(`rolling window must be a positive integer, got ${window}`);
  }
  const n = x.length;
  if (outMean.length < n || outStd.length < n) throw new RangeError("output arrays shorter than the input");
  const w = window;
  const inverseWindow = 1 / w;
  const inverseDdof = 1 / (w - 1);
  const head = Math.min(w - 1, n);
  let runLength = 0;
  let lastValue = Number.NaN;
  for (let i = 0; i < head; i++) {
    const v = x[i]!;
    if (v === lastValue) runLength++;
    else {
      runLength = 1;
      lastValue = v;
    }
    outMean[i] = Number.NaN;
    outStd[i] = Number.NaN;
  }
  let shift = Number.NaN;
  let meanDeviation = 0;
  let m2 = 0;
  let sinceRecompute = 0;
  for (let i = head; i < n; i++) {
    const v = x[i]!;
    if (v === lastValue) runLength++;
    else {
      runLength = 1;
      lastValue = v;
    }
    if (i === w - 1 || ++sinceRecompute === w) {
      // Exact recomputation, as RollingMoments.recompute.
      const from = i - w + 1;
      shift += meanDeviation;
      if (!Number.isFinite(shift)) {
        let sum = 0;
        for (let j = from; j <= i; j++) sum += x[j]!;
        shift = sum / w;
      }
      let deviationSum = 0;
      let squareSum = 0;
      for (let j = from; j <= i; j++) {
        const d = x[j]! - shift;
        deviationSum += d;
        squareSum += d * d;
      }
      meanDeviation = deviationSum / w;
      m2 = squareSum - deviationSum * meanDeviation;
      sinceRecompute = 0;
    } else {
      const dNew = v - shift;
      const dOld = x[i - w]! - shift;
      const change = dNew - dOld;
      const meanAfter = meanDeviation + change * inverseWindow;
      m2 += change * (dNew - meanAfter + dOld - meanDeviation);
      meanDeviation = meanAfter;
    }
    if (runLength >= w) {
      outMean[i] = v;
      outStd[i] = w < 2 ? Number.NaN : 0;
    } else {
      outMean[i] = shift + meanDeviation;
      outStd[i] = w < 2 ? Number.NaN : m2 < 0 ? 0 : Math.sqrt(m2 * inverseDdof);
    }
  }
}
