/** Worker side of the rolling-rows pool: the same formatter as the main thread, into a shared slot. */
import { formatRollingRowsInto, type RollingRowsJob } from "./rowsPool.js";
import { serveJobs } from "./workerPool.js";

serveJobs((job: RollingRowsJob) => formatRollingRowsInto(job));
