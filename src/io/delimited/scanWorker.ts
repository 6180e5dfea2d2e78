/**
 * The helper thread of a parallel scan (see `parallelScan.ts`): scans one
 * byte range of a plain delimited file (the first part) into shared
 * columns and hands its time stamps back without making strings: as bytes
 * (transferred, not copied) or, for plain integer stamps, as nothing more
 * than the keys already in the shared columns. Loaded as a worker_threads
 * entry point; `scanRange` also runs in-thread.
 */
import { open } from "node:fs/promises";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { type ErrorLocation, HftlabError } from "../../errors.js";
import { DelimitedScanner, FallbackNeeded, StorageFull } from "./scanner.js";
import type { TimePart } from "../frame.js";
import type { Layout } from "../table/layout.js";
import { fileLineBlocks } from "./lineBlocks.js";

export const WORKER_TAG = "hftlab-scan";

export interface ScanJob {
  path: string;
  file: string;
  header: string[];
  layout: Layout;
  delimiter: string;
  /** Byte range [from, to) of whole lines. */
  from: number;
  to: number;
  /** Line number of the range's first line. */
  firstLine: number;
  /** Row index where the range's first row goes. */
  base: number;
  values: SharedArrayBuffer[];
  lines: SharedArrayBuffer;
  timeDigitsKey: SharedArrayBuffer;
}

/** The scan's one reply. */
export type ScanReply =
  | { kind: "done"; rows: number; timeDigitsOnly: boolean; anyMissing: boolean; time: TimePart }
  | { kind: "error"; code: string; message: string; hint: string | undefined; location: ErrorLocation }
  | { kind: "fallback" }
  | { kind: "full" }
  | { kind: "crash"; message: string };

/**
 * Scans `job`'s range and resolves to its reply; never rejects. `stopped`
 * is polled between blocks (the in-thread variant has no terminate()); a
 * stopped scan resolves to null.
 */
export async function scanRange(
  job: ScanJob,
  stopped: () => boolean = () => false,
): Promise<ScanReply | null> {
  let reply: ScanReply;
  try {
    const scanner = new DelimitedScanner(job.file, job.header, job.layout, job.delimiter, job.firstLine, {
      values: job.values.map((buffer) => new Float64Array(buffer)),
      lines: new Uint32Array(job.lines),
      timeDigitsKey: new Float64Array(job.timeDigitsKey),
      base: job.base,
      fixed: true,
    });
    const handle = await open(job.path, "r");
    try {
      for await (const block of fileLineBlocks(handle, job.to, undefined, job.from, job.file)) {
        if (stopped()) return null;
        scanner.scan(block.buf, block.start, block.end);
      }
    } finally {
      await handle.close();
    }
    reply = { kind: "done", rows: scanner.rows, ...scanner.flags, time: scanner.timePart() };
  } catch (error) {
    if (error instanceof FallbackNeeded) reply = { kind: "fallback" };
    else if (error instanceof StorageFull) reply = { kind: "full" };
    else if (error instanceof HftlabError) {
      const { code, message, hint, location } = error;
      reply = { kind: "error", code, message, hint, location: { ...location } };
    } else reply = { kind: "crash", message: String(error) };
  }
  return reply;
}

if (!isMainThread && parentPort !== null && workerData === WORKER_TAG) {
  const port = parentPort;
  port.once("message", (job: ScanJob) => {
    void scanRange(job).then((reply) => {
      // Byte stamps are transferred, not copied; digit stamps are a view of the shared keys.
      const time = reply?.kind === "done" ? reply.time : null;
      if (time?.kind === "bytes") {
        port.postMessage(reply, [time.bytes.buffer as ArrayBuffer, time.ends.buffer as ArrayBuffer]);
      } else port.postMessage(reply);
    });
  });
}
