/**
 * One-period value at risk and expected shortfall at confidence c, as
 * positive loss fractions (a VaR of 0.02 is a 2 % loss), by four methods.
 * α = 1 − c is the tail probability and z = Φ⁻¹(α) < 0 its normal quantile.
 */
import { inverseNormalCdf } from "../special/inverseNormalCdf.js";
import type { ReturnMoments } from "./moments.js";

const INVERSE_SQRT_TWO_PI = 0.3989422804014327;

/**
 * The tail probability α = 1 − c of a confidence level, rounded to 15
 * significant digits: in binary, 1 − 0.95 is 0.050000000000000044 and
 * 1 − 0.8 is 0.19999999999999996, and a quantile at those is not the one
 * asked for (numpy's at 0.2 of [1, 81, …] is 81; at 0.19999999999999996 it
 * is 80.99999999999999). Levels are written in decimal, so α is their
 * decimal complement.
 *
 * @example
 * tailProbability(0.95); // => 0.05
 * tailProbability(0.8); // => 0.2
 */
export function tailProbability(confidence: number): number {
  return Number((1 - confidence).toPrecision(15));
}

export interface RiskEstimate {
  valueAtRisk: number;
  expectedShortfall: number;
}

function normalDensity(z: number): number {
  return INVERSE_SQRT_TWO_PI * Math.exp(-0.5 * z * z);
}

/**
 * Historical expected shortfall: −mean of the returns at or below the α
 * quantile q (the returns ≤ −VaR). Empty tail (impossible when q is a
 * sample quantile of r, kept for safety): NaN.
 *
 * Reference: C. Acerbi, D. Tasche (2002), "On the coherence of expected
 * shortfall", *Journal of Banking & Finance* 26(7), 1487–1503 (the tail
 * mean); empyrical's `conditional_value_at_risk` (its test: "the average of
 * all values at or below the VaR"). `strict` averages the returns strictly
 * below it, as PerformanceAnalytics' `ES(method = "historical")`.
 *
 * @example
 * historicalShortfall(new Float64Array([-0.05, -0.02, 0.01, 0.03]), -0.02); // => 0.035
 */
export function historicalShortfall(r: Float64Array, quantile: number, strict = false): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    if (v < quantile || (!strict && v === quantile)) {
      sum += v;
      count++;
    }
  }
  return -sum / count;
}

/**
 * Gaussian VaR −(μ + zσ) and ES −μ + σφ(z)/α, with μ the mean and σ the
 * standard deviation given (hftlab passes the ddof-1 sd).
 *
 * Reference: P. Jorion (2007), *Value at Risk*, 3rd ed., §5.2.
 *
 * @example
 * gaussianRisk(0, 0.01, 0.95); // => { valueAtRisk: 0.016448536269514723, expectedShortfall: 0.020627128075074253 }
 */
export function gaussianRisk(mean: number, sd: number, confidence: number): RiskEstimate {
  const alpha = tailProbability(confidence);
  const z = inverseNormalCdf(alpha);
  return {
    valueAtRisk: -(mean + z * sd),
    expectedShortfall: -mean + (sd * normalDensity(z)) / alpha,
  };
}

/**
 * Cornish–Fisher ("modified") VaR and ES, exactly as R PerformanceAnalytics
 * `VaR(method = "modified")` and `ES(method = "modified")` compute them:
 * moment estimators (m2, skewness S = m3/m2^1.5, excess kurtosis K), and
 *
 *     h   = z + (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36
 *     VaR = −μ − h·sqrt(m2)
 *     E   = φ(h)·[1 + h³S/6 + (h⁶ − 9h⁴ + 9h² + 3)S²/72 + (h⁴ − 2h² − 1)K/24]
 *     ES  = −μ − sqrt(m2)·min(−E/α, h)
 *
 * References:
 * - L. Favre, J.-A. Galeano (2002), "Mean-modified value-at-risk
 *   optimization with hedge funds", *Journal of Alternative Investments*
 *   5(2), 21–25.
 * - K. Boudt, B. G. Peterson, C. Croux (2008), "Estimation and
 *   decomposition of downside risk for portfolios with non-normal returns",
 *   *Journal of Risk* 11(2), 79–103 (the modified ES, eq. 12).
 * - PerformanceAnalytics `VaR.CornishFisher`, `operES.CornishFisher`.
 *
 * @example
 * cornishFisherRisk({ mean: 0, m2: 1e-4, skew: 0, kurtosis: 0 } as ReturnMoments, 0.95);
 * // => the Gaussian values with sd 0.01: VaR 0.016448536269514723
 */
