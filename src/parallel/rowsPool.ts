import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NdjsonBytes } from "../output/ndjsonBytes.js";
import {
  formatMeanrevRows,
  MEANREV_ROW_BYTES,
  type MeanrevRowColumns,
  type RowFlavour,
} from "../output/meanrevRows.js";
import {
  formatRollingDelimitedRows,
  formatRollingRows,
  type RollingRiskColumns,
} from "../output/rollingRiskRows.js";
import { longestTimeText, type TimeTextBytes } from "../output/timeBytes.js";
import { extraThreads } from "./threads.js";
import { streamJobs } from "./workerPool.js";

/**
 * Formatting per-row output (`risk --rolling`'s and `meanrev`'s) on every
 * core, written in order. At
 * 2M × 20 the output is 40M rows (3-4 GB of text) and formatting the numbers
 * costs ten times computing them, so chunks of rows are formatted by the
 * main thread and worker threads alike and delivered in order, a few chunks
 * ahead at most. The series' values and the time bytes sit in shared memory,
 * so a worker reads them without a copy. Same bytes whatever the threads.
 */

/** The shared slot a chunk's text goes to: memory[offset, offset + capacity). */
interface ChunkSlot {
  memory: SharedArrayBuffer;
  offset: number;
  capacity: number;
}

export interface RollingRowsJob extends ChunkSlot {
  kind: "rolling";
  flavour: RowFlavour;
  times: TimeTextBytes;
  symbol: Uint8Array;
  columns: RollingRiskColumns;
  from: number;
  to: number;
}

export interface MeanrevRowsJob extends ChunkSlot {
  kind: "meanrev";
  flavour: RowFlavour;
  times: TimeTextBytes;
  symbols: Uint8Array[];
  series: MeanrevRowColumns[];
  fromBar: number;
  toBar: number;
}

export type RowChunkJob = RollingRowsJob | MeanrevRowsJob;

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
export function formatRowChunkInto(job: RowChunkJob): number {
  const memory = Buffer.from(job.memory, job.offset, job.capacity);
  const bytes = NdjsonBytes.over(memory);
  if (job.kind === "meanrev") {
    formatMeanrevRows(bytes, job.flavour, job.times, job.symbols, job.series, job.fromBar, job.toBar);
  } else if (job.flavour.kind === "ndjson") {
    formatRollingRows(bytes, job.times, job.symbol, job.columns, job.from, job.to);
  } else {
    const separator = job.flavour.delimiter.charCodeAt(0);
    formatRollingDelimitedRows(bytes, separator, job.times, job.symbol, job.columns, job.from, job.to);
  }
  if (!bytes.isIn(memory)) throw new Error("a chunk of rows outgrew its slot");
  return bytes.byteLength;
}

interface ChunkPlan {
  count: number;
  /** The most bytes one chunk's rows take. */
  capacity: number;
  parallel: boolean;
  job: (index: number, slot: ChunkSlot) => RowChunkJob;
}

/**
 * Formats `count` chunks on every core (the main thread too) and hands them
 * to `write` in order, each straight from its shared slot; at most SLOTS
 * chunks are ever in flight, so memory is the ring's whatever the rows.
 */
async function writeChunksInOrder(
  plan: ChunkPlan,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  const memory = new SharedArrayBuffer(SLOTS * plan.capacity);
  const job = (index: number): RowChunkJob =>
    plan.job(index, { memory, offset: (index % SLOTS) * plan.capacity, capacity: plan.capacity });
  // A chunk's write goes on while the next chunks format; delivering chunk i waits only for
  // chunk i − WRITES_IN_FLIGHT's write, so a slot (reused SLOTS jobs later, at most
  // FORMAT_AHEAD past the next to deliver) is free again by the time a job takes it.
  const writes: Promise<void>[] = [];
  try {
    await streamJobs(
      {
        count: plan.count,
        workers: plan.parallel ? extraThreads() : 0,
        workerUrl: ROWS_WORKER,
        window: FORMAT_AHEAD,
        job,
        runHere: (index) => formatRowChunkInto(job(index)),
      },
      async (length, index) => {
        const written = write(Buffer.from(memory, (index % SLOTS) * plan.capacity, length));
        written.catch(() => undefined); // observed below, in order
        writes[index % WRITES_IN_FLIGHT] = written;
        const due = writes[(index + 1) % WRITES_IN_FLIGHT];
        if (due !== undefined && index + 1 >= WRITES_IN_FLIGHT) await due;
      },
    );
  } finally {
    await Promise.allSettled(writes);
  }
  for (const written of writes) await written;
}

