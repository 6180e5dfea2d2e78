/** Worker side of the series pool: the same `analyseSeries` as on the main thread. */
import {
  allocateSignals,
  analyseSeries,
  levelStatistics,
  type SeriesSignals,
  seriesSignals,
} from "../numerics/timeseries/meanReversion.js";
import type { SeriesJob } from "./seriesPool.js";
import { serveJobs } from "./workerPool.js";

let scratch: SeriesSignals | null = null;
let zScratch: Float64Array | null = null;

serveJobs((job: SeriesJob) => {
  if (job.part === "statistics") return levelStatistics(job.values, job.logLevels, job.options);
  const rows = job.values.length;
  if (job.out === null && (scratch === null || scratch.mean.length !== rows)) scratch = allocateSignals(rows);
  if (zScratch === null || zScratch.length !== rows) zScratch = new Float64Array(rows);
  const out = job.out ?? scratch!;
  const result =
    job.part === "signals"
      ? seriesSignals(job.values, job.options, job.recentBars, out, zScratch)
      : analyseSeries(job.values, job.logLevels, job.options, job.recentBars, out, zScratch);
  job.positions?.set(out.position);
  return result;
});
