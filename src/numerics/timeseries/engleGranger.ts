import { type AdfAutolag, type AdfRegression, adfDefaultMaxLag, adfTest } from "./adf.js";
import { AdfWorkspace } from "./adfMoments.js";
import { backSubstitute, choleskyInPlace, forwardSubstitute } from "../linalg/cholesky.js";
import { type CriticalValues, mackinnonCriticalValues, mackinnonPValue } from "./mackinnon.js";
import { CompensatedSum, neumaierSum } from "../stats/summation.js";

/** OLS fit of y = intercept + hedgeRatio·x. */
export interface HedgeFit {
  hedgeRatio: number;
  intercept: number;
}

export interface EngleGrangerResult extends HedgeFit {
  /** ADF tau statistic of the residuals (no constant); −Infinity when y and x are collinear. */
  stat: number;
  /** MacKinnon (1994) p-value for the trend ("c" by default) with N = 2 series. */
  pValue: number;
  /** Lagged differences chosen by AIC in the residual ADF regression. */
  lags: number;
  /** MacKinnon (2010) critical values, N = 2, T = observations − 1 (NaN for "n": not tabulated). */
  criticalValues: CriticalValues;
}

/** A series' mean and centred sum of squares Σ(v − v̄)², as the first-step regression forms them. */
export interface CentredMoments {
  mean: number;
  sumSquares: number;
}

/**
 * What many Engle–Granger tests on series of one length can share (a pairs
 * scan): each series' centred moments, computed once per series instead of
 * once per pair, and memory for the residuals and their ADF regression.
 * The numbers are the same as without: the moments are the very sums the
 * test would form, in the same order.
 */
export interface EngleGrangerShared {
  y: CentredMoments;
  x: CentredMoments;
  scratch?: EngleGrangerScratch;
}

/** Memory for the residuals of a series length and the ADF regression on them. */
export class EngleGrangerScratch {
  readonly residuals: Float64Array;
  readonly adf: AdfWorkspace;

  /** @param maxLag the residual regression's largest lag (default: statsmodels' for this length) */
  constructor(
    readonly length: number,
    maxLag: number = adfDefaultMaxLag(length, "n"),
  ) {
    this.residuals = new Float64Array(length);
    this.adf = new AdfWorkspace(length, Math.max(0, maxLag));
  }
}

/**
 * The mean (compensated) and the compensated Σ(v − v̄)² of a series.
 *
 * @example
 * centredMoments(new Float64Array([1, 2, 3])); // => { mean: 2, sumSquares: 2 }
 */
export function centredMoments(v: Float64Array): CentredMoments {
  const n = v.length;
  const mean = neumaierSum(v) / n;
  const sum = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const u = v[i]! - mean;
    sum.add(u * u);
  }
  return { mean, sumSquares: sum.value() };
}

/** statsmodels' collinearity guard: R² ≥ 1 − 100·sqrt(ε). */
const COLLINEAR_R_SQUARED = 1 - 100 * Math.sqrt(Number.EPSILON);

/**
 * Least-squares hedge ratio: OLS of y on x with intercept,
 * hedgeRatio = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², intercept = ȳ − hedgeRatio·x̄,
 * on centred data with compensated (Neumaier) sums.
 *
 * Reference: R. F. Engle, C. W. J. Granger (1987), "Co-integration and error
 * correction: representation, estimation, and testing", Econometrica 55(2),
 * 251–276 (the first-step cointegrating regression). doi:10.2307/1913236
 *
 * @example
 * olsHedge(new Float64Array([3, 5, 7.5]), new Float64Array([1, 2, 3])); // => { hedgeRatio: 2.25, intercept: 0.666666666666667 }
 */
export function olsHedge(y: Float64Array, x: Float64Array): HedgeFit {
  return centredFit(y, x).fit;
}

/**
 * The spread (cointegration residual) out[i] = y[i] − (hedgeRatio·x[i] + intercept).
 * @example
 * const out = new Float64Array(2);
 * spreadSeries(new Float64Array([3, 5]), new Float64Array([1, 2]), 2, 1, out); // out => [0, 0]
 */
export function spreadSeries(
  y: Float64Array,
  x: Float64Array,
  hedgeRatio: number,
  intercept: number,
  out: Float64Array,
): void {
  const n = y.length;
  if (x.length !== n || out.length < n)
    throw new RangeError("spreadSeries: y, x and out must have the same length");
  for (let i = 0; i < n; i++) out[i] = y[i]! - (hedgeRatio * x[i]! + intercept);
}

