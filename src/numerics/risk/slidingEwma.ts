/**
 * The RiskMetrics EWMA volatility of a sliding window (ewmaSigma over the
 * last N returns, seeded with the window's first r²), updated in O(1) per
 * step, with a bound on its distance from ewmaSigma on the same window.
 */
import { ewmaSigma } from "./valueAtRisk.js";

const EPSILON = 2 ** -52;
/** As in slidingMoments.ts: beyond this relative uncertainty in σ² the caller resets. */
const RELATIVE_LIMIT = 1e-7;

/**
 * Method: ewmaSigma's recursion σ² = r₀², σ² ← λσ² + w·r_i² (w = 1 − λ as
 * rounded) over a window x₀ … x_{N−1} of squares is, in exact arithmetic,
 *
 *     σ² = w·A + (1 − w)·λ^(N−1)·x₀,   A = Σ_j λ^(N−1−j)·x_j,
 *
 * and A slides as A' = λ·A − λ^N·x_old + x_new. Rounding errors in A decay
 * by λ a step; the bound E (units of ε) follows them: E' = λE + |λA| +
 * 3λ^N·x_old + |λA − λ^N·x_old| + |A'|. When a large square leaves, A
 * falls below its bound's reach and the caller resets (`reset`, O(N)).
 * ewmaSigma's own rounding is at most 3Nε·σ² (each of its N steps rounds
 * at ≤ 3ε of a value that later steps only shrink by λ), which the bound
 * adds; and 1e-300 absolute covers underflow of the decayed terms.
 *
 * Reference: J.P. Morgan/Reuters (1996), *RiskMetrics — Technical
 * Document*, 4th ed., §5.2.1, eq. 5.6.
 *
 * @example
 * const r = Float64Array.of(0.01, -0.02, 0.03, 0, 0.05);
 * const ewma = new SlidingEwma(4, 0.94);
 * ewma.reset(r, 0, 4);
 * ewma.slide(r[0], r[4]);
 * const out = new Float64Array(2);
 * ewma.estimate(r[1], out); // => true; out[0] 0.023020599470908662 (ewmaSigma(r, 0.94, 1, 5) too)
 */
export class SlidingEwma {
  private readonly window: number;
  private readonly lambda: number;
  private readonly weight: number;
  /** λ^N, the weight of a square as it leaves A. */
  private readonly leaving: number;
  /** (1 − w)·λ^(N−1), the extra weight of the window's first square in σ². */
  private readonly seed: number;
  private sum = 0;
  private error = 0;

  constructor(window: number, lambda: number) {
    this.window = window;
    this.lambda = lambda;
    this.weight = 1 - lambda;
    this.leaving = lambda ** window;
    this.seed = (1 - this.weight) * lambda ** (window - 1);
  }

  /** ewmaSigma of r[from..to), and A recomputed over it. */
  reset(r: Float64Array, from: number, to: number): number {
    const lambda = this.lambda;
    let sum = 0;
    for (let i = from; i < to; i++) sum = lambda * sum + r[i]! * r[i]!;
    this.sum = sum;
    this.error = 3 * this.window * sum;
    return ewmaSigma(r, lambda, from, to);
  }

  /** The window moves on by one: `old` leaves, `x` enters. */
  slide(old: number, x: number): void {
    const decayed = this.lambda * this.sum;
    const leaving = this.leaving * (old * old);
    const kept = decayed - leaving;
    const sum = kept + x * x;
    this.sum = sum;
    this.error = this.lambda * this.error + decayed + 3 * leaving + Math.abs(kept) + 3 * x * x + sum;
  }

  /**
   * σ of the window whose first return is `first`, into out[0], and a bound
   * on its distance from ewmaSigma's into out[1]; false when that bound is
   * too loose to use.
   */
  estimate(first: number, out: Float64Array): boolean {
    const head = this.seed * (first * first);
    const variance = this.weight * this.sum + head;
    const error =
      EPSILON * (this.weight * this.error + 6 * (this.weight * this.sum + head) + 3 * this.window * variance);
    const relative = error / variance;
    const sigma = Math.sqrt(variance);
    out[0] = sigma;
    out[1] = sigma * (0.5 * relative + 4 * EPSILON) + 1e-150;
    return variance > 0 && relative <= RELATIVE_LIMIT;
  }
}
