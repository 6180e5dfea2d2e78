/**
 * Two-thread scan of a large plain delimited file.
 *
 * Why: on a 2-core machine, building the time stamps (one JS string per
 * row, which only the main thread can create) and faulting in the output
 * columns (8 bytes per cell of fresh memory) cost as much as parsing; one
 * thread cannot reach the load-time target. The main thread scans the first
 * part of the file and makes every time string; a worker scans the rest
 * into the same SharedArrayBuffer-backed columns and streams its stamps
 * back as bytes, block by block, which the main thread turns into strings
 * while the worker is still scanning. The split is sized so both finish
 * together.
 *
 * Method: count the lines of the main part (so the worker knows its first
 * row and line number), give the worker capacity for its estimated rows with
 * 25% slack (untouched slack costs no memory), scan both parts, then close
 * the gap left by blank lines, if any. Errors keep file order: the main
 * part's first error wins, then the worker's. Anything unusual (quoted
 * fields, a worse-than-estimated row count, a failed worker) gives up and
 * lets the caller scan sequentially, so results never depend on the split.
 */
import { existsSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { inputError } from "../errors.js";
import { DelimitedScanner, FallbackNeeded } from "./delimitedScanner.js";
import { fileSystemError } from "./inputSource.js";
import type { Layout } from "./layout.js";
import { fileLineBlocks } from "./lineBlocks.js";
import type { RawTable } from "./rawTable.js";
import { type ScanJob, type ScanMessage, type ScanReply, scanRange, WORKER_TAG } from "./scanWorker.js";

const LF = 10;

/** Files smaller than this are scanned on one thread (a worker costs ~30 ms to start). */
let parallelMinBytes = 32 << 20;

/** For tests: lowers the size from which the parallel scan is used. */
export function setParallelMinBytes(bytes: number): void {
  parallelMinBytes = bytes;
}

export function parallelScanWanted(size: number, layout: Layout): boolean {
  return size >= parallelMinBytes && layout.symbolField < 0;
}

/**
 * Share of the data bytes the main thread scans. Cost model per row (ns,
 * measured on the 2-core target): a time string ≈ 300, a numeric cell ≈ 35
 * (parse and first touch of its 8 bytes), a skipped byte ≈ 1.5.
 */
function mainShare(valueCount: number, bytesPerRow: number): number {
  const stringCost = 300;
  const scanCost = valueCount * 35 + bytesPerRow * 1.5;
  return Math.min(0.5, Math.max(0.05, (scanCost - stringCost) / (2 * scanCost)));
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

async function countLines(handle: FileHandle, from: number, to: number): Promise<number> {
  let count = 0;
  for await (const block of fileLineBlocks(handle, to, undefined, from)) {
    const { buf, end } = block;
    for (let at = buf.indexOf(LF, block.start); at >= 0 && at < end; at = buf.indexOf(LF, at + 1)) count++;
  }
  return count;
}

/** The worker's messages, in order: its time chunks, then its final reply. */
class MessageQueue {
  private readonly items: ScanMessage[] = [];
  private wake: (() => void) | null = null;

  push(message: ScanMessage): void {
    this.items.push(message);
    this.wake?.();
    this.wake = null;
  }

  async next(): Promise<ScanMessage> {
    while (this.items.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.items.shift()!;
  }
}

interface Helper {
  start(job: ScanJob, queue: MessageQueue): void;
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
    start: (job, queue) =>
      void scanRange(
        job,
        (message) => queue.push(message),
        () => stopped,
      ),
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
    start: (job, queue) => {
      worker.on("message", (message: ScanMessage) => queue.push(message));
      worker.once("error", (error) => queue.push({ kind: "crash", message: String(error) }));
      worker.once("exit", () => queue.push({ kind: "crash", message: "worker exited" }));
      worker.postMessage(job);
    },
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
    const share = mainShare(layout.valueFields.length, bytesPerRow);
    const splitAt = await lineStartAfter(handle, dataStart + Math.floor((size - dataStart) * share), size);
    if (splitAt < 0 || splitAt >= size) return null;
    helper = startHelper();
    const mainLines = await countLines(handle, dataStart, splitAt);
    const workerCapacity = Math.ceil(((size - splitAt) / bytesPerRow) * 1.25) + 4096;
    const capacity = mainLines + workerCapacity;
    const valueBuffers = layout.valueFields.map(() => new SharedArrayBuffer(capacity * 8));
    const linesBuffer = new SharedArrayBuffer(capacity * 4);
    const keyBuffer = new SharedArrayBuffer(capacity * 8);
    const queue = new MessageQueue();
    helper.start(
      {
        path,
        file,
        header,
        layout,
        delimiter,
        from: splitAt,
        to: size,
        firstLine: request.headerLine + 1 + mainLines,
        base: mainLines,
        values: valueBuffers,
        lines: linesBuffer,
        timeDigitsKey: keyBuffer,
      },
      queue,
    );
    const storage = {
      values: valueBuffers.map((buffer) => new Float64Array(buffer)),
      lines: new Uint32Array(linesBuffer),
      timeDigitsKey: new Float64Array(keyBuffer),
      base: 0,
      fixed: true,
    };
    const scanner = new DelimitedScanner(file, header, layout, delimiter, request.headerLine + 1, storage);
    for await (const block of fileLineBlocks(handle, splitAt, undefined, dataStart)) {
      scanner.scan(block.buf, block.start, block.end);
    }
    // The worker's stamps become strings here, while it is still scanning.
    let message = await queue.next();
    for (; message.kind === "times"; message = await queue.next()) scanner.adoptTimes(message);
    if (message.kind === "fallback") throw new FallbackNeeded("quoted field");
    if (message.kind === "error")
      throw inputError(message.code, message.message, message.location, message.hint);
    if (message.kind !== "done") return null;
    return assemble(scanner.finish(), message, storage, mainLines);
  } finally {
    helper?.stop();
  }
}

function assemble(
  table: RawTable,
  reply: Extract<ScanReply, { kind: "done" }>,
  storage: { values: Float64Array[]; lines: Uint32Array; timeDigitsKey: Float64Array },
  mainLines: number,
): RawTable {
  const mainRows = table.rows;
  const rows = mainRows + reply.rows;
  if (mainRows < mainLines) {
    // Blank lines in the main part left a gap before the worker's rows.
    const move = <T extends Float64Array | Uint32Array>(column: T) =>
      column.copyWithin(mainRows, mainLines, mainLines + reply.rows);
    storage.values.forEach(move);
    move(storage.lines);
    move(storage.timeDigitsKey);
  }
  const timeDigitsOnly = table.timeDigitsKey !== null && reply.timeDigitsOnly;
  return {
    ...table,
    rows,
    values: storage.values,
    lines: storage.lines,
    anyMissing: table.anyMissing || reply.anyMissing,
    timeDigitsKey: timeDigitsOnly ? storage.timeDigitsKey : null,
  };
}
