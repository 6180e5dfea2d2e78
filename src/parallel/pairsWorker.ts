/** Worker side of the pairs pool: the same `runPairJob` as on the main thread. */
import { type PairJob, runPairJob } from "./pairsPool.js";
import { serveJobs } from "./workerPool.js";

serveJobs(
  (job: PairJob) => runPairJob(job),
  undefined,
  (result) => (result === null ? [] : [result.buffer as ArrayBuffer]),
);
