/**
 * Exponentially weighted moving volatility of log returns, the RiskMetrics
 * estimator (J.P. Morgan/Reuters 1996), updated one price at a time.
 *
 * Method: with r_t = ln(p_t / p_{t−1}) and decay λ (RiskMetrics: 0.94 for
 * daily data),
 *
 *     σ²_1 = r_1²                            (seeded with the first squared return)
 *     σ²_t = λ·σ²_{t−1} + (1 − λ)·r_t²       (t ≥ 2)
 *     ewmaVol_t = sqrt(σ²_t)                 (per tick, not annualised)
 *
 * The mean return is taken as zero, as in RiskMetrics. Before the second
 * price there is no return and the volatility is NaN. Seeding with r_1²
 * rather than 0 avoids the downward bias of a zero start over the first
 * ~1/(1 − λ) updates; it is pandas'
 * `(r**2).ewm(alpha=1-λ, adjust=False).mean() ** 0.5`.
 *
 * References: J.P. Morgan/Reuters (1996), *RiskMetrics — Technical
 * Document*, 4th ed., §5.2.1 (eq. 5.3 and the recursive form 5.6).
 *
 * @example
 * const vol = new EwmaVolatility(0.94);
 * vol.push(100); vol.value(); // => NaN (no return yet)
 * vol.push(101); vol.value(); // => 0.009950330853168092  (|ln 1.01|)
 * vol.push(100); vol.value(); // => 0.009950330853168092  (sqrt(0.94·r₁² + 0.06·r₂²) with r₂ = ln(100/101) ≈ −r₁)
 */
export class EwmaVolatility {
  private readonly lambda: number;
  private readonly weight: number;
  private variance = Number.NaN;
  private lastPrice = Number.NaN;
  private returns = 0;

  /** @throws RangeError unless 0 < lambda < 1 */
  constructor(lambda: number) {
    if (!(lambda > 0 && lambda < 1)) throw new RangeError(`EWMA lambda must be in (0, 1), got ${lambda}`);
    this.lambda = lambda;
    this.weight = 1 - lambda;
  }

  /** Adds the next price; returns the log return it made (NaN for the first price). */
  push(price: number): number {
    const previous = this.lastPrice;
    this.lastPrice = price;
    if (Number.isNaN(previous)) return Number.NaN;
    const r = Math.log(price / previous);
    this.variance = this.returns++ === 0 ? r * r : this.lambda * this.variance + this.weight * r * r;
    return r;
  }

  /** The current σ (per tick); NaN before the first return. */
  value(): number {
    return Math.sqrt(this.variance);
  }
}
