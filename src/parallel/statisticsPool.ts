import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  type MeanReversionOptions,
  type SeriesStatistics,
  seriesStatistics,
} from "../numerics/meanReversion.js";
import type { StatisticsJob } from "./statisticsWorker.js";

/**
 * The per-series statistics (OU, Hurst, ADF) of many long series, shared
 * between the main thread and worker threads. Each series is independent and
 * costs ~0.3–0.8 s at 2M rows, so on two cores the wall time halves. Small
 * inputs stay on the main thread: a worker costs ~30–50 ms to start.
 *
 * Jobs are handed out one at a time from a queue; results land in their
 * input slot, so the output order (and every number) is the same whichever
 * thread computed a series.
 */
const PARALLEL_MIN_CELLS = 1_000_000;

export function workersFor(rows: number, series: number): number {
  if (series < 2 || rows * series < PARALLEL_MIN_CELLS) return 0;
  return Math.max(0, Math.min(series - 1, availableParallelism() - 1));
}

interface Reply {
  index: number;
  statistics?: SeriesStatistics;
  error?: string;
}

export async function statisticsOfAll(
  levels: Float64Array[],
  options: MeanReversionOptions,
  workers = workersFor(levels[0]?.length ?? 0, levels.length),
): Promise<SeriesStatistics[]> {
  const results: SeriesStatistics[] = new Array(levels.length);
  if (workers === 0 || !(options.adf || options.hurst)) {
    for (let j = 0; j < levels.length; j++) results[j] = seriesStatistics(levels[j]!, options);
    return results;
  }
  let next = 0;
  const take = (): number => (next < levels.length ? next++ : -1);
  const url = new URL("./statisticsWorker.js", import.meta.url);
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
        const job: StatisticsJob = { index, levels: levels[index]!, options };
        worker.postMessage(job);
      };
      worker.on("message", (reply: Reply) => {
        outstanding--;
        if (reply.error !== undefined) {
          reject(new Error(reply.error));
          return;
        }
        results[reply.index] = reply.statistics!;
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
      results[index] = seriesStatistics(levels[index]!, options);
      // let worker replies in, so they get their next job without waiting for ours
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  try {
    await Promise.all([mainLoop(), ...pool.map(workerLoop)]);
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}
