import { periodsPerYearParams } from "../shared/periodsPerYear.js";
import { HFTLAB_CONVENTIONS } from "../../numerics/risk/conventions.js";
import { type SeriesRisk, seriesRisk } from "../../numerics/risk/seriesRisk.js";
import { finiteOrNull } from "../../output/json.js";
import { sharedParams } from "../shared/commandRun.js";
import { drawdownJson, levelKey } from "../risk/results.js";
import { labelsFor } from "../../numerics/hmm/regimes.js";
import { type BacktestAnalysis, regimePositions } from "./analysis.js";
import type { BacktestOptions } from "./options.js";

/**
 * `hftlab backtest`'s params and result: the strategy's statistics through
 * `numerics/risk` (the functions of `risk`, hftlab's conventions), turnover,
 * costs, exposure and trades, beside the benchmark's statistics.
 */

const CONFIDENCES = [0.95, 0.99];

export function backtestParams(options: BacktestOptions): Record<string, unknown> {
  return {
    strategy: options.strategy,
    signals: options.signals ?? null,
    window: options.window,
    entry: options.entry,
    exit: options.exit,
    delay: options.delay,
    allowSameBar: options.allowSameBar,
    costBps: options.costBps,
    slippageBps: options.slippageBps,
    borrowBps: options.borrowBps,
    maxLeverage: options.maxLeverage ?? null,
    benchmark: options.benchmark ?? null,
    ...periodsPerYearParams(options),
    trades: options.trades,
    reportWindow: options.reportWindow ?? null,
    ...strategyParams(options),
    ...sharedParams(options),
  };
}

/** The flags of the chosen strategy only (meanrev's are always there: --window/--entry/--exit). */
function strategyParams(options: BacktestOptions): Record<string, unknown> {
  switch (options.strategy) {
    case "pairs":
      return { pair: options.pair, log: options.log, lookback: options.lookback };
    case "regime": {
      const positions = regimePositions(options);
      return {
        train: options.train,
        refit: options.refit,
        states: options.states,
        positions: Object.fromEntries(labelsFor(options.states).map((label, r) => [label, positions[r]])),
        init: options.init,
        restarts: options.restarts,
        maxIter: options.maxIter,
        tol: options.tol,
        minCovar: options.minCovar,
      };
    }
    case "optimize":
      return {
        lookback: options.lookback,
        rebalance: options.rebalance,
        method: options.method,
        mu: options.mu,
        cov: options.cov,
        halflife: options.halflife,
        longOnly: options.longOnly ?? false,
        allowShort: options.allowShort ?? false,
        minWeight: options.minWeight ?? null,
        maxWeight: options.maxWeight ?? null,
        riskFree: options.riskFree,
        targetReturn: options.targetReturn ?? null,
        targetRisk: options.targetRisk ?? null,
      };
    default:
      return {};
  }
}

function statsOf(net: Float64Array, analysis: BacktestAnalysis, options: BacktestOptions) {
  const scratch = new Float64Array(net.length);
  const risk: SeriesRisk = seriesRisk(
    net,
    {
      periodsPerYear: options.periodsPerYear,
      riskFree: 0,
      mar: 0,
      sharpeBenchmark: 0,
      confidences: CONFIDENCES,
      ewmaLambda: 0.94,
      drawdowns: 5,
      kind: "simple",
      missingRows: 0,
      conventions: HFTLAB_CONVENTIONS,
    },
    scratch,
  );
  // Wealth position p is the close of price row p: the first return is bar 1's.
  const time = analysis.levelTime;
  const last = net.length;
  const byLevel = (values: number[]) =>
    Object.fromEntries(CONFIDENCES.map((c, k) => [levelKey(c), finiteOrNull(values[k]!)]));
  return {
    observations: risk.observations,
    totalReturn: finiteOrNull(risk.totalReturn),
    cagr: finiteOrNull(risk.cagr),
    annualReturn: finiteOrNull(risk.annualReturn),
    volatility: finiteOrNull(risk.volatility),
    sharpe: finiteOrNull(risk.sharpe),
    sortino: finiteOrNull(risk.sortino),
    calmar: finiteOrNull(risk.calmar),
    omega: finiteOrNull(risk.omega),
    tailRatio: finiteOrNull(risk.tailRatio),
    skew: finiteOrNull(risk.skew),
    kurtosis: finiteOrNull(risk.kurtosis),
    probabilisticSharpe: finiteOrNull(risk.probabilisticSharpe),
    maxDrawdown: risk.maxDrawdown === null ? null : drawdownJson(risk.maxDrawdown, time, last),
    drawdowns: risk.drawdowns.map((episode) => drawdownJson(episode, time, last)),
    var: {
      historical: byLevel(risk.valueAtRisk.historical),
      gaussian: byLevel(risk.valueAtRisk.gaussian),
      cornishFisher: byLevel(risk.valueAtRisk.cornishFisher),
      ewma: byLevel(risk.valueAtRisk.ewma),
    },
    es: {
      historical: byLevel(risk.expectedShortfall.historical),
      gaussian: byLevel(risk.expectedShortfall.gaussian),
      cornishFisher: byLevel(risk.expectedShortfall.cornishFisher),
      ewma: byLevel(risk.expectedShortfall.ewma),
    },
  };
}

