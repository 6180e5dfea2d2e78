/** Worker side of the series pool: the same `analyseSeries` as on the main thread. */
import { allocateSignals, analyseSeries, type SeriesSignals } from "../numerics/timeseries/meanReversion.js";
import type { SeriesJob } from "./seriesPool.js";
import { serveJobs } from "./workerPool.js";

let scratch: SeriesSignals | null = null;

serveJobs((job: SeriesJob) => {
  const rows = job.values.length;
  if (job.out === null && (scratch === null || scratch.mean.length !== rows)) scratch = allocateSignals(rows);
  const analysis = analyseSeries(job.values, job.logLevels, job.options, job.recentBars, job.out ?? scratch!);
  job.positions?.set((job.out ?? scratch!).position);
  return analysis;
});
