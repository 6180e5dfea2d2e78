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
  /** The shared slot the chunk's text goes to: memory[offset, offset + capacity). */
  memory: SharedArrayBuffer;
  offset: number;
  capacity: number;
}

/**
 * Rows per chunk (about 3 MB of text). Chunks are written into a ring of
 * shared slots, one per chunk in flight, allocated once: fresh memory for
 * every chunk cost more than formatting it (page faults: a chunk in a new
 * 16 MB buffer took 1.2 µs a row, in a reused one 0.42 µs).
 */
const CHUNK_ROWS = 1 << 15;
const SLOTS = 8;
/** The most bytes a row takes beside its time stamp: the keys, the symbol's room, five numbers. */
const ROW_BYTES = 5 * 33 + 128;

/** Formats a job's rows into its slot; returns their length in bytes. */
export function formatRollingRowsInto(job: RollingRowsJob): number {
  const memory = Buffer.from(job.memory, job.offset, job.capacity);
  const bytes = NdjsonBytes.over(memory);
  formatRollingRows(bytes, job.times, job.symbol, job.columns, job.from, job.to);
  if (!bytes.isIn(memory)) throw new Error("a chunk of rolling rows outgrew its slot");
  return bytes.byteLength;
}
/** Below this many rows in all, one thread formats everything. */
const PARALLEL_MIN_ROWS = 1 << 20;

export interface RollingSeriesSource {
  count: number;
  rows: number;
  withBeta: boolean;
  symbol: (series: number) => Uint8Array;
  /** Computes the series' columns into `out`; called once per series, in order. */
  fill: (series: number, out: RollingRiskColumns) => void;
}

function columnArrays(rows: number, withBeta: boolean, shared: boolean): RollingRiskColumns {
  const array = () => (shared ? new Float64Array(new SharedArrayBuffer(8 * rows)) : new Float64Array(rows));
  return {
    windowReturn: array(),
    volatility: array(),
    sharpe: array(),
    drawdown: array(),
    beta: withBeta ? array() : null,
  };
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
  // Sets of column arrays, reused round-robin: a set is refilled only once every chunk of the
  // series it held has been delivered (the window is shorter than the sets' span), so memory
  // stays at a few series whatever their number (fresh arrays per series held 2 GB at 2M × 20).
  const sets = Math.ceil(SLOTS / chunksPerSeries) + 2;
  const pool: RollingRiskColumns[] = [];
  const holds: number[] = [];
  const columnsOf = (series: number): RollingRiskColumns => {
    const k = series % sets;
    if (holds[k] !== series) {
      pool[k] ??= columnArrays(source.rows, source.withBeta, parallel);
      source.fill(series, pool[k]!);
      holds[k] = series;
    }
    return pool[k]!;
  };
  let longestTime = 0;
  for (let i = 0; i < times.ends.length; i++) {
    const length = times.ends[i]! - (i === 0 ? 0 : times.ends[i - 1]!);
    if (length > longestTime) longestTime = length;
  }
  let longestSymbol = 0;
  for (let k = 0; k < source.count; k++) longestSymbol = Math.max(longestSymbol, source.symbol(k).length);
  const capacity = CHUNK_ROWS * (longestTime + longestSymbol + ROW_BYTES);
  const memory = new SharedArrayBuffer(SLOTS * capacity);
  const job = (index: number): RollingRowsJob => {
    const series = Math.floor(index / chunksPerSeries);
    const from = (index % chunksPerSeries) * CHUNK_ROWS;
    return {
      times,
      symbol: source.symbol(series),
      columns: columnsOf(series),
      from,
      to: Math.min(source.rows, from + CHUNK_ROWS),
      memory,
      offset: (index % SLOTS) * capacity,
      capacity,
    };
  };
  await streamJobs(
    {
      count: source.count * chunksPerSeries,
      workers: parallel ? extraThreads() : 0,
      workerUrl,
      // A slot is reused SLOTS jobs later, by when its chunk has been delivered and written.
      window: SLOTS,
      job,
      runHere: (index) => formatRollingRowsInto(job(index)),
    },
    (length, index) => write(Buffer.from(memory, (index % SLOTS) * capacity, length)),
  );
}
