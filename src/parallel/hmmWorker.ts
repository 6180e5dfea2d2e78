/** Worker side of the HMM restart pool: the same `fitRestartJob` as on the main thread. */
import { describeFailure } from "./hftlabFailure.js";
import { fitRestartJob, type RestartJob } from "./hmmPool.js";
import { serveJobs } from "./workerPool.js";

serveJobs((job: RestartJob) => fitRestartJob(job), describeFailure);
