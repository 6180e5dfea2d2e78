import { Metadata, type ServerErrorResponse, status } from "@grpc/grpc-js";
import type { Admission } from "./admission.js";
import type { CallError } from "./callProtocol.js";
import type { CallPool } from "./callPool.js";
import type { DataDir } from "./dataDir.js";

/** What every handler shares: the workers, the admission count and the data folder. */
export interface ServeDeps {
  pool: CallPool;
  admission: Admission;
  dataDir: DataDir;
}

/** The part of a grpc-js server call a handler watches to give up on it. */
export interface Abandonable {
  on(event: "cancelled", listener: () => void): unknown;
  getDeadline(): Date | number;
}

/**
 * An AbortSignal that fires when the client cancels or the call's deadline
 * passes (grpc-js answers DEADLINE_EXCEEDED itself; this stops the work).
 * `release` clears the deadline's timer once the call is over.
 */
export function abandonSignal(call: Abandonable): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  call.on("cancelled", () => controller.abort());
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  let timer: NodeJS.Timeout | undefined;
  if (Number.isFinite(at)) {
    timer = setTimeout(() => controller.abort(), Math.max(0, at - Date.now()));
    timer.unref();
  }
  return { signal: controller.signal, release: () => clearTimeout(timer) };
}

/** A call's error with the server's folder left out of every text (DataDir.clientText). */
export function clientError(error: CallError, dataDir: DataDir): CallError {
  return {
    ...error,
    message: dataDir.clientText(error.message),
    hint: error.hint === null ? null : dataDir.clientText(error.hint),
    file: error.file === null ? null : dataDir.clientText(error.file),
  };
}

export function statusError(code: status, details: string): ServerErrorResponse {
  const error = new Error(details) as ServerErrorResponse;
  error.code = code;
  error.details = details;
  error.metadata = new Metadata();
  return error;
}

export function overloaded(admission: Admission): ServerErrorResponse {
  return statusError(
    status.RESOURCE_EXHAUSTED,
    `the server has ${admission.limit} calls in progress (--max-concurrency); retry later`,
  );
}
