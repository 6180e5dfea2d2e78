import type { Frame } from "../../io/frame.js";
import type { NamedHmm } from "../../io/files/hmmModelFile.js";
import type { HmmDecoding, HmmFit, StateSelection } from "../../numerics/hmm/gaussianHmm.js";
import type { CovarianceType } from "../../numerics/hmm/model.js";

/**
 * The shapes `hftlab hmm` computes and writes: what the command hands its report,
 * and the `result` object of its JSON envelope. Kept apart from the command
 * so that the report reads them without importing the command back.
 */

export interface HmmResult {
  states: number;
  features: string[];
  covariance: CovarianceType;
  logLikelihood: number | null;
  aic: number | null;
  bic: number | null;
  iterations: number;
  converged: boolean | null;
  restarts: { best: number; logLikelihoods: (number | null)[] } | null;
  selection?: StateSelection[];
  startProb: number[];
  transmat: number[][];
  means: number[][];
  covars: number[][][];
  stationary: (number | null)[];
  expectedDurations: (number | null)[];
  viterbiLogProbability: number | null;
  path: number[];
  posteriors?: number[][];
}

/** What the command computed, for the JSON result and the human report. */
export interface HmmAnalysis {
  frame: Frame;
  named: NamedHmm;
  fit: HmmFit | null;
  selection?: StateSelection[];
  decoding: HmmDecoding;
}
