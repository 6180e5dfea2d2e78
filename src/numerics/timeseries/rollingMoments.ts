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
 * shift K (a recent window mean) and in units of a scale S (a power of two,
 * 1 unless the window's values would overflow or underflow when squared), as
 * the mean d̄ of the deviations `d = (x − K)/S` and M2 = Σ(d − d̄)²:
 * - when a value `x_new` replaces `x_old` (sliding Welford update,
 *   Welford 1962 adapted to a fixed window, cf. Chan, Golub & LeVeque 1983):
 *
 *       d̄'  = d̄ + (d_new − d_old)·(1/w)
 *       M2' = M2 + (d_new − d_old)·(d_new − d̄' + d_old − d̄)
 *
 * - each update adds to a running bound on the rounding error it can have
 *   made in M2: d_new and d_old are each off by up to ε·|d|, an error the
 *   update multiplies by (d_new − d̄' + d_old − d̄), and the sum rounds at
 *   ε·|M2|. When a value far larger than the rest leaves the window, M2
 *   falls by orders of magnitude while the bound stays the size of the
 *   departed value squared: once the bound exceeds (4w + 16) times M2 the
 *   update has cancelled, and the window is recomputed on the spot. (The
 *   mean's error is bounded by the same test: by Cauchy–Schwarz its
 *   accumulated ε·Σ|d|/w is then at most ε·√(4w + 16) standard deviations.)
 *   Without this, a spike of 1e8 among values near 1 left the moments at 0
 *   for up to w − 1 rows (pandas GH 37051 is the same reproducer).
 * - every `window` values, when the window first fills, and whenever the
 *   bound trips, the moments are recomputed from the buffer about a new
 *   shift K = the current mean: d̄ = Σ(x − K)/(S·w) and M2 = Σd² − w·d̄². The
 *   pass is repeated about K + S·d̄ when K was not within a standard
 *   deviation of the window's mean (w·d̄² > M2; K = Σx/w on the first full
 *   window or after a non-finite value), and in units of a power of two
 *   near the largest |d| when that lies outside 2^±480 (so that no square
 *   overflows or falls to subnormal). With K within a standard deviation of
 *   the mean, this "shifted data" pass has the accuracy of the textbook
 *   two-pass algorithm (Chan, Golub & LeVeque 1983) at half its cost.
 * - Between recomputations the bound keeps M2 within (4w + 16)·ε·(a small
 *   constant) of the exact value: the order of a two-pass computation's own
 *   error bound. In ordinary data it trips only where the variance falls
 *   steeply, so the cost stays O(1) amortised per value.
 * - 1/w and 1/(w − 1) are applied as products (the same in both forms), so
 *   results are within an ulp or two of the exact moments rather than
 *   correctly rounded.
 *
 * Because deviations from K are small, a series such as 1e7 + 0.1·noise
 * keeps full precision (NIST StRD NumAcc4 is reproduced to the precision of
 * its binary inputs), and a spike as large as 1e300 gives finite moments
 * while it is in the window and accurate ones once it has left.
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

/** Largest |deviation| (in units of the scale) an update takes: its square, summed over a window, stays finite. */
const HUGE = 2 ** 480;
/** Smallest |deviation| whose square keeps its precision (no subnormals). */
const TINY = 2 ** -480;
/** Passes a recomputation may take (a new shift, a new scale) before it settles. */
const MAX_PASSES = 6;

/**
 * The error bound that trips a recomputation, as a multiple of M2: 4w + 16,
 * above what ordinary data reach between two periodic recomputations
 * (about w + 4).
 */
function cancellationLimit(window: number): number {
  return 4 * window + 16;
}

/** Σx over the window's two runs, oldest first. */
function windowSum(values: Float64Array, a0: number, a1: number, b0: number, b1: number): number {
  let sum = 0;
  for (let i = a0; i < a1; i++) sum += values[i]!;
  for (let i = b0; i < b1; i++) sum += values[i]!;
  return sum;
}

