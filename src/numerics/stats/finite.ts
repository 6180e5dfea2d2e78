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
 * Method: four comparisons a step joined by `&&`, a branch the data almost
 * never takes, so it is always predicted: four times the speed of four
 * running Math.min (whose NaN and −0 rules cost), which it replaced; the
 * step that fails is then searched value by value.
 *
 * @example firstNonPositive(Float64Array.of(1, 2, 0, -1)) // => 2
 */
export function firstNonPositive(values: Float64Array): number {
  const n = values.length;
  let t = 0;
  for (; t + 3 < n; t += 4) {
    if (!(values[t]! > 0 && values[t + 1]! > 0 && values[t + 2]! > 0 && values[t + 3]! > 0)) break;
  }
  for (; t < n; t++) if (!(values[t]! > 0)) return t;
  return -1;
}
