/** Worker side of the walk-forward: the same `solveWindow` as on the main thread. */
import { serveJobs } from "../../parallel/workerPool.js";
import { describeFailure } from "../../parallel/hftlabFailure.js";
import { solveWindow, type WalkForwardJob } from "./walkForward.js";

serveJobs((job: WalkForwardJob) => solveWindow(job), describeFailure);
