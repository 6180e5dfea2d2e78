import { inputError, numericalError, usageError } from "../../errors.js";
import type { Frame, TimeColumn } from "../../io/frame.js";
import { OptimizeStrategy } from "../../numerics/backtest/optimizeStrategy.js";
import { weightBounds } from "../optimize/analysis.js";
import { OPTIMIZE_DEFAULTS, type OptimizeOptions } from "../optimize/options.js";
import type { CommandRun } from "../shared/commandRun.js";
import { type BacktestRun, buyAndHoldReturns, runBacktest } from "../../numerics/backtest/engine.js";
import { MeanrevStrategy } from "../../numerics/backtest/meanrevStrategy.js";
import { PairsStrategy } from "../../numerics/backtest/pairsStrategy.js";
import { RegimeStrategy } from "../../numerics/backtest/regimeStrategy.js";
import { SignalsStrategy } from "../../numerics/backtest/signalsStrategy.js";
import { fitGaussianHmm, HmmFitError } from "../../numerics/hmm/gaussianHmm.js";
import { labelsFor } from "../../numerics/hmm/regimes.js";
import { Prng } from "../../numerics/random/prng.js";
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
  /**
   * The time of level p, the bar the engine calls p: a price file's row p;
   * for a returns file, whose row s is bar s + 1's return, row p − 1 (null
   * for the start, p = 0).
   */
  levelTime: (p: number) => string | null;
  /** The times of bars 1..N, the per-bar output's rows. */
  barTimes: TimeColumn;
  run: BacktestRun;
  /** The benchmark's per-bar returns: weights bought at bar 0 and left to drift. */
  benchmark: { name: string; net: Float64Array };
}

/**
 * The price levels the engine and the strategies read: the prices, or a
 * returns file's wealth index from a start of 1 (every row's return is a
 * bar's, so n returns make n + 1 levels, as `risk` counts them).
 */
function levelsOf(frame: Frame, inputKind: "prices" | "returns"): Float64Array[] {
  const n = frame.time.length;
  if (inputKind === "prices") {
    checkPositivePrices(frame, "backtest");
    return frame.columns;
  }
  return frame.columns.map((column) => {
    const level = new Float64Array(n + 1);
    let w = 1;
    level[0] = w;
    for (let t = 0; t < n; t++) {
      w *= 1 + column[t]!;
      level[t + 1] = w;
    }
    return level;
  });
}

export async function analyseBacktest(
  frame: Frame,
  options: BacktestOptions,
  signals: Frame | null,
  keepWeights: boolean,
  reporter: Pick<CommandRun, "warn">,
): Promise<BacktestAnalysis> {
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
  const offset = options.inputKind === "returns" ? 1 : 0;
  // Bars with a return: 1..returns.
  const returns = levels[0]!.length - 1;
  if ((options.strategy === "optimize" || options.strategy === "pairs") && returns < options.lookback) {
    throw inputError(
      "too_few_rows",
      `--lookback ${options.lookback} needs at least ${options.lookback} returns, found ${returns}`,
      { file: frame.source },
      "use a shorter --lookback",
    );
  }
  if (options.strategy === "regime" && returns < options.train) {
    throw inputError(
      "too_few_rows",
      `--train ${options.train} needs at least ${options.train} returns, found ${returns}`,
      { file: frame.source },
      "use a shorter --train",
    );
  }
  const { strategy, afterRun } = await strategyFor(levels, frame, options, signals, offset, reporter);
  const settings = {
    delay: options.delay,
    costRate: (options.costBps + options.slippageBps) / 1e4,
    borrowPerBar: options.borrowBps / 1e4 / options.periodsPerYear,
    maxLeverage: options.maxLeverage ?? Number.POSITIVE_INFINITY,
  };
  const run = runBacktest(levels, new PrefixView(levels), strategy, settings, keepWeights, options.trades);
  afterRun?.();
  const benchmarkIndex = options.benchmark === undefined ? -1 : frame.symbols.indexOf(options.benchmark);
  const k = frame.symbols.length;
  const benchmarkWeights = frame.symbols.map((_, j) =>
    benchmarkIndex < 0 ? 1 / k : j === benchmarkIndex ? 1 : 0,
  );
  return {
    frame,
    levelTime: (p) => (p < offset ? null : frame.time.at(p - offset)),
    barTimes: frame.time.slice(1 - offset),
    run,
    benchmark: {
      name: options.benchmark ?? "buy-and-hold equal weight",
      net: buyAndHoldReturns(levels, benchmarkWeights),
    },
  };
}

