import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  allocateSignals,
  analyseSeries,
  type MeanReversionOptions,
  type SeriesAnalysis,
  type SeriesSignals,
} from "../numerics/meanReversion.js";

/**
 * The per-series work of `meanrev` (signals, OU, Hurst, ADF) shared between
 * the main thread and worker threads. Series are independent and cost up to
 * ~0.5 s each at 2M rows, so on two cores the wall time halves. Inputs on a
 * SharedArrayBuffer (as the parallel reader makes them) reach a worker
 * without a copy, and `out` arrays to keep are shared so a worker fills them
 * in place. Small inputs stay on the main thread: a worker costs ~30–50 ms
 * to start.
 *
 * Jobs are handed out one at a time from a queue and results land in their
 * input slot, so the output order (and every number) is the same whichever
 * thread computed a series.
 */
const PARALLEL_MIN_CELLS = 1_000_000;

export interface SeriesJob {
  index: number;
  values: Float64Array;
  logLevels: boolean;
  options: MeanReversionOptions;
  recentBars: number;
  /** Where to keep the per-row signals (shared memory), or null to use scratch space. */
  out: SeriesSignals | null;
}

export interface SeriesInput {
  values: Float64Array;
  logLevels: boolean;
}

export function workersFor(rows: number, series: number): number {
  if (series < 2 || rows * series < PARALLEL_MIN_CELLS) return 0;
  return Math.max(0, Math.min(series - 1, availableParallelism() - 1));
}

interface Reply {
  index: number;
  analysis?: SeriesAnalysis;
  error?: string;
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
  const analyses: SeriesAnalysis[] = new Array(inputs.length);
  const signals = inputs.map(() => (keepRows ? allocateSignals(rows, workers > 0) : null));
  const mainScratch = keepRows ? null : allocateSignals(rows);
  const runHere = (index: number): void => {
    const input = inputs[index]!;
    analyses[index] = analyseSeries(
      input.values,
      input.logLevels,
      options,
      recentBars,
      signals[index] ?? mainScratch!,
    );
  };
  if (workers === 0) {
    for (let index = 0; index < inputs.length; index++) runHere(index);
    return { analyses, signals };
  }

  let next = 0;
  const take = (): number => (next < inputs.length ? next++ : -1);
  const url = new URL("./seriesWorker.js", import.meta.url);
  const pool = Array.from({ length: workers }, () => new Worker(url));

  // Each worker holds one job in reserve, so it never idles while the main
  // thread is busy with a series of its own and cannot hand out the next.
  const workerLoop = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      let outstanding = 0;
      const send = (): void => {
        const index = take();
        if (index < 0) return;
        outstanding++;
        const input = inputs[index]!;
        const job: SeriesJob = {
          index,
          values: input.values,
          logLevels: input.logLevels,
          options,
          recentBars,
          out: signals[index] ?? null,
        };
        worker.postMessage(job);
      };
      worker.on("message", (reply: Reply) => {
        outstanding--;
        if (reply.error !== undefined) {
          reject(new Error(reply.error));
          return;
        }
        analyses[reply.index] = reply.analysis!;
        send();
        if (outstanding === 0) resolve();
      });
      worker.on("error", reject);
      send();
      send();
      if (outstanding === 0) resolve();
    });

  const mainLoop = async (): Promise<void> => {
    for (let index = take(); index >= 0; index = take()) {
      runHere(index);
      // let worker replies in, so they get their next job without waiting for ours
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  try {
    const loops = pool.map(workerLoop); // hand the workers their first jobs before the main thread takes one
    await Promise.all([...loops, mainLoop()]);
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return { analyses, signals };
}
