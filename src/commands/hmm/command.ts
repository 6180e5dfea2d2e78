import { type Command, Option } from "commander";
import type { RunContext } from "../../context.js";
import { numericalError, usageError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { type NamedHmm, nestedRows } from "../../io/files/hmmModelFile.js";
import { returnsFrame } from "../shared/returnsFrame.js";
import {
  decodeGaussianHmm,
  type HmmDecoding,
  HmmFitError,
  type HmmFit,
  type StateSelection,
  selectByBic,
} from "../../numerics/hmm/gaussianHmm.js";
import type { HmmProblem } from "../../parallel/hmmPool.js";
import {
  type CovarianceType,
  expectedDurations,
  informationCriteria,
  parameterCount,
  rowMajor,
  stationaryDistribution,
} from "../../numerics/hmm/model.js";
import { extraThreads } from "../../parallel/threads.js";
import type { ReturnKind } from "../../numerics/timeseries/returns.js";
import { finiteOrNull } from "../../output/json.js";
import { addEmOptions, type EmOptions, HMM_DEFAULTS, parseStateRange } from "./options.js";
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
import { CommandRun, checkTimeColumn, dataSummary, sharedParams } from "../shared/commandRun.js";
import {
  addModelFeaturesOption,
  checkFeatureList,
  type FeatureMatch,
  featureMismatchError,
  matchFeatures,
} from "../shared/modelFeatures.js";
import type { HmmAnalysis, HmmResult } from "./results.js";
import { checkConvergence, checkFeatures } from "./checks.js";

export const HMM_STATES_DEFAULT = 2;

interface HmmOptions extends CommonOptions, EmOptions {
  covariance: CovarianceType;
  select?: [number, number];
  posteriors: boolean;
  save?: string;
  model?: string;
  features?: string[];
  returns: ReturnKind;
  inputKind: InputKind;
  jobs: number;
}

export function registerHmm(program: Command, context: RunContext): void {
  const command = program
    .command("hmm")
    .summary("Gaussian hidden Markov model: Baum-Welch fit, Viterbi path, posteriors, model files")
    .description(
      "Fits a Gaussian HMM to the returns of the selected columns (several columns: multivariate features) by " +
        "Baum-Welch with a scaled forward-backward (no underflow at any length), from k-means or random starts " +
        "with --restarts seeded restarts (the best log-likelihood wins). States are ordered by ascending mean of " +
        "the first feature. Reports the log-likelihood, AIC and BIC, start and transition probabilities, means, " +
        "covariances, the stationary distribution, expected durations 1/(1 - a_ii) and the Viterbi path. " +
        "--model decodes with a saved model instead of fitting; its features are read from the input columns " +
        "--features names, else a one-feature model reads a one-column input whatever the names (so a model " +
        "fitted on one file applies to another), else every feature must be a column of that name.",
    )
    .argument("[input]", "price (or, with --input-kind returns, returns) file, or - for stdin")
    .option("--states <K>", "number of hidden states", parseInteger("--states", 1, 50), HMM_STATES_DEFAULT)
    .addOption(
      new Option("--covariance <type>", "covariance structure of each state")
        .choices(["full", "diag", "spherical", "tied"])
        .default(HMM_DEFAULTS.covariance),
    )
    .option("--select <range>", "choose the number of states in a range (e.g. 1..4) by BIC", parseStateRange)
    .option("--posteriors", "include the smoothed state probabilities of every row in --json", false)
    .option("--save <file>", "write the fitted model as JSON")
    .option("--model <file>", "decode with this saved model instead of fitting")
    .option(
      "--jobs <n>",
      "threads running restarts at once (default: the cores, or HFTLAB_THREADS); the output is the same whatever it is",
      parseInteger("--jobs", 1, 256),
      extraThreads() + 1,
    );
  addModelFeaturesOption(
    command,
    "--model: the input columns to read the model's features from, comma-separated, in the model's feature " +
      "order (default: a one-feature model reads a one-column input whatever its name, else columns by name)",
  );
  addEmOptions(command);
  addReturnsOptions(command, "log");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: true, csv: false, out: true, seed: true, strict: true });
  addReportOption(command);
  command.addHelpText(
    "after",
    `
Examples:
  hftlab hmm fixtures/sp500-2000.csv
  hftlab hmm --states 3 --restarts 20 --json fixtures/sp500-2000.csv
  hftlab hmm --columns DAX,CAC --states 2 --covariance full fixtures/eustocks.csv
  hftlab hmm --select 1..4 --restarts 3 fixtures/sp500-2000.csv
  hftlab hmm --columns DAX,CAC --states 2 --report hmm.html fixtures/eustocks.csv
  hftlab hmm --states 3 --save model.json fixtures/sp500-2000.csv && hftlab hmm --model model.json --columns DAX --ndjson fixtures/eustocks.csv
  hftlab hmm --columns DAX,CAC --save dax-cac.json fixtures/eustocks.csv && hftlab hmm --model dax-cac.json --features SMI,FTSE fixtures/eustocks.csv   # the model's DAX,CAC read from SMI,FTSE

With --tol 0 exactly --max-iter iterations run and no convergence warning is given.`,
  );
  command.action(async (input: string | undefined, options: HmmOptions) => {
    await runHmm(input, options, context);
  });
}