/** A strategy, and what to report once its run is over (warnings counted over the run). */
interface PlannedStrategy {
  strategy: Strategy;
  afterRun?: () => void;
}

async function strategyFor(
  levels: readonly Float64Array[],
  frame: Frame,
  options: BacktestOptions,
  signals: Frame | null,
  offset: number,
  reporter: Pick<CommandRun, "warn">,
): Promise<PlannedStrategy> {
  switch (options.strategy) {
    case "meanrev":
      return { strategy: new MeanrevStrategy(await meanrevPositions(levels, options)) };
    case "signals":
      return { strategy: signalsFor(frame, signals!, offset) };
    case "optimize":
      return { strategy: await optimizeStrategy(levels, frame, options, reporter) };
    case "pairs": {
      const [a, b] = pairColumns(frame, options.pair!);
      return {
        strategy: new PairsStrategy(a, b, options.lookback, options.entry, options.exit, options.log),
      };
    }
    case "regime":
      return regimeStrategy(frame, options, frame.time.length + offset, reporter);
  }
}

/** Each symbol's meanrev positions over its levels: meanrev's own per-series job, on every core. */
async function meanrevPositions(
  levels: readonly Float64Array[],
  options: BacktestOptions,
): Promise<Int8Array[]> {
  const { positionsAll } = await import("../../parallel/seriesPool.js");
  return positionsAll([...levels], {
    window: options.window,
    entry: options.entry,
    exit: options.exit,
    hurstMethod: "rs",
    adf: false,
    adfRegression: "c",
    adfAutolag: null,
    hurst: false,
  });
}

/** --pair A,B as column indices (exit 3 for a name the file lacks). */
function pairColumns(frame: Frame, pair: string[]): [number, number] {
  const indices = pair.map((name) => {
    const j = frame.symbols.indexOf(name);
    if (j < 0) {
      throw inputError(
        "unknown_column",
        `--pair: no column "${name}"`,
        { file: frame.source },
        `columns: ${frame.symbols.join(", ")}`,
      );
    }
    return j;
  });
  return [indices[0]!, indices[1]!];
}

/**
 * The regime strategy's positions in regime order: --positions LABEL=w,…
 * (labels as `regime` names them; a label left out holds 0), or --long
 * LABEL,… (1 in those regimes, 0 elsewhere; default bull for 3 states,
 * calm for 2, regimeK, the highest mean, otherwise).
 */
export function regimePositions(
  options: Pick<BacktestOptions, "states" | "positions" | "long">,
): Float64Array {
  const labels = labelsFor(options.states);
  const out = new Float64Array(labels.length);
  const indexOf = (label: string, flag: string) => {
    const r = labels.indexOf(label);
    if (r < 0) {
      throw usageError(
        `${flag}: no regime "${label}" with ${options.states} states`,
        `the regimes are ${labels.join(", ")}`,
      );
    }
    return r;
  };
  if (options.positions !== undefined) {
    for (const [label, weight] of options.positions) out[indexOf(label, "--positions")] = weight;
  } else {
    // The default is long the good regime: calm of 2 (by volatility), else the highest mean.
    const fallback = options.states === 2 ? "calm" : labels[labels.length - 1]!;
    for (const label of options.long ?? [fallback]) out[indexOf(label, "--long")] = 1;
  }
  return out;
}

/**
 * The regime strategy with `hmm`'s own EM: each symbol's fit is the one
 * `hftlab hmm --columns SYM` makes of the same log returns with the same
 * flags and --seed (so any fit can be reproduced by hand); convergence
 * warnings are reported once, with the symbol.
 */
