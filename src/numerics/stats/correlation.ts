import { neumaierSum } from "./summation.js";

/**
 * Pearson correlation from centred series, for scans that correlate many
 * pairs of one set of series: each series is centred once
 * (`centreSeries`), and each pair then costs one dot product
 * (`centredCorrelation`):
 *
 *     ρ = Σ(r − r̄)(b − b̄) / sqrt(Σ(r − r̄)² · Σ(b − b̄)²)
 *
 * Means by compensated sums, products summed plainly in index order: the
 * same operations, so the same double, as `relativeStatistics` (`risk
 * --benchmark`) gives for its `correlation`.
 *
 * Reference: K. Pearson (1895), "Notes on regression and inheritance in the
 * case of two parents", Proc. Royal Society of London 58, 240–242.
 */

/**
 * Writes x − mean(x) into `out` (which may be x) and returns Σ(x − x̄)².
 *
 * @example
 * const out = new Float64Array(3);
 * centreSeries(Float64Array.of(1, 2, 6), out); // => 14; out => [-2, -1, 3]
 */
export function centreSeries(x: Float64Array, out: Float64Array): number {
  const n = x.length;
  const mean = neumaierSum(x) / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    out[i] = d;
    squares += d * d;
  }
  return squares;
}

/**
 * The correlation of two centred series with their sums of squares (from
 * `centreSeries`); NaN when either is constant.
 *
 * @example
 * const a = Float64Array.of(-1, 0, 1);
 * centredCorrelation(a, Float64Array.of(-2, 0, 2), 2, 8); // => 1
 */
export function centredCorrelation(
  a: Float64Array,
  b: Float64Array,
  squaresA: number,
  squaresB: number,
): number {
  const n = a.length;
  let cross = 0;
  for (let i = 0; i < n; i++) cross += a[i]! * b[i]!;
  return cross / Math.sqrt(squaresA * squaresB);
}
