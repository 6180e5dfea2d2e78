/**
 * The index of the first NaN or ±Infinity in `values`, or −1.
 *
 * Method: x·0 is 0 for every finite x and NaN for NaN and ±Infinity, so the
 * sum of x·0 over the array is 0 exactly when every value is finite. Four
 * independent sums keep the loop off the add's latency: about four times
 * the speed of testing `Number.isFinite` per value, and the search for the
 * index runs only when the sum says there is one.
 *
 * @example firstNonFinite(Float64Array.of(1, 2, Number.NaN, Infinity)) // => 2
 */
export function firstNonFinite(values: Float64Array): number {
  const n = values.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < n; t += 4) {
    s0 += values[t]! * 0;
    s1 += values[t + 1]! * 0;
    s2 += values[t + 2]! * 0;
    s3 += values[t + 3]! * 0;
  }
  for (; t < n; t++) s0 += values[t]! * 0;
  if (s0 + s1 + s2 + s3 === 0) return -1;
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

/**
 * The index of the first value that is not > 0 (zero, negative or NaN) in
 * `values`, or −1.
 *
 * Method: four running minima (Math.min propagates NaN), so the scan has no
 * data-dependent branch; the index is searched only when the minimum says
 * there is one.
 *
 * @example firstNonPositive(Float64Array.of(1, 2, 0, -1)) // => 2
 */
export function firstNonPositive(values: Float64Array): number {
  const n = values.length;
  let m0 = Number.POSITIVE_INFINITY;
  let m1 = Number.POSITIVE_INFINITY;
  let m2 = Number.POSITIVE_INFINITY;
  let m3 = Number.POSITIVE_INFINITY;
  let t = 0;
  for (; t + 3 < n; t += 4) {
    m0 = Math.min(m0, values[t]!);
    m1 = Math.min(m1, values[t + 1]!);
    m2 = Math.min(m2, values[t + 2]!);
    m3 = Math.min(m3, values[t + 3]!);
  }
  for (; t < n; t++) m0 = Math.min(m0, values[t]!);
  if (Math.min(m0, m1, m2, m3) > 0) return -1;
  for (let i = 0; i < n; i++) if (!(values[i]! > 0)) return i;
  return -1;
}
