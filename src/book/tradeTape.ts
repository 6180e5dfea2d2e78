import { PRICE_SCALE } from "./events.js";

/**
 * Traded volume and VWAP since the last snapshot, and volume over the whole
 * run, in fixed-point units. The notional is summed with Neumaier's
 * compensation: millions of price×size terms of similar size would
 * otherwise drift in the last digits of the VWAP.
 */
export class TradeTape {
  /** Traded size since the last {@link takeInterval} (fixed-point). */
  intervalVolume = 0;
  /** Traded size over the whole run (fixed-point). */
  totalVolume = 0;
  private notional = 0;
  private compensation = 0;

  record(price: number, size: number): void {
    this.intervalVolume += size;
    this.totalVolume += size;
    const term = price * size;
    const sum = this.notional + term;
    this.compensation +=
      Math.abs(this.notional) >= Math.abs(term) ? this.notional - sum + term : term - sum + this.notional;
    this.notional = sum;
  }

  /** Traded volume and VWAP (currency units) since the last call, then resets them. */
  takeInterval(): { volume: number; vwap: number } {
    const volume = this.intervalVolume;
    const vwap = volume > 0 ? (this.notional + this.compensation) / volume / PRICE_SCALE : Number.NaN;
    this.intervalVolume = 0;
    this.notional = 0;
    this.compensation = 0;
    return { volume, vwap };
  }
}

/** Where a replay counts its trades (executions plus trade prints) and records their volume. */
export interface TradeCounter {
  trades: number;
  readonly tape: TradeTape;
}
