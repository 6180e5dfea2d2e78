import type { AnnualisedOptions } from "../shared/periodsPerYear.js";
import type { ConventionsName } from "../../numerics/risk/conventions.js";
import type { ReturnKind } from "../../numerics/timeseries/returns.js";
import type { CommonOptions, InputKind } from "../shared/options.js";

/**
 * `hftlab risk`'s option defaults and parsed options, apart from the
 * command so that analysis.ts and results.ts read them without importing
 * the command back.
 */
export const RISK_DEFAULTS = {
  riskFree: 0,
  mar: 0,
  sharpeBenchmark: 0,
  confidence: [0.95, 0.99],
  ewmaLambda: 0.94,
  drawdowns: 5,
  compat: "hftlab" as ConventionsName,
};

export interface RiskOptions extends CommonOptions, AnnualisedOptions {
  weights?: string;
  benchmark?: string;
  riskFree: number;
  mar: number;
  sharpeBenchmark: number;
  confidence: number[];
  ewmaLambda: number;
  drawdowns: number;
  varBacktest?: number;
  rolling?: number;
  compat: ConventionsName;
  returns: ReturnKind;
  inputKind: InputKind;
}
