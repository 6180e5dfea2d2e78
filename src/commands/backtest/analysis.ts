import { inputError } from "../../errors.js";
import { type Frame, TimeColumn } from "../../io/frame.js";
import { OptimizeStrategy } from "../../numerics/backtest/optimizeStrategy.js";
import { analyse, weightBounds } from "../optimize/analysis.js";
import { OPTIMIZE_DEFAULTS, type OptimizeOptions } from "../optimize/options.js";
import type { CommandRun } from "../shared/commandRun.js";
import { type BacktestRun, buyAndHoldReturns, runBacktest } from "../../numerics/backtest/engine.js";
import { MeanrevStrategy } from "../../numerics/backtest/meanrevStrategy.js";
import { SignalsStrategy } from "../../numerics/backtest/signalsStrategy.js";
import { PrefixView, type Strategy } from "../../numerics/backtest/strategy.js";
import { checkPositivePrices } from "../shared/returnsFrame.js";
import type { BacktestOptions } from "./options.js";

/**
 * `hftlab backtest`'s recipe below the command: the prices a strategy may
 * see (a PrefixView), each symbol's per-bar returns, the strategy, and the
 * runs of the strategy and of its benchmark through the one engine.
 */
export interface BacktestAnalysis {
  frame: Frame;
  run: BacktestRun;
  /** The benchmark's per-bar returns: weights bought at bar 0 and left to drift. */
  benchmark: { name: string; net: Float64Array };
}

/** The price levels the engine and the strategies read: the prices, or a returns file's wealth index. */
function levelsOf(frame: Frame, inputKind: "prices" | "returns"): Float64Array[] {
  const n = frame.time.length;
  if (inputKind === "prices") {
    checkPositivePrices(frame, "backtest");
    return frame.columns;
  }
  return frame.columns.map((column) => {
    // A returns file: row t's return is bar t's (row 0's is not used), compounded into a level.
    const level = new Float64Array(n);
    let w = 1;
    for (let t = 0; t < n; t++) {
      if (t > 0) w *= 1 + column[t]!;
      level[t] = w;
    }
    return level;
  });
}

export function analyseBacktest(
  frame: Frame,
  options: BacktestOptions,
  signals: Frame | null,
  keepWeights: boolean,
  reporter: Pick<CommandRun, "warn">,
): BacktestAnalysis {
  const n = frame.time.length;
  if (n < 3)
    throw inputError("too_few_rows", `backtest needs at least 3 rows, found ${n}`, { file: frame.source });
  if (options.strategy === "meanrev" && n < options.window) {
    throw inputError(
      "too_few_rows",
      `too few rows for the window: ${n} rows, --window ${options.window}`,
      { file: frame.source },
      "use a shorter --window or a longer file",
    );
  }
  const levels = levelsOf(frame, options.inputKind);
  if (options.strategy === "optimize" && n <= options.lookback) {
    throw inputError(
      "too_few_rows",
      `--lookback ${options.lookback} needs more than ${options.lookback} rows, found ${n}`,
      { file: frame.source },
      "use a shorter --lookback",
    );
  }
  const strategy: Strategy =
    options.strategy === "meanrev"
      ? new MeanrevStrategy(frame.symbols.length, options.window, options.entry, options.exit)
      : options.strategy === "signals"
        ? signalsFor(frame, signals!)
        : optimizeStrategy(frame, options, reporter);
  const settings = {
    delay: options.delay,
    costRate: (options.costBps + options.slippageBps) / 1e4,
    borrowPerBar: options.borrowBps / 1e4 / options.periodsPerYear,
    maxLeverage: options.maxLeverage ?? Number.POSITIVE_INFINITY,
  };
  const run = runBacktest(levels, new PrefixView(levels), strategy, settings, keepWeights);
  const benchmarkIndex = options.benchmark === undefined ? -1 : frame.symbols.indexOf(options.benchmark);
  const k = frame.symbols.length;
  const benchmarkWeights = frame.symbols.map((_, j) =>
    benchmarkIndex < 0 ? 1 / k : j === benchmarkIndex ? 1 : 0,
  );
  return {
    frame,
    run,
    benchmark: {
      name: options.benchmark ?? "buy-and-hold equal weight",
      net: buyAndHoldReturns(levels, benchmarkWeights),
    },
  };
}

/**
 * The walk-forward: each rebalance's weights are `optimize`'s own analysis
 * of the window's returns (its flags passed through). Its warnings (an
 * ill-conditioned window, say) are reported once each, with a count.
 */
function optimizeStrategy(
  frame: Frame,
  options: BacktestOptions,
  run: Pick<CommandRun, "warn">,
): OptimizeStrategy {
  const optimizeOptions: OptimizeOptions = {
    ...options,
    returns: "simple",
    points: OPTIMIZE_DEFAULTS.points,
  };
  const bounds = weightBounds(optimizeOptions, frame.symbols.length);
  const seen = new Map<string, number>();
  const collector = {
    warn(message: string) {
      seen.set(message, (seen.get(message) ?? 0) + 1);
      if (seen.get(message) === 1) run.warn(`walk-forward: ${message}`);
    },
  };
  const time = TimeColumn.fromStrings(new Array<string>(options.lookback).fill(""));
  return new OptimizeStrategy(options.lookback, options.rebalance, (columns) => {
    const window: Frame = {
      source: frame.source,
      timeName: frame.timeName,
      time,
      symbols: frame.symbols,
      columns,
      droppedRows: 0,
    };
    return analyse(window, optimizeOptions, bounds, collector).outcome.w;
  });
}

/** The signals file's targets on the price rows: every time must be a price time, every symbol a price column. */
function signalsFor(frame: Frame, signals: Frame): SignalsStrategy {
  const rowOf = new Map<string, number>();
  for (let t = 0; t < frame.time.length; t++) rowOf.set(frame.time.at(t), t);
  const targets = frame.symbols.map(() => new Float64Array(frame.time.length));
  const hasRow = new Uint8Array(frame.time.length);
  const columnOf = signals.symbols.map((symbol) => {
    const j = frame.symbols.indexOf(symbol);
    if (j < 0) {
      throw inputError(
        "unknown_signal_symbol",
        `the signals name ${symbol}, which is not a column of ${frame.source}`,
        { file: signals.source },
        `price columns: ${frame.symbols.join(", ")}`,
      );
    }
    return j;
  });
  for (let s = 0; s < signals.time.length; s++) {
    const time = signals.time.at(s);
    const row = rowOf.get(time);
    if (row === undefined) {
      throw inputError(
        "signal_time_unknown",
        `the signals have a row at ${time}, which is not a time of ${frame.source}`,
        { file: signals.source, ...(signals.lines ? { line: signals.lines[s]! } : {}) },
        "signals must be stamped with the price file's times, written the same way",
      );
    }
    hasRow[row] = 1;
    columnOf.forEach((j, c) => {
      const value = signals.columns[c]![s]!;
      if (!Number.isFinite(value)) {
        throw inputError("non_finite", `the signal of ${signals.symbols[c]} at ${time} is not a number`, {
          file: signals.source,
          ...(signals.lines ? { line: signals.lines[s]! } : {}),
        });
      }
      targets[j]![row] = value;
    });
  }
  return new SignalsStrategy(targets, hasRow);
}
