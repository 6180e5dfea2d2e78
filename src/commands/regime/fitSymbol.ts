import { numericalError } from "../../errors.js";
import { decodeGaussianHmm, fitGaussianHmm, HmmFitError } from "../../numerics/hmm/gaussianHmm.js";
import type { GaussianHmm } from "../../numerics/hmm/model.js";
import { Prng } from "../../numerics/random/prng.js";
import type { EmOptions } from "../hmm/options.js";

/**
 * One symbol's share of `regime`: the HMM fit of its returns and the
 * decoding, a function of the job alone (seeded by `seed` and the symbol's
 * column index, as always), so it gives the same bytes on the main thread
 * and on any worker.
 */
export interface RegimeJob {
  returns: Float64Array;
  symbol: string;
  /** The symbol's column: its PRNG stream is `new Prng(seed).split(column)`. */
  column: number;
  em: Pick<EmOptions, "states" | "init" | "restarts" | "maxIter" | "tol" | "minCovar">;
  seed: number;
  /** Keep every row's smoothed probabilities (for --report), not only the last row's. */
  keepPosteriors: boolean;
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

/** @throws HftlabError (exit 4) naming the symbol when EM breaks down or the model cannot decode */
export function fitRegimeSymbol(job: RegimeJob): RegimeFitResult {
  const { returns: x, symbol, em } = job;
  const rows = x.length;
  let fit: ReturnType<typeof fitGaussianHmm>;
  try {
    fit = fitGaussianHmm(x, rows, 1, {
      states: em.states,
      covariance: "full",
      init: em.init,
      restarts: em.restarts,
      maxIterations: em.maxIter,
      tolerance: em.tol,
      minCovar: em.minCovar,
      rng: new Prng(job.seed).split(job.column),
    });
  } catch (error) {
    if (error instanceof HmmFitError) throw numericalError("hmm_breakdown", `${symbol}: ${error.message}`);
    throw error;
  }
  const decoding = decodeGaussianHmm(x, rows, fit.model);
  if (decoding === null)
    throw numericalError("hmm_decode", `${symbol}: the fitted model cannot decode the data`);
  const k = em.states;
  return {
    model: fit.model,
    logLikelihood: fit.logLikelihood,
    iterations: fit.iterations,
    converged: fit.converged,
    path: decoding.path,
    lastPosteriors: decoding.posteriors.slice((rows - 1) * k, rows * k),
    posteriors: job.keepPosteriors ? decoding.posteriors : null,
  };
}
