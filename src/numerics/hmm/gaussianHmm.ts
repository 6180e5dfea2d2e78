import { emissionFactors, logEmissions, scaledEmissions } from "./gaussianEmission.js";
import { forwardBackward, forwardBackwardWork } from "./forwardBackward.js";
import { featureVariances, maximisationWork, maximise } from "./maximisation.js";
import { initialModel } from "./initialisation.js";
import {
  type CovarianceType,
  type GaussianHmm,
  informationCriteria,
  orderByFirstMean,
  parameterCount,
  permuteStates,
} from "./model.js";
import type { Prng } from "../random/prng.js";
import { logOf, viterbi } from "./viterbi.js";

export type HmmInit = "kmeans" | "random";

export interface HmmFitOptions {
  states: number;
  covariance: CovarianceType;
  init: HmmInit;
  /** Number of independent starts; the best final log-likelihood wins. */
  restarts: number;
  maxIterations: number;
  /** Stop when |ℓ_i − ℓ_{i−1}| < tol; 0 runs exactly `maxIterations` M-steps. */
  tolerance: number;
  /** Variance floor relative to each feature's variance. */
  minCovar: number;
  rng: Prng;
}

export interface HmmFit {
  /** The fitted model, states ordered by ascending mean of the first feature. */
  model: GaussianHmm;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** Index of the winning restart, and every restart's final log-likelihood (null: it failed). */
  bestRestart: number;
  restartLogLikelihoods: (number | null)[];
}

/** Thrown when no restart produced a finite log-likelihood. */
export class HmmFitError extends Error {}

/**
 * Maximum-likelihood Gaussian HMM by Baum–Welch (EM) with restarts.
 *
 * Method: each restart r starts from its own PRNG stream `rng.split(r)`
 * (k-means++/Lloyd clusters, or random rows as means), then alternates the
 * scaled forward–backward E-step and the closed-form M-step (see `maximise`)
 * until the log-likelihood changes by less than `tolerance` or
 * `maxIterations` M-steps were made. The reported log-likelihood is that of
 * the returned parameters (one E-step after the last M-step). Restarts that
 * break down (a non-finite likelihood) are skipped.
 *
 * References: L. E. Baum, T. Petrie, G. Soules, N. Weiss (1970), Ann. Math.
 * Statist. 41(1), 164–171, doi:10.1214/aoms/1177697196; Rabiner (1989).
 *
 * @param x observations, T×d row-major
 * @example
 * fitGaussianHmm(x, 1000, 1, { states: 2, covariance: "full", init: "kmeans", restarts: 10,
 *   maxIterations: 500, tolerance: 1e-8, minCovar: 1e-6, rng: new Prng(42) }).model.means
 */
export function fitGaussianHmm(
  x: Float64Array,
  rows: number,
  dimension: number,
  options: HmmFitOptions,
): HmmFit {
  const restarts: RestartFit[] = [];
  for (let r = 0; r < options.restarts; r++) restarts.push(fitRestart(x, rows, dimension, options, r));
  return bestOfRestarts(restarts);
}

