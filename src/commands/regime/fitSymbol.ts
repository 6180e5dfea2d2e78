import { numericalError } from "../../errors.js";
import { decodeGaussianHmm, type HmmFit, HmmFitError } from "../../numerics/hmm/gaussianHmm.js";
import type { GaussianHmm } from "../../numerics/hmm/model.js";
import type { HmmProblem } from "../../parallel/hmmPool.js";
import type { EmOptions } from "../hmm/options.js";

/**
 * One symbol's share of `regime`: the HMM problem of its returns, seeded by
 * `seed` and the symbol's column index (its PRNG stream is
 * `new Prng(seed).split(column)`), so its fit is the same on any thread.
 */
export function regimeProblem(
  returns: Float64Array,
  column: number,
  em: Pick<EmOptions, "states" | "init" | "restarts" | "maxIter" | "tol" | "minCovar">,
  seed: number,
): HmmProblem {
  return {
    x: returns,
    rows: returns.length,
    dimension: 1,
    options: {
      states: em.states,
      covariance: "full",
      init: em.init,
      restarts: em.restarts,
      maxIterations: em.maxIter,
      tolerance: em.tol,
      minCovar: em.minCovar,
    },
    seed,
    streams: [column],
  };
}

export interface RegimeFitResult {
  model: GaussianHmm;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** Viterbi path (HMM states). */
  path: Int32Array;
  /** The smoothed probabilities of the last row, one per state. */
  lastPosteriors: Float64Array;
  /** posteriors[t·K + s] of every row, when the job asked for them. */
  posteriors: Float64Array | null;
}

/**
 * The symbol's fit decoded: its Viterbi path and last smoothed probabilities.
 * @throws HftlabError (exit 4) naming the symbol when EM broke down or the model cannot decode
 */
export function decodeRegimeFit(
  returns: Float64Array,
  symbol: string,
  fit: HmmFit | Error,
  keepPosteriors: boolean,
): RegimeFitResult {
  if (fit instanceof HmmFitError) throw numericalError("hmm_breakdown", `${symbol}: ${fit.message}`);
  if (fit instanceof Error) throw fit;
  const rows = returns.length;
  const decoding = decodeGaussianHmm(returns, rows, fit.model);
  if (decoding === null)
    throw numericalError("hmm_decode", `${symbol}: the fitted model cannot decode the data`);
  const k = fit.model.states;
  return {
    model: fit.model,
    logLikelihood: fit.logLikelihood,
    iterations: fit.iterations,
    converged: fit.converged,
    path: decoding.path,
    lastPosteriors: decoding.posteriors.slice((rows - 1) * k, rows * k),
    posteriors: keepPosteriors ? decoding.posteriors : null,
  };
}
