import type { PortfolioMethod } from "../../numerics/portfolio/construction.js";
import type { CovarianceEstimator, MeanEstimator } from "../optimize/options.js";
import type { CommonOptions, InputKind } from "../shared/options.js";

/** `hftlab backtest`'s option defaults and parsed options. */
export type BacktestStrategyName = "meanrev" | "signals" | "optimize";

export const BACKTEST_DEFAULTS = {
  strategy: "meanrev" as BacktestStrategyName,
  delay: 1,
  costBps: 0,
  slippageBps: 0,
  borrowBps: 0,
  periodsPerYear: 252,
  lookback: 252,
  rebalance: 21,
};

export interface BacktestOptions extends CommonOptions {
  strategy: BacktestStrategyName;
  signals?: string;
  window: number;
  entry: number;
  exit: number;
  delay: number;
  allowSameBar: boolean;
  costBps: number;
  slippageBps: number;
  borrowBps: number;
  maxLeverage?: number;
  benchmark?: string;
  periodsPerYear: number;
  inputKind: InputKind;
  // optimize: the walk-forward's windows and optimize's own flags, passed through.
  lookback: number;
  rebalance: number;
  method: PortfolioMethod;
  mu: MeanEstimator;
  cov: CovarianceEstimator;
  halflife: number;
  longOnly?: boolean;
  allowShort?: boolean;
  minWeight?: number;
  maxWeight?: number;
  riskFree: number;
  targetReturn?: number;
  targetRisk?: number;
}