/** One start's EM: its final model (states in EM's order), log-likelihood (NaN: it broke down) and iterations. */
export interface RestartFit {
  model: GaussianHmm;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/**
 * Restart `restart` of `fitGaussianHmm` alone, from its own PRNG stream
 * `options.rng.split(restart)`: a function of its arguments, so restarts can
 * run on any thread in any order and `bestOfRestarts` still picks the same fit.
 */
export function fitRestart(
  x: Float64Array,
  rows: number,
  dimension: number,
  options: Omit<HmmFitOptions, "restarts">,
  restart: number,
): RestartFit {
  const k = options.states;
  const floor = featureVariances(x, rows, dimension).map((v) => v * options.minCovar);
  const scaled = new Float64Array(rows * k);
  const rowLogScale = new Float64Array(rows);
  const work = forwardBackwardWork(rows, k);
  const mWork = maximisationWork(k, dimension);
  const model = initialModel(
    x,
    rows,
    dimension,
    options,
    restart,
    floor,
    options.rng.split(restart),
    work.posteriors,
    work.transitionCounts,
  );
  let ll = Number.NaN;
  let previous = Number.NaN;
  let iterations = 0;
  let converged = false;
  for (;;) {
    const factors = emissionFactors(model);
    if ("notPositiveDefinite" in factors) {
      ll = Number.NaN;
      break;
    }
    scaledEmissions(x, rows, model, factors, scaled, rowLogScale);
    ll = forwardBackward(scaled, rowLogScale, rows, k, model.startProb, model.transmat, work);
    if (!Number.isFinite(ll)) break;
    if (iterations > 0 && Math.abs(ll - previous) < options.tolerance) {
      converged = true;
      break;
    }
    if (iterations >= options.maxIterations) break;
    maximise(x, rows, model, work.posteriors, work.transitionCounts, floor, mWork);
    previous = ll;
    iterations++;
  }
  return { model, logLikelihood: ll, iterations, converged };
}

/**
 * The fit of the restarts in restart order: the first with the highest
 * finite log-likelihood wins, its states ordered by the first feature's mean.
 * @throws HmmFitError when every restart broke down
 */
export function bestOfRestarts(restarts: RestartFit[]): HmmFit {
  let best = -1;
  for (let r = 0; r < restarts.length; r++) {
    const ll = restarts[r]!.logLikelihood;
    if (Number.isFinite(ll) && (best < 0 || ll > restarts[best]!.logLikelihood)) best = r;
  }
  if (best < 0) {
    throw new HmmFitError(`every one of the ${restarts.length} restarts broke down (non-finite likelihood)`);
  }
  const winner = restarts[best]!;
  return {
    model: permuteStates(winner.model, orderByFirstMean(winner.model)),
    logLikelihood: winner.logLikelihood,
    iterations: winner.iterations,
    converged: winner.converged,
    bestRestart: best,
    restartLogLikelihoods: restarts.map((r) => (Number.isFinite(r.logLikelihood) ? r.logLikelihood : null)),
  };
}

export interface HmmDecoding {
  /** Forward (marginal) log-likelihood ln p(x | model). */
  logLikelihood: number;
  /** Smoothed posteriors P(s_t = k | x), T×K. */
  posteriors: Float64Array;
  /** Viterbi path. */
  path: Int32Array;
  /** ln p(x, path) of the Viterbi path. */
  pathLogProbability: number;
}

/**
 * Everything a fitted (or loaded) model says about data: the forward
 * log-likelihood, smoothed posteriors and the Viterbi path. Returns null when
 * a covariance is not positive definite.
 */
export function decodeGaussianHmm(x: Float64Array, rows: number, model: GaussianHmm): HmmDecoding | null {
  const k = model.states;
  const factors = emissionFactors(model);
  if ("notPositiveDefinite" in factors) return null;
  const logB = new Float64Array(rows * k);
  logEmissions(x, rows, model, factors, logB);
  const path = new Int32Array(rows);
  const pathLogProbability = viterbi(logB, rows, k, logOf(model.startProb), logOf(model.transmat), path);
  const scaled = new Float64Array(rows * k);
  const rowLogScale = new Float64Array(rows);
  for (let t = 0; t < rows; t++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < k; s++) if (logB[t * k + s]! > max) max = logB[t * k + s]!;
    rowLogScale[t] = max;
    for (let s = 0; s < k; s++) scaled[t * k + s] = Math.exp(logB[t * k + s]! - max);
  }
  const work = forwardBackwardWork(rows, k);
  const logLikelihood = forwardBackward(scaled, rowLogScale, rows, k, model.startProb, model.transmat, work);
  return { logLikelihood, posteriors: work.posteriors, path, pathLogProbability };
}

export interface StateSelection {
  states: number;
  logLikelihood: number;
  aic: number;
  bic: number;
}

/**
 * Fits K = from..to states and returns every candidate's criteria and the
 * fit with the smallest BIC (ties: fewer states).
 */
export function selectStatesByBic(
  x: Float64Array,
  rows: number,
  dimension: number,
  from: number,
  to: number,
  options: Omit<HmmFitOptions, "states">,
): { fit: HmmFit; candidates: StateSelection[] } {
  const fits: HmmFit[] = [];
  for (let states = from; states <= to; states++)
    fits.push(fitGaussianHmm(x, rows, dimension, { ...options, states }));
  return selectByBic(fits, from, dimension, options.covariance, rows);
}

/** Of fits with from, from + 1, … states: every candidate's criteria and the one with the smallest BIC (ties: fewer states). */
export function selectByBic(
  fits: HmmFit[],
  from: number,
  dimension: number,
  covariance: CovarianceType,
  rows: number,
): { fit: HmmFit; candidates: StateSelection[] } {
  let bestFit: HmmFit | null = null;
  let bestBic = Number.POSITIVE_INFINITY;
  const candidates: StateSelection[] = [];
  fits.forEach((fit, i) => {
    const states = from + i;
    const p = parameterCount(states, dimension, covariance);
    const { aic, bic } = informationCriteria(fit.logLikelihood, p, rows);
    candidates.push({ states, logLikelihood: fit.logLikelihood, aic, bic });
    if (bic < bestBic) {
      bestBic = bic;
      bestFit = fit;
    }
  });
  return { fit: bestFit!, candidates };
}
