import { backSubstitute, choleskyInPlace, forwardSubstitute } from "../linalg/cholesky.js";
import { sweepWorkspace } from "./coordinateDescentKernel.js";

/**
 * Elastic net (and lasso) by cyclic coordinate descent with covariance
 * ("Gram") updates, active-set sweeps and a duality-gap stopping rule.
 *
 * Objective (scikit-learn's `ElasticNet`, glmnet's gaussian family with
 * lambda = alpha, alpha = l1Ratio), on centred data:
 *
 *     F(b) = 1/(2n)·‖y − Xb‖² + alpha·(l1Ratio·‖b‖₁ + ½(1 − l1Ratio)·‖b‖²)
 *
 * Multiplied by n the problem is ½‖y − Xb‖² + l1·‖b‖₁ + ½·l2·‖b‖² with
 * l1 = n·alpha·l1Ratio and l2 = n·alpha·(1 − l1Ratio), which is what the
 * kernel works in. With Q = XᵀX, q = Xᵀy and h = Q·b kept current, the
 * coordinate update is
 *
 *     b_j ← S(q_j − h_j + Q_jj·b_j, l1) / (Q_jj + l2),   S(z, t) = sign(z)·max(|z| − t, 0)
 *
 * and a change δ of b_j costs one column update h += δ·Q[:, j] (O(p), never
 * O(n)). With `positive`, S(z, t) = max(z − t, 0).
 *
 * Method (glmnet's strategy): a full sweep over every coordinate, then
 * sweeps over the active set (non-zero coefficients) only until they
 * settle, then a full sweep again; stop when a full sweep moves no
 * coefficient by more than tol·max|b| *and* the duality gap is at most
 * max(tol², 1e-12)·‖y‖². Once the active-set sweeps have kept the same
 * signs for a few sweeps, one linear solve on the support ({@link polish})
 * usually lands on the optimum, which the next full sweep and the gap then
 * confirm. The gap is scikit-learn's (`enet_coordinate_descent_gram`):
 * with r = y − Xb, XtA = Xᵀr − l2·b, s = min(1, l1/‖XtA‖∞),
 * gap = ½‖r‖²(1 + s²) + l1‖b‖₁ − s·yᵀr + ½·l2·(1 + s²)·‖b‖².
 * The gap bounds F(b) − F(b*), so coefficients are exact to about tol once
 * the active set is identified.
 *
 * References:
 * - J. Friedman, T. Hastie, R. Tibshirani (2010), "Regularization paths for
 *   generalized linear models via coordinate descent", J. Stat. Softw.
 *   33(1). doi:10.18637/jss.v033.i01 (covariance updates, active sets)
 * - scikit-learn `sklearn/linear_model/_cd_fast.pyx`,
 *   `enet_coordinate_descent_gram` (objective scaling and duality gap)
 *
 * @example
 * // scikit-learn's documented toy problem, x = [-1, 0, 1] = y, alpha = 0.1:
 * // centred Q = [[2]], q = [2], yᵀy = 2, n = 3
 * const b = new Float64Array(1);
 * elasticNetGram({ gram: new Float64Array([2]), xty: new Float64Array([2]), yty: 2, p: 1, n: 3 },
 *   { alpha: 0.1, l1Ratio: 1, tol: 1e-8, maxIterations: 1000, positive: false }, b);
 * // b => [0.85]
 */
export interface GramProblem {
  /** XᵀX of the centred predictors, p×p row-major (both triangles). */
  gram: Float64Array;
  /** Xᵀy of the centred predictors and target. */
  xty: Float64Array;
  /** yᵀy of the centred target. */
  yty: number;
  /** Number of predictors. */
  p: number;
  /** Number of rows (the n of 1/(2n)). */
  n: number;
}

export interface ElasticNetSettings {
  alpha: number;
  l1Ratio: number;
  tol: number;
  maxIterations: number;
  positive: boolean;
  /** Duality gap to reach relative to ‖y‖² (default max(tol², 1e-12)); scikit-learn's rule is gap ≤ tol·‖y‖². */
  gapTolerance?: number;
}

export interface ElasticNetFit {
  /** Coordinate sweeps done (full and active-set). */
  iterations: number;
  /** The duality gap at the end, in the objective F's units (divided by n). */
  dualityGap: number;
  converged: boolean;
}

/** The smallest gap we ask for, relative to ‖y‖²: below it rounding dominates. */
const GAP_FLOOR = 1e-12;

/**
 * Solves the elastic net in place: `coefficients` is the warm start on entry
 * and the solution on exit. `h` (length p) is scratch for Q·b. `kernel`
 * false keeps the sweeps in JavaScript (the same numbers; for tests).
 */