/**
 * Engle–Granger two-step cointegration test of y on x, reproducing
 * statsmodels 0.13.5 `coint(y, x, trend="c", autolag="aic", maxlag)`:
 *
 * 1. OLS of y on [x, 1] (`olsHedge`); residuals e = y − (βx + c);
 * 2. ADF test of e without constant ("n"), lag by AIC up to maxLag (default
 *    ceil(12·(N/100)^{1/4}) capped at ⌊N/2⌋ − 1), see `adfTest`;
 * 3. p-value: MacKinnon (1994) for regression "c" with N = 2 series;
 *    critical values: MacKinnon (2010), "c", N = 2, T = N_obs − 1 (as
 *    statsmodels, which follows Stata's `egranger`).
 *
 * When the first-step R² ≥ 1 − 100·sqrt(ε) the series are (almost) exactly
 * collinear and, as in statsmodels, stat = −Infinity and p = 0.
 *
 * References:
 * - R. F. Engle, C. W. J. Granger (1987), Econometrica 55(2), 251–276.
 * - J. G. MacKinnon (1994, 2010): see `mackinnon.ts`.
 *
 * @param y the dependent series (levels)
 * @param x the hedge series (levels), same length
 * @param options maxLag and autolag of the residuals' ADF regression, as `adfTest` takes them
 *   (default: AIC over statsmodels' default maximum lag); `trend`, the deterministic terms of the
 *   cointegrating regression as coint's `trend` ("c" default, "ct", "ctt", "n"). The returned
 *   hedge ratio and intercept are always those of the intercept-only OLS (`olsHedge`).
 * @param shared the series' centred moments and reusable memory, for a scan of many
 *   pairs (`EngleGrangerShared`); the result is the same with or without
 * @throws RangeError when the lengths differ or the series are too short for the ADF regression
 *
 * @example
 * // EuStockMarkets (fixtures/eustocks.csv), DAX on CAC:
 * engleGranger(dax, cac);
 * // => { hedgeRatio: 1.8061879338821505, intercept: -1493.2200640276524, stat: -2.2960684045060025,
 * //      pValue: 0.37551625020732526, lags: 3, criticalValues: { "5%": -3.339418741394741, … } }
 * // (statsmodels coint: -2.2960684045060096, 0.3755162502073219)
 */
export function engleGranger(
  y: Float64Array,
  x: Float64Array,
  options: { maxLag?: number; autolag?: AdfAutolag | null; trend?: AdfRegression } = {},
  shared?: EngleGrangerShared,
): EngleGrangerResult {
  if (y.length !== x.length) throw new RangeError("engleGranger: y and x must have the same length");
  const trend = options.trend ?? "c";
  const { fit, rSquared: hedgeRSquared } = centredFit(y, x, shared);
  const criticalValues = mackinnonCriticalValues(2, trend, y.length - 1);
  const scratch = shared?.scratch?.length === y.length ? shared.scratch : undefined;
  let residuals: Float64Array;
  let rSquared = hedgeRSquared;
  if (trend === "c") {
    residuals = scratch?.residuals ?? new Float64Array(y.length);
    spreadSeries(y, x, fit.hedgeRatio, fit.intercept, residuals);
  } else {
    ({ residuals, rSquared } = trendResiduals(y, x, trend));
  }
  if (rSquared >= COLLINEAR_R_SQUARED) {
    return { ...fit, stat: Number.NEGATIVE_INFINITY, pValue: 0, lags: 0, criticalValues };
  }
  const autolag = options.autolag === undefined ? "AIC" : options.autolag;
  const adf =
    options.maxLag === undefined
      ? adfTest(residuals, { regression: "n", autolag }, scratch?.adf)
      : adfTest(residuals, { regression: "n", autolag, maxLag: options.maxLag }, scratch?.adf);
  return {
    ...fit,
    stat: adf.stat,
    pValue: mackinnonPValue(adf.stat, trend, 2),
    lags: adf.lags,
    criticalValues,
  };
}

/**
 * Residuals and R² of the cointegrating regression with other deterministic
 * terms, statsmodels' `OLS(y, add_trend(x, trend))`: "n", y on x alone (R²
 * uncentred, as statsmodels reports it without a constant); "ct"/"ctt", y on
 * x, a constant, τ (and τ²), with τ the index rescaled to [−1, 1] (the same
 * column span as statsmodels' 1, 2, …), solved on centred columns by
 * Cholesky.
 */
