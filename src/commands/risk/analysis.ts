import { inputError } from "../../errors.js";
import type { Frame, TimeColumn } from "../../io/frame.js";
import type { PortfolioWeights } from "../../io/files/weightsFile.js";
import { weightsSumError } from "../../io/files/weightsFile.js";
import { calendarMonth } from "../../io/table/timeStamps.js";
import { compoundByPeriod, type PeriodReturn } from "../../numerics/risk/calendar.js";
import { conventionsNamed } from "../../numerics/risk/conventions.js";
import { type RelativeStatistics, relativeStatistics } from "../../numerics/risk/relative.js";
import { type VarBacktest, varBacktest } from "../../numerics/risk/rollingValueAtRisk.js";
import { type RiskSettings, type SeriesRisk, seriesRisk } from "../../numerics/risk/seriesRisk.js";
import { portfolioReturns } from "../../numerics/risk/portfolioReturns.js";
import type { CommandRun } from "../shared/commandRun.js";
import type { RiskOptions } from "./options.js";

/**
 * `hftlab risk`'s analysis: the returns of each selected symbol (and of
 * the fixed-weight portfolio), every metric through `numerics/risk`, and
 * the checks that turn an undefined number into an error or a warning
 * instead of a silent null.
 */

export const PORTFOLIO = "portfolio";

export interface AnalysedRisk {
  symbol: string;
  returns: Float64Array;
  risk: SeriesRisk;
  benchmark: RelativeStatistics | null;
  varBacktest: VarBacktest | null;
  /** Compounded monthly returns (key year·12 + month − 1), when the time column holds dates. */
  months: PeriodReturn[] | null;
  years: PeriodReturn[] | null;
}

export interface RiskAnalysis {
  series: AnalysedRisk[];
  settings: RiskSettings;
  benchmarkSymbol: string | null;
  benchmarkReturns: Float64Array | null;
  /** The time of wealth-index position p (0 = the start), or null for the start of a returns file. */
  wealthTime: (position: number) => string | null;
  weights: Map<string, number> | null;
}

/** The symbols to report: every column, less a benchmark added only to be the benchmark. */
export interface RiskInput {
  returns: Frame;
  /** The time stamps of the prices (one more than the returns), or null when the file held returns. */
  priceTimes: TimeColumn | null;
  reported: string[];
}

const WEIGHT_SUM_TOLERANCE = 1e-9;

/** What the per-bar rolling rows read: each reported series' returns, the benchmark's, the settings. */
export interface RollingAnalysis {
  series: Pick<AnalysedRisk, "symbol" | "returns">[];
  settings: RiskSettings;
  benchmarkReturns: Float64Array | null;
}

interface RiskBase extends RollingAnalysis {
  benchmarkSymbol: string | null;
  weights: Map<string, number> | null;
}

/**
 * The series `risk` reports (every selected symbol, and the portfolio of
 * `weights`), the benchmark and the settings, after the checks every output
 * needs. A run that prints only the per-bar rows (`--rolling` with
 * `--ndjson` or `--out`, and no summary) stops here.
 */
export function rollingAnalysis(
  input: RiskInput,
  options: RiskOptions,
  weights: PortfolioWeights | null,
): RiskBase {
  const frame = input.returns;
  const n = frame.time.length;
  if (n < 2) {
    throw inputError("too_few_rows", `risk needs at least 2 returns, found ${n}`, { file: frame.source });
  }
  if (options.returns === "simple" && options.inputKind === "returns") checkSimpleReturns(frame);
  if (options.varBacktest !== undefined && options.varBacktest >= n) {
    throw inputError(
      "too_few_rows",
      `--var-backtest ${options.varBacktest} needs more than ${options.varBacktest} returns, found ${n}`,
      { file: frame.source },
      "use a shorter --var-backtest window",
    );
  }
  const conventions = conventionsNamed(options.compat);
  const settings: RiskSettings = {
    periodsPerYear: options.periodsPerYear,
    riskFree: options.riskFree,
    mar: options.mar,
    sharpeBenchmark: options.sharpeBenchmark,
    confidences: options.confidence,
    ewmaLambda: options.ewmaLambda,
    drawdowns: options.drawdowns,
    kind: options.returns,
    missingRows: frame.droppedRows,
    conventions,
  };
  const named: { symbol: string; returns: Float64Array }[] = input.reported.map((symbol) => ({
    symbol,
    returns: frame.columns[frame.symbols.indexOf(symbol)]!,
  }));
  let weightMap: Map<string, number> | null = null;
  if (weights !== null) {
    weightMap = checkWeights(weights, frame);
    const columns = [...weightMap.keys()].map((symbol) => frame.columns[frame.symbols.indexOf(symbol)]!);
    named.push({
      symbol: PORTFOLIO,
      returns: portfolioReturns(columns, [...weightMap.values()], options.returns),
    });
  }
  const benchmarkSymbol = options.benchmark ?? null;
  const benchmark = benchmarkSymbol === null ? null : frame.columns[frame.symbols.indexOf(benchmarkSymbol)]!;
  return { series: named, settings, benchmarkReturns: benchmark, benchmarkSymbol, weights: weightMap };
}

