/**
 * Worker side of the series pool: receives one series at a time and answers
 * with its analysis. The same function as on the main thread, so a result
 * never depends on where it was computed.
 */
import { parentPort } from "node:worker_threads";
import { allocateSignals, analyseSeries, type SeriesSignals } from "../numerics/meanReversion.js";
import type { SeriesJob } from "./seriesPool.js";

let scratch: SeriesSignals | null = null;

parentPort?.on("message", (job: SeriesJob | null) => {
  if (job === null) {
    parentPort?.close();
    return;
  }
  try {
    const rows = job.values.length;
    if (job.out === null && (scratch === null || scratch.mean.length !== rows))
      scratch = allocateSignals(rows);
    const out = job.out ?? scratch!;
    const analysis = analyseSeries(job.values, job.logLevels, job.options, job.recentBars, out);
    parentPort?.postMessage({ index: job.index, analysis });
  } catch (error) {
    parentPort?.postMessage({
      index: job.index,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
