/**
 * Z-scores against a rolling mean and standard deviation, and the
 * hysteresis state machine that turns them into mean-reversion positions
 * (SPEC §2 meanrev).
 */

/** A position: −1 short, 0 flat, +1 long. */
export type Position = -1 | 0 | 1;

/**
 * Z-scores `out[i] = (x[i] − mean[i]) / std[i]`, NaN where `std[i]` is NaN
 * or 0 (a flat window has no meaningful z-score) or where `mean[i]` is NaN.
 *
 * @param x values
 * @param mean rolling means, same length
 * @param std rolling standard deviations, same length
 * @param out receives the z-scores (length ≥ x.length; may be `x` itself)
 *
 * @example
 * const out = new Float64Array(3);
 * zScores(new Float64Array([3, 5, 7]), new Float64Array([1, 5, 7]), new Float64Array([2, 1, 0]), out);
 * // out => [1, 0, NaN]
 */
export function zScores(x: Float64Array, mean: Float64Array, std: Float64Array, out: Float64Array): void {
  const n = x.length;
  if (mean.length < n || std.length < n || out.length < n) {
    throw new RangeError("zScores: mean, std and out must be at least as long as x");
  }
  for (let i = 0; i < n; i++) out[i] = zScore(x[i]!, mean[i]!, std[i]!);
}

/**
 * One z-score, `(x − mean) / std`, NaN where `std` is 0 or NaN: the very
 * operation of `zScores`, so a writer that derives z from the kept mean and
 * std instead of storing it (40M rows: 320 MB saved) prints the same bits.
 */
export function zScore(x: number, mean: number, std: number): number {
  return std === 0 ? Number.NaN : (x - mean) / std;
}

/**
 * One step of the hysteresis rule: given yesterday's position and today's
 * z-score,
 *
 *     z >  entry        → −1 (short: the price is rich)
 *     z < −entry        → +1 (long: the price is cheap)
 *     |z| < exit        →  0 (flat: back near the mean)
 *     otherwise, NaN z  → previous position (hold)
 *
 * The entry tests come first, so a jump from z > entry to z < −entry goes
 * straight from −1 to +1, and with `exit > entry` an entry still wins.
 * Comparisons are strict: z exactly at ±entry or at ±exit holds.
 *
 * Reference: the classic z-score band rule of pairs trading, e.g.
 * E. Chan (2013), *Algorithmic Trading: Winning Strategies and Their
 * Rationale*, Wiley, ch. 2–3.
 *
 * @example
 * nextPosition(0, 2.5, 2, 0.5); // => -1
 * nextPosition(-1, 1.0, 2, 0.5); // => -1 (hold inside the band)
 * nextPosition(-1, 0.2, 2, 0.5); // => 0
 * nextPosition(-1, -2.1, 2, 0.5); // => 1
 */
export function nextPosition(previous: Position, z: number, entry: number, exit: number): Position {
  if (z > entry) return -1;
  if (z < -entry) return 1;
  if (Math.abs(z) < exit) return 0;
  return previous;
}

/**
 * Positions for a whole z-score series by `nextPosition`, starting flat:
 * `out[i] = nextPosition(out[i − 1], z[i], entry, exit)` with out[−1] = 0.
 * Leading NaN z-scores (the rolling window filling up) therefore give 0.
 *
 * @param z z-scores
 * @param entry entry threshold (> 0)
 * @param exit exit threshold (≥ 0)
 * @param out receives −1, 0 or 1 per bar (length ≥ z.length)
 *
 * @example
 * const out = new Int8Array(6);
 * hysteresisPositions(new Float64Array([NaN, 2.5, 1, 0.3, -2.2, 3]), 2, 0.5, out);
 * // out => [0, -1, -1, 0, 1, -1]
 */
export function hysteresisPositions(z: Float64Array, entry: number, exit: number, out: Int8Array): void {
  const n = z.length;
  if (out.length < n) throw new RangeError("hysteresisPositions: out must be at least as long as z");
  // Readable version: position = nextPosition(position, z[i], entry, exit).
  // Written branch-free on small integers, since which band z falls in is
  // unpredictable and mispredicted branches made the loop 3× slower: with
  // short = [z > entry], long = [z < −entry], flat = [|z| < exit] (all 0 for
  // NaN), the new position is long − short when either is set, 0 when only
  // flat is, else unchanged; ((short | long | flat) − 1) is the all-ones
  // mask exactly when none is set.
  let position = 0;
  for (let i = 0; i < n; i++) {
    const v = z[i]!;
    const short = Number(v > entry);
    const long = Number(v < -entry) & ~short; // short wins, as in nextPosition, even if entry ≤ 0
    const flat = Number(Math.abs(v) < exit);
    position = (long - short) | (((short | long | flat) - 1) & position);
    out[i] = position;
  }
}
