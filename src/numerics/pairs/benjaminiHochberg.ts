/**
 * Benjamini–Hochberg adjusted p-values (q-values) of m tests: with the
 * p-values sorted ascending, p_(1) ≤ … ≤ p_(m),
 *
 *     q_(i) = min_{j ≥ i} min(1, p_(j) / (j/m))
 *
 * so that rejecting every test with q ≤ Q controls the false discovery rate
 * at Q for independent (or positively dependent) tests. The quotient is
 * formed as statsmodels' `multipletests(method="fdr_bh")` forms it
 * (p / (j/m)), so the two agree to the last bit; ties share one q-value
 * whatever their order.
 *
 * Tests without a p-value (NaN) are left out: they do not count in m and get
 * a NaN q-value.
 *
 * Method: sort the indices by (p, index) — the ranking order — then one
 * backward pass keeping the running minimum. O(m log m).
 *
 * Reference: Y. Benjamini, Y. Hochberg (1995), "Controlling the false
 * discovery rate: a practical and powerful approach to multiple testing",
 * J. Royal Statistical Society B 57(1), 289–300. doi:10.1111/j.2517-6161.1995.tb02031.x
 *
 * @param pValues the tests' p-values
 * @param out the q-values, written in the tests' order (same length)
 * @returns the test indices ordered by p-value, ties by index, the NaN ones left out
 *
 * @example
 * const q = new Float64Array(4);
 * benjaminiHochberg(Float64Array.of(0.01, 0.04, 0.03, 0.2), q); // => [0, 2, 1, 3]
 * // q => [0.04, 0.05333333333333334, 0.05333333333333334, 0.2]
 */
export function benjaminiHochberg(pValues: Float64Array, out: Float64Array): Uint32Array {
  const total = pValues.length;
  if (out.length !== total) throw new RangeError("benjaminiHochberg: out must have one slot per p-value");
  let m = 0;
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) {
    out[i] = Number.NaN;
    if (!Number.isNaN(pValues[i]!)) order[m++] = i;
  }
  const ranked = order.subarray(0, m).sort((i, j) => pValues[i]! - pValues[j]! || i - j);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = ranked[rank - 1]!;
    const q = pValues[index]! / (rank / m);
    if (q < running) running = q;
    out[index] = running;
  }
  return ranked;
}
