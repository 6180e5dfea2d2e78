/**
 * What a backtest strategy sees and decides. A strategy is asked once per
 * bar t for its target weights, and is handed a view of the prices that
 * ends at bar t: asking for a later row throws, so no strategy can use a
 * price it would not have had (the no-look-ahead guarantee is structural,
 * and the tests check it as a property too).
 */

/** The prices of rows 0..bar, one column per symbol. */
export class PrefixView {
  private current = -1;

  constructor(private readonly prices: readonly Float64Array[]) {}

  get bar(): number {
    return this.current;
  }

  get symbols(): number {
    return this.prices.length;
  }

  /** Moves the view's end to `bar` (the engine's, not a strategy's, to call). */
  advanceTo(bar: number): void {
    this.current = bar;
  }

  /**
   * Symbol j's price at `row` (≤ bar).
   * @throws RangeError for a row after the view's end, or before the start
   */
  price(j: number, row: number = this.current): number {
    if (!(row >= 0 && row <= this.current)) {
      throw new RangeError(
        `row ${row} is not visible at bar ${this.current}: a strategy sees rows 0..${this.current}`,
      );
    }
    return this.prices[j]![row]!;
  }
}

export interface Strategy {
  /**
   * Writes the target weights (fractions of equity, one per symbol) decided
   * at the close of bar `view.bar` into `out` and returns true, or returns
   * false to leave the holdings as they drift (no trade).
   */
  decide(view: PrefixView, out: Float64Array): boolean;
}
