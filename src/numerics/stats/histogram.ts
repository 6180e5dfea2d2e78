/**
 * Counts of `values` in `bins` equal-width bins spanning [min, max] of the
 * finite values; the last bin is closed on the right so the maximum is
 * counted. NaN and ±Infinity are skipped. Returns the bins' left edges
 * (bins + 1 of them) and counts; an empty or constant input gives one bin.
 *
 * @example
 * histogram(Float64Array.of(0, 1, 1, 2, 4), 2)
 * // => { edges: Float64Array [0, 2, 4], counts: Int32Array [3, 2] }
 */
export function histogram(values: Float64Array, bins: number): { edges: Float64Array; counts: Int32Array } {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (!(low < high)) {
    const counts = Int32Array.of(0);
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) counts[0]!++;
    const at = low <= high ? low : 0;
    return { edges: Float64Array.of(at - 0.5, at + 0.5), counts };
  }
  const edges = new Float64Array(bins + 1);
  const width = (high - low) / bins;
  for (let k = 0; k <= bins; k++) edges[k] = low + k * width;
  edges[bins] = high;
  const counts = new Int32Array(bins);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - low) / width))]!++;
  }
  return { edges, counts };
}
