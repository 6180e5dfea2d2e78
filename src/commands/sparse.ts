import { type Command, Option } from "commander";
import type { RunContext } from "../context.js";
import { inputError, numericalError, usageError } from "../errors.js";
import type { Frame } from "../io/frame.js";
import { returnsFrame } from "../io/returns.js";
import { sampleCovariance } from "../numerics/covariance.js";
import { fitElasticNet } from "../numerics/elasticNet.js";
import { greedyMeanReversion } from "../numerics/greedyMeanReversion.js";
import { fitOrnsteinUhlenbeck } from "../numerics/ornsteinUhlenbeck.js";
import type { ReturnKind } from "../numerics/returns.js";
import { truncatedPower } from "../numerics/truncatedPower.js";
import { var1Moments } from "../numerics/var1.js";
import { finiteOrNull } from "../output/json.js";
import {
  addInputOptions,
  addOutputOptions,
  addReturnsOptions,
  type CommonOptions,
  checkLevelsInput,
  checkOutputModes,
  type InputKind,
  parseInteger,
  parseNumber,
  resolveInput,
} from "./options.js";
import { startGramHelperFor } from "../numerics/gramKernel.js";
import { CommandRun, checkFinite, dataSummary, sharedParams } from "./shared.js";

export type SparseMethod = "lasso" | "elastic-net" | "greedy" | "sparse-pca";

export const SPARSE_DEFAULTS = {
  method: "lasso" as SparseMethod,
  elasticNetL1Ratio: 0.5,
  tol: 1e-8,
  maxIter: 100_000,
  cvFolds: 5,
  nAlphas: 100,
  eps: 1e-3,
  k: 3,
  components: 1,
};

export interface SparseOptions extends CommonOptions {
  method: SparseMethod;
  target?: string;
  alpha?: number;
  l1Ratio?: number;
  tol: number;
  maxIter: number;
  standardize: boolean;
  cv?: number;
  nAlphas: number;
  eps: number;
  positive: boolean;
  k?: number;
  components: number;
  returns: ReturnKind;
  inputKind: InputKind;
}

