/** Worker side of the rolling-rows pool: the same formatter as the main thread. */
import { NdjsonBytes } from "../output/ndjsonBytes.js";
import { formatRollingRows } from "../output/rollingRiskRows.js";
import type { RollingRowsJob } from "./rowsPool.js";
import { serveJobs } from "./workerPool.js";

serveJobs(
  (job: RollingRowsJob) => {
    const bytes = new NdjsonBytes(1 << 22);
    formatRollingRows(bytes, job.times, job.symbol, job.columns, job.from, job.to);
    // A copy of exactly the text, in memory of its own, so the whole buffer can move to the main thread.
    return new Uint8Array(bytes.take());
  },
  undefined,
  (chunk) => [chunk.buffer as ArrayBuffer],
);
