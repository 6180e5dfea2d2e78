import { badModel, type NamedHmm, parseModelFile, readModelFile } from "../../io/files/hmmModelFile.js";
import { emissionFactors } from "../../numerics/hmm/gaussianEmission.js";

/**
 * HMM model files as `hmm --model` and `stream --model` load them: the
 * file's own checks (src/io/files/hmmModelFile.ts), then positive-definite
 * covariances, which take a Cholesky factorisation per state. Any violation
 * is exit 3 with what is wrong.
 */

/** Throws the model file's error if a state's covariance is not positive definite. */
function checkPositiveDefinite(named: NamedHmm, file: string): NamedHmm {
  const factors = emissionFactors(named.model);
  if ("notPositiveDefinite" in factors)
    throw badModel(`"covars"[${factors.notPositiveDefinite}] is not positive definite`, file);
  return named;
}

/** Parses and validates the text of a model file. */
export function parseModel(text: string, file: string): NamedHmm {
  return checkPositiveDefinite(parseModelFile(text, file), file);
}

/** Reads and validates a model file. */
export async function loadModel(path: string): Promise<NamedHmm> {
  return checkPositiveDefinite(await readModelFile(path), path);
}
