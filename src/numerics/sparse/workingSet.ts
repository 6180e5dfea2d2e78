import { type ElasticNetFit, type ElasticNetSettings, elasticNetGram } from "./coordinateDescent.js";
import type { CentredProblem } from "./regressionStatistics.js";
import { WorkingDesign } from "./workingDesign.js";

/**
 * One elastic-net fit by working sets: coordinate descent with covariance
 * updates on a small set W of predictors, checked against all of them
 * through the residual, W growing until no predictor outside it violates
 * its optimality condition.
 *
 * Why: the Gram matrix of all p predictors costs p²·n/2 multiply-adds,
 * while a sparse solution only ever needs the block of the predictors that
 * can be non-zero. Outside W the check is one pass over the data,
 * g = Xᵀr with r = y − Xb (p·n), so a fit with k ≪ p non-zeros costs
 * about (2k)²·n/2 + a few·p·n instead of p²·n/2 ({@link WorkingDesign}).
 *
 * Method (in the n-scaled units of {@link elasticNetGram}: l1 = n·alpha·l1Ratio):
 * 1. g = Xᵀ(y − ȳ) on centred data; W empty, b = 0.
 * 2. Violators: j ∉ W with |g_j| > l1 (g_j > l1 with `positive`), the
 *    condition under which a coordinate step would move b_j off zero. None
 *    (after the first round): stop.
 * 3. Add the worst violators, ranked by (|g_j| − l1)/‖x_j‖: 32 in the
 *    first round, then half as many as there are non-zeros (at least 8),
 *    so W stays a small multiple of the support. W only grows, so the
 *    Gram block of W is extended, never recomputed, and the fit ends.
 * 4. Solve on W (Gram block of W and y, warm-started from b) to the
 *    settings' tolerance; recompute r and g; go to 2.
 *
 * Why the stopping rule is exact: when no predictor outside W violates
 * |g_j| ≤ l1, the full problem's dual norm max_j |g_j − l2·b_j| scales the
 * dual point exactly as W's does, and every other term of scikit-learn's
 * duality gap involves only W's coefficients. So the full problem's gap is
 * the sub-problem's gap, and a full coordinate sweep would move no
 * coefficient outside W: the fit stops in the state the whole-Gram solver
 * stops in, up to rounding.
 *
 * References:
 * - J. Friedman, T. Hastie, R. Tibshirani (2010), J. Stat. Softw. 33(1),
 *   §2.2 (covariance updates need only the active predictors' columns).
 * - M. Massias, A. Gramfort, J. Salmon (2018), "Celer: a fast solver for the
 *   Lasso with dual extrapolation", ICML, §4 (working sets grown from the violated optimality conditions).
 * - T. B. Johnson, C. Guestrin (2015), "Blitz: a principled meta-algorithm
 *   for scaling sparse optimization", ICML.
 */
export interface WorkingSetFit extends ElasticNetFit {
  /** The predictors of the final working set, in the order they joined it. */
  workingSet: Int32Array;
  /** The centred Gram problem of the final working set (its n, yty are the full problem's). */
  problem: CentredProblem;
  /** Xᵀ(y − ȳ) over every predictor, centred. */
  xty: Float64Array;
  /** Means of the predictors then of y (length p + 1): the intercept's centring. */
  means: Float64Array;
}

/** Violators that form the first working set. */
export const INITIAL_WORKING_SET = 32;
/** Violators added per later round: half the non-zeros, at least this many. */
export const GROWTH_MIN = 8;

/**
 * Fits the elastic net from b = 0: `coefficients` (length p, zero on entry)
 * receives the solution. Null when the working set's Gram block cannot
 * get the memory it needs (the whole-Gram solver then decides).
 */
export function elasticNetWorkingSet(
  predictors: Float64Array[],
  target: Float64Array,
  settings: ElasticNetSettings,
  coefficients: Float64Array,
): WorkingSetFit | null {
  const design = new WorkingDesign(predictors, target);
  const { p, n } = design;
  const l1 = n * settings.alpha * settings.l1Ratio;
  const norms = design.norms;
  const gradient = Float64Array.from(design.xty);
  const inSet = new Uint8Array(p);
  let iterations = 0;
  let last: { fit: ElasticNetFit; problem: CentredProblem } | null = null;
  for (;;) {
    const violators = violatorsOf(gradient, norms, inSet, l1, settings.positive);
    if (violators.length === 0 && last !== null) break;
    let nonzero = 0;
    for (let j = 0; j < p; j++) if (coefficients[j] !== 0) nonzero++;
    const room = last === null ? INITIAL_WORKING_SET : Math.max(Math.ceil(nonzero / 2), GROWTH_MIN);
    const added = violators.slice(0, room);
    if (!design.extend(added)) return null;
    for (const j of added) inSet[j] = 1;
    const problem = design.problem();
    const members = design.cached;
    const b = Float64Array.from(members, (j) => coefficients[j]!);
    const fit = elasticNetGram(
      problem,
      { ...settings, maxIterations: settings.maxIterations - iterations },
      b,
    );
    iterations += fit.iterations;
    members.forEach((j, k) => {
      coefficients[j] = b[k]!;
    });
    last = { fit, problem };
    if (!fit.converged || members.length === p) break;
    design.gradientOutside(coefficients, inSet, gradient, l1, settings.positive);
  }
  const { fit, problem } = last;
  const means = new Float64Array(p + 1);
  means.set(design.means);
  means[p] = design.yMean;
  return {
    iterations,
    dualityGap: fit.dualityGap,
    converged: fit.converged,
    workingSet: Int32Array.from(design.cached),
    problem,
    xty: design.xty,
    means,
  };
}

/** Predictors outside the set whose optimality condition fails, worst first. */
function violatorsOf(
  gradient: Float64Array,
  norms: Float64Array,
  inSet: Uint8Array,
  l1: number,
  positive: boolean,
): number[] {
  const found: number[] = [];
  const score = new Float64Array(gradient.length);
  for (let j = 0; j < gradient.length; j++) {
    if (inSet[j] === 1 || norms[j] === 0) continue;
    const g = positive ? gradient[j]! : Math.abs(gradient[j]!);
    if (g <= l1) continue;
    found.push(j);
    score[j] = (g - l1) / norms[j]!;
  }
  return found.sort((a, b) => score[b]! - score[a]! || a - b);
}