export function registerSparse(program: Command, context: RunContext): void {
  const command = program
    .command("sparse")
    .summary("sparse portfolios: lasso/elastic-net replication, greedy mean reversion, sparse PCA")
    .description(
      "lasso / elastic-net: regress --target on the other columns' returns, minimising scikit-learn's " +
        "1/(2n)|y - Xb - c|^2 + alpha*(l1Ratio*|b|_1 + (1 - l1Ratio)/2*|b|^2) by coordinate descent with Gram " +
        "updates and active sets, to a duality gap that makes the coefficients exact to about --tol; without " +
        "--alpha, alpha is chosen by --cv K-fold (default 5) time-ordered cross-validation on a log path of " +
        "--n-alphas values from alpha_max down to --eps*alpha_max (alpha1se: glmnet's one-standard-error rule). " +
        "greedy: d'Aspremont's greedy search for the most mean-reverting portfolio of --k assets from price " +
        "levels (VAR(1) without intercept on demeaned levels, predictability x'A'G0Ax/x'G0x). sparse-pca: " +
        "truncated power iteration (Yuan & Zhang 2013) on the returns' covariance, --k non-zeros, --components " +
        "by deflation.",
    )
    .argument("[input]", "price (or, with --input-kind returns, returns) file, or - for stdin")
    .addOption(
      new Option("--method <method>", "sparse method")
        .choices(["lasso", "elastic-net", "greedy", "sparse-pca"])
        .default(SPARSE_DEFAULTS.method),
    )
    .option("--target <symbol>", "column to replicate (lasso, elastic-net)")
    .option(
      "--alpha <a>",
      "penalty (default: chosen by --cv)",
      parseNumber("--alpha", (x) => (x >= 0 ? undefined : "must be at least 0.")),
    )
    .option(
      "--l1-ratio <r>",
      `share of L1 in the penalty (lasso: 1; elastic-net default ${SPARSE_DEFAULTS.elasticNetL1Ratio})`,
      parseNumber("--l1-ratio", (x) => (x > 0 && x <= 1 ? undefined : "must be in (0, 1].")),
    )
    .option(
      "--tol <t>",
      "convergence: coefficient change and duality-gap tolerance",
      parseNumber("--tol", (x) => (x > 0 ? undefined : "must be greater than 0.")),
      SPARSE_DEFAULTS.tol,
    )
    .option(
      "--max-iter <n>",
      "coordinate sweeps per fit",
      parseInteger("--max-iter", 1),
      SPARSE_DEFAULTS.maxIter,
    )
    .option("--standardize", "scale predictors to unit variance before fitting (glmnet)", false)
    .option(
      "--cv <K>",
      `K-fold time-ordered cross-validation (default ${SPARSE_DEFAULTS.cvFolds} without --alpha)`,
      parseInteger("--cv", 2, 1000),
    )
    .option(
      "--n-alphas <n>",
      "alphas on the CV path",
      parseInteger("--n-alphas", 1, 10_000),
      SPARSE_DEFAULTS.nAlphas,
    )
    .option(
      "--eps <e>",
      "smallest alpha of the CV path relative to alpha_max",
      parseNumber("--eps", (x) => (x > 0 && x < 1 ? undefined : "must be in (0, 1).")),
      SPARSE_DEFAULTS.eps,
    )
    .option("--positive", "non-negative coefficients (long-only replication)", false)
    .option(
      "--k <n>",
      `assets in the portfolio (greedy, sparse-pca; default ${SPARSE_DEFAULTS.k})`,
      parseInteger("--k", 1),
    )
    .option(
      "--components <n>",
      "sparse principal components (sparse-pca)",
      parseInteger("--components", 1),
      SPARSE_DEFAULTS.components,
    );
  addReturnsOptions(command, "simple");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: true, csv: true, out: false });
  command.addHelpText(
    "after",
    `
Examples:
  hftlab sparse --target DAX --alpha 1e-5 fixtures/eustocks.csv
  hftlab sparse --method elastic-net --target DAX --cv 5 --json fixtures/eustocks.csv
  hftlab sparse --method lasso --target DAX --positive --alpha 1e-6 fixtures/eustocks.csv
  hftlab sparse --method greedy --k 3 fixtures/eustocks.csv
  hftlab sparse --method sparse-pca --k 2 --components 2 fixtures/eustocks.csv
  hftlab sparse --target DAX --csv fixtures/eustocks.csv > coefficients.csv
  hftlab sparse --method elastic-net --target DAX --cv 10 --ndjson fixtures/eustocks.csv

greedy uses the price levels as read: it refuses --input-kind returns and --returns log (pass the
price file). lasso, elastic-net and sparse-pca use returns.
--csv prints the weights (symbol,weight; sparse-pca with several components: symbol,weight1,...)
or the coefficients (symbol,coefficient). --ndjson prints the cross-validation path, one
{alpha, mse, mseSe, nonzero} per line, so it needs lasso or elastic-net without --alpha.`,
  );
  command.action(async (input: string | undefined, options: SparseOptions) => {
    await runSparse(input, options, context);
  });
}

function checkOptions(options: SparseOptions): void {
  checkOutputModes(options);
  const regression = options.method === "lasso" || options.method === "elastic-net";
  if (regression && options.target === undefined) {
    throw usageError(
      `--method ${options.method} needs --target SYMBOL`,
      "the column to replicate from the others",
    );
  }
  if (!regression) {
    for (const [flag, value] of [
      ["--target", options.target],
      ["--alpha", options.alpha],
      ["--l1-ratio", options.l1Ratio],
      ["--cv", options.cv],
    ] as const) {
      if (value !== undefined)
        throw usageError(`${flag} applies to lasso and elastic-net, not ${options.method}`);
    }
  }
  if (options.method === "lasso" && options.l1Ratio !== undefined && options.l1Ratio !== 1) {
    throw usageError("--method lasso has --l1-ratio 1", "use --method elastic-net for a mixed penalty");
  }
  if (regression && options.alpha !== undefined && options.cv !== undefined) {
    throw usageError("--alpha and --cv cannot be combined", "--cv chooses alpha");
  }
  if (regression && options.k !== undefined) throw usageError(`--k applies to greedy and sparse-pca`);
  if (options.ndjson && !(regression && options.alpha === undefined)) {
    throw usageError(
      `--ndjson prints the cross-validation path, which needs lasso or elastic-net without --alpha${regression ? "" : `, not ${options.method}`}`,
      regression ? "drop --alpha to choose it by --cv K" : "use --json or --csv for the portfolio",
    );
  }
  if (options.method === "greedy") checkLevelsInput(options);
}

