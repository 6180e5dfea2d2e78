const BARS = "▁▂▃▄▅▆▇█";

/**
 * A one-line unicode sparkline of the last `width` values, each character the
 * mean of its bucket scaled between the window's min and max. NaN buckets
 * print as a space, so a warm-up period shows as a gap.
 *
 * @example sparkline(Float64Array.of(1, 2, 3, 4), 4) // "▁▃▆█"
 */
export function sparkline(values: ArrayLike<number>, width: number): string {
  const n = values.length;
  if (n === 0 || width <= 0) return "";
  const buckets = Math.min(width, n);
  const means = new Float64Array(buckets);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let sum = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    const mean = count > 0 ? sum / count : Number.NaN;
    means[b] = mean;
    if (count > 0) {
      if (mean < lo) lo = mean;
      if (mean > hi) hi = mean;
    }
  }
  let out = "";
  const span = hi - lo;
  for (let b = 0; b < buckets; b++) {
    const m = means[b]!;
    if (!Number.isFinite(m)) out += " ";
    else if (span <= 0) out += BARS[3];
    else out += BARS[Math.min(BARS.length - 1, Math.floor(((m - lo) / span) * BARS.length))];
  }
  return out;
}
