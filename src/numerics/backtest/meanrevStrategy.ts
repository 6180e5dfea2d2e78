import type { PrefixView, Strategy } from "./strategy.js";

/**
 * The `meanrev` positions of each symbol as target weights: weight
 * position/N for N symbols (an equal budget per symbol, gross exposure at
 * most 1), flat until the window is full. `positions[j][t]` is symbol j's
 * position at bar t as `meanrev` computes it (`rollingSignals`: z from the
 * rolling mean and sample sd of the last `window` prices, bar t included,
 * then the hysteresis rule). That kernel is causal, the position at t a
 * function of prices 0..t only (meanrev's tests hold it equal to the
 * streaming kernel, which never sees a later price), so the column is
 * computed whole, per symbol, at meanrev's speed, and read here bar by bar.
 *
 * @example
 * // window 3, entry 1, exit 0.5: prices 1, 1, 1, 5 → z at bar 3 = (5 − 7/3)/sd > 1 → short: weight −1/N
 */
export class MeanrevStrategy implements Strategy {
  /** 1/N: a position (−1, 0 or 1) times it is exactly position/N, without a division per cell. */
  private readonly share: number;

  constructor(private readonly positions: readonly Int8Array[]) {
    this.share = 1 / positions.length;
  }

  decide(view: PrefixView, out: Float64Array): boolean {
    const t = view.bar;
    const positions = this.positions;
    const share = this.share;
    for (let j = 0; j < positions.length; j++) out[j] = positions[j]![t]! * share;
    return true;
  }
}
