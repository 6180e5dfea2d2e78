import { periodsPerYearParams } from "../shared/periodsPerYear.js";
import type { DrawdownEpisode } from "../../numerics/risk/drawdowns.js";
import type { RiskConventions } from "../../numerics/risk/conventions.js";
import type { CoverageTests } from "../../numerics/risk/coverageTests.js";
import { VAR_METHODS, type VarMethod } from "../../numerics/risk/rollingValueAtRisk.js";
import { byName, finiteOrNull } from "../../output/json.js";
import { sharedParams } from "../shared/commandRun.js";
import type { AnalysedRisk, RiskAnalysis } from "./analysis.js";
import type { RiskOptions } from "./options.js";

/**
 * `hftlab risk`'s params and result (SPEC §3 keys), and its CSV summary.
 */

export interface DrawdownJson {
  depth: number | null;
  peak: string | null;
  trough: string | null;
  recovery: string | null;
  /** trough − peak, in bars. */
  bars: number;
  /** recovery − trough, in bars; null while under water. */
  recoveryBars: number | null;
  /** recovery − peak, or (open) the last bar − peak. */
  durationBars: number;
  open: boolean;
}

type ByLevel<T> = Record<string, T>;

export interface RiskSeriesJson {
  symbol: string;
  observations: number;
  totalReturn: number | null;
  cagr: number | null;
  annualReturn: number | null;
  volatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  downsideDeviation: number | null;
  calmar: number | null;
  omega: number | null;
  tailRatio: number | null;
  skew: number | null;
  kurtosis: number | null;
  probabilisticSharpe: number | null;
  maxDrawdown: DrawdownJson | null;
  drawdowns: DrawdownJson[];
  var: Record<VarMethod, ByLevel<number | null>>;
  es: Record<VarMethod, ByLevel<number | null>>;
  benchmark: {
    symbol: string;
    beta: number | null;
    alpha: number | null;
    correlation: number | null;
    trackingError: number | null;
    informationRatio: number | null;
    upCapture: number | null;
    downCapture: number | null;
  } | null;
  varBacktest: {
    window: number;
    forecasts: number;
    methods: Record<VarMethod, ByLevel<CoverageJson>>;
  } | null;
  calendar: { year: number; month: number; return: number | null }[] | null;
  years: { year: number; return: number | null }[] | null;
}

export interface CoverageJson {
  exceedances: number;
  expected: number;
  rate: number;
  kupiec: { statistic: number | null; pValue: number | null };
  independence: { statistic: number | null; pValue: number | null };
  conditionalCoverage: { statistic: number | null; pValue: number | null };
}

export interface RiskResult {
  series: RiskSeriesJson[];
  weights: Record<string, number> | null;
  conventions: Record<string, string>;
}

export function riskParams(options: RiskOptions): Record<string, unknown> {
  return {
    weights: options.weights ?? null,
    benchmark: options.benchmark ?? null,
    ...periodsPerYearParams(options),
    riskFree: options.riskFree,
    mar: options.mar,
    sharpeBenchmark: options.sharpeBenchmark,
    confidence: options.confidence,
    ewmaLambda: options.ewmaLambda,
    drawdowns: options.drawdowns,
    varBacktest: options.varBacktest ?? null,
    rolling: options.rolling ?? null,
    compat: options.compat,
    ...sharedParams(options),
  };
}

/** A confidence level as a JSON key: "0.95", "0.99", "0.999". */
export function levelKey(confidence: number): string {
  return String(confidence);
}

function byLevel<T>(confidences: readonly number[], values: readonly T[]): ByLevel<T> {
  const out: ByLevel<T> = {};
  confidences.forEach((c, k) => {
    out[levelKey(c)] = values[k]!;
  });
  return out;
}

export function drawdownJson(
  episode: DrawdownEpisode,
  wealthTime: (position: number) => string | null,
  lastPosition: number,
  sign: 1 | -1 = 1,
): DrawdownJson {
  const open = episode.recovery < 0;
  return {
    depth: finiteOrNull(sign * episode.depth),
    peak: wealthTime(episode.peak),
    trough: wealthTime(episode.trough),
    recovery: open ? null : wealthTime(episode.recovery),
    bars: episode.trough - episode.peak,
    recoveryBars: open ? null : episode.recovery - episode.trough,
    durationBars: (open ? lastPosition : episode.recovery) - episode.peak,
    open,
  };
}

