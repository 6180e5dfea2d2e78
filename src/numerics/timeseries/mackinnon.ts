import {
  CRITICAL_VALUE_TABLES,
  LARGE_P_SCALE,
  PVALUE_TABLES,
  SMALL_P_SCALE,
  type TrendRegression,
} from "./mackinnonTables.js";
import { normalCdf } from "../special/normalDistribution.js";

export type { TrendRegression } from "./mackinnonTables.js";

/** Critical values of a unit-root or cointegration tau statistic at the usual levels. */
export interface CriticalValues {
  "1%": number;
  "5%": number;
  "10%": number;
}

/**
 * MacKinnon (1994) approximate asymptotic p-value of a Dickey–Fuller /
 * Engle–Granger tau statistic, as statsmodels'
 * `statsmodels.tsa.adfvalues.mackinnonp(stat, regression, N)`.
 *
 * Method: p = Φ(γ₀ + γ₁τ + γ₂τ² [+ γ₃τ³]) with MacKinnon's response-surface
 * coefficients: the quadratic (small-p) set for τ ≤ τ*, the cubic (large-p)
 * set above; p = 0 below τ_min and p = 1 above τ_max (the range over which
 * MacKinnon fitted the surfaces). The polynomial is evaluated by Horner's
 * rule in the same order as numpy's `polyval`, and Φ agrees with scipy's
 * `norm.cdf` to ~1e-14, so results match statsmodels to ~1e-13.
 *
 * Reference: J. G. MacKinnon (1994), "Approximate asymptotic distribution
 * functions for unit-root and cointegration tests", Journal of Business &
 * Economic Statistics 12(2), 167–176. doi:10.1080/07350015.1994.10510005
 *
 * @param stat the tau statistic; NaN gives NaN
 * @param regression deterministic terms of the test regression: "n" none,
 *   "c" constant, "ct" constant + trend, "ctt" + quadratic trend
 * @param nSeries number of I(1) series N, 1–6 (1 for ADF, 2 for a pair's
 *   Engle–Granger test); default 1
 * @throws RangeError when nSeries is not an integer in 1–6
 *
 * @example
 * mackinnonPValue(-2.8621, "c"); // => 0.04993609626428244 (at MacKinnon's 5% asymptotic critical value)
 * mackinnonPValue(0.97505319, "c"); // => 0.9939956308863584 (statsmodels test_stattools, realgdp)
 */
export function mackinnonPValue(stat: number, regression: TrendRegression, nSeries = 1): number {
  if (!Number.isInteger(nSeries) || nSeries < 1 || nSeries > 6) {
    throw new RangeError(`MacKinnon p-values need 1 ≤ N ≤ 6 series, got ${nSeries}`);
  }
  const table = PVALUE_TABLES[regression];
  const i = nSeries - 1;
  if (stat > table.tauMax[i]!) return 1;
  if (stat < table.tauMin[i]!) return 0;
  if (Number.isNaN(stat)) return Number.NaN;
  const small = stat <= table.tauStar[i]!;
  const coefficients = small ? table.smallP[i]! : table.largeP[i]!;
  const scale = small ? SMALL_P_SCALE : LARGE_P_SCALE;
  // numpy.polyval(coefficients[::-1], stat): Horner from the highest degree, starting at 0.
  let g = 0;
  for (let k = coefficients.length - 1; k >= 0; k--) g = g * stat + coefficients[k]! * scale[k]!;
  return normalCdf(g);
}

/**
 * MacKinnon (2010) finite-sample critical values of the tau statistic at
 * 1%, 5% and 10%, computed as statsmodels'
 * `statsmodels.tsa.adfvalues.mackinnoncrit(N, regression, nobs)` does but
 * from the coefficients as published (five of statsmodels' differ; see
 * mackinnonTables.ts), so that they equal Stata's egranger:
 *
 *     c(T) = β∞ + β₁/T + β₂/T² + β₃/T³,   T = nobs
 *
 * (T = Infinity gives the asymptotic β∞). The no-constant case ("n") is
 * tabulated for N = 1 only (MacKinnon 1996); other N give NaN there.
 *
 * References:
 * - J. G. MacKinnon (2010), "Critical values for cointegration tests",
 *   Queen's Economics Department Working Paper 1227.
 * - J. G. MacKinnon (1996), "Numerical distribution functions for unit root
 *   and cointegration tests", Journal of Applied Econometrics 11(6), 601–618.
 *
 * @param nSeries number of I(1) series N, 1–12
 * @param regression "n", "c", "ct" or "ctt"
 * @param nobs sample size T of the test regression (Infinity for asymptotic values)
 * @throws RangeError when nSeries is not an integer in 1–12
 *
 * @example
 * mackinnonCriticalValues(1, "c", Infinity); // => { "1%": -3.43035, "5%": -2.86154, "10%": -2.56677 }
 * mackinnonCriticalValues(1, "c", 1835)["5%"]; // => -2.8631163592632403 (statsmodels adfuller)
 */
export function mackinnonCriticalValues(
  nSeries: number,
  regression: TrendRegression,
  nobs: number,
): CriticalValues {
  if (!Number.isInteger(nSeries) || nSeries < 1 || nSeries > 12) {
    throw new RangeError(`MacKinnon critical values need 1 ≤ N ≤ 12 series, got ${nSeries}`);
  }
  const levels = CRITICAL_VALUE_TABLES[regression][nSeries - 1];
  if (levels === undefined) return { "1%": Number.NaN, "5%": Number.NaN, "10%": Number.NaN };
  const inverseT = 1 / nobs;
  const at = (beta: readonly number[]): number => {
    // numpy.polyval(beta[::-1], 1/T), Horner from β₃ down to β∞, starting at 0.
    let c = 0;
    for (let k = beta.length - 1; k >= 0; k--) c = c * inverseT + beta[k]!;
    return c;
  };
  return { "1%": at(levels[0]!), "5%": at(levels[1]!), "10%": at(levels[2]!) };
}
