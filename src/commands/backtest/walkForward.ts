import { type Frame, TimeColumn } from "../../io/frame.js";
import { OptimizeStrategy } from "../../numerics/backtest/optimizeStrategy.js";
import { extraThreads } from "../../parallel/threads.js";
import { reviveFailure } from "../../parallel/hftlabFailure.js";
import { runJobs } from "../../parallel/workerPool.js";
import { analyse, weightBounds } from "../optimize/analysis.js";
import type { OptimizeOptions } from "../optimize/options.js";

/**
 * The walk-forward's solves. Each decision bar t = L + k·R needs
 * `optimize`'s weights for the L returns of bars t − L + 1..t (levels
 * t − L..t), and nothing else: not the holdings, not a later price. So the
 * solves are independent jobs, run ahead of the engine on the main thread
 * and the worker threads (same function, same numbers whichever thread),
 * each reading only its own window of the returns. The engine then trades
 * them at their bars; the no-look-ahead property test covers the whole.
 */

export interface WalkForwardJob {
  /** Every bar's simple returns, one column per symbol (row b = bar b's; row 0 unused), shared memory. */
  returns: Float64Array[];
  /** The window's bars, [from, to] inclusive. */
  from: number;
  to: number;
  symbols: string[];
  source: string;
  options: OptimizeOptions;
}

export interface WalkForwardSolve {
  weights: Float64Array;
  warnings: string[];
}

/** Windows of this many cells and more are worth a worker (one costs ~50 ms to start). */
const PARALLEL_MIN_CELLS = 2_000_000;

/** `optimize`'s weights for one window (its warnings collected, not printed). */
export function solveWindow(job: WalkForwardJob): WalkForwardSolve {
  const length = job.to - job.from + 1;
  const window: Frame = {
    source: job.source,
    timeName: "time",
    time: TimeColumn.fromStrings(new Array<string>(length).fill("")),
    symbols: job.symbols,
    columns: job.returns.map((column) => column.slice(job.from, job.to + 1)),
    droppedRows: 0,
  };
  const warnings: string[] = [];
  const bounds = weightBounds(job.options, job.symbols.length);
  const { outcome } = analyse(window, job.options, bounds, { warn: (m) => warnings.push(m) }, false);
  return { weights: Float64Array.from(outcome.w), warnings };
}

/**
 * The weights of every decision bar (lookback + k·rebalance < bars) from the
 * price levels, with each window's warnings in bar order.
 */
export async function walkForwardWeights(
  levels: readonly Float64Array[],
  frame: Pick<Frame, "symbols" | "source">,
  lookback: number,
  rebalance: number,
  options: OptimizeOptions,
): Promise<{ bars: number[]; solves: WalkForwardSolve[] }> {
  const n = levels[0]!.length;
  const bars = OptimizeStrategy.decisionBars(n, lookback, rebalance);
  const cells = bars.length * lookback * levels.length;
  const workers = cells >= PARALLEL_MIN_CELLS ? Math.min(extraThreads(), bars.length - 1) : 0;
  const returns = levels.map((level) => {
    const column = new Float64Array(workers > 0 ? new SharedArrayBuffer(8 * n) : new ArrayBuffer(8 * n));
    // As the engine and a PrefixView form them: level ratios.
    for (let b = 1; b < n; b++) column[b] = level[b]! / level[b - 1]! - 1;
    return column;
  });
  const job = (index: number): WalkForwardJob => ({
    returns,
    from: bars[index]! - lookback + 1,
    to: bars[index]!,
    symbols: frame.symbols,
    source: frame.source,
    options,
  });
  const solves = await runJobs<WalkForwardJob, WalkForwardSolve>({
    count: bars.length,
    workers,
    workerUrl: new URL("./walkForwardWorker.js", import.meta.url),
    job,
    runHere: (index) => solveWindow(job(index)),
    revive: reviveFailure,
  });
  return { bars, solves };
}