function coverageJson(tests: CoverageTests): CoverageJson {
  return {
    exceedances: tests.exceedances,
    expected: tests.expected,
    rate: tests.exceedances / tests.forecasts,
    kupiec: { statistic: finiteOrNull(tests.kupiec.statistic), pValue: finiteOrNull(tests.kupiec.pValue) },
    independence: {
      statistic: finiteOrNull(tests.independence.statistic),
      pValue: finiteOrNull(tests.independence.pValue),
    },
    conditionalCoverage: {
      statistic: finiteOrNull(tests.conditionalCoverage.statistic),
      pValue: finiteOrNull(tests.conditionalCoverage.pValue),
    },
  };
}

function seriesJson(series: AnalysedRisk, analysis: RiskAnalysis, options: RiskOptions): RiskSeriesJson {
  const { risk } = series;
  const P = options.periodsPerYear;
  const confidences = options.confidence;
  const last = series.returns.length;
  const methods = <T>(pick: (method: VarMethod) => ByLevel<T>) =>
    Object.fromEntries(VAR_METHODS.map((method) => [method, pick(method)])) as Record<VarMethod, ByLevel<T>>;
  const conventions = analysis.settings.conventions;
  const numbers = (values: number[]) => values.map((x) => finiteOrNull(conventions.lossSign * x));
  const relative = series.benchmark;
  return {
    symbol: series.symbol,
    observations: risk.observations,
    totalReturn: finiteOrNull(risk.totalReturn),
    cagr: finiteOrNull(risk.cagr),
    annualReturn: finiteOrNull(risk.annualReturn),
    volatility: finiteOrNull(risk.volatility),
    sharpe: finiteOrNull(risk.sharpe),
    sortino: finiteOrNull(risk.sortino),
    downsideDeviation: finiteOrNull(risk.downsideDeviation),
    calmar: finiteOrNull(risk.calmar),
    omega: finiteOrNull(risk.omega),
    tailRatio: finiteOrNull(risk.tailRatio),
    skew: finiteOrNull(risk.skew),
    kurtosis: finiteOrNull(risk.kurtosis),
    probabilisticSharpe: finiteOrNull(risk.probabilisticSharpe),
    maxDrawdown:
      risk.maxDrawdown === null
        ? null
        : drawdownJson(risk.maxDrawdown, analysis.wealthTime, last, conventions.drawdownSign),
    drawdowns: risk.drawdowns.map((episode) =>
      drawdownJson(episode, analysis.wealthTime, last, conventions.drawdownSign),
    ),
    var: methods((method) => byLevel(confidences, numbers(risk.valueAtRisk[method]))),
    es: methods((method) => byLevel(confidences, numbers(risk.expectedShortfall[method]))),
    benchmark:
      relative === null
        ? null
        : {
            symbol: analysis.benchmarkSymbol!,
            beta: finiteOrNull(relative.beta),
            alpha: finiteOrNull(conventions.annualiseAlpha(relative.alphaPerPeriod, P)),
            correlation: finiteOrNull(relative.correlation),
            trackingError: finiteOrNull(Math.sqrt(P) * relative.activeSd),
            informationRatio: finiteOrNull(
              conventions.annualisedInformationRatio
                ? (P * relative.activeMean) / (Math.sqrt(P) * relative.activeSd)
                : relative.activeMean / relative.activeSd,
            ),
            upCapture: finiteOrNull(relative.upCapture),
            downCapture: finiteOrNull(relative.downCapture),
          },
    varBacktest:
      series.varBacktest === null
        ? null
        : {
            window: options.varBacktest!,
            forecasts: last - options.varBacktest!,
            methods: methods((method) => byLevel(confidences, series.varBacktest![method].map(coverageJson))),
          },
    calendar:
      series.months?.map(({ key, return: r }) => ({
        year: Math.floor(key / 12),
        month: (key % 12) + 1,
        return: finiteOrNull(r),
      })) ?? null,
    years: series.years?.map(({ key, return: r }) => ({ year: key, return: finiteOrNull(r) })) ?? null,
  };
}

