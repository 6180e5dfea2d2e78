import { HftlabError } from "../errors.js";
import type { JobFailure } from "./workerPool.js";

/**
 * An HftlabError across the thread boundary and back: a worker's input or
 * numerical error reaches the user exactly as the main thread's would
 * (same exit code, code, message, hint and place).
 */
export function describeFailure(error: unknown): JobFailure {
  if (error instanceof HftlabError) {
    return {
      message: JSON.stringify([
        error.exitCode,
        error.code,
        error.message,
        error.hint ?? null,
        error.location,
      ]),
      kind: "hftlab",
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

export function reviveFailure(failure: JobFailure): Error {
  if (failure.kind !== "hftlab") return new Error(failure.message);
  const [exitCode, code, message, hint, location] = JSON.parse(failure.message);
  return new HftlabError(exitCode, code, message, hint ?? undefined, location);
}
