/**
 * The wealth index and its drawdown episodes.
 */

/** How each period's return grows wealth. */
export type GrowthKind = "simple" | "log";

/** One drawdown episode, in wealth-index positions (0 = W_0, the start). */
export interface DrawdownEpisode {
  /** W_trough / W_peak − 1 (≤ 0). */
  depth: number;
  /** Last position at the running high before the fall. */
  peak: number;
  /** Position of the lowest wealth of the episode (the first, on ties). */
  trough: number;
  /** First position back at (or above) the peak's wealth; −1 while still under water. */
  recovery: number;
}

export interface WealthSummary {
  /** ln W_n: the log of the final wealth (W_0 = 1), free of overflow and underflow. */
  logFinalWealth: number;
  /** The `limit` deepest episodes, deepest first (ties: the earlier first). */
  episodes: DrawdownEpisode[];
}

const HUGE = 2 ** 500;
const TINY = 2 ** -500;
const LN2 = Math.LN2;

/**
 * The final wealth and the `limit` deepest drawdown episodes of the wealth
 * index W_0 = 1, W_t = Π_{s ≤ t}(1 + r_s) (simple returns; log returns:
 * W_t = exp Σ r_s).
 *
 * Method: one pass. The running ratio u_t = W_t / max_{s ≤ t} W_s is updated
 * as u_t = u_{t−1}·(1 + r_t) and reset to 1 at a new high, so neither a
 * ruined equity (W < 1e-300) nor a long compounding run overflows; W_n is
 * kept as a mantissa and a power of two. An episode runs from the last
 * position at the running high to the first position back at it (u ≥ 1),
 * which makes episodes disjoint by construction; a position still under
 * water at the end leaves the last episode open (recovery −1). The deepest
 * `limit` are kept in a small sorted list, so memory does not grow with the
 * number of episodes. This is the episode rule of PerformanceAnalytics'
 * `findDrawdowns` and empyrical's `get_top_drawdowns`, counted from W_0 = 1
 * (so a fall in the very first period is an episode, which empyrical, whose
 * index starts at W_1, misses).
 *
 * @param r per-period returns
 * @param kind "simple" (1 + r) or "log" (e^r)
 * @param limit how many episodes to keep (0 keeps none)
 *
 * @example
 * wealthSummary(new Float64Array([0.1, -0.5, 0.2, 1]), "simple", 5);
 * // W = 1, 1.1, 0.55, 0.66, 1.32: one episode, peak 1, trough 2, recovery 4, depth −0.5
 */
export function wealthSummary(r: Float64Array, kind: GrowthKind, limit: number): WealthSummary {
  const n = r.length;
  const top: DrawdownEpisode[] = [];
  let mantissa = 1;
  let exponent = 0;
  let ratio = 1;
  let peak = 0;
  let trough = 0;
  let low = 1;
  const close = (recovery: number): void => {
    if (low >= 1 || limit === 0) return;
    const depth = low - 1;
    if (top.length === limit && !(depth < top[limit - 1]!.depth)) return;
    let at = top.length;
    while (at > 0 && depth < top[at - 1]!.depth) at--;
    top.splice(at, 0, { depth, peak, trough, recovery });
    if (top.length > limit) top.pop();
  };
  for (let i = 0; i < n; i++) {
    const growth = kind === "simple" ? 1 + r[i]! : Math.exp(r[i]!);
    mantissa *= growth;
    if (!(mantissa < HUGE && mantissa > TINY)) {
      if (mantissa === 0 || !Number.isFinite(mantissa)) {
        // Total loss (a return of −100 %): wealth stays 0; the ratio says so below.
      } else {
        const shift = Math.round(Math.log2(mantissa));
        mantissa *= 2 ** -shift;
        exponent += shift;
      }
    }
    ratio *= growth;
    const position = i + 1;
    if (ratio >= 1) {
      close(position);
      ratio = 1;
      peak = position;
      low = 1;
    } else if (ratio < low) {
      low = ratio;
      trough = position;
    }
  }
  close(-1);
  return { logFinalWealth: Math.log(mantissa) + exponent * LN2, episodes: top };
}

/**
 * The log wealth ln W_t at positions 1..n into out[0..n) and the drawdown
 * W_t / max_{s ≤ t} W_s − 1 into underwater[0..n), for charts.
 *
 * @example
 * const logW = new Float64Array(2); const under = new Float64Array(2);
 * wealthPath(Float64Array.of(0.1, -0.5), "simple", logW, under); // under => [0, -0.5]
 */
export function wealthPath(
  r: Float64Array,
  kind: GrowthKind,
  logWealth: Float64Array,
  underwater: Float64Array,
): void {
  let level = 0;
  let high = 0;
  for (let t = 0; t < r.length; t++) {
    level += kind === "simple" ? Math.log1p(r[t]!) : r[t]!;
    if (level > high) high = level;
    logWealth[t] = level;
    underwater[t] = Math.expm1(level - high);
  }
}