export function riskResult(analysis: RiskAnalysis, options: RiskOptions): RiskResult {
  return {
    series: analysis.series.map((series) => seriesJson(series, analysis, options)),
    weights: analysis.weights === null ? null : byName(analysis.weights),
    conventions: conventionsJson(analysis.settings.conventions, options),
  };
}

/** Every rule a number depends on, in words (SPEC §3 `conventions`). */
export function conventionsJson(conventions: RiskConventions, options: RiskOptions): Record<string, string> {
  return {
    preset: conventions.name,
    observations:
      options.missing === "zero"
        ? "a missing return is 0 and its row stays (quantstats' _prepare_returns, fillna(0)): it counts in n and in every statistic"
        : conventions.missingInObservations
          ? "n counts the returns plus the rows dropped for a missing cell (empyrical's len(returns) with NaN), in the CAGR only; every other statistic uses the returns present"
          : `n counts the returns left after --missing ${options.missing}: a row dropped for a missing cell counts nowhere`,
    returns:
      options.returns === "log"
        ? "log returns: moments, ratios and VaR on log returns; the wealth index is exp(cumulative sum)"
        : "simple returns: the wealth index is the cumulative product of (1 + r)",
    annualisation: `P = ${options.periodsPerYear} periods a year; annual rates (--risk-free, --mar, --sharpe-benchmark) enter per period as rate / P`,
    volatility: "sqrt(P) * sd, sd with ddof 1",
    sharpe:
      conventions.sharpeNumerator === "geometric"
        ? "CAGR(r - rf/P) / (sqrt(P) sd(r)) (PerformanceAnalytics SharpeRatio.annualized, geometric = TRUE)"
        : "sqrt(P) * mean(r - rf/P) / sd(r - rf/P)",
    sortino: conventions.perPeriodSortino
      ? "per period, not annualised: mean(r - mar/P) / DD, DD = sqrt(mean(min(r - mar/P, 0)^2)) over all periods (PerformanceAnalytics SortinoRatio)"
      : conventions.sortinoDownsidePeriods !== null
        ? `P * mean(r - mar/P) / (sqrt(${conventions.sortinoDownsidePeriods}) * DD), DD = sqrt(mean(min(r - mar/P, 0)^2)) over all periods (empyrical sortino_ratio, as its test suite asserts for weekly and monthly returns)`
        : "sqrt(P) * mean(r - mar/P) / DD, DD = sqrt(mean(min(r - mar/P, 0)^2)) over all periods (empyrical)",
    omega:
      conventions.name === "empyrical"
        ? "sum(max(r - t, 0)) / sum(max(t - r, 0)), t = rf/P + (1 + mar)^(1/P) - 1 (empyrical omega_ratio)"
        : "sum(max(r - mar/P, 0)) / sum(max(mar/P - r, 0))",
    tailRatio: "|q(0.95)| / |q(0.05)|, quantiles as the VaR quantile rule",
    moments:
      conventions.reportedMoments === "adjusted"
        ? "skew = G1 = g1 sqrt(n(n-1))/(n-2), kurtosis = G2 = (n-1)/((n-2)(n-3)) ((n+1) g2 + 6), the adjusted estimators of pandas skew()/kurt() (quantstats), with g1 = m3/m2^1.5, g2 = m4/m2^2 - 3"
        : "skew = m3 / m2^1.5, kurtosis = m4 / m2^2 - 3 (excess): the biased moment estimators",
    probabilisticSharpe:
      "Bailey & Lopez de Prado (2012) against --sharpe-benchmark / sqrt(P), with the raw kurtosis (excess + 3)",
    lossSign:
      conventions.lossSign === 1
        ? "VaR and ES are positive loss fractions (0.02 = a 2 % loss), one period ahead"
        : "VaR and ES are returns, negative for a loss (-0.02 = a 2 % loss), one period ahead",
    varQuantile:
      "historical VaR = -quantile(r, 1 - c), linear interpolation (numpy's default, Hyndman-Fan 7), 1 - c rounded to 15 digits",
    esRule: conventions.strictHistoricalShortfall
      ? "historical ES = -mean(r < -VaR), strictly below (PerformanceAnalytics ES.historical)"
      : "historical ES = -mean(r <= -VaR)",
    gaussian: `VaR = -(mean + z sd), ES = -mean + sd phi(z) / (1 - c), sd ${conventions.gaussianSd === "sample" ? "with ddof 1" : "= sqrt(m2) (PerformanceAnalytics VaR.Gaussian)"}`,
    cornishFisher:
      "PerformanceAnalytics VaR/ES method 'modified' (Favre-Galeano; Boudt-Peterson-Croux 2008), moment estimators, sd = sqrt(m2)",
    ewma: `RiskMetrics: sigma^2 seeded with the first r^2, lambda ${options.ewmaLambda}, zero mean; VaR = -z sigma`,
    drawdownSign:
      conventions.drawdownSign === 1
        ? "depth = W_trough / W_peak - 1, zero or negative"
        : "depth = 1 - W_trough / W_peak, zero or positive (PerformanceAnalytics maxDrawdown)",
    drawdownBaseline:
      "the wealth index starts at W_0 = 1 before the first return, so a fall in the first period is a drawdown",
    openDrawdown:
      "an episode still under water at the end has open true, recovery and recoveryBars null, and durationBars counted to the last bar",
    drawdownEpisodes:
      "an episode runs from the last bar at the running high to the first bar back at it; bars = trough - peak",
    benchmark: `beta = cov(r, b) / var(b); alpha = ${conventions.name === "empyrical" ? "(1 + a)^P - 1" : "P * a"} with a = mean(r - rf/P) - beta mean(b - rf/P); trackingError = sqrt(P) sd(r - b); informationRatio = ${conventions.annualisedInformationRatio ? "P mean(r - b) / trackingError" : "mean(r - b) / sd(r - b), per period (empyrical excess_sharpe)"}; capture: ${conventions.captureRule === "arithmetic" ? "mean(r | b > 0) / mean(b | b > 0) (PerformanceAnalytics UpDownRatios)" : "CAGR(r | b > 0) / CAGR(b | b > 0) (empyrical up_capture)"}`,
    calendar: "compounded returns per calendar month and year of the returns' time stamps (dates only)",
    varBacktest:
      "at each bar t >= N, every method's VaR from bars t-N..t-1; an exceedance is r_t < -VaR_t; Kupiec POF ~ chi2(1), Christoffersen independence ~ chi2(1), conditional coverage = their sum ~ chi2(2)",
  };
}