export async function runSparse(
  input: string | undefined,
  options: SparseOptions,
  context: RunContext,
): Promise<void> {
  checkOptions(options);
  const source = resolveInput(input, "sparse", context.stdinIsTty);
  startGramHelperFor(source);
  const run = new CommandRun("sparse", options, context);
  let frame = await run.load(source);
  const levels = options.method === "greedy";
  if (!levels && options.inputKind === "prices") frame = returnsFrame(frame, options.returns);
  checkFinite(frame);
  const result =
    options.method === "greedy"
      ? greedyResult(frame, options)
      : options.method === "sparse-pca"
        ? sparsePcaResult(frame, options, run)
        : regressionResult(frame, options, run);
  run.computed();
  if (options.json) {
    await run.writeJson(sparseParams(options), dataSummary(frame), result);
  } else if (options.ndjson) {
    const { writeNdjson } = await import("../output/resultRows.js");
    await writeNdjson((result as RegressionJson).cv?.path ?? [], context.stdout);
  } else if (options.csv) {
    await context.stdout.write(await sparseCsv(frame, options, result));
  } else {
    const { renderSparseReport } = await import("../output/sparseReport.js");
    await context.stdout.write(renderSparseReport(frame, options.method, result, run.color));
  }
}

type RegressionJson = ReturnType<typeof regressionResult>;
type GreedyJson = ReturnType<typeof greedyResult>;
type SparsePcaJson = ReturnType<typeof sparsePcaResult>;

/**
 * --csv: the coefficients (symbol,coefficient, the target left out) or the
 * weights (symbol,weight; sparse-pca with several components symbol,weight1,
 * weight2, …), every symbol in input column order, zeros included.
 */
async function sparseCsv(
  frame: Frame,
  options: SparseOptions,
  result: RegressionJson | GreedyJson | SparsePcaJson,
): Promise<string> {
  const { csvText, symbolColumns } = await import("../output/resultRows.js");
  if ("coefficients" in result) {
    const symbols = frame.symbols.filter((s) => s !== options.target);
    return csvText(symbolColumns(symbols, [{ name: "coefficient", bySymbol: result.coefficients }]));
  }
  if ("components" in result) {
    const single = result.components.length === 1;
    return csvText(
      symbolColumns(
        frame.symbols,
        result.components.map((c, i) => ({
          name: single ? "weight" : `weight${i + 1}`,
          bySymbol: c.weights,
        })),
      ),
    );
  }
  return csvText(symbolColumns(frame.symbols, [{ name: "weight", bySymbol: result.weights }]));
}

function symbolMap(symbols: string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  symbols.forEach((s, i) => {
    out[s] = values[i]! === 0 ? 0 : values[i]!;
  });
  return out;
}

function regressionResult(frame: Frame, options: SparseOptions, run: CommandRun) {
  const target = options.target!;
  const index = frame.symbols.indexOf(target);
  if (index < 0) {
    throw inputError(
      "unknown_target",
      `--target ${target} is not a column (columns: ${frame.symbols.join(", ")})`,
      {
        file: frame.source,
      },
    );
  }
  const symbols = frame.symbols.filter((_, j) => j !== index);
  if (symbols.length === 0)
    throw inputError("too_few_columns", "the regression needs at least one other column");
  const rows = frame.time.length;
  const folds = options.alpha === undefined ? (options.cv ?? SPARSE_DEFAULTS.cvFolds) : 0;
  if (rows < Math.max(2, folds)) {
    throw inputError(
      "too_few_rows",
      `too few rows (${rows}) for ${folds > 0 ? `${folds}-fold CV` : "a regression"}`,
      {
        file: frame.source,
      },
    );
  }
  const l1Ratio = l1RatioOf(options);
  const model = fitElasticNet(
    frame.columns.filter((_, j) => j !== index),
    frame.columns[index]!,
    {
      alpha: options.alpha ?? null,
      l1Ratio,
      tol: options.tol,
      maxIterations: options.maxIter,
      positive: options.positive,
      standardize: options.standardize,
      folds,
      nAlphas: options.nAlphas,
      eps: options.eps,
    },
  );
  if (!model.converged) {
    const message = `coordinate descent did not reach --tol ${options.tol} in ${options.maxIter} sweeps (duality gap ${model.dualityGap})`;
    if (options.strict) throw numericalError("no_convergence", message, "raise --max-iter or --tol");
    run.warn(message);
  }
  if (model.crossValidation !== null && model.crossValidation.unconverged > 0) {
    run.warn(`${model.crossValidation.unconverged} cross-validation fits stopped at --max-iter`);
  }
  let nonzero = 0;
  for (const b of model.coefficients) if (b !== 0) nonzero++;
  const cv = model.crossValidation;
  return {
    method: options.method,
    target,
    alpha: model.alpha,
    l1Ratio,
    intercept: model.intercept,
    coefficients: symbolMap(symbols, model.coefficients),
    nonzero,
    r2: finiteOrNull(model.r2),
    iterations: model.iterations,
    dualityGap: model.dualityGap,
    converged: model.converged,
    alphaMax: model.alphaMax,
    cv:
      cv === null
        ? null
        : {
            folds,
            alphaMin: cv.alphaMin,
            alpha1se: cv.alpha1se,
            path: cv.path.map((point) => ({
              alpha: point.alpha,
              mse: point.mse,
              mseSe: point.mseSe,
              nonzero: Number.isNaN(point.nonzero) ? null : point.nonzero,
            })),
          },
  };
}

