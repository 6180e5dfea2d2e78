/**
 * The price columns of a Parquet file, decoded on the main thread and
 * worker threads at once.
 *
 * Why: decoding (snappy, then copying or scattering the values into the
 * final columns, and the first touch of their 8 bytes a cell) is nearly all
 * of a large read, and the column chunks are independent, so on two cores
 * the read takes about half the time. Each (row group, price column) chunk
 * is one job: the main thread plans them all from the footer, the pool
 * (`workerPool.ts`) hands them out in file order, and each thread reads its
 * chunk's bytes through the one open file and decodes them straight into
 * the chunk's rows of the shared columns. Memory stays flat: a thread holds
 * one chunk's bytes at a time.
 *
 * Small files stay on the main thread (a worker costs ~50 ms to start and
 * load hyparquet's page tools); so do standard input and gzip input, which
 * are whole buffers rather than a file to read from. Results never depend
 * on the thread count: every job does the same work wherever it runs, and
 * outcomes, failures included, are kept per job so the reader can report
 * the error a one-thread read meets first.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ColumnMetaData, FileMetaData } from "hyparquet";
import { extraThreads } from "../../parallel/threads.js";
import { runJobs } from "../../parallel/workerPool.js";
import { type ChunkJob, type ChunkOutcome, chunkBytesName, chunkError, runChunkJob } from "./chunkJob.js";
import { DamagedChunk, type PageTools } from "./flatChunk.js";
import type { ParquetBytes, Scratch } from "./parquetBytes.js";
import { isFastColumn, type ParquetColumn } from "./parquetColumns.js";

/**
 * Below this many price cells a read stays on the main thread. A worker
 * starts and warms up in ~50–100 ms; decoding a snappy DOUBLE cell into
 * fresh memory costs ~15–25 ns, so 4M cells (200k rows × 20 columns) are
 * about what the start-up buys back.
 */
let parallelMinCells = 4_000_000;

/** For tests: lowers the size from which chunks are decoded on worker threads. */
export function setParallelMinCells(cells: number): void {
  parallelMinCells = cells;
}

let lastWorkers = 0;

/** For tests: how many worker threads decoded price chunks in the last read (0: this thread alone). */
export function lastReadWorkers(): number {
  return lastWorkers;
}

/** What one price column of one row group is: a job, a chunk only hyparquet reads, or a footer that contradicts itself. */
export type ChunkUnit =
  | { kind: "job"; job: number }
  | { kind: "hyparquet" }
  | { kind: "failed"; error: Error };

export interface ChunkPlan {
  /** By row group, then price column (a layout's value slot); empty for an empty row group. */
  units: ChunkUnit[][];
  jobs: ChunkJob[];
}

/**
 * Where the chunk of `column` in row group `group` lies in the file, after
 * checking its footer entry against the schema and the row group.
 */
export function chunkLocation(
  metadata: FileMetaData,
  group: number,
  column: ParquetColumn,
  rows: number,
  bytes: ParquetBytes,
): { meta: ColumnMetaData; start: number; end: number } {
  const chunk = metadata.row_groups[group]!.columns[column.leaf];
  const meta = chunk?.meta_data;
  if (meta === undefined || meta.type !== column.element.type) {
    throw new DamagedChunk("no column chunk metadata");
  }
  if (chunk!.file_path !== undefined)
    throw new DamagedChunk(`its data is in another file (${chunk!.file_path})`);
  if (Number(meta.num_values) !== rows) {
    throw new DamagedChunk(`${meta.num_values} values for a row group of ${rows} rows`);
  }
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  bytes.checkRange(start, end, chunkBytesName(column.name));
  return { meta, start, end };
}

/** The jobs of the price columns `columns`, decoded into `values` (one per column, shared memory). */
export function planChunks(
  metadata: FileMetaData,
  sizes: number[],
  columns: ParquetColumn[],
  values: Float64Array[],
  bytes: ParquetBytes,
): ChunkPlan {
  const jobs: ChunkJob[] = [];
  const units: ChunkUnit[][] = [];
  let at = 0;
  for (let group = 0; group < sizes.length; group++) {
    const rows = sizes[group]!;
    units.push(
      rows === 0
        ? []
        : columns.map((column, slot): ChunkUnit => {
            if (!isFastColumn(column)) return { kind: "hyparquet" };
            try {
              const { meta, start, end } = chunkLocation(metadata, group, column, rows, bytes);
              jobs.push({
                file: bytes.file,
                column: column.name,
                group,
                fd: bytes.fd ?? -1,
                start,
                end,
                coding: { type: meta.type, codec: meta.codec },
                optional: column.optional,
                rows,
                out: values[slot]!,
                at,
              });
              return { kind: "job", job: jobs.length - 1 };
            } catch (error) {
              return { kind: "failed", error: chunkError(error, column.name, group) };
            }
          }),
    );
    at += rows;
  }
  return { units, jobs };
}

function workerUrl(): URL | null {
  const url = new URL("./chunkWorker.js", import.meta.url);
  // Run from the TypeScript sources (tests), there is no compiled worker: decode on this thread.
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : null;
}

/** How many worker threads decode `jobs` besides the main thread. */
function workersFor(jobs: ChunkJob[], bytes: ParquetBytes): number {
  const cells = jobs.reduce((sum, job) => sum + job.rows, 0);
  if (bytes.fd === null || cells < parallelMinCells || workerUrl() === null) return 0;
  // One job or none: nothing to share.
  return Math.max(0, Math.min(extraThreads(), jobs.length - 1));
}

/**
 * Runs every job, on worker threads too for a large file, and returns the
 * outcomes by job. A worker that crashes (not a job that fails: those are
 * outcomes) sends the whole plan back to this thread, so a result never
 * depends on the threads.
 */
export async function decodeChunks(
  plan: ChunkPlan,
  tools: PageTools,
  bytes: ParquetBytes,
): Promise<ChunkOutcome[]> {
  const { jobs } = plan;
  const scratch: Scratch = { bytes: new Uint8Array(0) };
  const runHere = (index: number): ChunkOutcome =>
    runChunkJob(tools, jobs[index]!, (start, end, what) => bytes.readSync(start, end, what, scratch));
  const workers = workersFor(jobs, bytes);
  const url = workerUrl();
  const pool = (threads: number) =>
    runJobs<ChunkJob, ChunkOutcome>({
      count: jobs.length,
      workers: threads,
      workerUrl: url ?? new URL(import.meta.url),
      job: (index) => jobs[index]!,
      runHere,
    });
  lastWorkers = workers;
  if (workers === 0) return pool(0);
  try {
    return await pool(workers);
  } catch {
    lastWorkers = 0;
    return pool(0);
  }
}
