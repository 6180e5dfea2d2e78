import { inputError, numericalError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import type { HmmFit } from "../../numerics/hmm/gaussianHmm.js";
import type { EmOptions } from "./options.js";
import type { CommonOptions } from "../shared/options.js";
import { type CommandRun, checkFinite } from "../shared/commandRun.js";

/**
 * The checks `hftlab hmm` and `hftlab regime` share on the data they fit and
 * on the fit itself.
 */

/** Rejects data an HMM cannot be fitted to (exit 3). */
export function checkFeatures(frame: Frame, states: number): void {
  const rows = frame.time.length;
  if (rows < Math.max(2, 2 * states)) {
    throw inputError(
      "too_few_rows",
      `too few rows for ${states} states: ${rows} (at least ${Math.max(2, 2 * states)} needed)`,
      { file: frame.source },
    );
  }
  checkFinite(frame);
  frame.columns.forEach((column, j) => {
    if (column.every((v) => v === column[0])) {
      throw inputError(
        "constant_feature",
        `${frame.symbols[j]} is constant: a Gaussian HMM needs variation`,
        {
          file: frame.source,
        },
      );
    }
  });
}

export function checkConvergence(
  fit: Pick<HmmFit, "converged" | "iterations">,
  options: EmOptions & CommonOptions,
  run: CommandRun,
  symbol?: string,
): void {
  if (fit.converged || options.tol === 0) return;
  const message = `${symbol === undefined ? "" : `${symbol}: `}EM did not converge in ${fit.iterations} iterations (log-likelihood change still >= --tol ${options.tol})`;
  if (options.strict) throw numericalError("no_convergence", message, "raise --max-iter or --tol");
  run.warn(message);
}