/** Chunks formatted ahead of the next to deliver, and writes in flight: together within SLOTS. */
const FORMAT_AHEAD = 6;
const WRITES_IN_FLIGHT = 2;

const ROWS_WORKER = new URL("./rowsWorker.js", import.meta.url);

/** Whether chunks may go to worker threads: enough rows, a spare core, the built worker, and memory they share. */
function canRunParallel(rows: number, arrays: readonly ArrayBufferView[]): boolean {
  return (
    rows >= PARALLEL_MIN_ROWS &&
    extraThreads() > 0 &&
    existsSync(fileURLToPath(ROWS_WORKER)) &&
    arrays.every((array) => array.buffer instanceof SharedArrayBuffer)
  );
}

/** Below this many rows in all, one thread formats everything. */
const PARALLEL_MIN_ROWS = 1 << 20;

export interface RollingSeriesSource {
  /** NDJSON, or CSV/TSV (then `symbol` gives the separator and the symbol's cell, the times are cells). */
  flavour: RowFlavour;
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
  times: TimeTextBytes,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  // The columns are computed here, into shared memory, so only the row count and the times decide.
  const parallel = canRunParallel(source.rows * source.count, [times.bytes, times.ends]);
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
  let longestSymbol = 0;
  for (let k = 0; k < source.count; k++) longestSymbol = Math.max(longestSymbol, source.symbol(k).length);
  await writeChunksInOrder(
    {
      count: source.count * chunksPerSeries,
      capacity: CHUNK_ROWS * (longestTimeText(times) + longestSymbol + ROW_BYTES),
      parallel,
      job: (index, slot) => {
        const series = Math.floor(index / chunksPerSeries);
        const from = (index % chunksPerSeries) * CHUNK_ROWS;
        return {
          kind: "rolling",
          flavour: source.flavour,
          times,
          symbol: source.symbol(series),
          columns: columnsOf(series),
          from,
          to: Math.min(source.rows, from + CHUNK_ROWS),
          ...slot,
        };
      },
    },
    write,
  );
}

export interface MeanrevRowsSource {
  flavour: RowFlavour;
  times: TimeTextBytes;
  /** Each series' symbol as its rows write it (meanrevSymbolBytes). */
  symbols: Uint8Array[];
  series: MeanrevRowColumns[];
}

/**
 * `meanrev`'s per-row output (NDJSON or CSV/TSV rows), formatted on every
 * core when the columns sit in shared memory (as the parallel reader and the
 * series pool leave them), in chunks of whole bars, written in order.
 */
export async function writeMeanrevRowsInOrder(
  source: MeanrevRowsSource,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  const bars = source.times.ends.length;
  const width = Math.max(1, source.series.length);
  const arrays = source.series.flatMap((s) => [s.price, s.mean, s.std, s.position]);
  const parallel = canRunParallel(bars * width, [source.times.bytes, source.times.ends, ...arrays]);
  const barsPerChunk = Math.max(1, Math.floor(CHUNK_ROWS / width));
  const symbolBytes = source.symbols.reduce((total, symbol) => total + symbol.length, 0);
  await writeChunksInOrder(
    {
      count: Math.ceil(bars / barsPerChunk),
      capacity: barsPerChunk * (width * (longestTimeText(source.times) + MEANREV_ROW_BYTES) + symbolBytes),
      parallel,
      job: (index, slot) => ({
        kind: "meanrev",
        flavour: source.flavour,
        times: source.times,
        symbols: source.symbols,
        series: source.series,
        fromBar: index * barsPerChunk,
        toBar: Math.min(bars, (index + 1) * barsPerChunk),
        ...slot,
      }),
    },
    write,
  );
}
