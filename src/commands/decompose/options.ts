import type { ReturnKind } from "../../numerics/timeseries/returns.js";
import type { CommonOptions, InputKind } from "../shared/options.js";

/**
 * `hftlab decompose`'s methods, option defaults and parsed options, apart from the command so that results.ts can read them without importing the command back.
 */

export type DecomposeMethod = "pcp" | "box-tiao";

export const DECOMPOSE_DEFAULTS = {
  method: "pcp" as DecomposeMethod,
  tol: 1e-7,
  /** SPEC: the objective within 1e-6 relative of the optimum. */
  gapTolerance: 1e-6,
  maxIter: 1000,
  top: 20,
};

/**
 * The pcp options carry no commander default (theirs are in
 * DECOMPOSE_DEFAULTS and in --help), so that undefined means "not given" and
 * box-tiao can refuse them instead of ignoring them.
 */
export interface DecomposeOptions extends CommonOptions {
  method: DecomposeMethod;
  lambda?: number;
  tol?: number;
  maxIter?: number;
  top?: number;
  outLowRank?: string;
  outSparse?: string;
  returns: ReturnKind;
  inputKind: InputKind;
}