function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function sum(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}

export function backtestResult(analysis: BacktestAnalysis, options: BacktestOptions) {
  const { run } = analysis;
  const trades = run.trades;
  return {
    strategy: options.strategy,
    stats: statsOf(run.net, analysis, options),
    turnover: finiteOrNull(options.periodsPerYear * mean(run.traded)),
    costs: finiteOrNull(sum(run.cost)),
    exposure: { gross: finiteOrNull(mean(run.grossExposure)), net: finiteOrNull(mean(run.netExposure)) },
    trades: {
      count: trades.count,
      hitRate: trades.count === 0 ? null : trades.wins / trades.count,
      averageReturn: trades.count === 0 ? null : trades.returnSum / trades.count,
      averageBars: trades.count === 0 ? null : trades.barsSum / trades.count,
      ...(run.tradeList === null ? {} : { list: tradeListJson(analysis) }),
    },
    leverageCapped: run.leverageCapped,
    benchmark: { name: analysis.benchmark.name, stats: statsOf(analysis.benchmark.net, analysis, options) },
  };
}

export type BacktestResult = ReturnType<typeof backtestResult>;

/** --trades: {symbol, side, entry, exit, bars, return} per trade, in the order they closed. */
function tradeListJson(analysis: BacktestAnalysis) {
  const { frame } = analysis;
  return analysis.run.tradeList!.map((trade) => ({
    symbol: frame.symbols[trade.symbol]!,
    side: trade.side === 1 ? "long" : "short",
    entry: analysis.levelTime(trade.entryRow),
    exit: trade.exitRow < 0 ? null : analysis.levelTime(trade.exitRow),
    bars: trade.bars,
    return: finiteOrNull(trade.return),
  }));
}

/** Per bar 1..n−1: {time, equity, return, cost, gross, net, drawdown, weights: {SYM: w}}. */
export function* backtestRows(analysis: BacktestAnalysis): Generator<string> {
  const { run, frame } = analysis;
  const symbols = frame.symbols.map((s) => JSON.stringify(s));
  let high = 1;
  let line = "";
  for (let row = 0; row < run.net.length; row++) {
    const equity = run.equity[row]!;
    if (equity > high) high = equity;
    const weights = symbols
      .map((s, i) => `${s}:${JSON.stringify(finiteOrNull(run.weights![i]![row]!))}`)
      .join(",");
    line += `{"time":${JSON.stringify(analysis.barTimes.at(row))},"equity":${num(equity)},"return":${num(run.net[row]!)},"cost":${num(run.cost[row]!)},"gross":${num(run.grossExposure[row]!)},"net":${num(run.netExposure[row]!)},"drawdown":${num(equity / high - 1)},"weights":{${weights}}}\n`;
    if (line.length > 1 << 18) {
      yield line;
      line = "";
    }
  }
  if (line.length > 0) yield line;
}

function num(x: number): string {
  return JSON.stringify(finiteOrNull(x));
}
