import type { AnnualisedOptions } from "../shared/periodsPerYear.js";
import type { PortfolioMethod } from "../../numerics/portfolio/construction.js";
import type { ReturnKind } from "../../numerics/timeseries/returns.js";
import type { CommonOptions, InputKind } from "../shared/options.js";

/**
 * `hftlab optimize`'s estimators, option defaults and parsed options, apart
 * from the command so that analysis.ts and results.ts read them without
 * importing the command back.
 */

export type CovarianceEstimator = "sample" | "ledoit-wolf" | "ewma";
export type MeanEstimator = "mean" | "ewma";

export const OPTIMIZE_DEFAULTS = {
  method: "min-variance" as PortfolioMethod,
  mu: "mean" as MeanEstimator,
  cov: "sample" as CovarianceEstimator,
  halflife: 60,
  riskFree: 0,
  points: 20,
};

export interface OptimizeOptions extends CommonOptions, AnnualisedOptions {
  method: PortfolioMethod;
  mu: MeanEstimator;
  cov: CovarianceEstimator;
  halflife: number;
  longOnly?: boolean;
  allowShort?: boolean;
  minWeight?: number;
  maxWeight?: number;
  targetReturn?: number;
  targetRisk?: number;
  riskFree: number;
  points: number;
  returns: ReturnKind;
  inputKind: InputKind;
}
