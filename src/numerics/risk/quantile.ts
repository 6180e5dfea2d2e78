/**
 * Sample quantiles by selection (no full sort): numpy's default "linear"
 * rule (R's type 7, with numpy's rounding).
 */

/**
 * Quantiles of `values` at each probability of `probabilities` (each in
 * [0, 1]) by linear interpolation between order statistics (Hyndman & Fan's
 * definition 7: h = (n − 1)·p, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)),
 * written into `out`.
 *
 * Rounded as numpy ≥ 1.22 `quantile(method="linear")` rounds, so the
 * digits match: virtual index n·p + (1 − p) − 1, and `_lerp` (a + t(b − a),
 * or b − (1 − t)(b − a) when t ≥ ½).
 *
 * Method: the order statistics on both sides of each h are found by
 * {@link orderStatistics} (`scratch`, length ≥ n, is overwritten): a
 * sampled one-pass band selection for long series, introselect on a copy
 * otherwise. O(n) expected, against O(n log n) for a sort: the four
 * quantiles of 2M returns take ~6 ms.
 *
 * References: R. J. Hyndman, Y. Fan (1996), "Sample quantiles in
 * statistical packages", *The American Statistician* 50(4), 361–365;
 * D. R. Musser (1997), "Introspective sorting and selection algorithms",
 * *Software: Practice and Experience* 27(8), 983–993.
 *
 * @example
 * linearQuantiles(new Float64Array([3, 1, 4, 1, 5]), [0.05, 0.5, 0.95], new Float64Array(5), new Float64Array(3));
 * // => [1, 3, 4.8]   (numpy.quantile([3, 1, 4, 1, 5], [0.05, 0.5, 0.95]): [1., 3., 4.8])
 */
export function linearQuantiles(
  values: Float64Array,
  probabilities: readonly number[],
  scratch: Float64Array,
  out: Float64Array,
): Float64Array {
  const n = values.length;
  if (n === 0) throw new RangeError("quantiles of an empty series");
  if (scratch.length < n || out.length < probabilities.length)
    throw new RangeError("scratch or output too short");
  const { lower, fraction } = quantilePositions(n, probabilities);
  const ranks = new Set<number>();
  probabilities.forEach((_, k) => {
    ranks.add(lower[k]!);
    if (fraction[k]! > 0 && lower[k]! + 1 < n) ranks.add(lower[k]! + 1);
  });
  const sortedRanks = Int32Array.from(ranks).sort();
  const statistics = orderStatistics(values, sortedRanks, scratch);
  const valueAt = (rank: number) => statistics[sortedRanks.indexOf(rank)]!;
  probabilities.forEach((_, k) => {
    const index = lower[k]!;
    const t = fraction[k]!;
    out[k] = t === 0 || index + 1 >= n ? valueAt(index) : interpolate(valueAt(index), valueAt(index + 1), t);
  });
  return out;
}

/** Where each quantile of n sorted values lies: between ranks lower[k] and lower[k] + 1, at fraction[k]. */
export interface QuantilePositions {
  lower: Int32Array;
  fraction: Float64Array;
}

/**
 * The positions of {@link linearQuantiles}: numpy's virtual index
 * n·p + (1 − p) − 1, clamped to [0, n − 1], split into its floor and
 * fraction. Shared with the sliding window of the VaR backtest, so both
 * interpolate between the same order statistics with the same weights.
 *
 * @throws RangeError when a probability lies outside [0, 1]
 * @example
 * quantilePositions(5, [0.05, 0.95]); // => { lower: [0, 3], fraction: [0.2, 0.8] } (to rounding)
 */
