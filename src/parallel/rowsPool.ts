import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NdjsonBytes } from "../output/ndjsonBytes.js";
import { formatRollingRows, type RollingRiskColumns, type TimeJsonBytes } from "../output/rollingRiskRows.js";
import { extraThreads } from "./threads.js";
import { streamJobs } from "./workerPool.js";

/**
 * Formatting `risk --rolling` rows on every core, written in order. At
 * 2M × 20 the output is 40M rows (4 GB of text) and formatting the numbers
 * costs ten times computing them, so chunks of rows are formatted by the
 * main thread and worker threads alike and delivered in order, a few chunks
 * ahead at most. The series' values and the time bytes sit in shared memory,
 * so a worker reads them without a copy. Same bytes whatever the threads.
 */
export interface RollingRowsJob {
  times: TimeJsonBytes;
  symbol: Uint8Array;
  columns: RollingRiskColumns;
  from: number;
  to: number;
}

/** Rows per chunk: ~14 MB of text, a few milliseconds to hand over. */
const CHUNK_ROWS = 1 << 17;
/** Below this many rows in all, one thread formats everything. */
const PARALLEL_MIN_ROWS = 1 << 20;

export interface RollingSeriesSource {
  count: number;
  rows: number;
  symbol: (series: number) => Uint8Array;
  /** The series' columns, in shared memory when `shared`; called once per series, in order. */
  columns: (series: number, shared: boolean) => RollingRiskColumns;
}

export async function writeRollingRowsInOrder(
  source: RollingSeriesSource,
  times: TimeJsonBytes,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  const workerUrl = new URL("./rowsWorker.js", import.meta.url);
  const parallel =
    source.rows * source.count >= PARALLEL_MIN_ROWS &&
    extraThreads() > 0 &&
    existsSync(fileURLToPath(workerUrl));
  const chunksPerSeries = Math.max(1, Math.ceil(source.rows / CHUNK_ROWS));
  const cache = new Map<number, RollingRiskColumns>();
  const columnsOf = (series: number): RollingRiskColumns => {
    let columns = cache.get(series);
    if (columns === undefined) {
      for (const older of cache.keys()) if (older < series - 1) cache.delete(older);
      columns = source.columns(series, parallel);
      cache.set(series, columns);
    }
    return columns;
  };
  const job = (index: number): RollingRowsJob => {
    const series = Math.floor(index / chunksPerSeries);
    const from = (index % chunksPerSeries) * CHUNK_ROWS;
    return {
      times,
      symbol: source.symbol(series),
      columns: columnsOf(series),
      from,
      to: Math.min(source.rows, from + CHUNK_ROWS),
    };
  };
  const scratch = new NdjsonBytes(1 << 22);
  await streamJobs(
    {
      count: source.count * chunksPerSeries,
      workers: parallel ? extraThreads() : 0,
      workerUrl,
      window: 8,
      job,
      runHere: (index) => {
        const { from, to, symbol, columns } = job(index);
        formatRollingRows(scratch, times, symbol, columns, from, to);
        return scratch.take();
      },
    },
    (chunk) => write(chunk),
  );
}