function checkOptions(options: HmmOptions): void {
  checkOutputModes(options);
  if (options.model !== undefined && options.select !== undefined) {
    throw usageError("--model and --select cannot be combined", "--model decodes with a fixed model");
  }
  if (options.model !== undefined && options.save !== undefined) {
    throw usageError("--model and --save cannot be combined", "the model is not refitted");
  }
  if (options.features !== undefined && options.model === undefined) {
    throw usageError(
      "--features maps a --model's features to input columns; it needs --model",
      "to choose the columns to fit, use --columns",
    );
  }
}

export async function runHmm(
  input: string | undefined,
  options: HmmOptions,
  context: RunContext,
): Promise<void> {
  checkOptions(options);
  const source = resolveInput(input, "hmm", context.stdinIsTty);
  const { saveModel } = await import("../../io/files/hmmModelFile.js");
  const { loadModel } = await import("../shared/hmmModel.js");
  const loaded = options.model === undefined ? null : await loadModel(options.model);
  if (loaded !== null) checkFeatureList(loaded.features, options.features);
  const run = new CommandRun("hmm", options, context);
  let frame = await run.load(source);
  let match: FeatureMatch | null = null;
  if (loaded !== null) {
    match = requireFeatures(frame, loaded.features, options.features);
    frame = selectColumns(frame, match.columns);
  }
  if (options.out !== undefined) {
    const states = loaded === null ? options.states : loaded.model.states;
    const columns = ["state", ...Array.from({ length: states }, (_, s) => `p${s}`)];
    checkTimeColumn(frame, columns, `--out ${options.out}`);
  }
  const prices = frame;
  if (options.inputKind === "prices") frame = returnsFrame(frame, options.returns);
  const analysis = await analyse(frame, options, loaded, run);
  run.computed();
  if (options.save !== undefined) await saveModel(options.save, analysis.named);
  if (options.out !== undefined) await writeRowsFile(options.out, analysis);
  if (options.report !== undefined) {
    const [{ hmmReportHtml }, { writeReport }] = await Promise.all([
      import("./htmlReport.js"),
      import("../../output/html/writeReport.js"),
    ]);
    const html = await hmmReportHtml(prices, analysis, hmmResult(analysis, false), options, context.version);
    await writeReport(options.report, html);
  }
  if (options.json) {
    await run.writeJson(
      hmmParams(options, match),
      dataSummary(frame),
      hmmResult(analysis, options.posteriors),
    );
  } else if (options.ndjson) {
    await writeRowsNdjson(analysis, context);
  } else {
    const { renderHmmReport } = await import("./report.js");
    await context.stdout.write(renderHmmReport(analysis, hmmResult(analysis, false), run.color));
  }
}

/** The input columns of the model's features (src/commands/shared/modelFeatures.ts), or exit 3. */
function requireFeatures(frame: Frame, features: string[], list: string[] | undefined): FeatureMatch {
  const match = matchFeatures(features, frame.symbols, list);
  if ("unmatched" in match) throw featureMismatchError(match, features, frame.symbols, frame.source);
  return match;
}

/** The frame of these columns only, in this order, under their input names. */
function selectColumns(frame: Frame, symbols: string[]): Frame {
  return {
    ...frame,
    symbols,
    columns: symbols.map((symbol) => frame.columns[frame.symbols.indexOf(symbol)]!),
  };
}

async function analyse(
  frame: Frame,
  options: HmmOptions,
  loaded: NamedHmm | null,
  run: CommandRun,
): Promise<HmmAnalysis> {
  const rows = frame.time.length;
  const x = rowMajor(frame.columns);
  if (loaded !== null) {
    checkFeatures(frame, 1);
    const decoding = decodeOrFail(x, rows, loaded);
    return { frame, named: loaded, fit: null, decoding };
  }
  checkFeatures(frame, options.select?.[1] ?? options.states);
  const settings = {
    covariance: options.covariance,
    init: options.init,
    restarts: options.restarts,
    maxIterations: options.maxIter,
    tolerance: options.tol,
    minCovar: options.minCovar,
  };
  const dimension = frame.columns.length;
  const [from, to] = options.select ?? [options.states, options.states];
  const problems: HmmProblem[] = [];
  for (let states = from; states <= to; states++) {
    problems.push({ x, rows, dimension, options: { ...settings, states }, seed: options.seed, streams: [] });
  }
  const { fitHmmProblems } = await import("../../parallel/hmmPool.js");
  const fits = await fitHmmProblems(problems, options.jobs, (done, total) =>
    run.progressTo(`fitting hmm: ${done} of ${total} restarts done`),
  );
  const failed = fits.find((f) => f instanceof Error);
  if (failed instanceof HmmFitError)
    throw numericalError("hmm_breakdown", failed.message, "try --init random or more --restarts");
  if (failed !== undefined) throw failed;
  let fit = fits[0] as HmmFit;
  let selection: StateSelection[] | undefined;
  if (options.select !== undefined) {
    // The smallest BIC wins (ties: fewer states), as selectStatesByBic decides.
    const chosen = selectByBic(fits as HmmFit[], from, dimension, options.covariance, rows);
    fit = chosen.fit;
    selection = chosen.candidates;
  }
  checkConvergence(fit, options, run);
  const named = { model: fit.model, features: frame.symbols };
  const decoding = decodeOrFail(x, rows, named);
  return selection === undefined
    ? { frame, named, fit, decoding }
    : { frame, named, fit, selection, decoding };
}