export function cornishFisherRisk(moments: ReturnMoments, confidence: number): RiskEstimate {
  const alpha = tailProbability(confidence);
  const z = inverseNormalCdf(alpha);
  const { mean, skew: s, kurtosis: k } = moments;
  const sd = Math.sqrt(moments.m2);
  const h = cornishFisherFactor(z, s, k);
  const h2 = h * h;
  const h4 = h2 * h2;
  const e =
    normalDensity(h) *
    (1 + (h2 * h * s) / 6 + ((h4 * h2 - 9 * h4 + 9 * h2 + 3) * s * s) / 72 + ((h4 - 2 * h2 - 1) * k) / 24);
  return {
    valueAtRisk: -mean - h * sd,
    expectedShortfall: -mean - sd * Math.min(-e / alpha, h),
  };
}

/**
 * The Cornish–Fisher quantile h of a standardised return at the normal
 * quantile z, skewness s and excess kurtosis k (the h of
 * {@link cornishFisherRisk}, whose VaR is −μ − h·sqrt(m2)):
 * h = z + (z² − 1)s/6 + (z³ − 3z)k/24 − (2z³ − 5z)s²/36.
 *
 * @example
 * cornishFisherFactor(-1.6448536269514722, 0, 0); // => -1.6448536269514722
 */
export function cornishFisherFactor(z: number, s: number, k: number): number {
  const z2 = z * z;
  const z3 = z2 * z;
  return z + ((z2 - 1) * s) / 6 + ((z3 - 3 * z) * k) / 24 - ((2 * z3 - 5 * z) * s * s) / 36;
}

/**
 * The RiskMetrics EWMA volatility after the last return, r[start..end):
 * σ²₁ = r₁², σ²_t = λσ²_{t−1} + (1 − λ)r_t² (zero mean); this is the
 * one-period-ahead forecast σ_{T+1} of RiskMetrics' recursion.
 * pandas: `(r**2).ewm(alpha=1-λ, adjust=False).mean().iloc[-1] ** 0.5`.
 *
 * Reference: J.P. Morgan/Reuters (1996), *RiskMetrics — Technical
 * Document*, 4th ed., §5.2.1, eq. 5.6.
 *
 * @example
 * ewmaSigma(new Float64Array([0.01, -0.02]), 0.94); // => 0.010954451150103323 (sqrt(0.94e-4 + 0.06·4e-4))
 */
export function ewmaSigma(r: Float64Array, lambda: number, start = 0, end = r.length): number {
  if (end <= start) return Number.NaN;
  const weight = 1 - lambda;
  let variance = r[start]! * r[start]!;
  for (let i = start + 1; i < end; i++) variance = lambda * variance + weight * r[i]! * r[i]!;
  return Math.sqrt(variance);
}

/**
 * EWMA (RiskMetrics, zero mean) VaR −zσ and ES σφ(z)/α.
 *
 * @example
 * ewmaRisk(0.01, 0.99); // => { valueAtRisk: 0.023263478740408408, expectedShortfall: 0.02665214220345808 }
 */
export function ewmaRisk(sigma: number, confidence: number): RiskEstimate {
  const alpha = tailProbability(confidence);
  const z = inverseNormalCdf(alpha);
  return { valueAtRisk: -z * sigma, expectedShortfall: (sigma * normalDensity(z)) / alpha };
}
