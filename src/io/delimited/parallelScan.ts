/**
 * Two-thread scan of a large plain delimited file.
 *
 * Why: on a 2-core machine, faulting in the output columns (8 bytes per
 * cell of fresh memory) costs as much as parsing; one thread cannot reach
 * the load-time target. A worker scans the first part of the file and this
 * thread the rest, into the same SharedArrayBuffer-backed columns. Neither
 * makes a string per time stamp: each keeps its stamps as bytes (or only as
 * their numeric keys), and the worker's are transferred back whole (see
 * `TimeColumn`). The split is sized so both finish together.
 *
 * Method: start the worker on the first part at row 0, count that part's
 * lines meanwhile (they fix the row and line number where this thread's
 * part starts), scan the rest, then close the gap left by blank lines in
 * the worker's part, if any. Both get capacity for the estimated rows with
 * 25% slack (untouched slack costs no memory). Errors keep file order: the
 * worker's part comes first, so its first error wins, then this thread's.
 * Anything unusual (quoted fields, a worse-than-estimated row count, a
 * failed worker) gives up and lets the caller scan sequentially, so results
 * never depend on the split.
 */
import { extraThreads } from "../../parallel/threads.js";
import { existsSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { inputError } from "../../errors.js";
import { DelimitedScanner, FallbackNeeded, StorageFull } from "./scanner.js";
import { fileSystemError } from "../inputSource.js";
import type { Layout } from "../table/layout.js";
import { fileLineBlocks } from "./lineBlocks.js";
import type { RawTable } from "../table/rawTable.js";
import { TimeColumn, type TimePart } from "../frame.js";
import { type ScanJob, type ScanReply, scanRange, WORKER_TAG } from "./scanWorker.js";

const LF = 10;

/** Files smaller than this are scanned on one thread (a worker costs ~30 ms to start). */
let parallelMinBytes = 32 << 20;

/** For tests: lowers the size from which the parallel scan is used. */
export function setParallelMinBytes(bytes: number): void {
  parallelMinBytes = bytes;
}

export function parallelScanWanted(size: number, layout: Layout): boolean {
  return size >= parallelMinBytes && layout.symbolField < 0 && extraThreads() > 0;
}

/**
 * Share of the data bytes the worker scans (the first part of the file).
 * Cost model per row (ns, measured on the 2-core target): scanning ≈ 35 per
 * numeric cell (parse and first touch of its 8 bytes) + 1.5 per byte, the
 * same on both threads now that neither makes a string per stamp; counting
 * the worker's lines, which this thread does while the worker scans, ≈ 50;
 * and ≈ 100 ms for the worker to start and warm up (a fresh isolate runs
 * unoptimised code at first). Worker: start + w·scan; this thread:
 * w·count + (1 − w)·scan; equal when w = (scan − start) / (2·scan − count).
 */
function workerShare(valueCount: number, bytesPerRow: number, rows: number): number {
  const scanCost = valueCount * 35 + bytesPerRow * 1.5;
  const countCost = 50;
  const startCost = 100e6 / Math.max(1, rows);
  const share = (scanCost - startCost) / (2 * scanCost - countCost);
  return Math.min(0.8, Math.max(0.2, share));
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** The offset just past the first LF at or after `target`, or -1. */
async function lineStartAfter(handle: FileHandle, target: number, size: number): Promise<number> {
  for (let position = target; position < size; position += 1 << 16) {
    const window = await readAt(handle, position, 1 << 16);
    const at = window.indexOf(LF);
    if (at >= 0) return position + at + 1;
  }
  return -1;
}

/** LF count of [from, to), read through one small reused buffer (fresh memory is costly to fault in). */
async function countLines(handle: FileHandle, from: number, to: number): Promise<number> {
  const buffer = Buffer.allocUnsafe(1 << 20);
  let count = 0;
  for (let position = from; position < to; ) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, to - position), position);
    if (bytesRead === 0) break;
    for (let at = buffer.indexOf(LF); at >= 0 && at < bytesRead; at = buffer.indexOf(LF, at + 1)) count++;
    position += bytesRead;
  }
  return count;
}

interface Helper {
  /** Starts the scan of `job`; resolves to its reply (null: the helper was stopped or sent nothing). */
  start(job: ScanJob): Promise<ScanReply | null>;
  stop(): void;
}

