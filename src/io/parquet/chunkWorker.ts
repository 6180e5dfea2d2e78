/**
 * A chunk worker of the Parquet reader (see `parallelChunks.ts`): decodes
 * the price column chunks it is handed, reading their bytes through the
 * main thread's open file (a descriptor is the process's, not a thread's)
 * into the shared columns. It loads hyparquet's page tools once, as it
 * starts; requests posted meanwhile wait in its port's queue.
 */
import { serveJobs } from "../../parallel/workerPool.js";
import { type ChunkJob, runChunkJob } from "./chunkJob.js";
import { loadPageTools } from "./pageTools.js";
import { readRangeSync, type Scratch } from "./parquetBytes.js";

const tools = await loadPageTools();
const scratch: Scratch = { bytes: new Uint8Array(0) };

serveJobs((job: ChunkJob) =>
  runChunkJob(tools, job, (start, end, what) => readRangeSync(job.fd, start, end, job.file, what, scratch)),
);
