import type { Frame } from "../../io/frame.js";
import { inputError, numericalError } from "../../errors.js";
import { sampleCovariance } from "../../numerics/stats/covariance.js";
import { fitElasticNet } from "../../numerics/sparse/elasticNet.js";
import { greedyMeanReversion } from "../../numerics/sparse/greedyMeanReversion.js";
import { fitOrnsteinUhlenbeck } from "../../numerics/timeseries/ornsteinUhlenbeck.js";
import { truncatedPower } from "../../numerics/sparse/truncatedPower.js";
import { var1Moments } from "../../numerics/timeseries/var1.js";
import { byName, finiteOrNull } from "../../output/json.js";
import { type CommandRun, checkVar1Rows, sharedParams } from "../shared/commandRun.js";
import { SPARSE_DEFAULTS, type SparseOptions } from "./options.js";

/**
 * What `hftlab sparse` writes besides the human report: the envelope's
 * `params`, the `result` of each method (one builder per method; lasso and
 * elastic-net share the regression) and the `--csv` table drawn from it, so
 * that every format carries the same numbers.
 */

export type RegressionJson = ReturnType<typeof regressionResult>;
export type GreedyJson = ReturnType<typeof greedyResult>;
export type SparsePcaJson = ReturnType<typeof sparsePcaResult>;

/**
 * --csv: the coefficients (symbol,coefficient, the target left out) or the
 * weights (symbol,weight; sparse-pca with several components symbol,weight1,
 * weight2, …), every symbol in input column order, zeros included.
 */
export async function sparseCsv(
  frame: Frame,
  options: SparseOptions,
  result: RegressionJson | GreedyJson | SparsePcaJson,
): Promise<string> {
  const { csvText, symbolColumns } = await import("../../output/resultRows.js");
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

/** Values by symbol, in input column order, with −0 written as 0. */
function symbolMap(symbols: string[], values: ArrayLike<number>): Record<string, number> {
  return byName(symbols.map((s, i) => [s, values[i]! === 0 ? 0 : values[i]!]));
}

/**
 * lasso / elastic-net: `--target` regressed on the other columns' returns at
 * `--alpha`, or at the alpha `--cv` chooses (the path kept for the report).
 * Non-convergence is a warning, or exit 4 with `--strict`.
 */
export function regressionResult(frame: Frame, options: SparseOptions, run: CommandRun) {
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

/** The share of L1 in the penalty: 1 for lasso, `--l1-ratio` or its default for elastic-net. */
function l1RatioOf(options: SparseOptions): number {
  if (options.method === "lasso") return 1;
  return options.l1Ratio ?? SPARSE_DEFAULTS.elasticNetL1Ratio;
}

/** The Ornstein–Uhlenbeck half-life (bars) of the portfolio's level series, or null when it does not revert. */
function halfLifeOf(frame: Frame, weights: Float64Array): number | null {
  const rows = frame.time.length;
  const series = new Float64Array(rows);
  frame.columns.forEach((column, j) => {
    const w = weights[j]!;
    if (w !== 0) for (let t = 0; t < rows; t++) series[t]! += w * column[t]!;
  });
  return finiteOrNull(fitOrnsteinUhlenbeck(series).halfLife);
}

/** greedy: d'Aspremont's most mean-reverting portfolio of `--k` assets on price levels, with its path. */
export function greedyResult(frame: Frame, options: SparseOptions) {
  const n = frame.symbols.length;
  const k = Math.min(options.k ?? SPARSE_DEFAULTS.k, n);
  checkVar1Rows(frame);
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

/** sparse-pca: `--components` sparse eigenportfolios of `--k` assets by truncated power iteration. */
export function sparsePcaResult(frame: Frame, options: SparseOptions, run: CommandRun) {
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

/** The envelope's `params`: every option as resolved, defaults included (null where a method has no use for it). */
export function sparseParams(options: SparseOptions): Record<string, unknown> {
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
