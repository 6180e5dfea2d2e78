import { rm } from "node:fs/promises";
import { type Command, Option } from "commander";
import type { RunContext } from "../../context.js";
import { inputError, usageError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { adfMinimumLength } from "../../numerics/timeseries/adf.js";
import { engleGranger, spreadSeries } from "../../numerics/timeseries/engleGranger.js";
import { HURST_MIN_LENGTH } from "../../numerics/timeseries/hurst.js";
import {
  type AdfResult,
  type HurstMethod,
  type MeanReversionOptions,
  naturalLog,
  type SeriesAnalysis,
  type SeriesStatistics,
} from "../../numerics/timeseries/meanReversion.js";
import { finiteOrNull } from "../../output/json.js";
import { analyseAll, analyseRowsFirst, type SeriesInput } from "../../parallel/seriesPool.js";
import {
  addInputOptions,
  addOutputOptions,
  type CommonOptions,
  checkOutputModes,
  parseList,
  resolveInput,
} from "../shared/options.js";
import {
  type AdfCommandOptions,
  adfAutolagOf,
  adfAutolagRule,
  addAdfOptions,
  checkAdfLags,
  checkPositivePrices,
} from "../shared/adfOptions.js";
import { CommandRun, checkTimeColumn, dataSummary, sharedParams } from "../shared/commandRun.js";
import { addSignalOptions, checkSignalOptions, SIGNAL_DEFAULTS } from "../shared/signalOptions.js";
import {
  type AnalysedSeries,
  type MeanrevAnalysis,
  type MeanrevLast,
  type MeanrevResult,
  type MeanrevSeriesResult,
  RECENT_BARS,
  ROW_FILE_COLUMNS,
} from "./results.js";

export const MEANREV_DEFAULTS = {
  ...SIGNAL_DEFAULTS,
  hurstMethod: "rs" as HurstMethod,
};

interface MeanrevOptions extends CommonOptions, AdfCommandOptions {
  window: number;
  entry: number;
  exit: number;
  log: boolean;
  hurstMethod: HurstMethod;
  adf: boolean;
  hurst: boolean;
  pair?: string[];
}

export function registerMeanrev(program: Command, context: RunContext): void {
  const command = program
    .command("meanrev")
    .summary("rolling z-scores, hysteresis positions, OU fit, Hurst exponent and ADF per symbol")
    .description(
      "Per symbol: rolling mean and sample std (ddof 1) over --window bars including the current one, " +
        "z = (price - mean)/std, positions from a hysteresis rule (short above +entry, long below -entry, " +
        "flat inside +-exit, otherwise hold), an Ornstein-Uhlenbeck fit by AR(1) OLS on levels, the Hurst " +
        "exponent of the increments and the augmented Dickey-Fuller test (constant, lag by AIC up to " +
        "ceil(12(n/100)^(1/4)), MacKinnon p-value). With --pair A,B: the OLS hedge ratio of A on B, the same " +
        "statistics on the spread A - c - hB and the Engle-Granger cointegration test.",
    )
    .argument("[input]", "price file (CSV/TSV/Arrow, optionally .gz), or - for stdin");
  addSignalOptions(command, "bars");
  command
    .option("--log", "fit OU, Hurst, ADF and the hedge ratio on log prices", false)
    .addOption(
      new Option(
        "--hurst-method <method>",
        "rs: rescaled range (Anis-Lloyd corrected); dfa: detrended fluctuation",
      )
        .choices(["rs", "dfa"])
        .default(MEANREV_DEFAULTS.hurstMethod),
    )
    .option("--no-adf", "skip the ADF test (its keys are null)");
  addAdfOptions(command);
  command
    .option("--no-hurst", "skip the Hurst exponent (null)")
    .option("--pair <A,B>", "hedge A on B and analyse the spread, with Engle-Granger", parseList);
  addInputOptions(command);
  addOutputOptions(command, { ndjson: true, csv: true, out: true });
  command.addHelpText(
    "after",
    `
Examples:
  hftlab meanrev fixtures/eustocks.csv
  hftlab meanrev --window 60 --entry 2.5 --json fixtures/sp500-2000.csv
  hftlab meanrev --pair DAX,CAC --log fixtures/eustocks.csv
  hftlab meanrev --columns MSFT,IBM --ndjson fixtures/stocks.csv | head
  hftlab meanrev --no-adf --no-hurst --out signals.arrow fixtures/sp500-2000.csv`,
  );
  command.action(async (input: string | undefined, options: MeanrevOptions) => {
    await runMeanrev(input, options, context);
  });
}

export async function runMeanrev(
  input: string | undefined,
  options: MeanrevOptions,
  context: RunContext,
): Promise<void> {
  checkOutputModes(options);
  checkSignalOptions(options);
  if (options.pair !== undefined && options.pair.length !== 2) {
    throw usageError("--pair takes exactly two symbols, as A,B");
  }
  if (options.pair !== undefined && options.pair[0] === options.pair[1]) {
    throw usageError("--pair needs two different symbols", "e.g. --pair DAX,CAC");
  }
  const source = resolveInput(input, "meanrev", context.stdinIsTty);
  const run = new CommandRun("meanrev", options, context);
  const frame = await run.load(source);
  if (options.out !== undefined) checkTimeColumn(frame, ROW_FILE_COLUMNS, `--out ${options.out}`);
  let analysis: MeanrevAnalysis;
  if (options.out !== undefined && !options.ndjson) {
    analysis = await analyseWritingRows(frame, options, run, options.out);
  } else {
    analysis = await analyse(frame, options, run, options.ndjson);
    run.computed();
  }
  if (options.json) {
    await run.writeJson(meanrevParams(options), dataSummary(frame), meanrevResult(frame, analysis));
  } else if (options.ndjson) {
    const { writeRowsNdjson, writeRowsFile } = await import("./rowOutput.js");
    if (options.out !== undefined) await writeRowsFile(options.out, frame, rowSeries(analysis));
    await writeRowsNdjson(frame, rowSeries(analysis), context);
  } else if (options.csv) {
    await context.stdout.write(summaryCsv(frame, analysis));
  } else {
    const { renderMeanrevReport } = await import("./report.js");
    await context.stdout.write(renderMeanrevReport(frame, analysis, options, run.color));
  }
}

/** The series of the per-row output: every symbol, then the pair's spread (symbol "A-B", price = the spread). */
function rowSeries(analysis: MeanrevAnalysis): AnalysedSeries[] {
  return analysis.pair === undefined ? analysis.series : [...analysis.series, analysis.pair.spread];
}

/** What the analysis of a run computes: its series' inputs and names, the settings, and the pair's fit. */
interface AnalysisPlan {
  inputs: SeriesInput[];
  names: string[];
  settings: MeanReversionOptions;
  printsStatistics: boolean;
  pair: Omit<NonNullable<MeanrevAnalysis["pair"]>, "spread"> | undefined;
}

function planAnalysis(frame: Frame, options: MeanrevOptions): AnalysisPlan {
  const rows = frame.time.length;
  if (rows < options.window) {
    throw inputError(
      "too_few_rows",
      `too few rows for the window: ${rows} row${rows === 1 ? "" : "s"}, --window ${options.window}`,
      { file: frame.source },
      "use a shorter --window or a longer file",
    );
  }
  // --ndjson prints the per-row signals alone: no Hurst or ADF to compute (on 40M rows, 3 CPU-seconds).
  const printsStatistics = !options.ndjson;
  const settings: MeanReversionOptions = {
    window: options.window,
    entry: options.entry,
    exit: options.exit,
    hurstMethod: options.hurstMethod,
    adf: options.adf && printsStatistics,
    adfRegression: options.adfRegression,
    adfAutolag: adfAutolagRule(options),
    ...(options.adfLags === undefined ? {} : { adfMaxLag: options.adfLags }),
    hurst: options.hurst && printsStatistics,
  };
  if (options.adf && options.adfLags !== undefined)
    checkAdfLags(options.adfLags, rows, options.adfRegression, frame.source);
  if (options.log) checkPositivePrices(frame);
  const inputs: SeriesInput[] = frame.columns.map((values) => ({ values, logLevels: options.log }));
  const names = [...frame.symbols];

  let pair: Omit<NonNullable<MeanrevAnalysis["pair"]>, "spread"> | undefined;
  if (options.pair !== undefined) {
    const [a, b] = options.pair as [string, string];
    const ia = frame.symbols.indexOf(a);
    const ib = frame.symbols.indexOf(b);
    for (const [name, index] of [
      [a, ia],
      [b, ib],
    ] as const) {
      if (index < 0) {
        throw inputError(
          "unknown_symbol",
          `--pair: no column "${name}"`,
          { file: frame.source },
          `available: ${frame.symbols.join(", ")}`,
        );
      }
    }
    if (rows < adfMinimumLength("c")) {
      throw inputError("too_few_rows", `--pair needs at least ${adfMinimumLength("c")} rows, found ${rows}`, {
        file: frame.source,
      });
    }
    const levelsOf = (values: Float64Array): Float64Array => (options.log ? naturalLog(values) : values);
    const ya = levelsOf(frame.columns[ia]!);
    const yb = levelsOf(frame.columns[ib]!);
    if (options.adfLags !== undefined) checkAdfLags(options.adfLags, rows, "n", frame.source, true);
    const test = engleGranger(ya, yb, {
      trend: options.adfRegression,
      autolag: settings.adfAutolag,
      ...(options.adfLags === undefined ? {} : { maxLag: options.adfLags }),
    });
    const spreadValues = new Float64Array(rows);
    spreadSeries(ya, yb, test.hedgeRatio, test.intercept, spreadValues);
    // The spread is already in the analysed units (log or level), so its statistics take it as is.
    inputs.push({ values: spreadValues, logLevels: false });
    names.push(`${a}-${b}`);
    pair = { a, b, hedgeRatio: test.hedgeRatio, intercept: test.intercept, engleGranger: test };
  }

  return { inputs, names, settings, printsStatistics, pair };
}

async function analyse(
  frame: Frame,
  options: MeanrevOptions,
  run: CommandRun,
  keepRows: boolean,
): Promise<MeanrevAnalysis> {
  const plan = planAnalysis(frame, options);
  const { analyses, signals } = await analyseAll(plan.inputs, plan.settings, RECENT_BARS, keepRows);
  return assemble(
    plan,
    analyses.map((analysis, j) => ({ ...analysis, signals: signals[j]! })),
    options,
    run,
  );
}

/**
 * The analysis of a run that writes every row to `--out` and then prints a
 * summary: the signals first, then the rows are written while the worker
 * threads compute the statistics (Hurst, ADF, OU), which the main thread
 * would otherwise wait for before writing. When the statistics fail, the
 * file written meanwhile is removed: a failed run leaves no output.
 */
async function analyseWritingRows(
  frame: Frame,
  options: MeanrevOptions,
  run: CommandRun,
  out: string,
): Promise<MeanrevAnalysis> {
  const plan = planAnalysis(frame, options);
  const { signals, summaries, statistics } = await analyseRowsFirst(plan.inputs, plan.settings, RECENT_BARS);
  const { writeRowsFile } = await import("./rowOutput.js");
  const rows = plan.inputs.map((input, j) => ({
    symbol: plan.names[j]!,
    values: input.values,
    signals: signals[j]!,
  }));
  await writeRowsFile(out, frame, rows);
  let computed: SeriesStatistics[];
  try {
    computed = await statistics;
  } catch (error) {
    await rm(out, { force: true });
    throw error;
  }
  run.computed();
  return assemble(
    plan,
    summaries.map((summary, j) => ({ ...summary, statistics: computed[j]!, signals: signals[j]! })),
    options,
    run,
  );
}

function assemble(
  plan: AnalysisPlan,
  analyses: (SeriesAnalysis & { signals: AnalysedSeries["signals"] })[],
  options: MeanrevOptions,
  run: CommandRun,
): MeanrevAnalysis {
  const all: AnalysedSeries[] = analyses.map((analysis, j) => ({
    symbol: plan.names[j]!,
    values: plan.inputs[j]!.values,
    ...analysis,
  }));
  if (plan.printsStatistics) for (const s of all) noteStatistics(s, options, run);
  if (plan.pair === undefined) return { series: all };
  const spread = all.pop()!;
  return { series: all, pair: { ...plan.pair, spread } };
}

/** Says on stderr (and in `warnings`) why a statistic is null. */
function noteStatistics(series: AnalysedSeries, options: MeanrevOptions, run: CommandRun): void {
  const { hurst, adf } = series.statistics;
  // b outside (0, 1) is a finding, not a problem (a random walk has b ≈ 1): the OU keys are
  // null as documented, and only a series too short to fit is worth a warning.
  if (series.values.length < 4)
    run.warn(`${series.symbol}: too few rows for the OU fit; its parameters are null`);
  if (options.hurst && Number.isNaN(hurst)) {
    run.warn(
      `${series.symbol}: too few rows for the Hurst exponent (${HURST_MIN_LENGTH} needed); it is null`,
    );
  }
  if (options.adf && (adf === null || !Number.isFinite(adf.stat))) {
    run.warn(`${series.symbol}: too few rows for the ADF test; it is null`);
  }
}

export function meanrevParams(options: MeanrevOptions): Record<string, unknown> {
  return {
    window: options.window,
    entry: options.entry,
    exit: options.exit,
    log: options.log,
    hurstMethod: options.hurstMethod,
    adf: options.adf,
    adfRegression: options.adfRegression,
    adfAutolag: adfAutolagOf(options),
    adfLags: options.adfLags ?? null,
    hurst: options.hurst,
    pair: options.pair ?? null,
    ...sharedParams(options),
  };
}

function lastRow(frame: Frame, series: AnalysedSeries): MeanrevLast {
  const i = frame.time.length - 1;
  const { mean, std, z, position } = series.last;
  return {
    time: frame.time.at(i),
    price: finiteOrNull(series.values[i]!),
    mean: finiteOrNull(mean),
    std: finiteOrNull(std),
    z: finiteOrNull(z),
    position,
  };
}

function adfJson(adf: AdfResult | null): MeanrevSeriesResult["adf"] {
  if (adf === null) return { stat: null, pValue: null, lags: null, nobs: null, criticalValues: null };
  return {
    stat: finiteOrNull(adf.stat),
    pValue: finiteOrNull(adf.pValue),
    lags: adf.lags,
    nobs: adf.nobs,
    criticalValues: {
      "1%": finiteOrNull(adf.criticalValues["1%"]),
      "5%": finiteOrNull(adf.criticalValues["5%"]),
      "10%": finiteOrNull(adf.criticalValues["10%"]),
    },
  };
}

function seriesJson(frame: Frame, series: AnalysedSeries): MeanrevSeriesResult {
  const { ou, hurst, adf } = series.statistics;
  return {
    symbol: series.symbol,
    last: lastRow(frame, series),
    ou: {
      kappa: finiteOrNull(ou.kappa),
      mu: finiteOrNull(ou.mu),
      sigma: finiteOrNull(ou.sigma),
      halfLife: finiteOrNull(ou.halfLife),
    },
    hurst: finiteOrNull(hurst),
    adf: adfJson(adf),
  };
}

export function meanrevResult(frame: Frame, analysis: MeanrevAnalysis): MeanrevResult {
  const result: MeanrevResult = { series: analysis.series.map((s) => seriesJson(frame, s)) };
  const pair = analysis.pair;
  if (pair !== undefined) {
    const eg = pair.engleGranger;
    result.pair = {
      a: pair.a,
      b: pair.b,
      hedgeRatio: finiteOrNull(pair.hedgeRatio),
      intercept: finiteOrNull(pair.intercept),
      ...seriesJson(frame, pair.spread),
      engleGranger: {
        stat: finiteOrNull(eg.stat),
        pValue: finiteOrNull(eg.pValue),
        lags: eg.lags,
        criticalValues: {
          "1%": finiteOrNull(eg.criticalValues["1%"]),
          "5%": finiteOrNull(eg.criticalValues["5%"]),
          "10%": finiteOrNull(eg.criticalValues["10%"]),
        },
      },
    };
  }
  return result;
}

const SUMMARY_COLUMNS = [
  "symbol",
  "time",
  "price",
  "mean",
  "std",
  "z",
  "position",
  "kappa",
  "mu",
  "sigma",
  "halfLife",
  "hurst",
  "adfStat",
  "adfPValue",
  "adfLags",
];

function csvCell(x: string | number | null): string {
  if (x === null) return "";
  if (typeof x === "number") return Number.isFinite(x) ? String(x) : "";
  return /[",\n\r]/.test(x) ? `"${x.replaceAll('"', '""')}"` : x;
}

/** --csv: one line per analysed series (the pair's spread last). */
function summaryCsv(frame: Frame, analysis: MeanrevAnalysis): string {
  const all = analysis.pair ? [...analysis.series, analysis.pair.spread] : analysis.series;
  const lines = [SUMMARY_COLUMNS.join(",")];
  for (const s of all) {
    const r = seriesJson(frame, s);
    lines.push(
      [
        r.symbol,
        r.last.time,
        r.last.price,
        r.last.mean,
        r.last.std,
        r.last.z,
        r.last.position,
        r.ou.kappa,
        r.ou.mu,
        r.ou.sigma,
        r.ou.halfLife,
        r.hurst,
        r.adf.stat,
        r.adf.pValue,
        r.adf.lags,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
