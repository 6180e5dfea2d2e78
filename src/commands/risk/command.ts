import { type Command, InvalidArgumentError, Option } from "commander";
import type { RunContext } from "../../context.js";
import { periodsPerYearOption, resolvePeriodsPerYear } from "../shared/periodsPerYear.js";
import { inputError, usageError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { type ConventionsName, conventionsNamed } from "../../numerics/risk/conventions.js";
import { CommandRun, checkFinite, checkTimeColumn, dataSummary } from "../shared/commandRun.js";
import {
  addInputOptions,
  addOutputOptions,
  addReportOption,
  addReturnsOptions,
  checkOutputModes,
  parseInteger,
  parseNumber,
  resolveInput,
} from "../shared/options.js";
import { returnsFrame } from "../shared/returnsFrame.js";
import { analyseRisk, PORTFOLIO, type RiskAnalysis, type RiskInput, rollingAnalysis } from "./analysis.js";
import { RISK_DEFAULTS, type RiskOptions } from "./options.js";
import { riskCsv, riskParams, riskResult } from "./results.js";
import { ROLLING_COLUMNS } from "./rollingOutput.js";

/**
 * `hftlab risk`: its options, the combinations they refuse, and the recipe
 * (weights → read → returns → analyse → render). The maths is in
 * `numerics/risk`, called from analysis.ts.
 */

const COMPAT: ConventionsName[] = ["hftlab", "empyrical", "performanceanalytics", "quantstats"];

function parseConfidences(text: string): number[] {
  const levels = text.split(",").map((item) => {
    const trimmed = item.trim();
    const value = trimmed === "" ? Number.NaN : Number(trimmed);
    if (!(value > 0 && value < 1)) {
      throw new InvalidArgumentError(
        `--confidence levels must lie strictly between 0 and 1, got "${trimmed}".`,
      );
    }
    return value;
  });
  if (new Set(levels).size !== levels.length) throw new InvalidArgumentError("--confidence repeats a level.");
  return levels;
}

export function registerRisk(program: Command, context: RunContext): void {
  const command = program
    .command("risk")
    .summary("risk and performance: Sharpe, Sortino, drawdowns, VaR/ES, benchmark, calendar, VaR backtests")
    .description(
      "Per symbol (and for a fixed-weight portfolio with --weights): totalReturn, cagr, annualReturn, volatility, " +
        "sharpe, sortino, calmar, omega, tailRatio, skew, kurtosis (excess), probabilisticSharpe; drawdowns of the " +
        "wealth index W_0 = 1; one-period VaR and ES (historical, gaussian, cornishFisher, ewma) as positive loss " +
        "fractions. Conventions (SPEC §3): volatility = sqrt(P) sd (ddof 1); sharpe = sqrt(P) mean(r - rf/P)/sd; " +
        "sortino = sqrt(P) mean(r - mar/P)/DD with DD over all periods (empyrical); historical VaR by numpy's linear " +
        "quantile, ES the mean of the returns <= -VaR; cornishFisher as PerformanceAnalytics' 'modified'; skew and " +
        "kurtosis are the moment estimators. result.conventions names every rule; --compat empyrical|performanceanalytics|" +
        "quantstats switches them to that library's.",
    )
    .argument("[input]", "price (or, with --input-kind returns, returns) file, or - for stdin")
    .option(
      "--weights <W>",
      "portfolio rebalanced to fixed weights every period: SYM=w,SYM=w, a file with 'optimize --json' output, or - (stdin)",
    )
    .option("--benchmark <symbol>", "a column of the input to measure against (beta, alpha, capture, ...)")
    .addOption(periodsPerYearOption())
    .option("--risk-free <rate>", "annual risk-free rate (per period: rate/P)", parseNumber("--risk-free"), 0)
    .option("--mar <rate>", "annual minimum acceptable return of Sortino and Omega", parseNumber("--mar"), 0)
    .option(
      "--sharpe-benchmark <SR>",
      "annual Sharpe ratio the probabilistic Sharpe ratio tests against",
      parseNumber("--sharpe-benchmark"),
      0,
    )
    .option(
      "--confidence <levels>",
      "VaR/ES confidence levels, comma-separated, each in (0, 1)",
      parseConfidences,
      RISK_DEFAULTS.confidence,
    )
    .option(
      "--ewma-lambda <lambda>",
      "RiskMetrics decay of the EWMA VaR",
      parseNumber("--ewma-lambda", (x) =>
        x > 0 && x < 1 ? undefined : "must lie strictly between 0 and 1.",
      ),
      RISK_DEFAULTS.ewmaLambda,
    )
    .option(
      "--drawdowns <K>",
      "how many of the deepest drawdown episodes to list",
      parseInteger("--drawdowns", 1, 1000),
      RISK_DEFAULTS.drawdowns,
    )
    .option(
      "--var-backtest <N>",
      "out-of-sample VaR from the previous N bars at every bar, with Kupiec and Christoffersen tests",
      parseInteger("--var-backtest", 10),
    )
    .option(
      "--rolling <N>",
      "per-bar metrics over the last N bars (with --ndjson or --out; with --report, its rolling window)",
      parseInteger("--rolling", 2),
    )
    .addOption(
      new Option(
        "--compat <library>",
        "the conventions of a reference library, so its numbers are reproduced",
      )
        .choices(COMPAT)
        .default(RISK_DEFAULTS.compat),
    );
  addReturnsOptions(command, "simple");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: true, csv: true, out: true });
  addReportOption(command);
  command.addHelpText(
    "after",
    `
Examples:
  hftlab risk fixtures/stocks.csv --missing ffill --periods-per-year 12
  hftlab risk --json --benchmark FTSE fixtures/eustocks.csv
  hftlab risk --weights DAX=0.5,CAC=0.5 --confidence 0.95,0.99,0.999 fixtures/eustocks.csv
  hftlab optimize --json fixtures/eustocks.csv | hftlab risk --weights - fixtures/eustocks.csv
  hftlab risk --var-backtest 250 --json fixtures/sp500-2000.csv
  hftlab risk --rolling 60 --ndjson fixtures/eustocks.csv | head -3
  hftlab risk --compat performanceanalytics --csv fixtures/eustocks.csv
  hftlab risk --benchmark FTSE --report eustocks.html fixtures/eustocks.csv

--csv prints one row per series. --rolling N with --ndjson prints one {time, symbol, return,
volatility, sharpe, drawdown, beta} object per bar and series (grouped by series, in time
order), with --out FILE the same rows as a table; 'return' is the window's compounded return,
'drawdown' the fall from the window's own high. The README lists every convention.`,
  );
  command.action(async (input: string | undefined, options: RiskOptions) => {
    await runRisk(input, presetMissing(options, command.getOptionValueSource("missing") === "cli"), context);
  });
}

