import type { ReturnKind } from "../../numerics/timeseries/returns.js";
import type { CommonOptions, InputKind } from "../shared/options.js";

/**
 * `hftlab sparse`'s methods, option defaults and parsed options, apart from the command so that results.ts can read them without importing the command back.
 */

export type SparseMethod = "lasso" | "elastic-net" | "greedy" | "sparse-pca";

export const SPARSE_DEFAULTS = {
  method: "lasso" as SparseMethod,
  elasticNetL1Ratio: 0.5,
  tol: 1e-8,
  maxIter: 100_000,
  cvFolds: 5,
  nAlphas: 100,
  eps: 1e-3,
  k: 3,
  components: 1,
};

export interface SparseOptions extends CommonOptions {
  method: SparseMethod;
  target?: string;
  alpha?: number;
  l1Ratio?: number;
  tol: number;
  maxIter: number;
  standardize: boolean;
  cv?: number;
  nAlphas: number;
  eps: number;
  positive: boolean;
  k?: number;
  components: number;
  returns: ReturnKind;
  inputKind: InputKind;
}