/** Slots of the state a recomputation fills. */
const SHIFT = 0;
const SCALE = 1;
const MEAN_DEVIATION = 2;
const M2 = 3;

/**
 * Recomputes the moments of a window held as up to two runs of `values`,
 * [a0, a1) then [b0, b1), oldest first, into `state` (SHIFT, SCALE,
 * MEAN_DEVIATION, M2), starting from the shift and scale it holds.
 */
function recomputeWindow(
  values: Float64Array,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  w: number,
  state: Float64Array,
): void {
  let shift = state[SHIFT]! + state[MEAN_DEVIATION]! * state[SCALE]!;
  let summed = !Number.isFinite(shift);
  if (summed) shift = windowSum(values, a0, a1, b0, b1) / w;
  let scale = 1;
  let meanDeviation = 0;
  let m2 = 0;
  for (let pass = 1; ; pass++) {
    const inverse = 1 / scale;
    let deviationSum = 0;
    let squareSum = 0;
    let largest = 0;
    for (let i = a0; i < a1; i++) {
      const d = (values[i]! - shift) * inverse;
      deviationSum += d;
      squareSum += d * d;
      const size = Math.abs(d);
      if (size > largest) largest = size;
    }
    for (let i = b0; i < b1; i++) {
      const d = (values[i]! - shift) * inverse;
      deviationSum += d;
      squareSum += d * d;
      const size = Math.abs(d);
      if (size > largest) largest = size;
    }
    meanDeviation = deviationSum / w;
    m2 = squareSum - deviationSum * meanDeviation;
    if (pass === MAX_PASSES || !Number.isFinite(largest)) break;
    if (largest > HUGE || (largest < TINY && largest > 0)) {
      // squares would overflow or lose precision: the same pass in units of a power of two near the largest
      scale *= 2 ** Math.floor(Math.log2(largest));
      continue;
    }
    if (meanDeviation * meanDeviation * w > m2) {
      // the shift is not within a standard deviation of the mean: the first pass of a two-pass
      // algorithm gives one that is (and a second refinement covers a nearly constant window)
      if (summed) shift += meanDeviation * scale;
      else {
        shift = windowSum(values, a0, a1, b0, b1) / w;
        summed = true;
        scale = 1;
      }
      continue;
    }
    break;
  }
  state[SHIFT] = shift;
  state[SCALE] = scale;
  state[MEAN_DEVIATION] = meanDeviation;
  state[M2] = m2;
}

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
  private readonly limit: number;
  private readonly ring: Float64Array;
  /** Scratch for recomputeWindow: SHIFT, SCALE, MEAN_DEVIATION, M2. */
  private readonly state = new Float64Array(4);
  /** Index of the oldest value once the window is full. */
  private oldest = 0;
  private seen = 0;
  private sinceRecompute = 0;
  private shift = Number.NaN;
  private scale = 1;
  private inverseScale = 1;
  private meanDeviation = 0;
  private m2 = 0;
  private m2Bound = 0;
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
    this.limit = cancellationLimit(window);
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
    const inverse = this.inverseScale;
    const meanBefore = this.meanDeviation;
    const dNew = (x - shift) * inverse;
    const dOld = (old - shift) * inverse;
    const change = dNew - dOld;
    const meanAfter = meanBefore + change * this.inverseWindow;
    const m2 = this.m2 + change * (dNew - meanAfter + dOld - meanBefore);
    this.meanDeviation = meanAfter;
    this.m2 = m2;
    // Rounding bound of this update: d_new and d_old are each off by up to ε·|d|, which the
    // products carry into M2 times (d_new − d̄' + d_old − d̄); the sum itself rounds at ε·|M2|.
    const size = Math.abs(dNew) + Math.abs(dOld);
    const m2Bound = this.m2Bound + size * (size + Math.abs(meanAfter) + Math.abs(meanBefore)) + Math.abs(m2);
    this.m2Bound = m2Bound;
    if (size > HUGE || m2Bound > this.limit * m2) this.recompute();
  }

  /** Number of values seen so far, capped at the window length. */
  get count(): number {
    return this.seen;
  }

  /** Mean of the last `window` values; NaN while fewer have been pushed. */
  mean(): number {
    if (this.seen < this.window) return Number.NaN;
    if (this.runLength >= this.window) return this.lastValue;
    return this.shift + this.meanDeviation * this.scale;
  }

  /** Sample standard deviation (ddof = 1) of the last `window` values; NaN while fewer have been pushed. */
  std(): number {
    const w = this.window;
    if (this.seen < w || w < 2) return Number.NaN;
    if (this.runLength >= w) return 0;
    const m2 = this.m2;
    return m2 < 0 ? 0 : Math.sqrt(m2 * this.inverseDdof) * this.scale;
  }

  /** Recomputation over the buffer, oldest value first (see recomputeWindow). */
  private recompute(): void {
    const start = this.oldest;
    const state = this.state;
    state[SHIFT] = this.shift;
    state[SCALE] = this.scale;
    state[MEAN_DEVIATION] = this.meanDeviation;
    recomputeWindow(this.ring, start, this.window, 0, start, this.window, state);
    this.shift = state[SHIFT]!;
    this.scale = state[SCALE]!;
    this.inverseScale = 1 / this.scale;
    this.meanDeviation = state[MEAN_DEVIATION]!;
    this.m2 = state[M2]!;
    this.m2Bound = 0;
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
 * of a ring buffer). O(n) time, no allocation beyond a four-slot state.
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
  const limit = cancellationLimit(w);
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
  const state = Float64Array.of(Number.NaN, 1, 0, 0);
  // Runs of sliding updates between recomputations, as RollingMoments.push: a recomputation at i
  // (the first full window, every w values, or where the bound trips), then up to w − 1 updates.
  let counted = false; // whether the run length already includes x[i] (the bound tripped at i)
  for (let i = head; i < n; ) {
    const v = x[i]!;
    if (!counted) {
      if (v === lastValue) runLength++;
      else {
        runLength = 1;
        lastValue = v;
      }
    }
    counted = false;
    recomputeWindow(x, i - w + 1, i + 1, 0, 0, w, state);
    const shift = state[SHIFT]!;
    const scale = state[SCALE]!;
    const inverseScale = 1 / scale;
    let meanDeviation = state[MEAN_DEVIATION]!;
    let m2 = state[M2]!;
    if (runLength >= w) {
      outMean[i] = v;
      outStd[i] = w < 2 ? Number.NaN : 0;
    } else {
      outMean[i] = shift + meanDeviation * scale;
      outStd[i] = w < 2 ? Number.NaN : m2 < 0 ? 0 : Math.sqrt(m2 * inverseDdof) * scale;
    }
    i++;
    let m2Bound = 0;
    for (const end = Math.min(n, i + w - 1); i < end; i++) {
      const u = x[i]!;
      if (u === lastValue) runLength++;
      else {
        runLength = 1;
        lastValue = u;
      }
      const dNew = (u - shift) * inverseScale;
      const dOld = (x[i - w]! - shift) * inverseScale;
      const change = dNew - dOld;
      const meanAfter = meanDeviation + change * inverseWindow;
      const m2After = m2 + change * (dNew - meanAfter + dOld - meanDeviation);
      const size = Math.abs(dNew) + Math.abs(dOld);
      m2Bound += size * (size + Math.abs(meanAfter) + Math.abs(meanDeviation)) + Math.abs(m2After);
      meanDeviation = meanAfter;
      m2 = m2After;
      if (size > HUGE || m2Bound > limit * m2) {
        counted = true;
        break;
      }
      if (runLength >= w) {
        outMean[i] = u;
        outStd[i] = w < 2 ? Number.NaN : 0;
      } else {
        outMean[i] = shift + meanDeviation * scale;
        outStd[i] = w < 2 ? Number.NaN : m2 < 0 ? 0 : Math.sqrt(m2 * inverseDdof) * scale;
      }
    }
    // the next recomputation starts from the current mean, as RollingMoments' does
    state[MEAN_DEVIATION] = meanDeviation;
  }
}