function l1RatioOf(options: SparseOptions): number {
  if (options.method === "lasso") return 1;
  return options.l1Ratio ?? SPARSE_DEFAULTS.elasticNetL1Ratio;
}

function halfLifeOf(frame: Frame, weights: Float64Array): number | null {
  const rows = frame.time.length;
  const series = new Float64Array(rows);
  frame.columns.forEach((column, j) => {
    const w = weights[j]!;
    if (w !== 0) for (let t = 0; t < rows; t++) series[t]! += w * column[t]!;
  });
  return finiteOrNull(fitOrnsteinUhlenbeck(series).halfLife);
}

function greedyResult(frame: Frame, options: SparseOptions) {
  const n = frame.symbols.length;
  const k = Math.min(options.k ?? SPARSE_DEFAULTS.k, n);
  if (frame.time.length < n + 3) {
    throw inputError(
      "too_few_rows",
      `a VAR(1) of ${n} columns needs at least ${n + 3} rows, found ${frame.time.length}`,
      {
        file: frame.source,
      },
    );
  }
  const moments = var1Moments(frame.columns);
  if (moments === null) {
    throw numericalError(
      "singular_levels",
      "the lagged price levels are collinear: the VAR(1) is not identified",
      "drop a redundant column with --columns",
    );
  }
  const path = greedyMeanReversion(moments, k);
  if (path.length === 0) throw numericalError("singular_levels", "no asset has a positive variance");
  const last = path.at(-1)!;
  return {
    method: options.method,
    k: last.k,
    weights: symbolMap(frame.symbols, last.weights),
    predictability: last.predictability,
    halfLife: halfLifeOf(frame, last.weights),
    path: path.map((step) => ({
      k: step.k,
      assets: step.assets.map((j) => frame.symbols[j]!),
      predictability: step.predictability,
      halfLife: halfLifeOf(frame, step.weights),
      weights: symbolMap(frame.symbols, step.weights),
    })),
  };
}

function sparsePcaResult(frame: Frame, options: SparseOptions, run: CommandRun) {
  const n = frame.symbols.length;
  const k = Math.min(options.k ?? SPARSE_DEFAULTS.k, n);
  if (frame.time.length < 2)
    throw inputError("too_few_rows", "sparse PCA needs at least 2 rows", { file: frame.source });
  const covariance = sampleCovariance(frame.columns, 1);
  let total = 0;
  for (let i = 0; i < n; i++) total += covariance[i * n + i]!;
  const components = truncatedPower(covariance, n, k, options.components, options.tol, options.maxIter);
  if (components.some((c) => !c.converged))
    run.warn(`truncated power iteration did not settle to --tol ${options.tol}`);
  return {
    method: options.method,
    k,
    components: components.map((c) => ({
      weights: symbolMap(frame.symbols, c.weights),
      variance: c.variance,
      explainedVariance: finiteOrNull(c.variance / total),
      iterations: c.iterations,
    })),
  };
}

function sparseParams(options: SparseOptions): Record<string, unknown> {
  const regression = options.method === "lasso" || options.method === "elastic-net";
  return {
    method: options.method,
    target: options.target ?? null,
    alpha: options.alpha ?? null,
    l1Ratio: regression ? l1RatioOf(options) : null,
    tol: options.tol,
    maxIter: options.maxIter,
    standardize: options.standardize,
    cv: regression && options.alpha === undefined ? (options.cv ?? SPARSE_DEFAULTS.cvFolds) : null,
    nAlphas: options.nAlphas,
    eps: options.eps,
    positive: options.positive,
    k: regression ? null : (options.k ?? SPARSE_DEFAULTS.k),
    components: options.components,
    ...sharedParams(options),
  };
}
