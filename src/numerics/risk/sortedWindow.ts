/**
 * A sliding window kept sorted, for exact rolling order statistics (the
 * historical VaR of the VaR backtest).
 */

/**
 * The values of a fixed-length window in ascending order, in one
 * Float64Array. `replace(old, x)` removes one copy of `old` and inserts `x`:
 * both places are found by binary search, and only the values between them
 * move (one `copyWithin`), so a step costs O(log N) comparisons plus a
 * memmove of the values between the two ranks (typically a third of the
 * window, at memory speed), against O(N) selection work per step from
 * scratch. The order statistics are the exact values of the window (no
 * arithmetic touches them), so quantiles interpolated from them equal those
 * of a selection on the same values.
 *
 * Values must not be NaN (they would break the order). −0 and +0 compare
 * equal here, as in the selection, and either may stand for the other.
 *
 * @example
 * const w = new SortedWindow(Float64Array.of(3, 1, 2));
 * w.replace(1, 5);
 * w.at(0); // => 2   (the window is now 2, 3, 5)
 */
export class SortedWindow {
  private readonly sorted: Float64Array;

  /** @param values the first window (copied) */
  constructor(values: Float64Array) {
    this.sorted = Float64Array.from(values).sort();
  }

  get length(): number {
    return this.sorted.length;
  }

  /** The value of rank i (0-based, ascending). */
  at(rank: number): number {
    return this.sorted[rank]!;
  }

  /** Removes one value equal to `old` (which must be in the window) and inserts `x`. */
  replace(old: number, x: number): void {
    const sorted = this.sorted;
    const n = sorted.length;
    const at = lowerBound(sorted, old, 0, n);
    if (x > old) {
      // the values in (at, end) below x move down one place; x takes the last of them
      const end = lowerBound(sorted, x, at + 1, n);
      sorted.copyWithin(at, at + 1, end);
      sorted[end - 1] = x;
    } else if (x < old) {
      const start = upperBound(sorted, x, 0, at);
      sorted.copyWithin(start + 1, start, at);
      sorted[start] = x;
    } else sorted[at] = x;
  }
}

/** First index in [lo, hi) with sorted[i] >= x (hi when none). */
function lowerBound(sorted: Float64Array, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [lo, hi) with sorted[i] > x (hi when none). */
function upperBound(sorted: Float64Array, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