export function quantilePositions(n: number, probabilities: readonly number[]): QuantilePositions {
  const lower = new Int32Array(probabilities.length);
  const fraction = new Float64Array(probabilities.length);
  probabilities.forEach((p, k) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability ${p} outside [0, 1]`);
    const virtual = Math.min(Math.max(n * p + (1 - p) - 1, 0), n - 1);
    const index = Math.floor(virtual);
    lower[k] = index;
    fraction[k] = virtual - index;
  });
  return { lower, fraction };
}

/**
 * numpy's `_lerp` of two neighbouring order statistics a ≤ b at t ∈ (0, 1):
 * a + t(b − a), or b − (1 − t)(b − a) when t ≥ ½ (so t near 1 rounds toward b).
 *
 * @example
 * interpolate(4, 5, 0.8); // => 4.8
 */
export function interpolate(a: number, b: number, t: number): number {
  const difference = b - a;
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}

/** Below this many values the selection runs on a copy of the whole series. */
const SAMPLED_SELECTION_FROM = 1 << 16;
const SAMPLE_SIZE = 8192;

/**
 * The values of the given ranks (ascending, 0-based) in sorted order.
 *
 * Method: for a long series, a sample of every (n/8192)-th value is sorted
 * and, around each wanted rank's place in it, a band [lo, hi] chosen wide
 * enough (3.5 binomial standard deviations and some slack) to hold the
 * wanted order statistic almost surely. A branch-free pass keeps the values
 * outside the widest gap between bands (the tails, for VaR levels); a
 * second pass over those counts the values below each band and collects
 * the band's own, and the ranks are selected within their bands (a few
 * thousand values each). If a band misses its rank (the sample misled, e.g.
 * on data sorted in blocks) or the tails hold more than a quarter of the
 * values, the exact fallback selects on a copy of the whole series. Either way the result is the exact order statistic: the sample
 * decides only how much work it takes (Floyd & Rivest's idea, one pass).
 *
 * Reference: R. W. Floyd, R. L. Rivest (1975), "Expected time bounds for
 * selection", *Communications of the ACM* 18(3), 165–172.
 */
export function orderStatistics(
  values: Float64Array,
  ranks: Int32Array,
  scratch: Float64Array,
): Float64Array {
  const n = values.length;
  if (n >= SAMPLED_SELECTION_FROM) {
    const sampled = sampledOrderStatistics(values, ranks, scratch);
    if (sampled !== null) return sampled;
  }
  scratch.set(values);
  const out = new Float64Array(ranks.length);
  let from = 0;
  ranks.forEach((rank, k) => {
    select(scratch, from, n - 1, rank);
    out[k] = scratch[rank]!;
    from = rank + 1;
  });
  return out;
}

interface Band {
  lo: number;
  hi: number;
  ranks: number[];
}

function sampledOrderStatistics(
  values: Float64Array,
  ranks: Int32Array,
  scratch: Float64Array,
): Float64Array | null {
  const n = values.length;
  const stride = Math.floor(n / SAMPLE_SIZE);
  const m = Math.floor((n - 1) / stride) + 1;
  const sample = new Float64Array(m);
  for (let i = 0; i < m; i++) sample[i] = values[i * stride]!;
  sample.sort();
  const bands: Band[] = [];
  for (const rank of ranks) {
    const at = ((rank + 0.5) / n) * m;
    const spread = 3.5 * Math.sqrt(at * (1 - at / m)) + 12;
    const a = Math.floor(at - spread);
    const b = Math.ceil(at + spread);
    const lo = a < 0 ? Number.NEGATIVE_INFINITY : sample[a]!;
    const hi = b >= m ? Number.POSITIVE_INFINITY : sample[b]!;
    const last = bands.at(-1);
    if (last !== undefined && lo <= last.hi) {
      last.hi = Math.max(last.hi, hi);
      last.ranks.push(rank);
    } else bands.push({ lo, hi, ranks: [rank] });
  }
  // The widest gap between bands (by the sample) holds most values; gap g lies below band g.
  const count = bands.length;
  let widest = 0;
  let widestShare = -1;
  for (let g = 0; g <= count; g++) {
    const from = g === 0 ? 0 : upperBound(sample, bands[g - 1]!.hi);
    const to = g === count ? m : lowerBound(sample, bands[g]!.lo);
    if (to - from > widestShare) {
      widestShare = to - from;
      widest = g;
    }
  }
  const gapLo = widest === 0 ? Number.NEGATIVE_INFINITY : bands[widest - 1]!.hi;
  const gapHi = widest === count ? Number.POSITIVE_INFINITY : bands[widest]!.lo;
  // Pass 1, branch-free: every value is stored at the next slot, which is kept only when the
  // value lies outside the widest gap.
  let outside = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    scratch[outside] = x;
    outside += +(x <= gapLo) | +(x >= gapHi);
  }
  if (outside > n / 4) return null;
  const middle = n - outside;
  const buffer = new Float64Array(outside);
  const out = new Float64Array(ranks.length);
  let k = 0;
  for (let j = 0; j < count; j++) {
    const { lo, hi } = bands[j]!;
    // Pass 2 over the few values outside the gap: those in band j kept, those below it counted.
    let size = 0;
    let under = 0;
    for (let i = 0; i < outside; i++) {
      const x = scratch[i]!;
      buffer[size] = x;
      size += +(x >= lo) & +(x <= hi);
      under += +(x < lo);
    }
    const below = under + (widest <= j ? middle : 0);
    let from = 0;
    for (const rank of bands[j]!.ranks) {
      const local = rank - below;
      if (local < 0 || local >= size) return null;
      select(buffer, from, size - 1, local);
      out[k++] = buffer[local]!;
      from = local + 1;
    }
  }
  return out;
}

/** First index with sorted[i] >= x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with sorted[i] > x. */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Rearranges x[left..right] so that x[k] holds the value a sort would put
 * there, with nothing larger before it and nothing smaller after it.
 */
function select(x: Float64Array, left: number, right: number, k: number): void {
  let budget = 2 * Math.ceil(Math.log2(right - left + 2)) + 8;
  while (right - left > 16) {
    if (budget-- === 0) {
      x.subarray(left, right + 1).sort();
      return;
    }
    const middle = (left + right) >>> 1;
    // Median of three to x[middle], then Hoare partition around it.
    if (x[middle]! < x[left]!) swap(x, middle, left);
    if (x[right]! < x[left]!) swap(x, right, left);
    if (x[right]! < x[middle]!) swap(x, right, middle);
    const pivot = x[middle]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (x[i]! < pivot) i++;
      while (x[j]! > pivot) j--;
      if (i <= j) {
        swap(x, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
  // Insertion sort of the short remaining range.
  for (let i = left + 1; i <= right; i++) {
    const v = x[i]!;
    let j = i - 1;
    while (j >= left && x[j]! > v) {
      x[j + 1] = x[j]!;
      j--;
    }
    x[j + 1] = v;
  }
}

function swap(x: Float64Array, i: number, j: number): void {
  const t = x[i]!;
  x[i] = x[j]!;
  x[j] = t;
}
