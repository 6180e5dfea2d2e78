import type { PrefixView, Strategy } from "./strategy.js";

/**
 * Walk-forward portfolio weights: at bar t = lookback + k·rebalance, the
 * weights `solve` gives for the `lookback` simple returns of bars
 * t − lookback + 1..t (the data up to and including t, nothing after);
 * between rebalances the holdings drift. `solve` is any portfolio method
 * (the command passes `optimize`'s own analysis).
 *
 * @example
 * // lookback 252, rebalance 21: decisions at bars 252, 273, 294, …, each from the 252 returns before it
 */
export class OptimizeStrategy implements Strategy {
  constructor(
    private readonly lookback: number,
    private readonly rebalance: number,
    private readonly solve: (windowReturns: Float64Array[]) => Float64Array,
  ) {}

  decide(view: PrefixView, out: Float64Array): boolean {
    const t = view.bar;
    const L = this.lookback;
    if (t < L || (t - L) % this.rebalance !== 0) return false;
    const window = Array.from({ length: view.symbols }, (_, j) => {
      const r = new Float64Array(L);
      for (let s = 0; s < L; s++) {
        const row = t - L + 1 + s;
        r[s] = view.price(j, row) / view.price(j, row - 1) - 1;
      }
      return r;
    });
    out.set(this.solve(window));
    return true;
  }
}