export function elasticNetGram(
  problem: GramProblem,
  settings: ElasticNetSettings,
  coefficients: Float64Array,
  h: Float64Array = new Float64Array(problem.p),
  kernel = true,
): ElasticNetFit {
  const { gram, xty, p } = problem;
  const workspace = kernel && p >= SWEEP_KERNEL_MIN_P ? sweepWorkspace(gram, xty, p) : null;
  if (workspace === null) {
    const active = new Int32Array(p);
    const sweeper = (l1: number, l2: number, positive: boolean, all: boolean, count: number): number =>
      sweep(gram, xty, p, l1, l2, positive, coefficients, h, all ? null : active, count);
    return solve(problem, settings, coefficients, h, active, sweeper);
  }
  workspace.b.set(coefficients.subarray(0, p));
  const fit = solve(problem, settings, workspace.b, workspace.h, workspace.active, workspace.sweep);
  coefficients.set(workspace.b);
  h.set(workspace.h);
  return fit;
}

/**
 * Predictors from which `elasticNetGram` sweeps with the WebAssembly kernel
 * (same numbers, bit for bit); below it copying the problem in costs more.
 */
export const SWEEP_KERNEL_MIN_P = 16;

type Sweeper = (l1: number, l2: number, positive: boolean, all: boolean, count: number) => number;

/** The glmnet strategy of `elasticNetGram` on b, h = Q·b and an active-set buffer, sweeping with `sweeper`. */
function solve(
  problem: GramProblem,
  settings: ElasticNetSettings,
  b: Float64Array,
  h: Float64Array,
  active: Int32Array,
  sweeper: Sweeper,
): ElasticNetFit {
  const { gram, p, n, yty } = problem;
  const l1 = n * settings.alpha * settings.l1Ratio;
  const l2 = n * settings.alpha * (1 - settings.l1Ratio);
  const { tol, maxIterations, positive } = settings;
  const gapTolerance = (settings.gapTolerance ?? Math.max(tol * tol, GAP_FLOOR)) * yty;
  multiplyGram(gram, p, b, h);
  let iterations = 0;
  let gap = Number.POSITIVE_INFINITY;
  while (iterations < maxIterations) {
    const fullChange = sweeper(l1, l2, positive, true, p);
    iterations++;
    if (fullChange <= tol * maxAbs(b, p)) {
      gap = dualityGap(problem, l1, l2, positive, b, h);
      if (gap <= gapTolerance) return { iterations, dualityGap: gap / n, converged: true };
    }
    let size = 0;
    for (let j = 0; j < p; j++) if (b[j] !== 0) active[size++] = j;
    let signs = signPattern(b, active, size);
    let settled = 0;
    while (iterations < maxIterations) {
      const change = sweeper(l1, l2, positive, false, size);
      iterations++;
      if (change <= tol * maxAbs(b, p)) break;
      const now = signPattern(b, active, size);
      settled = now === signs ? settled + 1 : 0;
      signs = now;
      if (settled === POLISH_AFTER_SWEEPS && polish(problem, l1, l2, b, h, active, size)) break;
    }
  }
  gap = dualityGap(problem, l1, l2, positive, b, h);
  return { iterations, dualityGap: gap / n, converged: gap <= gapTolerance };
}

/**
 * Active-set sweeps with an unchanged sign pattern after which the solve
 * tries {@link polish}: by then the support is usually final, and one
 * linear solve replaces the hundreds of sweeps that coordinate descent
 * needs on correlated predictors to converge linearly to the same point.
 */
export const POLISH_AFTER_SWEEPS = 8;

/** A hash of the signs of b over the active indices (0 for zero), to notice a changed support. */
function signPattern(b: Float64Array, active: Int32Array, size: number): number {
  let hash = 0;
  for (let k = 0; k < size; k++) {
    const v = b[active[k]!]!;
    hash = (Math.imul(hash, 31) + (v > 0 ? 1 : v < 0 ? 2 : 3)) | 0;
  }
  return hash;
}

/**
 * The exact minimiser on the current support with its signs held fixed:
 * with A the non-zero coefficients and s their signs, the optimality
 * conditions restricted to A are the linear system
 *
 *     (Q_AA + l2·I)·b_A = q_A − l1·s_A
 *
 * (Osborne, Presnell & Turlach's active-set step). Accepted only when the
 * solution keeps every sign (then it is the optimum over that support and
 * sign pattern); b and h = Q·b are updated and true is returned. Otherwise,
 * or when Q_AA is numerically singular, nothing changes. Whether b is the
 * optimum of the whole problem is still decided by the caller's full sweep
 * and duality gap: coordinates outside A that violate their condition move
 * in that sweep.
 *
 * Reference: M. R. Osborne, B. Presnell, B. A. Turlach (2000), "A new
 * approach to variable selection in least squares problems", IMA J. Numer.
 * Anal. 20(3):389–403, §3.
 */
