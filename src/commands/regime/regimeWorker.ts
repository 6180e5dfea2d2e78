/** Worker side of regime's symbol pool: the same `fitRegimeSymbol` as on the main thread. */
import { describeFailure } from "../../parallel/hftlabFailure.js";
import { serveJobs } from "../../parallel/workerPool.js";
import { fitRegimeSymbol, type RegimeJob } from "./fitSymbol.js";

serveJobs(
  (job: RegimeJob) => fitRegimeSymbol(job),
  describeFailure,
  (result) => [result.path.buffer as ArrayBuffer],
);