function workerUrl(): URL | null {
  const url = new URL("./scanWorker.js", import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : null;
}

/** The same scan run in this thread: for tests on the sources, where no compiled worker exists. */
function inThreadHelper(): Helper {
  let stopped = false;
  return {
    start: (job) => scanRange(job, () => stopped),
    stop: () => {
      stopped = true;
    },
  };
}

function startHelper(): Helper {
  const url = workerUrl();
  if (url === null) return inThreadHelper();
  let worker: Worker;
  try {
    worker = new Worker(url, { workerData: WORKER_TAG });
  } catch {
    return inThreadHelper();
  }
  return {
    start: (job) =>
      new Promise<ScanReply | null>((resolve) => {
        // The first event wins: the reply, or the crash or exit that prevents one.
        worker.once("message", (reply: ScanReply | null) => resolve(reply));
        worker.once("error", (error) => resolve({ kind: "crash", message: String(error) }));
        worker.once("exit", () => resolve({ kind: "crash", message: "worker exited" }));
        worker.postMessage(job);
      }),
    stop: () => void worker.terminate(),
  };
}

export interface ParallelScanRequest {
  path: string;
  file: string;
  header: string[];
  layout: Layout;
  delimiter: string;
  /** Line number of the header line. */
  headerLine: number;
  /** Byte offset of the first data line. */
  dataStart: number;
  size: number;
}

/**
 * Scans the file on two threads. Returns null when the caller should scan
 * sequentially instead, and throws FallbackNeeded for the csv-parse path.
 */
export async function scanInParallel(request: ParallelScanRequest): Promise<RawTable | null> {
  let handle: FileHandle;
  try {
    handle = await open(request.path, "r");
  } catch (error) {
    throw fileSystemError(error, request.file);
  }
  try {
    return await scanWith(handle, request);
  } catch (error) {
    if (error instanceof FallbackNeeded) throw error;
    throw fileSystemError(error, request.file);
  } finally {
    await handle.close();
  }
}

async function scanWith(handle: FileHandle, request: ParallelScanRequest): Promise<RawTable | null> {
  const { path, file, header, layout, delimiter, dataStart, size } = request;
  let helper: Helper | null = null;
  try {
    const sample = await readAt(handle, dataStart, 1 << 20);
    let sampleLines = 0;
    for (let at = sample.indexOf(LF); at >= 0; at = sample.indexOf(LF, at + 1)) sampleLines++;
    if (sampleLines === 0) return null;
    const bytesPerRow = sample.length / sampleLines;
    const estimatedRows = (size - dataStart) / bytesPerRow;
    const share = workerShare(layout.valueFields.length, bytesPerRow, estimatedRows);
    const splitAt = await lineStartAfter(handle, dataStart + Math.floor((size - dataStart) * share), size);
    if (splitAt < 0 || splitAt >= size) return null;
    const capacity = Math.ceil(estimatedRows * 1.25) + 4096;
    const valueBuffers = layout.valueFields.map(() => new SharedArrayBuffer(capacity * 8));
    const linesBuffer = new SharedArrayBuffer(capacity * 4);
    const keyBuffer = new SharedArrayBuffer(capacity * 8);
    helper = startHelper();
    const replied = helper.start({
      path,
      file,
      header,
      layout,
      delimiter,
      from: dataStart,
      to: splitAt,
      firstLine: request.headerLine + 1,
      base: 0,
      values: valueBuffers,
      lines: linesBuffer,
      timeDigitsKey: keyBuffer,
    });
    let early: ScanReply | null | undefined;
    void replied.then((reply) => {
      early = reply;
    });
    // While the worker scans, count its lines: they fix where this thread's rows go.
    const workerLines = await countLines(handle, dataStart, splitAt);
    if (workerLines >= capacity) return null;
    const storage = {
      values: valueBuffers.map((buffer) => new Float64Array(buffer)),
      lines: new Uint32Array(linesBuffer),
      timeDigitsKey: new Float64Array(keyBuffer),
      base: workerLines,
      fixed: true,
    };
    const firstLine = request.headerLine + 1 + workerLines;
    const scanner = new DelimitedScanner(file, header, layout, delimiter, firstLine, storage);
    let failure: unknown = null;
    try {
      for await (const block of fileLineBlocks(handle, size, undefined, splitAt, file)) {
        // A worker that failed decides the outcome (its part comes first in the file).
        if (early !== undefined && early?.kind !== "done") break;
        scanner.scan(block.buf, block.start, block.end);
      }
    } catch (error) {
      if (error instanceof StorageFull) return null;
      failure = error;
    }
    const reply = await replied;
    // File order: the worker's part comes first, so its error or fallback wins over this thread's.
    if (reply === null) return null;
    if (reply.kind === "fallback") throw new FallbackNeeded("quoted field");
    if (reply.kind === "error") throw inputError(reply.code, reply.message, reply.location, reply.hint);
    if (reply.kind !== "done") return null;
    if (failure !== null) throw failure;
    const ownTime = scanner.timePart();
    return assemble(reply, scanner.finish(), ownTime, storage, workerLines);
  } finally {
    helper?.stop();
  }
}

/**
 * One table of the worker's rows, then this thread's. Its rows were placed
 * after all the lines of the worker's part; blank lines there leave a gap,
 * closed here.
 */
function assemble(
  reply: Extract<ScanReply, { kind: "done" }>,
  table: RawTable,
  ownTime: TimePart,
  storage: { values: Float64Array[]; lines: Uint32Array; timeDigitsKey: Float64Array },
  workerLines: number,
): RawTable {
  const workerRows = reply.rows;
  const rows = workerRows + table.rows;
  if (workerRows < workerLines) {
    const move = <T extends Float64Array | Uint32Array>(column: T) =>
      column.copyWithin(workerRows, workerLines, workerLines + table.rows);
    storage.values.forEach(move);
    move(storage.lines);
    move(storage.timeDigitsKey);
  }
  const keys = storage.timeDigitsKey;
  // Byte stamps stay where each thread wrote them; digit stamps are the keys, as moved.
  const workerTime: TimePart =
    reply.time.kind === "digits" ? { kind: "digits", values: keys.subarray(0, workerRows) } : reply.time;
  const mainTime: TimePart =
    ownTime.kind === "digits" ? { kind: "digits", values: keys.subarray(workerRows, rows) } : ownTime;
  const timeDigitsOnly = table.timeDigitsKey !== null && reply.timeDigitsOnly;
  return {
    ...table,
    rows,
    time: TimeColumn.fromParts([workerTime, mainTime]),
    values: storage.values,
    lines: storage.lines,
    anyMissing: table.anyMissing || reply.anyMissing,
    timeDigitsKey: timeDigitsOnly ? keys : null,
  };
}