export function analyseRisk(
  input: RiskInput,
  options: RiskOptions,
  weights: PortfolioWeights | null,
  run: CommandRun,
): RiskAnalysis {
  const frame = input.returns;
  const n = frame.time.length;
  const base = rollingAnalysis(input, options, weights);
  const { settings, benchmarkSymbol } = base;
  const benchmark = base.benchmarkReturns;
  const conventions = settings.conventions;
  const monthKeys = calendarKeys(frame.time);
  const scratch = new Float64Array(n);
  const series = base.series.map(({ symbol, returns }): AnalysedRisk => {
    const risk = seriesRisk(returns, settings, scratch);
    checkDefined(symbol, risk, run, frame.source);
    return {
      symbol,
      returns,
      risk,
      benchmark:
        benchmark === null
          ? null
          : relativeStatistics(
              returns,
              benchmark,
              conventions.perPeriodRate(options.riskFree, options.periodsPerYear),
              conventions.captureRule,
              options.periodsPerYear,
            ),
      varBacktest:
        options.varBacktest === undefined
          ? null
          : varBacktest(returns, {
              window: options.varBacktest,
              confidences: options.confidence,
              ewmaLambda: options.ewmaLambda,
            }),
      months: monthKeys === null ? null : compoundByPeriod(returns, monthKeys, options.returns),
      years: monthKeys === null ? null : compoundByPeriod(returns, yearKeys(monthKeys), options.returns),
    };
  });
  const priceTimes = input.priceTimes;
  const wealthTime =
    priceTimes === null
      ? (position: number) => (position === 0 ? null : frame.time.at(position - 1))
      : (position: number) => priceTimes.at(position);
  return {
    series,
    settings,
    benchmarkSymbol,
    benchmarkReturns: benchmark,
    wealthTime,
    weights: base.weights,
  };
}

/** A simple return below −100 % has no wealth index (exit 3). */
function checkSimpleReturns(frame: Frame): void {
  frame.columns.forEach((column, j) => {
    for (let i = 0; i < column.length; i++) {
      if (column[i]! < -1) {
        throw inputError(
          "return_below_minus_one",
          `${frame.symbols[j]} has a simple return of ${column[i]} at ${frame.time.at(i)}, below -1 (a loss of more than 100 %)`,
          { file: frame.source, ...(frame.lines ? { line: frame.lines[i]! } : {}) },
          "if the file holds log returns, say --returns log",
        );
      }
    }
  });
}

function checkWeights(weights: PortfolioWeights, frame: Frame): Map<string, number> {
  let sum = 0;
  for (const [symbol, weight] of weights.weights) {
    if (!frame.symbols.includes(symbol)) {
      throw inputError(
        "unknown_weight_symbol",
        `the weights name ${symbol}, which is not a column of ${frame.source}`,
        { file: weights.origin === "--weights" ? frame.source : weights.origin },
        `columns: ${frame.symbols.join(", ")}`,
      );
    }
    sum += weight;
  }
  if (!(Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE)) throw weightsSumError(weights.origin, sum);
  return weights.weights;
}

/**
 * A zero-variance series has no Sharpe ratio, skewness or kurtosis: exit 3.
 * A series that never falls below the threshold has an infinite Sortino and
 * Omega, one that never falls has no Calmar: null, with a warning.
 */
function checkDefined(symbol: string, risk: SeriesRisk, run: CommandRun, source: string): void {
  if (!(risk.volatility > 0)) {
    throw inputError(
      "zero_variance",
      `${symbol} has zero variance: its Sharpe ratio, skewness and kurtosis are undefined`,
      { file: source },
      "leave the constant column out with --columns",
    );
  }
  if (!Number.isFinite(risk.sortino))
    run.warn(`${symbol} never falls below the --mar threshold: sortino and omega are infinite (null)`);
  if (risk.maxDrawdown === null) run.warn(`${symbol} has no drawdown: calmar is undefined (null)`);
}

/** Month keys (year·12 + month − 1) of the returns' time stamps, or null unless every stamp is a date. */
export function calendarKeys(time: TimeColumn): Int32Array | null {
  const n = time.length;
  if (n === 0 || calendarMonth(time.at(0)) === undefined) return null;
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = calendarMonth(time.at(i));
    if (key === undefined) return null;
    keys[i] = key;
  }
  return keys;
}

function yearKeys(months: Int32Array): Int32Array {
  return months.map((key) => Math.floor(key / 12));
}
