import type { Command } from "commander";
import type { RunContext } from "../../context.js";
import {
  type AnnualisedOptions,
  periodsPerYearOption,
  periodsPerYearParams,
  resolvePeriodsPerYear,
} from "../shared/periodsPerYear.js";
import { ExitCode } from "../../errors.js";
import { extraThreads } from "../../parallel/threads.js";
import type { Frame } from "../../io/frame.js";
import { returnsFrame } from "../shared/returnsFrame.js";
import type { RegimeFitResult } from "./fitSymbol.js";
import { regimeReport } from "../../numerics/hmm/regimes.js";
import type { ReturnKind } from "../../numerics/timeseries/returns.js";
import { finiteOrNull } from "../../output/json.js";
import { checkConvergence, checkFeatures } from "../hmm/checks.js";
import { addEmOptions, type EmOptions } from "../hmm/options.js";
import {
  addInputOptions,
  addOutputOptions,
  addReportOption,
  addReturnsOptions,
  type CommonOptions,
  checkOutputModes,
  type InputKind,
  parseInteger,
  resolveInput,
} from "../shared/options.js";
import { CommandRun, dataSummary, sharedParams } from "../shared/commandRun.js";
import type { RegimeAnalysis, RegimeResult, RegimeSeriesResult } from "./results.js";

export const REGIME_DEFAULTS = { states: 3, segments: 10 };

interface RegimeOptions extends CommonOptions, EmOptions, AnnualisedOptions {
  /** Threads fitting symbols (the main one included): output is the same whatever it is. */
  jobs: number;
  segments: number;
  stateFile?: string;
  exitOnChange: boolean;
  returns: ReturnKind;
  inputKind: InputKind;
}

export function registerRegime(program: Command, context: RunContext): void {
  const command = program
    .command("regime")
    .summary(
      "market regimes per symbol from a Gaussian HMM of log returns, with cron-friendly change detection",
    )
    .description(
      "Fits a univariate Gaussian HMM to each symbol's log returns and labels its states by annualised mean " +
        "(P*mean) and volatility (sqrt(P)*sd): 2 states calm/turbulent (by volatility), 3 bear/sideways/bull (by " +
        "mean), otherwise regime1..K by mean. Reports the current regime (Viterbi) with its smoothed probability, " +
        "since when and for how many bars, each regime's annualised mean, volatility, share of bars and expected " +
        "duration, the transition matrix and the recent segments. --state-file remembers the reported regimes; " +
        "with --exit-on-change the exit code is 10 when any symbol's regime changed since the last run.",
    )
    .argument("[input]", "price file, or - for stdin")
    .option("--states <K>", "number of regimes", parseInteger("--states", 2, 20), REGIME_DEFAULTS.states)
    .addOption(periodsPerYearOption())
    .option(
      "--segments <n>",
      "recent regime segments to report",
      parseInteger("--segments", 0, 1_000_000),
      10,
    )
    .option(
      "--state-file <file>",
      "remember the reported regime per symbol in this JSON file (replaced atomically)",
    )
    .option(
      "--jobs <n>",
      "threads running EM restarts at once, over all symbols (default: the cores, or HFTLAB_THREADS); the output is the same whatever it is",
      parseInteger("--jobs", 1, 256),
      extraThreads() + 1,
    )
    .option(
      "--exit-on-change",
      "exit with code 10 when any symbol's regime changed since the state file",
      false,
    );
  addEmOptions(command);
  addReturnsOptions(command, "log");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: false, csv: false, out: false, seed: true, strict: true });
  addReportOption(command);
  command.addHelpText(
    "after",
    `
Examples:
  hftlab regime fixtures/sp500-2000.csv
  hftlab regime --report regimes.html fixtures/sp500-2000.csv
  hftlab regime --states 2 --json fixtures/eustocks.csv
  hftlab regime --state-file regimes.json --exit-on-change --quiet fixtures/eustocks.csv || echo "regime changed"`,
  );
  command.action(async (input: string | undefined, options: RegimeOptions) => {
    await runRegime(input, options, context);
  });
}

