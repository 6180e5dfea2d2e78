/**
 * Return and risk-adjusted performance ratios of a series of per-period
 * returns (SPEC §3). P is the number of periods per year; annual rates are
 * applied per period as rate / P.
 */
import { normalCdf } from "../special/normalDistribution.js";
import type { ReturnMoments } from "./moments.js";

/**
 * Compound annual growth rate from the log of the final wealth:
 * CAGR = W_n^(P/n) − 1 = expm1(ln W_n · P / n).
 *
 * Reference: PerformanceAnalytics `Return.annualized(geometric = TRUE)`;
 * empyrical `annual_return` (with n = len(returns), NaN rows included).
 *
 * @example
 * compoundAnnualGrowth(Math.log(1.21), 504, 252); // => 0.10000000000000009 (two years at 10 %)
 */
export function compoundAnnualGrowth(
  logFinalWealth: number,
  periods: number,
  periodsPerYear: number,
): number {
  return Math.expm1((logFinalWealth * periodsPerYear) / periods);
}

/**
 * Annualised Sharpe ratio sqrt(P)·mean(r − rf/P) / sd(r − rf/P), sd ddof 1.
 * Subtracting a constant leaves sd unchanged, so it is computed from the
 * moments of r.
 *
 * Reference: W. F. Sharpe (1994), "The Sharpe Ratio", *Journal of Portfolio
 * Management* 21(1), 49–58; empyrical `sharpe_ratio`.
 *
 * @example
 * sharpeRatio({ mean: 0.001, sd: 0.01 } as ReturnMoments, 0, 252); // => 1.5874507866387544
 */
export function sharpeRatio(
  moments: ReturnMoments,
  riskFreePerPeriod: number,
  periodsPerYear: number,
): number {
  return (Math.sqrt(periodsPerYear) * (moments.mean - riskFreePerPeriod)) / moments.sd;
}

export interface DownsideStatistics {
  /** sqrt(mean(min(r − τ, 0)²)) over all n periods (PerformanceAnalytics DownsideDeviation method "full"). */
  downsideDeviation: number;
  /** Σ max(r − τ, 0). */
  gains: number;
  /** Σ max(τ − r, 0). */
  losses: number;
}

/**
 * Downside deviation and the gain and loss sums about a per-period
 * threshold τ, in one pass.
 *
 * @example
 * downsideStatistics(new Float64Array([0.02, -0.01, 0.03, -0.03]), 0);
 * // => { downsideDeviation: 0.015811388300841896, gains: 0.05, losses: 0.04 }
 */
export function downsideStatistics(r: Float64Array, threshold: number): DownsideStatistics {
  let squares = 0;
  let gains = 0;
  let losses = 0;
  // Branch-free: half the periods fall below τ in no predictable order.
  for (let i = 0; i < r.length; i++) {
    const d = r[i]! - threshold;
    const below = 0.5 * (d - Math.abs(d)); // min(d, 0), exactly, without a branch
    squares += below * below;
    losses -= below;
    gains += d - below;
  }
  return { downsideDeviation: Math.sqrt(squares / r.length), gains, losses };
}

/**
 * Annualised Sortino ratio sqrt(P)·mean(r − τ) / DD with τ = mar/P and DD
 * the downside deviation over all periods. +∞ when no period falls below τ
 * and the mean exceeds it (reported as null, with a warning).
 *
 * Reference: F. A. Sortino, L. N. Price (1994), "Performance measurement in
 * a downside risk framework", *Journal of Investing* 3(3), 59–64; empyrical
 * `sortino_ratio` (the same number).
 *
 * @example
 * sortinoRatio(0.0025, 0.015811388300841896, 0, 252); // => 2.5099800796022267
 */
export function sortinoRatio(
  mean: number,
  downsideDeviation: number,
  thresholdPerPeriod: number,
  periodsPerYear: number,
): number {
  return (Math.sqrt(periodsPerYear) * (mean - thresholdPerPeriod)) / downsideDeviation;
}

/**
 * Omega ratio at τ: Σ max(r − τ, 0) / Σ max(τ − r, 0) (Keating & Shadwick
 * 2002; empyrical `omega_ratio`, PerformanceAnalytics `Omega` with method
 * "simple"). +∞ without a loss below τ.
 *
 * @example
 * omegaRatio({ downsideDeviation: 0, gains: 0.05, losses: 0.04 }); // => 1.25
 */
export function omegaRatio(statistics: DownsideStatistics): number {
  return statistics.gains / statistics.losses;
}

/**
 * Probabilistic Sharpe ratio: the probability that the true per-period
 * Sharpe ratio exceeds SR*, given the sample's n, skewness γ3 and raw
 * kurtosis γ4 = excess + 3:
 *
 *     PSR = Φ( (SR − SR*)·sqrt(n − 1) / sqrt(1 − γ3·SR + (γ4 − 1)/4·SR²) )
 *
 * with SR and SR* per period (not annualised). The raw kurtosis matters:
 * putting the excess kurtosis in γ4's place (as vectorbt and quantstats do)
 * understates the estimator's variance.
 *
 * Reference: D. H. Bailey, M. López de Prado (2012), "The Sharpe ratio
 * efficient frontier", *Journal of Risk* 15(2), 3–44, eq. 11 (the variance of
 * Mertens 2002).
 *
 * @example
 * probabilisticSharpe(0.1, 0, 100, 0, 0); // => 0.8384565522394522 (Φ(0.1·sqrt(99)/sqrt(1.005)))
 */
export function probabilisticSharpe(
  sharpePerPeriod: number,
  benchmarkPerPeriod: number,
  observations: number,
  skew: number,
  excessKurtosis: number,
): number {
  const rawKurtosis = excessKurtosis + 3;
  const variance = 1 - skew * sharpePerPeriod + ((rawKurtosis - 1) / 4) * sharpePerPeriod * sharpePerPeriod;
  return normalCdf(
    ((sharpePerPeriod - benchmarkPerPeriod) * Math.sqrt(observations - 1)) / Math.sqrt(variance),
  );
}
