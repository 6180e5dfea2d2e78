/**
 * The second thread of a parallel scan (see `parallelScan.ts`): scans one
 * byte range of a plain delimited file into shared columns, sending its
 * time stamps back as bytes block by block, so that the main thread can
 * turn them into strings while this thread is still scanning. Loaded as a
 * worker_threads entry point; `scanRange` also runs in-thread.
 */
import { open } from "node:fs/promises";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { type ErrorLocation, HftlabError } from "../errors.js";
import { DelimitedScanner, FallbackNeeded, StorageFull, type TimeBytes } from "./delimitedScanner.js";
import type { Layout } from "./layout.js";
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

/** Messages from the scan: any number of "times", then exactly one of the others. */
export type ScanMessage =
  | ({ kind: "times" } & TimeBytes)
  | { kind: "done"; rows: number; timeDigitsOnly: boolean; anyMissing: boolean }
  | { kind: "error"; code: string; message: string; hint: string | undefined; location: ErrorLocation }
  | { kind: "fallback" }
  | { kind: "full" }
  | { kind: "crash"; message: string };

export type ScanReply = Exclude<ScanMessage, { kind: "times" }>;

/**
 * Scans `job`'s range, reporting through `send`; never throws. `stopped`
 * is polled between blocks (the in-thread variant has no terminate()).
 */
export async function scanRange(
  job: ScanJob,
  send: (message: ScanMessage) => void,
  stopped: () => boolean = () => false,
): Promise<void> {
  let reply: ScanReply;
  try {
    const scanner = new DelimitedScanner(
      job.file,
      job.header,
      job.layout,
      job.delimiter,
      job.firstLine,
      {
        values: job.values.map((buffer) => new Float64Array(buffer)),
        lines: new Uint32Array(job.lines),
        timeDigitsKey: new Float64Array(job.timeDigitsKey),
        base: job.base,
        fixed: true,
      },
      true,
    );
    const handle = await open(job.path, "r");
    try {
      for await (const block of fileLineBlocks(handle, job.to, undefined, job.from)) {
        if (stopped()) return;
        scanner.scan(block.buf, block.start, block.end);
        send({ kind: "times", ...scanner.takeTimeBytes() });
      }
    } finally {
      await handle.close();
    }
    reply = { kind: "done", rows: scanner.rows, ...scanner.flags };
  } catch (error) {
    if (error instanceof FallbackNeeded) reply = { kind: "fallback" };
    else if (error instanceof StorageFull) reply = { kind: "full" };
    else if (error instanceof HftlabError) {
      const { code, message, hint, location } = error;
      reply = { kind: "error", code, message, hint, location: { ...location } };
    } else reply = { kind: "crash", message: String(error) };
  }
  send(reply);
}

if (!isMainThread && parentPort !== null && workerData === WORKER_TAG) {
  const port = parentPort;
  port.once("message", (job: ScanJob) => {
    void scanRange(job, (message) => {
      if (message.kind === "times")
        port.postMessage(message, [message.bytes.buffer as ArrayBuffer, message.ends.buffer as ArrayBuffer]);
      else port.postMessage(message);
    });
  });
}