/**
 * The missing-cell policy of a returns file under a preset that has its own
 * (quantstats: a missing return is 0, its row kept); an explicit --missing
 * wins, and a price file keeps --missing (there --missing ffill gives the
 * zero return).
 */
function presetMissing(options: RiskOptions, explicit: boolean): RiskOptions {
  if (explicit || options.inputKind !== "returns") return options;
  return conventionsNamed(options.compat).missingReturns === "zero"
    ? { ...options, missing: "zero" }
    : options;
}

function checkOptions(options: RiskOptions, input: string): void {
  checkOutputModes(options);
  const series = options.ndjson || options.out !== undefined;
  if (options.rolling === undefined && series) {
    throw usageError(
      `${options.ndjson ? "--ndjson" : "--out"} writes the per-bar rolling metrics and needs --rolling N`,
      "e.g. --rolling 60 --ndjson; the summary is --json or --csv",
    );
  }
  if (options.rolling !== undefined && !series && options.report === undefined) {
    throw usageError(
      "--rolling N writes per-bar rows: add --ndjson or --out FILE (or draws them with --report)",
    );
  }
  if (options.weights === "-" && input === "-") {
    throw usageError(
      "--weights - and the data cannot both come from standard input",
      "give the price file as a path: hftlab optimize --json p.csv | hftlab risk --weights - p.csv",
    );
  }
}

