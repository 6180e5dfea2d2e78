import { nextPosition, type Position } from "../timeseries/positions.js";
import type { PrefixView, Strategy } from "./strategy.js";

/**
 * A pair's spread traded out of sample: at bar t ≥ lookback, the OLS
 * regression of A on B with an intercept over the previous `lookback` bars
 * (t − lookback … t − 1) gives the hedge ratio h; bar t's spread
 * s_t = A_t − h·B_t is scored against the mean and sample sd (ddof 1) of
 * that window's spreads, z_t = (s_t − mean)/sd, and meanrev's hysteresis
 * rule with `entry`/`exit` turns z into a position p in the spread. The
 * position is held as weights of equity with gross exposure 1, in the
 * hedge's dollar proportions: prices A_t and h·B_t (of log prices: 1 and h,
 * since the log spread's return is r_A − h·r_B), so
 * w_A = p·a/(a + |h|·b), w_B = −p·h·b/(a + |h|·b), every other symbol 0.
 * Flat until bar `lookback`, and flat (no position) while the window's
 * spread has sd 0 or B has no variance.
 *
 * The window is re-summed at every bar (two passes about its means), so a
 * fit's rounding does not carry from one bar to the next: O(lookback) per bar.
 *
 * @example
 * // B = 1, 2, …, A = 2B + 1 + ε: h ≈ 2, z_t of a bar with A_t = 2B_t + 1 + 3·sd → short the spread
 */
export class PairsStrategy implements Strategy {
  private position: Position = 0;
  /** The last decision's hedge ratio and z-score (NaN before the first). */
  hedgeRatio = Number.NaN;
  zScore = Number.NaN;

  constructor(
    private readonly a: number,
    private readonly b: number,
    private readonly lookback: number,
    private readonly entry: number,
    private readonly exit: number,
    private readonly logPrices: boolean,
  ) {}

  decide(view: PrefixView, out: Float64Array): boolean {
    const t = view.bar;
    const L = this.lookback;
    if (t < L) return false;
    const level = this.logPrices ? Math.log : (x: number) => x;
    let meanA = 0;
    let meanB = 0;
    for (let s = t - L; s < t; s++) {
      meanA += level(view.price(this.a, s));
      meanB += level(view.price(this.b, s));
    }
    meanA /= L;
    meanB /= L;
    let sab = 0;
    let sbb = 0;
    for (let s = t - L; s < t; s++) {
      const da = level(view.price(this.a, s)) - meanA;
      const db = level(view.price(this.b, s)) - meanB;
      sab += da * db;
      sbb += db * db;
    }
    const h = sab / sbb;
    // The window's spreads A − h·B about their mean (the OLS intercept).
    const centre = meanA - h * meanB;
    let sse = 0;
    for (let s = t - L; s < t; s++) {
      const e = level(view.price(this.a, s)) - h * level(view.price(this.b, s)) - centre;
      sse += e * e;
    }
    const sd = Math.sqrt(sse / (L - 1));
    const priceA = view.price(this.a);
    const priceB = view.price(this.b);
    const spread = level(priceA) - h * level(priceB);
    const z = sd > 0 && Number.isFinite(h) ? (spread - centre) / sd : Number.NaN;
    this.hedgeRatio = h;
    this.zScore = z;
    // A degenerate window defines no hedge: flat, not the previous position.
    this.position = Number.isNaN(z) ? 0 : nextPosition(this.position, z, this.entry, this.exit);
    out.fill(0);
    if (this.position !== 0) {
      const dollarsA = this.logPrices ? 1 : priceA;
      const dollarsB = this.logPrices ? h : h * priceB;
      const gross = dollarsA + Math.abs(dollarsB);
      out[this.a] = (this.position * dollarsA) / gross;
      out[this.b] = (-this.position * dollarsB) / gross;
    }
    return true;
  }
}
