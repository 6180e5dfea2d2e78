import { linearQuantiles } from "../risk/quantile.js";

/**
 * A histogram whose bins cover the bulk of the data, with what lies outside
 * counted in two edge bins, so one outlier (a crash among thousands of
 * quiet days) neither squashes every other bar into one column nor
 * disappears.
 */

export interface ClippedHistogram {
  /** Left edges of the inner bins and the right edge of the last (bins + 1 values, edges[0] = low). */
  edges: Float64Array;
  counts: Int32Array;
  /** Finite values below edges[0]. */
  below: number;
  /** Finite values above edges[bins]. */
  above: number;
}

/** The central share of the data that sets the robust range: 0.5 % to 99.5 %. */
export const ROBUST_QUANTILES = [0.005, 0.995] as const;
/** How far past the central range, as a fraction of its width, a value still counts as in the bulk. */
export const ROBUST_MARGIN = 0.25;

/**
 * The range a histogram should bin: the 0.5 % and 99.5 % quantiles (numpy's
 * linear rule) widened by a quarter of their distance on each side, then cut
 * to the data's own extremes. A value beyond it lies more than a quarter of
 * the central 99 % spread past that spread: on a normal sample that is
 * beyond ±3.86 σ (about 1 value in 9,000), and on a few dozen values (where
 * the quantiles are nearly the extremes) it never happens, so short series
 * keep their full range. When the central range is a point (a flat series
 * with rare moves) the full range is kept.
 *
 * Non-finite values are skipped. Returns [NaN, NaN] when there is no finite
 * value.
 *
 * @example
 * // 1,000 values 0…0.999 and one at 100: the range stops at the bulk.
 * histogramRange(Float64Array.from([...Array.from({ length: 1000 }, (_, i) => i / 1000), 100]))
 * // => [0, 1.2425]   (q(0.005) = 0.005, q(0.995) = 0.995: a quarter of 0.99 past each, cut at the minimum 0)
 */
export function histogramRange(values: Float64Array): [number, number] {
  let finite = 0;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    finite++;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (finite === 0) return [Number.NaN, Number.NaN];
  const kept = finite === values.length ? values : new Float64Array(finite);
  if (kept !== values) {
    let j = 0;
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) kept[j++] = values[i]!;
  }
  const [qLow, qHigh] = linearQuantiles(
    kept,
    ROBUST_QUANTILES,
    new Float64Array(finite),
    new Float64Array(2),
  );
  const spread = qHigh! - qLow!;
  if (!(spread > 0)) return [low, high];
  return [Math.max(low, qLow! - ROBUST_MARGIN * spread), Math.min(high, qHigh! + ROBUST_MARGIN * spread)];
}

/**
 * Counts of the finite `values` in `bins` equal-width bins over [low, high]
 * (the last bin closed on the right, so a value equal to `high` is in it),
 * and of those below `low` and above `high`. Every finite value is counted
 * once: below + Σ counts + above = the finite count. `low` must be below
 * `high`.
 *
 * @example
 * clippedHistogram(Float64Array.of(-9, 0, 1, 1, 2, 4, 50), 2, 0, 4)
 * // => { edges: [0, 2, 4], counts: [3, 2], below: 1, above: 1 }
 */
export function clippedHistogram(
  values: Float64Array,
  bins: number,
  low: number,
  high: number,
): ClippedHistogram {
  if (!(low < high)) throw new RangeError(`histogram range [${low}, ${high}] is empty`);
  const edges = new Float64Array(bins + 1);
  const width = (high - low) / bins;
  for (let k = 0; k < bins; k++) edges[k] = low + k * width;
  edges[bins] = high;
  const counts = new Int32Array(bins);
  let below = 0;
  let above = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < low) below++;
    else if (v > high) above++;
    else counts[Math.min(bins - 1, Math.floor((v - low) / width))]!++;
  }
  return { edges, counts, below, above };
}
