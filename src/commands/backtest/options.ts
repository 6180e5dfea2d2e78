import type { AnnualisedOptions } from "../shared/periodsPerYear.js";
import type { PortfolioMethod } from "../../numerics/portfolio/construction.js";
import type { CovarianceEstimator, MeanEstimator } from "../optimize/options.js";
import type { EmOptions } from "../hmm/options.js";
import type { CommonOptions, InputKind } from "../shared/options.js";

/** `hftlab backtest`'s option defaults and parsed options. */
export type BacktestStrategyName = "meanrev" | "pairs" | "regime" | "optimize" | "signals";

export const BACKTEST_DEFAULTS = {
  strategy: "meanrev" as BacktestStrategyName,
  delay: 1,
  costBps: 0,
  slippageBps: 0,
  borrowBps: 0,
  lookback: 252,
  rebalance: 21,
  train: 252,
  refit: 0,
  states: 3,
};

export interface BacktestOptions extends CommonOptions, EmOptions, AnnualisedOptions {
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
  /** --report-window N: the report's rolling window (default: defaultRollingWindow). */
  reportWindow?: number;
  maxLeverage?: number;
  benchmark?: string;
  inputKind: InputKind;
  /** --trades: the list of trades in the JSON result. */
  trades: boolean;
  // pairs: the pair and whether its spread is of log prices (the window is --lookback).
  pair?: string[];
  log: boolean;
  // regime: the training bars, the refit interval (0: never), the positions per regime label.
  train: number;
  refit: number;
  positions?: [string, number][];
  long?: string[];
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
