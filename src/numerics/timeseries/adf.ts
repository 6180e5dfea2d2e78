import { AdfMoments, type AdfWorkspace } from "./adfMoments.js";
import { backSubstitute, choleskyInPlace, forwardSubstitute } from "../linalg/cholesky.js";
import { type CriticalValues, mackinnonCriticalValues, mackinnonPValue } from "./mackinnon.js";

/** Deterministic terms of the test regression: constant, + trend, + quadratic trend, none. */
export type AdfRegression = "c" | "ct" | "ctt" | "n";

export interface AdfOptions {
  /** "c" (default): constant; "ct": constant and trend; "ctt": and quadratic trend; "n": none. */
  regression?: AdfRegression;
  /** Largest lag considered; default ceil(12·(N/100)^{1/4}) capped at ⌊N/2⌋ − ntrend − 1. */
  maxLag?: number;
  /**
   * Lag selection over 0 … maxLag on a common sample: "AIC" (default), "BIC", or "t-stat" (from
   * maxLag down, the first lag whose last coefficient has |t| ≥ 1.6448536269514722, Φ⁻¹(0.95));
   * null uses maxLag.
   */
  autolag?: AdfAutolag | null;
}

export type AdfAutolag = "AIC" | "BIC" | "t-stat";

/** statsmodels' t-stat stopping value, norm.ppf(0.95). */
const T_STAT_STOP = 1.6448536269514722;

export interface AdfResult {
  /** The tau statistic: t-ratio of the lagged level's coefficient. */
  stat: number;
  /** MacKinnon (1994) approximate p-value (N = 1). */
  pValue: number;
  /** Number of lagged differences in the final regression. */
  lags: number;
  /** Observations in the final regression. */
  nobs: number;
  /** MacKinnon (2010) critical values for `nobs`. */
  criticalValues: CriticalValues;
  /** The minimised information criterion, or with "t-stat" the chosen lag's |t| (NaN when autolag is null). */
  icBest: number;
  /** The largest lag that was considered. */
  maxLag: number;
}

/** Deterministic columns of the regression: 0 (n), 1 (c), 2 (ct), 3 (ctt). */
function trendTerms(regression: AdfRegression): number {
  return regression === "n" ? 0 : regression.length;
}

/**
 * Shortest series `adfTest` accepts with a residual degree of freedom left
 * (maxlag 0): 3 without deterministic terms, one more for each (4 with a
 * constant, 5 with a trend, 6 with a quadratic trend). Shorter series throw
 * or give NaN.
 */
export function adfMinimumLength(regression: AdfRegression): number {
  return 3 + trendTerms(regression);
}

/** The largest lag an N-value series allows, statsmodels' ⌊N/2⌋ − ntrend − 1 (negative: none). */
export function adfLagCap(length: number, regression: AdfRegression): number {
  return Math.floor(length / 2) - trendTerms(regression) - 1;
}

/**
 * statsmodels' default largest lag, Schwert's ceil(12·(N/100)^{1/4}),
 * capped at `adfLagCap` (negative: the series is too short for any).
 *
 * @example
 * adfDefaultMaxLag(2000, "n"); // => 26
 */
export function adfDefaultMaxLag(length: number, regression: AdfRegression): number {
  return Math.min(adfLagCap(length, regression), Math.ceil(12 * (length / 100) ** 0.25));
}