const CSV_COLUMNS = [
  "observations",
  "totalReturn",
  "cagr",
  "annualReturn",
  "volatility",
  "sharpe",
  "sortino",
  "calmar",
  "omega",
  "tailRatio",
  "skew",
  "kurtosis",
  "probabilisticSharpe",
] as const;

/** One CSV row per series: the scalar metrics, the deepest drawdown, VaR and ES by method and level. */
export function riskCsv(result: RiskResult, options: RiskOptions): string {
  const levels = options.confidence.map(levelKey);
  const head = [
    "symbol",
    ...CSV_COLUMNS,
    "maxDrawdown",
    "maxDrawdownPeak",
    "maxDrawdownTrough",
    "maxDrawdownRecovery",
    ...VAR_METHODS.flatMap((m) => levels.map((l) => `var_${m}_${l}`)),
    ...VAR_METHODS.flatMap((m) => levels.map((l) => `es_${m}_${l}`)),
  ];
  const cell = (value: number | string | null) =>
    value === null ? "" : typeof value === "number" ? String(value) : csvText(value);
  const lines = [head.join(",")];
  for (const s of result.series) {
    const dd = s.maxDrawdown;
    lines.push(
      [
        csvText(s.symbol),
        ...CSV_COLUMNS.map((key) => cell(s[key])),
        cell(dd?.depth ?? null),
        cell(dd?.peak ?? null),
        cell(dd?.trough ?? null),
        cell(dd?.recovery ?? null),
        ...VAR_METHODS.flatMap((m) => levels.map((l) => cell(s.var[m][l] ?? null))),
        ...VAR_METHODS.flatMap((m) => levels.map((l) => cell(s.es[m][l] ?? null))),
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

function csvText(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
