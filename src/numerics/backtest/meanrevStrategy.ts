import { RollingMoments } from "../timeseries/rollingMoments.js";
import { nextPosition, type Position } from "../timeseries/positions.js";
import type { PrefixView, Strategy } from "./strategy.js";

/**
 * The `meanrev` positions of each symbol as target weights: z from the
 * rolling mean and sample sd of the last `window` prices (bar t included,
 * the shared rolling kernel of `meanrev` and `stream`), the hysteresis rule
 * with `entry`/`exit`, and weight position/N for N symbols (an equal budget
 * per symbol, gross exposure at most 1). Flat until the window is full.
 *
 * @example
 * // window 3, entry 1, exit 0.5: prices 1, 1, 1, 5 → z at bar 3 = (5 − 7/3)/sd > 1 → short: weight −1/N
 */
export class MeanrevStrategy implements Strategy {
  private readonly moments: RollingMoments[];
  private readonly positions: Position[];

  constructor(
    symbols: number,
    window: number,
    private readonly entry: number,
    private readonly exit: number,
  ) {
    this.moments = Array.from({ length: symbols }, () => new RollingMoments(window));
    this.positions = new Array<Position>(symbols).fill(0);
  }

  decide(view: PrefixView, out: Float64Array): boolean {
    const n = this.moments.length;
    for (let j = 0; j < n; j++) {
      const price = view.price(j);
      const moments = this.moments[j]!;
      moments.push(price);
      const sd = moments.std();
      const z = sd > 0 ? (price - moments.mean()) / sd : Number.NaN;
      const position = nextPosition(this.positions[j]!, z, this.entry, this.exit);
      this.positions[j] = position;
      out[j] = position / n;
    }
    return true;
  }
}
