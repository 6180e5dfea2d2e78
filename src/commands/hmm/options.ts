import { type Command, InvalidArgumentError, Option } from "commander";
import type { HmmInit } from "../../numerics/hmm/gaussianHmm.js";
import type { CovarianceType } from "../../numerics/hmm/model.js";
import { parseInteger, parseNumber } from "../shared/options.js";

/** Defaults of the EM options shared by `hmm` and `regime` (SPEC §2). */
export const HMM_DEFAULTS = {
  covariance: "full" as CovarianceType,
  init: "kmeans" as HmmInit,
  restarts: 10,
  maxIter: 500,
  tol: 1e-8,
  minCovar: 1e-6,
};

export interface EmOptions {
  states: number;
  init: HmmInit;
  restarts: number;
  maxIter: number;
  tol: number;
  minCovar: number;
}

/** --init, --restarts, --max-iter, --tol, --min-covar. */
export function addEmOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--init <method>", "starting values: k-means clusters, or random rows")
        .choices(["kmeans", "random"])
        .default(HMM_DEFAULTS.init),
    )
    .option(
      "--restarts <n>",
      "independent starts (seeded); the best log-likelihood wins",
      parseInteger("--restarts", 1, 10_000),
      HMM_DEFAULTS.restarts,
    )
    .option(
      "--max-iter <n>",
      "EM iterations at most (per restart)",
      parseInteger("--max-iter", 0, 10_000_000),
      HMM_DEFAULTS.maxIter,
    )
    .option(
      "--tol <x>",
      "stop when the log-likelihood changes by less than this; 0 runs exactly --max-iter iterations",
      parseNumber("--tol", (x) => (x >= 0 ? undefined : "must be 0 or more.")),
      HMM_DEFAULTS.tol,
    )
    .option(
      "--min-covar <x>",
      "variance floor relative to each feature's variance",
      parseNumber("--min-covar", (x) => (x > 0 && x < 1 ? undefined : "must be in (0, 1).")),
      HMM_DEFAULTS.minCovar,
    );
}

/** `--select 1..K` (or `--select K`, meaning 1..K): the range of state counts compared by BIC. */
export function parseStateRange(text: string): [number, number] {
  const match = /^\s*(?:(\d+)\s*\.\.\s*)?(\d+)\s*$/.exec(text);
  if (!match) throw new InvalidArgumentError("--select takes a range such as 1..4 (or 4).");
  const from = match[1] === undefined ? 1 : Number(match[1]);
  const to = Number(match[2]);
  if (from < 1 || to < from || to > 50)
    throw new InvalidArgumentError("--select needs 1 <= from <= to <= 50.");
  return [from, to];
}