function decodeOrFail(x: Float64Array, rows: number, named: NamedHmm): HmmDecoding {
  const decoding = decodeGaussianHmm(x, rows, named.model);
  if (decoding === null || !Number.isFinite(decoding.logLikelihood)) {
    throw numericalError("hmm_decode", "the data have zero likelihood under the model");
  }
  return decoding;
}

/**
 * With --model, `features` is the input column of each model feature and
 * `featureMatch` the rule that found them ("features", "position", "name").
 */
function hmmParams(options: HmmOptions, match: FeatureMatch | null): Record<string, unknown> {
  return {
    states: options.states,
    covariance: options.covariance,
    init: options.init,
    restarts: options.restarts,
    maxIter: options.maxIter,
    tol: options.tol,
    minCovar: options.minCovar,
    select: options.select === undefined ? null : `${options.select[0]}..${options.select[1]}`,
    posteriors: options.posteriors,
    save: options.save ?? null,
    model: options.model ?? null,
    features: match === null ? null : match.columns,
    featureMatch: match === null ? null : match.rule,
    ...sharedParams(options),
  };
}

function nullable(values: Float64Array): (number | null)[] {
  return Array.from(values, finiteOrNull);
}

export function hmmResult(analysis: HmmAnalysis, withPosteriors: boolean): HmmResult {
  const { model, features } = analysis.named;
  const { fit, decoding } = analysis;
  const k = model.states;
  const d = model.dimension;
  const rows = analysis.frame.time.length;
  const p = parameterCount(k, d, model.covariance);
  const { aic, bic } = informationCriteria(decoding.logLikelihood, p, rows);
  const result: HmmResult = {
    states: k,
    features,
    covariance: model.covariance,
    logLikelihood: finiteOrNull(decoding.logLikelihood),
    aic: finiteOrNull(aic),
    bic: finiteOrNull(bic),
    iterations: fit?.iterations ?? 0,
    converged: fit === null ? null : fit.converged,
    restarts: fit === null ? null : { best: fit.bestRestart, logLikelihoods: fit.restartLogLikelihoods },
    startProb: Array.from(model.startProb),
    transmat: nestedRows(model.transmat, k, k),
    means: nestedRows(model.means, k, d),
    covars: Array.from({ length: k }, (_, s) =>
      nestedRows(model.covars.subarray(s * d * d, (s + 1) * d * d), d, d),
    ),
    stationary: nullable(stationaryDistribution(model.transmat, k)),
    expectedDurations: nullable(expectedDurations(model.transmat, k)),
    viterbiLogProbability: finiteOrNull(decoding.pathLogProbability),
    path: Array.from(decoding.path),
  };
  if (analysis.selection !== undefined) result.selection = analysis.selection;
  if (withPosteriors) result.posteriors = nestedRows(decoding.posteriors, rows, k);
  return result;
}

/** --ndjson: one {time, state, p0..pK-1} object per row. */
async function writeRowsNdjson(analysis: HmmAnalysis, context: RunContext): Promise<void> {
  const { LineBuffer } = await import("../../output/sink.js");
  const out = new LineBuffer(context.stdout);
  const { frame, decoding } = analysis;
  const k = analysis.named.model.states;
  for (let t = 0; t < frame.time.length; t++) {
    let line = `{"time":${JSON.stringify(frame.time.at(t))},"state":${decoding.path[t]}`;
    for (let s = 0; s < k; s++) line += `,"p${s}":${decoding.posteriors[t * k + s]}`;
    await out.push(`${line}}\n`);
  }
  await out.flush();
}

async function writeRowsFile(path: string, analysis: HmmAnalysis): Promise<void> {
  const { writeTable } = await import("../../io/write.js");
  type Column = Parameters<typeof writeTable>[1][number];
  const { frame, decoding } = analysis;
  const rows = frame.time.length;
  const k = analysis.named.model.states;
  const time: string[] = new Array(rows);
  for (let t = 0; t < rows; t++) time[t] = frame.time.at(t);
  const columns: Column[] = [
    { name: frame.timeName, values: time },
    { name: "state", values: Int32Array.from(decoding.path) },
  ];
  for (let s = 0; s < k; s++) {
    const p = new Float64Array(rows);
    for (let t = 0; t < rows; t++) p[t] = decoding.posteriors[t * k + s]!;
    columns.push({ name: `p${s}`, values: p });
  }
  await writeTable(path, columns);
}