/**
 * Augmented Dickey–Fuller unit-root test, reproducing statsmodels 0.13.5
 * `adfuller(x, maxlag, regression, autolag)` (autolag "AIC", "BIC", "t-stat" or None):
 *
 *     Δy_s = [α] + γ·y_{s−1} + Σ_{i=1}^{p} φ_i Δy_{s−i} + e_s,   stat = γ̂ / se(γ̂)
 *
 * Conventions (statsmodels'):
 * - maxlag default ceil(12·(N/100)^{1/4}) (Schwert 1989), capped at
 *   ⌊N/2⌋ − ntrend − 1 (ntrend = 1 with a constant); an explicit maxLag above
 *   that cap is an error;
 * - the lag search fits p = 0 … maxlag on one common sample (the last
 *   N − 1 − maxlag differences) and picks the smallest AIC = −2·llf + 2k (BIC:
 *   log(n)·k), llf = −n/2·(log 2π + log(SSR/n) + 1), k = number of regressors
 *   including the constant; ties go to the smaller lag;
 * - the chosen lag is re-fitted on its full sample (N − 1 − p rows), which
 *   gives the statistic, `nobs` and the critical values; p-value by
 *   MacKinnon (1994) with N = 1, critical values by MacKinnon (2010).
 *
 * Method (fast path, O(N·maxLag/4 + maxLag³) instead of maxLag regressions):
 * all cross products come from `AdfMoments`; one Cholesky factor L of the
 * (maxLag+1)² Gram matrix ordered [y_{s−1}, Δy_{s−1}, …, Δy_{s−maxLag}]
 * (constant by centring) serves every lag of the search, because the
 * leading blocks of L factor the leading blocks of the Gram: with
 * z = L⁻¹Xᵀy, SSR_p = yᵀy − Σ_{i≤p+1} z_i². The final regression gets its own
 * Gram for its sample. Agreement with statsmodels (tested on random walks,
 * AR(1) and MA series, trends, EuStockMarkets and realgdp, up to 2·10⁶
 * points): the same lag, the statistic to ≤ 1e-11 relative (typically
 * 1e-14). Where statsmodels' own SVD of the raw design loses digits (a level
 * of 1e7 moving by 0.05) this stays exact to 1e-15 of the shifted problem.
 *
 * A (numerically) collinear design — e.g. a constant series — gives NaN
 * statistics; lags past the first dependent column are left out of the
 * search.
 *
 * References:
 * - D. A. Dickey, W. A. Fuller (1979), "Distribution of the estimators for
 *   autoregressive time series with a unit root", JASA 74(366), 427–431.
 * - S. E. Said, D. A. Dickey (1984), Biometrika 71(3), 599–607.
 * - G. W. Schwert (1989), "Tests for unit roots: a Monte Carlo
 *   investigation", J. Business & Economic Statistics 7(2), 147–159.
 * - J. G. MacKinnon (1994, 2010): see `mackinnon.ts`.
 *
 * @param x level series (finite values)
 * @param workspace memory for the regression's sums, reused across calls on
 *   series of one length (see `AdfWorkspace`; used when it fits x and the maxLag)
 * @throws RangeError when x is too short for the regression or maxLag is out of range
 *
 * @example
 * // statsmodels test_stattools.TestADFConstant, macrodata realgdp (203 quarters):
 * adfTest(realgdp, { regression: "c", maxLag: 4, autolag: null });
 * // => { stat: 0.9750516118294772, pValue: 0.9939956133284229, lags: 4, nobs: 198, … }
 * // (statsmodels: 0.9750516118294794, 0.993995613328423; Stata, as published: 0.97505319, 0.99399563)
 */
export function adfTest(x: Float64Array, options: AdfOptions = {}, workspace?: AdfWorkspace): AdfResult {
  const regression = options.regression ?? "c";
  const autolag = options.autolag === undefined ? "AIC" : options.autolag;
  const terms = trendTerms(regression);
  const length = x.length;
  const lagCap = adfLagCap(length, regression);
  let maxLag: number;
  if (options.maxLag === undefined) {
    maxLag = adfDefaultMaxLag(length, regression);
    if (maxLag < 0) throw new RangeError(`ADF: a series of ${length} values is too short`);
  } else {
    maxLag = options.maxLag;
    if (!Number.isInteger(maxLag) || maxLag < 0)
      throw new RangeError(`ADF: maxLag must be a non-negative integer`);
    if (maxLag > lagCap) {
      throw new RangeError(`ADF: maxLag ${maxLag} exceeds ⌊N/2⌋ − ntrend − 1 = ${lagCap} for N = ${length}`);
    }
  }

  const moments = new AdfMoments(x, maxLag, workspace);
  let lags = maxLag;
  let icBest = Number.NaN;
  if (autolag !== null) {
    const search = searchLag(moments, maxLag, terms, autolag);
    lags = search.lag;
    icBest = search.criterion;
  }
  const fit = levelTStatistic(moments, lags, terms);
  return {
    stat: fit.stat,
    pValue: mackinnonPValue(fit.stat, regression, 1),
    lags,
    nobs: fit.nobs,
    criticalValues: mackinnonCriticalValues(1, regression, fit.nobs),
    icBest,
    maxLag,
  };
}

