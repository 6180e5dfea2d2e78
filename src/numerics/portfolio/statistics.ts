import { backSubstitute, choleskyInPlace, forwardSubstitute } from "../linalg/cholesky.js";

export interface PortfolioMoments {
  /** P·μᵀw: annualised arithmetic mean return. */
  expectedReturn: number;
  /** sqrt(P·wᵀΣw): annualised volatility. */
  volatility: number;
  /** (expectedReturn − riskFree)/volatility; NaN when the volatility is 0. */
  sharpe: number;
}

/**
 * Annualised moments of a portfolio (SPEC §2): expectedReturn = P·μᵀw,
 * volatility = sqrt(P·wᵀΣw), sharpe = (expectedReturn − rf)/volatility, with
 * μ and Σ per period and P periods per year.
 *
 * @example
 * portfolioMoments(Float64Array.of(1), Float64Array.of(0.001), Float64Array.of(0.0001), 252, 0);
 * // => { expectedReturn: 0.252, volatility: sqrt(0.0252), sharpe: 0.252/sqrt(0.0252) }
 */
export function portfolioMoments(
  w: Float64Array,
  mean: Float64Array,
  covariance: Float64Array,
  periodsPerYear: number,
  riskFree: number,
): PortfolioMoments {
  let m = 0;
  for (let i = 0; i < w.length; i++) m += mean[i]! * w[i]!;
  const variance = Math.max(0, quadraticFormOf(covariance, w));
  const expectedReturn = periodsPerYear * m;
  const volatility = Math.sqrt(periodsPerYear * variance);
  const sharpe = volatility > 0 ? (expectedReturn - riskFree) / volatility : Number.NaN;
  return { expectedReturn, volatility, sharpe };
}

/** wᵀΣw. */
export function quadraticFormOf(covariance: Float64Array, w: Float64Array): number {
  const n = w.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += covariance[row + j]! * w[j]!;
    total += wi * s;
  }
  return total;
}

/**
 * Risk contributions as fractions of the variance, RC_i = w_i·(Σw)_i / wᵀΣw
 * (Euler allocation; they sum to 1).
 *
 * Reference: E. Qian (2006), "On the financial interpretation of risk
 * contribution", Journal of Asset Management 7(1), 41–51.
 *
 * @example
 * riskContributions(Float64Array.of(0.5, 0.5), Float64Array.of(1, 0, 0, 3)); // => [0.25, 0.75]
 */
export function riskContributions(w: Float64Array, covariance: Float64Array): Float64Array {
  const n = w.length;
  const out = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += covariance[row + j]! * w[j]!;
    out[i] = w[i]! * s;
    total += out[i]!;
  }
  for (let i = 0; i < n; i++) out[i]! /= total;
  return out;
}

/**
 * The 1-norm condition number κ₁(A) = ‖A‖₁·‖A⁻¹‖₁ of a symmetric positive
 * semi-definite matrix, as LAPACK's `dpocon` estimates it: Infinity when the
 * Cholesky factorisation meets a (numerically) zero pivot, else ‖A⁻¹‖₁ by
 * Hager's estimator (a few pairs of triangular solves with the factor; it is
 * almost always exact, and never an overestimate). A diagnostic: within a
 * factor n of the 2-norm condition number λ_max/λ_min.
 *
 * References: W. W. Hager (1984), "Condition estimates", SIAM J. Sci. Stat.
 * Comput. 5(2), 311–316; N. J. Higham (1988), "FORTRAN codes for estimating
 * the one-norm of a real or complex matrix", ACM TOMS 14(4), 381–396.
 *
 * @example
 * conditionNumber(Float64Array.of(4, 0, 0, 1), 2); // => 4
 * conditionNumber(Float64Array.of(1, 1, 1, 1), 2); // => Infinity
 */
export function conditionNumber(covariance: Float64Array, n: number): number {
  if (n === 0) return Number.NaN;
  const l = Float64Array.from(covariance);
  if (choleskyInPlace(l, n, n) < n) return Number.POSITIVE_INFINITY;
  let norm = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(covariance[i * n + j]!);
    norm = Math.max(norm, s);
  }
  const solve = (v: Float64Array): void => {
    forwardSubstitute(l, n, n, v);
    backSubstitute(l, n, n, v);
  };
  const x = new Float64Array(n).fill(1 / n);
  let estimate = 0;
  for (let iteration = 0; iteration < 5; iteration++) {
    const y = Float64Array.from(x);
    solve(y);
    let y1 = 0;
    for (let i = 0; i < n; i++) y1 += Math.abs(y[i]!);
    if (iteration > 0 && y1 <= estimate) break;
    estimate = y1;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = y[i]! >= 0 ? 1 : -1;
    solve(z);
    let best = 0;
    let zx = 0;
    for (let i = 0; i < n; i++) {
      zx += z[i]! * x[i]!;
      if (Math.abs(z[i]!) > Math.abs(z[best]!)) best = i;
    }
    if (Math.abs(z[best]!) <= zx) break;
    x.fill(0);
    x[best] = 1;
  }
  return norm * estimate;
}