export function polish(
  problem: GramProblem,
  l1: number,
  l2: number,
  b: Float64Array,
  h: Float64Array,
  active: Int32Array,
  size: number,
): boolean {
  const { gram, xty, p } = problem;
  const support: number[] = [];
  for (let k = 0; k < size; k++) if (b[active[k]!] !== 0) support.push(active[k]!);
  const k = support.length;
  if (k === 0) return false;
  const system = new Float64Array(k * k);
  const solution = new Float64Array(k);
  support.forEach((i, r) => {
    for (let c = 0; c <= r; c++) system[r * k + c] = gram[i * p + support[c]!]!;
    system[r * k + r] += l2;
    solution[r] = xty[i]! - l1 * Math.sign(b[i]!);
  });
  if (choleskyInPlace(system, k, k) < k) return false;
  forwardSubstitute(system, k, k, solution);
  backSubstitute(system, k, k, solution);
  for (let r = 0; r < k; r++) if (solution[r]! * b[support[r]!]! <= 0) return false;
  support.forEach((i, r) => {
    b[i] = solution[r]!;
  });
  multiplyGram(gram, p, b, h);
  return true;
}

/** One coordinate sweep over `indices[0..count)` (all coordinates when null); returns max |δb_j|. */
export function sweep(
  gram: Float64Array,
  xty: Float64Array,
  p: number,
  l1: number,
  l2: number,
  positive: boolean,
  b: Float64Array,
  h: Float64Array,
  indices: Int32Array | null,
  count: number,
): number {
  let maxChange = 0;
  for (let k = 0; k < count; k++) {
    const j = indices === null ? k : indices[k]!;
    const row = j * p;
    const qjj = gram[row + j]!;
    if (qjj === 0) continue;
    const old = b[j]!;
    const z = xty[j]! - h[j]! + qjj * old;
    let next: number;
    if (positive) next = z > l1 ? (z - l1) / (qjj + l2) : 0;
    else if (z > l1) next = (z - l1) / (qjj + l2);
    else if (z < -l1) next = (z + l1) / (qjj + l2);
    else next = 0;
    const delta = next - old;
    if (delta !== 0) {
      b[j] = next;
      // Q is symmetric, so row j is column j: h += δ·Q[:, j].
      for (let i = 0; i < p; i++) h[i] += delta * gram[row + i]!;
      const magnitude = delta < 0 ? -delta : delta;
      if (magnitude > maxChange) maxChange = magnitude;
    }
  }
  return maxChange;
}

function maxAbs(x: Float64Array, count: number): number {
  let m = 0;
  for (let i = 0; i < count; i++) {
    const a = Math.abs(x[i]!);
    if (a > m) m = a;
  }
  return m;
}

/** out = Q·b, skipping the zero coefficients. */
export function multiplyGram(gram: Float64Array, p: number, b: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let j = 0; j < p; j++) {
    const bj = b[j]!;
    if (bj === 0) continue;
    const row = j * p;
    for (let i = 0; i < p; i++) out[i] += bj * gram[row + i]!;
  }
}

/** scikit-learn's duality gap of the n-scaled problem (see the module comment). */
function dualityGap(
  problem: GramProblem,
  l1: number,
  l2: number,
  positive: boolean,
  b: Float64Array,
  h: Float64Array,
): number {
  const { xty, p, yty } = problem;
  let bh = 0;
  let qb = 0;
  let bb = 0;
  let l1Norm = 0;
  let dualNorm = 0;
  for (let j = 0; j < p; j++) {
    const bj = b[j]!;
    bh += bj * h[j]!;
    qb += xty[j]! * bj;
    bb += bj * bj;
    l1Norm += Math.abs(bj);
    const xta = xty[j]! - h[j]! - l2 * bj;
    const norm = positive ? xta : Math.abs(xta);
    if (norm > dualNorm) dualNorm = norm;
  }
  const residualSquares = Math.max(0, yty + bh - 2 * qb);
  const yResidual = yty - qb;
  const scale = dualNorm > l1 ? l1 / dualNorm : 1;
  const gap =
    0.5 * residualSquares * (1 + scale * scale) +
    l1 * l1Norm -
    scale * yResidual +
    0.5 * l2 * (1 + scale * scale) * bb;
  return Math.max(0, gap);
}

/**
 * The smallest alpha at which every coefficient is zero:
 * alpha_max = max_j |x_jᵀy| / (n·l1Ratio) (max_j x_jᵀy with `positive`),
 * the start of scikit-learn's and glmnet's regularisation paths.
 *
 * @example alphaMax({ gram: new Float64Array([2]), xty: new Float64Array([2]), yty: 2, p: 1, n: 3 }, 1, false) // => 0.6666666666666666
 */
export function alphaMax(problem: GramProblem, l1Ratio: number, positive: boolean): number {
  let m = 0;
  for (let j = 0; j < problem.p; j++) {
    const v = positive ? problem.xty[j]! : Math.abs(problem.xty[j]!);
    if (v > m) m = v;
  }
  return m / (problem.n * Math.max(l1Ratio, 1e-3));
}
