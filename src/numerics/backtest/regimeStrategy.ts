import { emissionFactors } from "../hmm/gaussianEmission.js";
import { HmmFilter } from "../hmm/filter.js";
import type { GaussianHmm } from "../hmm/model.js";
import { regimeOrder } from "../hmm/regimes.js";
import type { PrefixView, Strategy } from "./strategy.js";

/**
 * Fits a univariate HMM to one symbol's log returns r_1..r_t (the caller's:
 * the command passes `hmm`'s own EM with its flags).
 */
export type RegimeFit = (returns: Float64Array, symbol: number) => GaussianHmm;

/**
 * Regimes run forward as a filter. Each symbol has its own HMM of log
 * returns r_t = ln(p_t/p_{t−1}): fitted at bar `train` on r_1..r_train,
 * and, with `refit` > 0, refitted at bars train + k·refit on every return
 * up to and including that bar (an expanding window). After each fit the
 * filter is run from r_1 with the new model, and at every bar t ≥ train it
 * holds the filtered (never smoothed) probabilities P(s_t | r_1..r_t); the
 * regime is their argmax (ties to the lower state), named as `regime` names
 * it (`regimeOrder`), and its position `positions[r]` (regime order) is the
 * target weight position/N for N symbols. Flat before bar `train`.
 *
 * @example
 * // 3 states, positions [0, 0.5, 1] (bear, sideways, bull): a symbol filtered to bull holds weight 1/N
 */
export class RegimeStrategy implements Strategy {
  private readonly returns: Float64Array[];
  private readonly filters: (HmmFilter | null)[];
  /** regimeOfState[j][s]: the regime index (in `positions`) of symbol j's HMM state s. */
  private readonly regimeOfState: Int32Array[];
  /** Fits made so far (every symbol's count once). */
  fits = 0;

  constructor(
    symbols: number,
    bars: number,
    private readonly train: number,
    private readonly refit: number,
    private readonly positions: Float64Array,
    private readonly fit: RegimeFit,
  ) {
    this.returns = Array.from({ length: symbols }, () => new Float64Array(bars));
    this.filters = new Array<HmmFilter | null>(symbols).fill(null);
    this.regimeOfState = Array.from({ length: symbols }, () => new Int32Array(positions.length));
  }

  decide(view: PrefixView, out: Float64Array): boolean {
    const t = view.bar;
    if (t === 0) return false;
    const n = this.returns.length;
    const refitNow =
      t === this.train || (this.refit > 0 && t > this.train && (t - this.train) % this.refit === 0);
    for (let j = 0; j < n; j++) {
      const r = Math.log(view.price(j, t) / view.price(j, t - 1));
      this.returns[j]![t] = r;
      if (refitNow) this.refitSymbol(j, t);
      else this.filters[j]?.push(r);
    }
    if (t < this.train) return false;
    for (let j = 0; j < n; j++) {
      const probabilities = this.filters[j]!.probabilities;
      let best = 0;
      for (let s = 1; s < probabilities.length; s++) if (probabilities[s]! > probabilities[best]!) best = s;
      out[j] = this.positions[this.regimeOfState[j]![best]!]! / n;
    }
    return true;
  }

  /** Symbol j's model from r_1..r_t, and its filter run over the same returns. */
  private refitSymbol(j: number, t: number): void {
    const history = this.returns[j]!.subarray(1, t + 1);
    const model = this.fit(history, j);
    this.fits++;
    const factors = emissionFactors(model);
    if ("notPositiveDefinite" in factors) {
      throw new RangeError(
        `the fitted model's state ${factors.notPositiveDefinite} has no positive variance`,
      );
    }
    regimeOrder(model).forEach((state, regime) => {
      this.regimeOfState[j]![state] = regime;
    });
    const filter = new HmmFilter(model, factors);
    for (let s = 0; s < history.length; s++) filter.push(history[s]!);
    this.filters[j] = filter;
  }
}