export async function runRegime(
  input: string | undefined,
  options: RegimeOptions,
  context: RunContext,
): Promise<void> {
  checkOutputModes(options);
  if (options.exitOnChange && options.stateFile === undefined) {
    const { usageError } = await import("../../errors.js");
    throw usageError(
      "--exit-on-change needs --state-file",
      "e.g. --state-file regimes.json --exit-on-change",
    );
  }
  const source = resolveInput(input, "regime", context.stdinIsTty);
  const run = new CommandRun("regime", options, context);
  const prices = await run.load(source);
  resolvePeriodsPerYear(prices, options);
  const frame = options.inputKind === "prices" ? returnsFrame(prices, options.returns) : prices;
  frame.symbols.forEach((symbol, j) => {
    checkFeatures({ ...frame, symbols: [symbol], columns: [frame.columns[j]!] }, options.states);
  });
  const fits = await fitSymbols(frame, options, run);
  // In symbol order, whichever thread fitted which: the same warnings, the same bytes.
  const analyses = frame.symbols.map((_, j) =>
    analyseSymbol(
      frame,
      j,
      fits[j]!,
      options,
      run,
      options.inputKind === "prices" ? prices.columns[j]!.subarray(1) : null,
    ),
  );
  run.computed();
  const result: RegimeResult = { series: analyses.map((a) => a.json) };
  if (options.stateFile !== undefined) {
    const { readRegimeState, writeRegimeState } = await import("../../io/files/regimeStateFile.js");
    const previous = await readRegimeState(options.stateFile);
    const changed: string[] = [];
    const next = new Map(previous ?? []);
    for (const a of analyses) {
      const before = previous?.get(a.symbol);
      if (before !== undefined && before.regime !== a.json.current.regime) changed.push(a.symbol);
      next.set(a.symbol, {
        regime: a.json.current.regime,
        since: a.json.current.since,
        time: frame.time.at(frame.time.length - 1),
      });
    }
    result.changed = changed;
    await writeRegimeState(options.stateFile, next);
    if (changed.length > 0 && options.exitOnChange) context.exitCode = ExitCode.regimeChanged;
  }
  if (options.report !== undefined) {
    const [{ regimeReportHtml }, { writeReport }] = await Promise.all([
      import("./htmlReport.js"),
      import("../../output/html/writeReport.js"),
    ]);
    await writeReport(options.report, await regimeReportHtml(frame, analyses, options, context.version));
  }
  if (options.json) {
    await run.writeJson(regimeParams(options), dataSummary(frame), result);
  } else {
    const { renderRegimeReport } = await import("./report.js");
    await context.stdout.write(renderRegimeReport(frame, analyses, result, options, run.color));
  }
}

/**
 * Every symbol's fit: all restarts of all symbols on `--jobs` threads (each is
 * a function of its job alone, so the output is the same whatever the count),
 * then each symbol decoded with its best fit.
 */
async function fitSymbols(frame: Frame, options: RegimeOptions, run: CommandRun): Promise<RegimeFitResult[]> {
  const { fitHmmProblems } = await import("../../parallel/hmmPool.js");
  const { decodeRegimeFit, regimeProblem } = await import("./fitSymbol.js");
  const problems = frame.columns.map((returns, j) => regimeProblem(returns, j, options, options.seed));
  const symbols = frame.symbols.length;
  const fits = await fitHmmProblems(problems, options.jobs, (done, total) =>
    run.progressTo(`fitting regimes: ${done} of ${total} restarts done (${symbols} symbols)`),
  );
  return fits.map((fit, j) =>
    decodeRegimeFit(frame.columns[j]!, frame.symbols[j]!, fit, options.report !== undefined),
  );
}

function analyseSymbol(
  frame: Frame,
  j: number,
  fit: RegimeFitResult,
  options: RegimeOptions,
  run: CommandRun,
  prices: Float64Array | null,
): RegimeAnalysis {
  const symbol = frame.symbols[j]!;
  checkConvergence(fit, options, run, symbol);
  const decoding = { path: fit.path };
  const report = regimeReport(fit.model, decoding.path, options.periodsPerYear);
  const k = options.states;
  const last = report.segments[report.segments.length - 1]!;
  const currentState = report.order[last.regime]!;
  const label = (r: number) => report.regimes[r]!.label;
  const json: RegimeSeriesResult = {
    symbol,
    current: {
      regime: label(last.regime),
      probability: finiteOrNull(fit.lastPosteriors[currentState]!),
      since: frame.time.at(last.startRow),
      bars: last.endRow - last.startRow + 1,
    },
    regimes: report.regimes.map((r) => ({
      label: r.label,
      mean: finiteOrNull(r.mean),
      volatility: finiteOrNull(r.volatility),
      share: r.share,
      expectedDuration: finiteOrNull(r.expectedDuration),
    })),
    transmat: Array.from({ length: k }, (_, a) => Array.from(report.transmat.subarray(a * k, (a + 1) * k))),
    segments: report.segments.slice(Math.max(0, report.segments.length - options.segments)).map((s) => ({
      start: frame.time.at(s.startRow),
      end: frame.time.at(s.endRow),
      regime: label(s.regime),
      bars: s.endRow - s.startRow + 1,
    })),
    logLikelihood: finiteOrNull(fit.logLikelihood),
    iterations: fit.iterations,
    converged: fit.converged,
  };
  return { symbol, prices, report, json, posteriors: fit.posteriors };
}

function regimeParams(options: RegimeOptions): Record<string, unknown> {
  return {
    states: options.states,
    ...periodsPerYearParams(options),
    segments: options.segments,
    stateFile: options.stateFile ?? null,
    exitOnChange: options.exitOnChange,
    init: options.init,
    restarts: options.restarts,
    maxIter: options.maxIter,
    tol: options.tol,
    minCovar: options.minCovar,
    ...sharedParams(options),
  };
}
