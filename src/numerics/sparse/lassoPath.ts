import { alphaMax, type ElasticNetSettings, elasticNetGram } from "./coordinateDescent.js";
import {
  type BlockStatistics,
  blockResidualSquares,
  blockStatistics,
  centredProblem,
  columnShift,
  combineStatistics,
} from "./regressionStatistics.js";

/**
 * Regularisation paths and K-fold cross-validation of the elastic net, as
 * scikit-learn's `LassoCV`/`ElasticNetCV` and glmnet's `cv.glmnet` do it.
 *
 * - Grid: `count` alphas log-spaced from alpha_max (all coefficients zero)
 *   down to eps·alpha_max (scikit-learn: 100 alphas, eps = 1e-3), alpha_max
 *   from the full sample.
 * - Path: solved from the largest alpha down, each fit warm-started from the
 *   previous one (the solution changes little between neighbouring alphas).
 * - Folds: K contiguous blocks of rows in time order (scikit-learn's
 *   `KFold(K)` without shuffling: the first n mod K folds one row longer);
 *   no shuffling, so a fold never trains on rows interleaved with its test rows.
 * - Score: each fold's mean squared error on its held-out block, averaged
 *   over folds; `alphaMin` minimises it, `alpha1se` is the largest alpha
 *   whose mean error is within one standard error (fold sd / sqrt(K)) of the
 *   minimum (glmnet's `lambda.1se`).
 *
 * Method: every fold's data enter only through the sufficient statistics
 * of its block (one Gram product per block, the same total cost as one
 * Gram of the whole sample); a training set is "all blocks minus one", and
 * held-out errors are computed from the held-out block's statistics.
 *
 * - Tolerance: fits inside the cross-validation and on the way down the
 *   path stop as scikit-learn's do (its default tol 1e-4: duality gap ≤
 *   1e-4·‖y‖²; held-out errors need no more); the final fit at the chosen
 *   alpha uses `tol`.
 *
 * References: Friedman, Hastie & Tibshirani (2010), J. Stat. Softw. 33(1),
 * §2.5 (pathwise warm starts) and cv.glmnet; scikit-learn `LassoCV`.
 *
 * @example logAlphaGrid(1, 1e-2, 3) // => Float64Array [1, 0.1, 0.01]
 */
export function logAlphaGrid(maximum: number, eps: number, count: number): Float64Array {
  const grid = new Float64Array(count);
  if (count === 1) {
    grid[0] = maximum;
    return grid;
  }
  const top = Math.log10(maximum);
  const step = Math.log10(eps) / (count - 1);
  for (let k = 0; k < count; k++) grid[k] = 10 ** (top + k * step);
  return grid;
}

/** K contiguous folds of n rows: boundaries [0, e₁, …, n] (scikit-learn `KFold`). */
export function foldBoundaries(n: number, folds: number): Int32Array {
  const bounds = new Int32Array(folds + 1);
  const base = Math.floor(n / folds);
  const extra = n % folds;
  for (let k = 0; k < folds; k++) bounds[k + 1] = bounds[k]! + base + (k < extra ? 1 : 0);
  return bounds;
}

/** Tolerance of the fits that only score an alpha or warm-start the next one. */
export const PATH_TOL = 1e-4;

export interface PathPoint {
  alpha: number;
  /** Mean over folds of the held-out mean squared error. */
  mse: number;
  /** Standard error of that mean: sd of the fold errors (ddof 1) / sqrt(K). */
  mseSe: number;
  /** Non-zero coefficients of the full-sample fit at this alpha (NaN if not fitted). */
  nonzero: number;
}

export interface CrossValidation {
  alphas: Float64Array;
  path: PathPoint[];
  alphaMin: number;
  alpha1se: number;
  /** Fits that stopped at the iteration limit. */
  unconverged: number;
}

type PathSettings = Omit<ElasticNetSettings, "alpha">;

/**
 * K-fold time-ordered cross-validation of the elastic net over a log grid.
 * `predictors`/`target` are the (already standardised, if wanted) columns.
 */