function regimeStrategy(
  frame: Frame,
  options: BacktestOptions,
  bars: number,
  run: Pick<CommandRun, "warn">,
): PlannedStrategy {
  const notConverged = new Map<string, number>();
  const minimum = Math.max(2, 2 * options.states);
  if (options.train < minimum) {
    throw usageError(
      `--train ${options.train} is too short for ${options.states} states (at least ${minimum})`,
    );
  }
  const fit = (returns: Float64Array, j: number) => {
    const symbol = frame.symbols[j]!;
    if (returns.every((r) => r === returns[0])) {
      throw inputError(
        "constant_feature",
        `${symbol} has constant returns up to a fit: an HMM needs variation`,
        {
          file: frame.source,
        },
      );
    }
    try {
      const result = fitGaussianHmm(returns, returns.length, 1, {
        states: options.states,
        covariance: "full",
        init: options.init,
        restarts: options.restarts,
        maxIterations: options.maxIter,
        tolerance: options.tol,
        minCovar: options.minCovar,
        rng: new Prng(options.seed),
      });
      if (!result.converged && options.tol !== 0) {
        if (options.strict) {
          throw numericalError(
            "no_convergence",
            `${symbol}: EM did not converge in ${result.iterations} iterations (log-likelihood change still >= --tol ${options.tol})`,
            "raise --max-iter or --tol",
          );
        }
        notConverged.set(symbol, (notConverged.get(symbol) ?? 0) + 1);
      }
      return result.model;
    } catch (error) {
      if (error instanceof HmmFitError) throw numericalError("hmm_breakdown", `${symbol}: ${error.message}`);
      throw error;
    }
  };
  const strategy = new RegimeStrategy(
    frame.symbols.length,
    bars,
    options.train,
    options.refit,
    regimePositions(options),
    fit,
  );
  const afterRun = () => {
    const fits = strategy.fits / frame.symbols.length;
    for (const [symbol, count] of notConverged) {
      run.warn(
        `${symbol}: EM did not converge within --max-iter ${options.maxIter} in ${count} of ${fits} fits ` +
          `(log-likelihood change still >= --tol ${options.tol})`,
      );
    }
  };
  return { strategy, afterRun };
}

/**
 * The walk-forward: each rebalance's weights are `optimize`'s own analysis
 * of the window's returns (its flags passed through), solved ahead on every
 * core (walkForward.ts). Each window's warnings (an ill-conditioned window,
 * say) are reported once each, in bar order.
 */
async function optimizeStrategy(
  levels: readonly Float64Array[],
  frame: Frame,
  options: BacktestOptions,
  run: Pick<CommandRun, "warn">,
): Promise<OptimizeStrategy> {
  const optimizeOptions: OptimizeOptions = {
    ...options,
    returns: "simple",
    points: OPTIMIZE_DEFAULTS.points,
  };
  weightBounds(optimizeOptions, frame.symbols.length);
  const { walkForwardWeights } = await import("./walkForward.js");
  const { solves } = await walkForwardWeights(
    levels,
    frame,
    options.lookback,
    options.rebalance,
    optimizeOptions,
  );
  const seen = new Set<string>();
  for (const solve of solves) {
    for (const message of solve.warnings) {
      if (!seen.has(message)) run.warn(`walk-forward: ${message}`);
      seen.add(message);
    }
  }
  return new OptimizeStrategy(
    options.lookback,
    options.rebalance,
    solves.map((solve) => solve.weights),
  );
}

/**
 * The signals file's targets on the bars (a price row's, or a returns row's
 * bar, `offset` later): every time must be a time of the input, every symbol
 * one of its columns.
 */
function signalsFor(frame: Frame, signals: Frame, offset: number): SignalsStrategy {
  const rowOf = new Map<string, number>();
  for (let t = 0; t < frame.time.length; t++) rowOf.set(frame.time.at(t), t + offset);
  const bars = frame.time.length + offset;
  const targets = frame.symbols.map(() => new Float64Array(bars));
  const hasRow = new Uint8Array(bars);
  const columnOf = signals.symbols.map((symbol) => {
    const j = frame.symbols.indexOf(symbol);
    if (j < 0) {
      const legs = symbol.split("-");
      const spread = legs.length === 2 && legs.every((leg) => frame.symbols.includes(leg));
      throw inputError(
        "unknown_signal_symbol",
        `the signals name ${symbol}, which is not a column of ${frame.source}`,
        { file: signals.source },
        spread
          ? `${symbol} is meanrev --pair's spread: backtest it with --strategy pairs --pair ${legs.join(",")}, or drop its rows`
          : `price columns: ${frame.symbols.join(", ")}`,
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