export async function runRisk(
  input: string | undefined,
  options: RiskOptions,
  context: RunContext,
): Promise<void> {
  const source = resolveInput(input, "risk", context.stdinIsTty && options.weights !== "-");
  checkOptions(options, source);
  const { readPortfolioWeights } = await import("../../io/files/weightsFile.js");
  const weights =
    options.weights === undefined ? null : await readPortfolioWeights(options.weights, context.stdin);
  const columns = readColumns(options);
  const run = new CommandRun(
    "risk",
    columns === options.columns ? options : { ...options, columns },
    context,
  );
  const loaded = await run.load(source);
  resolvePeriodsPerYear(loaded, options);
  const riskInput = riskInputOf(loaded, options);
  if (options.out !== undefined) checkTimeColumn(riskInput.returns, ROLLING_COLUMNS, `--out ${options.out}`);
  const rolling = options.rolling === undefined ? null : await import("./rollingOutput.js");
  // A run that prints only the per-bar rows (--rolling with --ndjson or --out, no summary beside
  // them) computes only what they read: no statistic, VaR or calendar for nothing.
  const summarised = rolling === null || options.json || options.csv || options.report !== undefined;
  const analysis = summarised ? analyseRisk(riskInput, options, weights, run) : null;
  const rows = analysis ?? rollingAnalysis(riskInput, options, weights);
  run.computed();
  // Files first: a run that cannot write its file fails before it prints a result.
  if (rolling !== null && options.out !== undefined)
    await rolling.writeRollingFile(options.out, riskInput.returns, rows, options);
  if (analysis !== null) await printSummary(riskInput.returns, analysis, options, run, context);
  if (rolling !== null && options.ndjson)
    await rolling.writeRollingNdjson(riskInput.returns, rows, options, context);
}

/** The summary: the HTML report's file, then the JSON, CSV or the table for a person. */
async function printSummary(
  frame: Frame,
  analysis: RiskAnalysis,
  options: RiskOptions,
  run: CommandRun,
  context: RunContext,
): Promise<void> {
  const result = riskResult(analysis, options);
  if (options.report !== undefined) {
    const [{ riskReportHtml }, { writeReport }] = await Promise.all([
      import("./htmlReport.js"),
      import("../../output/html/writeReport.js"),
    ]);
    await writeReport(
      options.report,
      await riskReportHtml(frame, analysis, result, options, context.version),
    );
  }
  if (options.json) {
    await run.writeJson(riskParams(options), dataSummary(frame), result);
  } else if (options.csv) {
    await context.stdout.write(riskCsv(result, options));
  } else if (!options.ndjson && options.out === undefined) {
    const { renderRiskReport } = await import("./report.js");
    await context.stdout.write(
      renderRiskReport(frame, analysis, result, options, run.color, undefined, context.stdout.isTty),
    );
  }
}

/** The columns to read: --columns plus the benchmark when it is not among them. */
function readColumns(options: RiskOptions): string[] | undefined {
  const { columns, benchmark } = options;
  if (columns === undefined || benchmark === undefined || columns.includes(benchmark)) return columns;
  return [...columns, benchmark];
}

function riskInputOf(loaded: Frame, options: RiskOptions): RiskInput {
  checkFinite(loaded);
  const returns = options.inputKind === "returns" ? loaded : returnsFrame(loaded, options.returns, true);
  if (options.benchmark !== undefined && !returns.symbols.includes(options.benchmark)) {
    throw inputError(
      "unknown_benchmark",
      `--benchmark ${options.benchmark} is not a column of ${loaded.source}`,
      { file: loaded.source },
      `columns: ${returns.symbols.join(", ")}`,
    );
  }
  if (options.weights !== undefined && returns.symbols.includes(PORTFOLIO)) {
    throw inputError(
      "symbol_column_clash",
      `a column is named "${PORTFOLIO}", the name of the --weights series`,
      { file: loaded.source },
      "rename the column, or leave it out with --columns",
    );
  }
  const added = options.columns !== undefined && !options.columns.includes(options.benchmark ?? "");
  const reported = returns.symbols.filter((symbol) => !(added && symbol === options.benchmark));
  return { returns, priceTimes: options.inputKind === "returns" ? null : loaded.time, reported };
}