export function crossValidateElasticNet(
  predictors: Float64Array[],
  target: Float64Array,
  folds: number,
  settings: PathSettings,
  grid: { count: number; eps: number },
): CrossValidation {
  const n = target.length;
  const shift = columnShift(predictors, target);
  const bounds = foldBoundaries(n, folds);
  const blocks: BlockStatistics[] = [];
  for (let k = 0; k < folds; k++)
    blocks.push(blockStatistics(predictors, target, shift, bounds[k]!, bounds[k + 1]!));
  let total = blocks[0]!;
  for (let k = 1; k < folds; k++) total = combineStatistics(total, blocks[k]!, 1);
  const full = centredProblem(total);
  const alphas = logAlphaGrid(alphaMax(full, settings.l1Ratio, settings.positive), grid.eps, grid.count);
  const errors = new Float64Array(folds * grid.count);
  let unconverged = 0;
  const p = predictors.length;
  for (let k = 0; k < folds; k++) {
    const test = blocks[k]!;
    const train = centredProblem(combineStatistics(total, test, -1));
    const b = new Float64Array(p);
    const h = new Float64Array(p);
    for (let a = 0; a < grid.count; a++) {
      const fit = elasticNetGram(
        train,
        { ...settings, tol: Math.max(settings.tol, PATH_TOL), gapTolerance: PATH_TOL, alpha: alphas[a]! },
        b,
        h,
      );
      if (!fit.converged) unconverged++;
      errors[k * grid.count + a] = blockResidualSquares(test, b, train.xMean, train.yMean) / test.rows;
    }
  }
  const path: PathPoint[] = [];
  let best = 0;
  for (let a = 0; a < grid.count; a++) {
    let mean = 0;
    for (let k = 0; k < folds; k++) mean += errors[k * grid.count + a]!;
    mean /= folds;
    let ss = 0;
    for (let k = 0; k < folds; k++) ss += (errors[k * grid.count + a]! - mean) ** 2;
    const se = folds > 1 ? Math.sqrt(ss / (folds - 1) / folds) : 0;
    path.push({ alpha: alphas[a]!, mse: mean, mseSe: se, nonzero: Number.NaN });
    if (mean < path[best]!.mse) best = a;
  }
  const limit = path[best]!.mse + path[best]!.mseSe;
  let oneSe = best;
  for (let a = 0; a < best; a++) {
    if (path[a]!.mse <= limit) {
      oneSe = a;
      break;
    }
  }
  return { alphas, path, alphaMin: alphas[best]!, alpha1se: alphas[oneSe]!, unconverged };
}

/**
 * The full-sample elastic net along `alphas` (descending) with warm starts,
 * stopping after `stopAt`; returns the non-zero counts per alpha and the
 * last fit's coefficients.
 */
export function elasticNetPath(
  problem: ReturnType<typeof centredProblem>,
  alphas: ArrayLike<number>,
  stopAt: number,
  settings: PathSettings,
): {
  coefficients: Float64Array;
  nonzero: number[];
  iterations: number;
  dualityGap: number;
  converged: boolean;
} {
  const b = new Float64Array(problem.p);
  const h = new Float64Array(problem.p);
  const nonzero: number[] = [];
  let iterations = 0;
  let last = { iterations: 0, dualityGap: 0, converged: true };
  for (let a = 0; a <= stopAt; a++) {
    const loose = { tol: Math.max(settings.tol, PATH_TOL), gapTolerance: PATH_TOL };
    last = elasticNetGram(problem, { ...settings, ...(a === stopAt ? {} : loose), alpha: alphas[a]! }, b, h);
    iterations += last.iterations;
    let count = 0;
    for (let j = 0; j < problem.p; j++) if (b[j] !== 0) count++;
    nonzero.push(count);
  }
  return { coefficients: b, nonzero, iterations, dualityGap: last.dualityGap, converged: last.converged };
}