/**
 * The cross-product matrix of [level, lags, Δy] with the deterministic
 * terms partialled out (Frisch–Waugh–Lovell): the constant by centring
 * (`AdfMoments.gram`), a trend and quadratic trend by subtracting Cᵀ T⁻¹ C,
 * with C the centred cross products of the trend powers with the columns
 * and T the centred trend powers' own. The regression on the reduced matrix
 * has the full regression's coefficients, SSR and (XᵀX)⁻¹ block.
 *
 * @returns the number of observations
 */
function designGram(
  moments: AdfMoments,
  sampleStart: number,
  lags: number,
  terms: number,
  out: Float64Array,
): number {
  const n = moments.gram(sampleStart, lags, terms > 0, out);
  const order = terms - 1;
  if (order < 1) return n;
  const size = lags + 2;
  const sums = new Float64Array(size);
  const cross = new Float64Array(order * size);
  const powers = new Float64Array(2 * order + 1);
  moments.trendCross(sampleStart, lags, order as 1 | 2, sums, cross, powers);
  // centred: C_ki = Σ τ^k col_i − Σ τ^k · Σ col_i / n, T_kl = Σ τ^{k+l} − Σ τ^k Σ τ^l / n (k, l ≥ 1)
  for (let k = 0; k < order; k++) {
    for (let i = 0; i < size; i++)
      cross[k * size + i] = cross[k * size + i]! - (powers[k + 1]! * sums[i]!) / n;
  }
  const t11 = powers[2]! - (powers[1]! * powers[1]!) / n;
  if (order === 1) {
    for (let i = 0; i < size; i++) {
      for (let j = i; j < size; j++) {
        const v = out[i * size + j]! - (cross[i]! * cross[j]!) / t11;
        out[i * size + j] = v;
        out[j * size + i] = v;
      }
    }
    return n;
  }
  const t12 = powers[3]! - (powers[1]! * powers[2]!) / n;
  const t22 = powers[4]! - (powers[2]! * powers[2]!) / n;
  const determinant = t11 * t22 - t12 * t12;
  const i11 = t22 / determinant;
  const i12 = -t12 / determinant;
  const i22 = t11 / determinant;
  for (let i = 0; i < size; i++) {
    const a1 = cross[i]!;
    const a2 = cross[size + i]!;
    for (let j = i; j < size; j++) {
      const b1 = cross[j]!;
      const b2 = cross[size + j]!;
      const v = out[i * size + j]! - (a1 * (i11 * b1 + i12 * b2) + a2 * (i12 * b1 + i22 * b2));
      out[i * size + j] = v;
      out[j * size + i] = v;
    }
  }
  return n;
}

/**
 * AIC/BIC/t-stat lag search over 0 … maxLag on the common sample
 * (statsmodels `_autolag`). With the Cholesky factor L of the Gram matrix
 * ordered [level, lag 1, …] and z = L⁻¹Xᵀy, the regression on the first
 * p + 1 columns has SSR_p = yᵀy − Σ_{i≤p} z_i², and its last coefficient
 * z_p/L_pp has the standard error σ_p/L_pp, so its t-ratio is z_p/σ_p.
 */