function trendResiduals(
  y: Float64Array,
  x: Float64Array,
  trend: "ct" | "ctt" | "n",
): { residuals: Float64Array; rSquared: number } {
  const n = y.length;
  const residuals = new Float64Array(n);
  if (trend === "n") {
    const sumXy = new CompensatedSum();
    const sumXx = new CompensatedSum();
    const sumYy = new CompensatedSum();
    for (let i = 0; i < n; i++) {
      sumXy.add(x[i]! * y[i]!);
      sumXx.add(x[i]! * x[i]!);
      sumYy.add(y[i]! * y[i]!);
    }
    const b = sumXy.value() / sumXx.value();
    for (let i = 0; i < n; i++) residuals[i] = y[i]! - b * x[i]!;
    return { residuals, rSquared: (sumXy.value() * b) / sumYy.value() };
  }
  const k = trend === "ct" ? 2 : 3;
  const half = (n - 1) / 2;
  const columns = Array.from({ length: k }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const tau = (i - half) / half;
    columns[0]![i] = x[i]!;
    columns[1]![i] = tau;
    if (k === 3) columns[2]![i] = tau * tau;
  }
  for (const column of columns) {
    const mean = neumaierSum(column) / n;
    for (let i = 0; i < n; i++) column[i] = column[i]! - mean;
  }
  const meanY = neumaierSum(y) / n;
  const centred = Float64Array.from(y, (v) => v - meanY);
  const stride = k + 1;
  const gram = new Float64Array(stride * stride);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      const sum = new CompensatedSum();
      for (let i = 0; i < n; i++) sum.add(columns[a]![i]! * columns[b]![i]!);
      gram[a * stride + b] = sum.value();
    }
  }
  const coefficients = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const sum = new CompensatedSum();
    for (let i = 0; i < n; i++) sum.add(columns[a]![i]! * centred[i]!);
    coefficients[a] = sum.value();
  }
  if (choleskyInPlace(gram, k, stride) < k) return { residuals: centred, rSquared: 1 };
  forwardSubstitute(gram, k, stride, coefficients);
  backSubstitute(gram, k, stride, coefficients);
  const total = new CompensatedSum();
  const residualSquares = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    let fitted = 0;
    for (let a = 0; a < k; a++) fitted += coefficients[a]! * columns[a]![i]!;
    residuals[i] = centred[i]! - fitted;
    total.add(centred[i]! * centred[i]!);
    residualSquares.add(residuals[i]! * residuals[i]!);
  }
  return { residuals, rSquared: 1 - residualSquares.value() / total.value() };
}

/**
 * OLS of y on x with intercept, and its R², on centred data; each series'
 * mean and Σ(v − v̄)² from `moments` when given (the same sums, formed once).
 */
function centredFit(
  y: Float64Array,
  x: Float64Array,
  moments?: { y: CentredMoments; x: CentredMoments },
): { fit: HedgeFit; rSquared: number } {
  const n = y.length;
  if (x.length !== n) throw new RangeError("olsHedge: y and x must have the same length");
  if (moments !== undefined) {
    const meanY = moments.y.mean;
    const meanX = moments.x.mean;
    const sumXy = new CompensatedSum();
    for (let i = 0; i < n; i++) sumXy.add((x[i]! - meanX) * (y[i]! - meanY));
    return hedgeFromSums(sumXy.value(), moments.x.sumSquares, moments.y.sumSquares, meanY, meanX);
  }
  const meanY = neumaierSum(y) / n;
  const meanX = neumaierSum(x) / n;
  const sumXy = new CompensatedSum();
  const sumXx = new CompensatedSum();
  const sumYy = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const u = x[i]! - meanX;
    const v = y[i]! - meanY;
    sumXy.add(u * v);
    sumXx.add(u * u);
    sumYy.add(v * v);
  }
  return hedgeFromSums(sumXy.value(), sumXx.value(), sumYy.value(), meanY, meanX);
}

function hedgeFromSums(
  sxy: number,
  sxx: number,
  syy: number,
  meanY: number,
  meanX: number,
): { fit: HedgeFit; rSquared: number } {
  const hedgeRatio = sxy / sxx;
  return {
    fit: { hedgeRatio, intercept: meanY - hedgeRatio * meanX },
    rSquared: (sxy * sxy) / (sxx * syy),
  };
}
