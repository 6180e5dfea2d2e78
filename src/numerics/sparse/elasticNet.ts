import { alphaMax, elasticNetGram } from "./coordinateDescent.js";
import { type CrossValidation, crossValidateElasticNet, elasticNetPath } from "./lassoPath.js";
import { blockStatistics, type CentredProblem, centredProblem, columnShift } from "./regressionStatistics.js";
import { elasticNetWorkingSet } from "./workingSet.js";

/**
 * A fitted elastic net with intercept, in the data's own units: what
 * `hftlab sparse --method lasso|elastic-net` reports. Either at a given
 * alpha (one fit from zero) or at the alpha chosen by K-fold time-ordered
 * cross-validation (see {@link crossValidateElasticNet}), then refitted on
 * every row along the path down to that alpha.
 *
 * A fit at a given alpha runs on working sets (workingSet.ts: the Gram
 * block of the predictors that can be non-zero, not of all p); the
 * cross-validated path keeps the whole Gram, which its folds share.
 *
 * Standardisation (glmnet's `standardize = TRUE`): predictors are scaled
 * by their population standard deviation (ddof 0) before fitting, so the
 * penalty treats them alike; coefficients are mapped back
 * (b_j = b̃_j / sd_j) and the intercept is ȳ − Σ x̄_j·b_j either way.
 *
 * @example
 * fitElasticNet([Float64Array.of(-1, 0, 1)], Float64Array.of(-1, 0, 1),
 *   { alpha: 0.5, l1Ratio: 1, tol: 1e-8, maxIterations: 1000, positive: false, standardize: false, folds: 0, nAlphas: 100, eps: 1e-3 });
 * // => { coefficients: [0.25], intercept: 0, alpha: 0.5, r2: 0.4375, ... }
 */
export interface ElasticNetOptions {
  /** null: choose by cross-validation. */
  alpha: number | null;
  l1Ratio: number;
  tol: number;
  maxIterations: number;
  positive: boolean;
  standardize: boolean;
  /** K for K-fold CV (0: no CV; alpha must then be given). */
  folds: number;
  nAlphas: number;
  eps: number;
}

export interface ElasticNetModel {
  alpha: number;
  alphaMax: number;
  coefficients: Float64Array;
  intercept: number;
  r2: number;
  iterations: number;
  dualityGap: number;
  converged: boolean;
  crossValidation: CrossValidation | null;
  /** Non-zero counts of the full-sample path (CV only), one per grid alpha up to the chosen one. */
  pathNonzero: number[] | null;
}

export function fitElasticNet(
  predictors: Float64Array[],
  target: Float64Array,
  options: ElasticNetOptions,
): ElasticNetModel {
  const p = predictors.length;
  const n = target.length;
  const scales = new Float64Array(p).fill(1);
  let x = predictors;
  if (options.standardize) {
    x = predictors.map((column, j) => {
      let mean = 0;
      for (let t = 0; t < n; t++) mean += column[t]!;
      mean /= n;
      let ss = 0;
      for (let t = 0; t < n; t++) ss += (column[t]! - mean) ** 2;
      const sd = Math.sqrt(ss / n);
      scales[j] = sd > 0 ? sd : 1;
      return column.map((v) => v / scales[j]!);
    });
  }
  const settings = {
    l1Ratio: options.l1Ratio,
    tol: options.tol,
    maxIterations: options.maxIterations,
    positive: options.positive,
  };
  let crossValidation: CrossValidation | null = null;
  let pathNonzero: number[] | null = null;
  let alpha: number;
  const b = new Float64Array(p);
  let fit: { iterations: number; dualityGap: number; converged: boolean };
  let problem: CentredProblem;
  let top: number;
  // The coefficients of the predictors `problem` holds, in its order (all of them unless a working set).
  let problemB = b;
  // Means of the predictors then y in data units: the intercept is ȳ − x̄ᵀb.
  let means: Float64Array;
  const solved =
    options.alpha === null ? null : elasticNetWorkingSet(x, target, { ...settings, alpha: options.alpha }, b);
  if (solved !== null) {
    alpha = options.alpha!;
    fit = solved;
    problem = solved.problem;
    problemB = Float64Array.from(solved.workingSet, (j) => b[j]!);
    means = solved.means;
    top = alphaMax({ ...problem, xty: solved.xty, p }, options.l1Ratio, options.positive);
  } else {
    const shift = columnShift(x, target);
    problem = centredProblem(blockStatistics(x, target, shift, 0, n));
    means = shift.map((v, j) => v + (j < p ? problem.xMean[j]! : problem.yMean));
    top = alphaMax(problem, options.l1Ratio, options.positive);
    if (options.alpha !== null) {
      alpha = options.alpha;
      fit = elasticNetGram(problem, { ...settings, alpha }, b);
    } else {
      crossValidation = crossValidateElasticNet(x, target, options.folds, settings, {
        count: options.nAlphas,
        eps: options.eps,
      });
      alpha = crossValidation.alphaMin;
      const stop = crossValidation.alphas.indexOf(alpha);
      const path = elasticNetPath(problem, crossValidation.alphas, stop, settings);
      b.set(path.coefficients);
      fit = path;
      pathNonzero = path.nonzero;
      path.nonzero.forEach((count, a) => {
        crossValidation!.path[a]!.nonzero = count;
      });
    }
  }
  const coefficients = b.map((v, j) => v / scales[j]!);
  let intercept = means[p]!;
  for (let j = 0; j < p; j++) intercept -= means[j]! * b[j]!;
  const size = problem.p;
  // R² on the rows fitted: 1 − RSS/TSS, RSS = yᵀy − 2bᵀq + bᵀQb (centred), over the problem's predictors.
  let rss = problem.yty;
  for (let i = 0; i < size; i++) {
    const bi = problemB[i]!;
    if (bi === 0) continue;
    rss -= 2 * bi * problem.xty[i]!;
    for (let k = 0; k < size; k++) rss += bi * problem.gram[i * size + k]! * problemB[k]!;
  }
  const r2 = problem.yty > 0 ? 1 - Math.max(rss, 0) / problem.yty : Number.NaN;
  return {
    alpha,
    alphaMax: top,
    coefficients,
    intercept,
    r2,
    iterations: fit.iterations,
    dualityGap: fit.dualityGap,
    converged: fit.converged,
    crossValidation,
    pathNonzero,
  };
}
