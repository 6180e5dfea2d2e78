import type { CommonOptions, InputKind } from "../shared/options.js";

/** `hftlab backtest`'s option defaults and parsed options. */
export type BacktestStrategyName = "meanrev" | "signals";

export const BACKTEST_DEFAULTS = {
  strategy: "meanrev" as BacktestStrategyName,
  delay: 1,
  costBps: 0,
  slippageBps: 0,
  borrowBps: 0,
  periodsPerYear: 252,
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
}
