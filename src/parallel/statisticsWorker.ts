/**
 * Worker side of the statistics pool: receives one series at a time and
 * answers with its OU fit, Hurst exponent and ADF test. The same function
 * as on the main thread, so a result never depends on where it was computed.
 */
import { parentPort } from "node:worker_threads";
import { type MeanReversionOptions, seriesStatistics } from "../numerics/meanReversion.js";

export interface StatisticsJob {
  index: number;
  levels: Float64Array;
  options: MeanReversionOptions;
}

parentPort?.on("message", (job: StatisticsJob | null) => {
  if (job === null) {
    parentPort?.close();
    return;
  }
  try {
    const statistics = seriesStatistics(job.levels, job.options);
    parentPort?.postMessage({ index: job.index, statistics });
  } catch (error) {
    parentPort?.postMessage({
      index: job.index,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