function searchLag(
  moments: AdfMoments,
  maxLag: number,
  terms: number,
  criterion: AdfAutolag,
): { lag: number; criterion: number } {
  const size = maxLag + 2;
  // designGram writes every entry the factorisation reads, so the reused memory needs no clearing
  const gram = moments.memory.matrix;
  const n = designGram(moments, maxLag, maxLag, terms, gram);
  const yIndex = maxLag + 1;
  const factored = choleskyInPlace(gram, maxLag + 1, size);
  if (factored === 0) return { lag: 0, criterion: Number.NaN };
  const z = moments.memory.vector;
  for (let i = 0; i < factored; i++) z[i] = gram[yIndex * size + i]!;
  forwardSubstitute(gram, factored, size, z);
  const yy = gram[yIndex * size + yIndex]!;
  if (criterion === "t-stat") return tStatisticLag(z, factored, yy, n, terms);
  const penaltyPerParameter = criterion === "AIC" ? 2 : Math.log(n);
  const logLikelihoodConstant = Math.log(2 * Math.PI) + 1;
  let explained = 0;
  let bestLag = 0;
  let best = Number.POSITIVE_INFINITY;
  // Column i of the design is the level (i = 0) or lag i; lag p uses columns 0 … p.
  for (let p = 0; p < factored; p++) {
    explained += z[p]! * z[p]!;
    const ssr = yy - explained;
    const parameters = p + 1 + terms;
    const llf = (-n / 2) * (logLikelihoodConstant + Math.log(ssr / n));
    const value = -2 * llf + penaltyPerParameter * parameters;
    if (value < best) {
      best = value;
      bestLag = p;
    }
  }
  return { lag: bestLag, criterion: best };
}

/**
 * statsmodels' "t-stat" rule: from the largest lag down, the first whose
 * last coefficient is significant (|t| ≥ Φ⁻¹(0.95)); lag 0 (whose last
 * column is the level) when none is.
 */
function tStatisticLag(
  z: Float64Array,
  columns: number,
  yy: number,
  n: number,
  terms: number,
): { lag: number; criterion: number } {
  // SSR of each prefix, summed forward as the AIC search does (no cancellation from subtracting back)
  const ssr = new Float64Array(columns);
  let explained = 0;
  for (let p = 0; p < columns; p++) {
    explained += z[p]! * z[p]!;
    ssr[p] = yy - explained;
  }
  let t = Number.NaN;
  for (let p = columns - 1; p >= 0; p--) {
    const residualDof = n - (p + 1) - terms;
    t = Math.abs(z[p]! / Math.sqrt(ssr[p]! / residualDof));
    if (t >= T_STAT_STOP) return { lag: p, criterion: t };
  }
  return { lag: 0, criterion: t };
}

/** The ADF regression with `lags` lags on its full sample: t-ratio of the lagged level and nobs. */
function levelTStatistic(moments: AdfMoments, lags: number, terms: number): { stat: number; nobs: number } {
  const size = lags + 2;
  const columns = lags + 1;
  const gram = moments.memory.matrix;
  const n = designGram(moments, lags, lags, terms, gram);
  if (choleskyInPlace(gram, columns, size) < columns) return { stat: Number.NaN, nobs: n };
  const coefficients = moments.memory.vector;
  for (let i = 0; i < columns; i++) coefficients[i] = gram[columns * size + i]!;
  forwardSubstitute(gram, columns, size, coefficients);
  let explained = 0;
  for (let i = 0; i < columns; i++) explained += coefficients[i]! * coefficients[i]!;
  const ssr = gram[columns * size + columns]! - explained;
  backSubstitute(gram, columns, size, coefficients);
  // (XᵀX)⁻¹ at the level's position = ‖L⁻¹e₀‖².
  const unit = moments.memory.sums.fill(0, 0, columns);
  unit[0] = 1;
  forwardSubstitute(gram, columns, size, unit);
  let inverseDiagonal = 0;
  for (let i = 0; i < columns; i++) inverseDiagonal += unit[i]! * unit[i]!;
  const residualDof = n - columns - terms;
  const scale = ssr / residualDof;
  return { stat: coefficients[0]! / Math.sqrt(scale * inverseDiagonal), nobs: n };
}
