/** Worker side of the row-formatting pool: the same formatters as the main thread, into a shared slot. */
import { formatRowChunkInto, type RowChunkJob } from "./rowsPool.js";
import { serveJobs } from "./workerPool.js";

serveJobs((job: RowChunkJob) => formatRowChunkInto(job));
