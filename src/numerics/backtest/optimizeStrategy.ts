import type { PrefixView, Strategy } from "./strategy.js";

/**
 * Walk-forward portfolio weights: at bar t = lookback + k·rebalance, the
 * weights solved from the `lookback` simple returns of bars
 * t − lookback + 1..t (the data up to and including t, nothing after);
 * between rebalances the holdings drift. `solved[k]` is decision k's
 * weights: the solves depend on their windows only, so the command runs
 * them ahead of the engine, in parallel (`optimize`'s own analysis).
 *
 * @example
 * // lookback 252, rebalance 21: decisions at bars 252, 273, 294, …, each from the 252 returns before it
 */
export class OptimizeStrategy implements Strategy {
  constructor(
    private readonly lookback: number,
    private readonly rebalance: number,
    private readonly solved: readonly Float64Array[],
  ) {}

  /** The decision bars of `bars` levels: lookback, lookback + rebalance, … */
  static decisionBars(bars: number, lookback: number, rebalance: number): number[] {
    const out: number[] = [];
    for (let t = lookback; t < bars; t += rebalance) out.push(t);
    return out;
  }

  decide(view: PrefixView, out: Float64Array): boolean {
    const t = view.bar;
    const L = this.lookback;
    if (t < L || (t - L) % this.rebalance !== 0) return false;
    out.set(this.solved[(t - L) / this.rebalance]!);
    return true;
  }
}
