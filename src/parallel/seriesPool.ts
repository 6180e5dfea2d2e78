import { extraThreads } from "./threads.js";
import {
  allocateSignals,
  analyseSeries,
  levelStatistics,
  type MeanReversionOptions,
  type SeriesAnalysis,
  type SeriesSignals,
  type SeriesStatistics,
  type SignalSummary,
  seriesSignals,
} from "../numerics/timeseries/meanReversion.js";
import { runJobs } from "./workerPool.js";

/**
 * The per-series work of `meanrev` (signals, OU, Hurst, ADF) shared between
 * the main thread and worker threads. Series are independent and cost up to
 * ~0.5 s each at 2M rows, so on two cores the wall time halves. Inputs on a
 * SharedArrayBuffer (as the parallel reader makes them) reach a worker
 * without a copy, and `out` arrays to keep are shared so a worker fills them
 * in place. Small inputs stay on the main thread: a worker costs ~30–50 ms
 * to start.
 *
 * The pool itself is workerPool.ts.
 */
const PARALLEL_MIN_CELLS = 1_000_000;

export interface SeriesJob {
  /** The whole analysis, the signals alone, or the statistics alone. */
  part: "all" | "signals" | "statistics";
  values: Float64Array;
  logLevels: boolean;
  options: MeanReversionOptions;
  recentBars: number;
  /** Where to keep the per-row signals (shared memory), or null to use scratch space. */
  out: SeriesSignals | null;
  /** Where to copy the positions alone (shared memory), when only they are kept. */
  positions?: Int8Array;
}

export interface SeriesInput {
  values: Float64Array;
  logLevels: boolean;
}

export function workersFor(rows: number, series: number): number {
  if (series < 2 || rows * series < PARALLEL_MIN_CELLS) return 0;
  return Math.max(0, Math.min(series - 1, extraThreads()));
}

export interface PoolResult {
  analyses: SeriesAnalysis[];
  /** The per-row signals of each series, when asked to keep them. */
  signals: Array<SeriesSignals | null>;
}

export async function analyseAll(
  inputs: SeriesInput[],
  options: MeanReversionOptions,
  recentBars: number,
  keepRows: boolean,
): Promise<PoolResult> {
  const rows = inputs[0]?.values.length ?? 0;
  const workers = workersFor(rows, inputs.length);
  const signals = inputs.map(() => (keepRows ? allocateSignals(rows, workers > 0) : null));
  const mainScratch = keepRows ? null : allocateSignals(rows);
  let zScratch: Float64Array | null = null;
  const analyses = await runJobs<SeriesJob, SeriesAnalysis>({
    count: inputs.length,
    workers,
    workerUrl: new URL("./seriesWorker.js", import.meta.url),
    job: (index) => ({
      part: "all",
      values: inputs[index]!.values,
      logLevels: inputs[index]!.logLevels,
      options,
      recentBars,
      out: signals[index] ?? null,
    }),
    runHere: (index) => {
      const input = inputs[index]!;
      zScratch ??= new Float64Array(rows);
      return analyseSeries(
        input.values,
        input.logLevels,
        options,
        recentBars,
        signals[index] ?? mainScratch!,
        zScratch,
      );
    },
  });
  return { analyses, signals };
}

/**
 * Each series' meanrev positions alone (what `backtest --strategy meanrev`
 * trades), from the same signals job on the same threads (no statistics):
 * the mean, sd and z stay in each thread's scratch, and only the positions
 * (one byte a row, shared memory) are kept.
 */
export async function positionsAll(
  inputs: Float64Array[],
  options: MeanReversionOptions,
): Promise<Int8Array[]> {
  const rows = inputs[0]?.length ?? 0;
  const workers = workersFor(rows, inputs.length);
  const positions = inputs.map(
    () => new Int8Array(workers > 0 ? new SharedArrayBuffer(rows) : new ArrayBuffer(rows)),
  );
  let scratch: SeriesSignals | null = null;
  let zScratch: Float64Array | null = null;
  await runJobs<SeriesJob, SignalSummary>({
    count: inputs.length,
    workers,
    workerUrl: new URL("./seriesWorker.js", import.meta.url),
    job: (index) => ({
      part: "signals",
      values: inputs[index]!,
      logLevels: false,
      options,
      recentBars: 0,
      out: null,
      positions: positions[index]!,
    }),
    runHere: (index) => {
      scratch ??= allocateSignals(rows);
      zScratch ??= new Float64Array(rows);
      const summary = seriesSignals(inputs[index]!, options, 0, scratch, zScratch);
      positions[index]!.set(scratch.position);
      return summary;
    },
  });
  return positions;
}

export interface RowsFirst {
  /** Each series' per-row signals (shared memory when workers ran). */
  signals: SeriesSignals[];
  summaries: SignalSummary[];
  /**
   * The statistics, still being computed on the worker threads alone, so
   * that the main thread writes the rows meanwhile (on the main thread
   * itself when the input is too small for workers).
   */
  statistics: Promise<SeriesStatistics[]>;
}

/**
 * `analyseAll` for a run that writes every row and then a summary: the
 * signals first (on every thread), then the statistics on the workers
 * while the caller writes the rows. Same numbers as `analyseAll`.
 */
export async function analyseRowsFirst(
  inputs: SeriesInput[],
  options: MeanReversionOptions,
  recentBars: number,
): Promise<RowsFirst> {
  const rows = inputs[0]?.values.length ?? 0;
  const workers = workersFor(rows, inputs.length);
  const signals = inputs.map(() => allocateSignals(rows, workers > 0));
  let zScratch: Float64Array | null = null;
  const job = (part: SeriesJob["part"]) => (index: number) => ({
    part,
    values: inputs[index]!.values,
    logLevels: inputs[index]!.logLevels,
    options,
    recentBars,
    out: signals[index]!,
  });
  const summaries = await runJobs<SeriesJob, SignalSummary>({
    count: inputs.length,
    workers,
    workerUrl: new URL("./seriesWorker.js", import.meta.url),
    job: job("signals"),
    runHere: (index) => {
      zScratch ??= new Float64Array(rows);
      return seriesSignals(inputs[index]!.values, options, recentBars, signals[index]!, zScratch);
    },
  });
  const statistics = runJobs<SeriesJob, SeriesStatistics>({
    count: inputs.length,
    workers,
    workerUrl: new URL("./seriesWorker.js", import.meta.url),
    job: job("statistics"),
    runHere: (index) => levelStatistics(inputs[index]!.values, inputs[index]!.logLevels, options),
    // Workers only, the main thread writing meanwhile; with none, runJobs runs every job here.
    mainRunsJobs: false,
  });
  // Awaited later; a failure must not go unhandled meanwhile.
  statistics.catch(() => undefined);
  return { signals, summaries, statistics };
}
