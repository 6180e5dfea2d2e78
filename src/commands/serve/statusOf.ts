import { type Metadata, type ServerErrorResponse, status } from "@grpc/grpc-js";
import { ExitCode } from "../../errors.js";
import type { CallError } from "./callProtocol.js";

/** The gRPC status of a call the CLI would have ended with this error (SPEC §5). */
export function statusCodeOf(exitCode: number): status {
  if (exitCode === ExitCode.usage || exitCode === ExitCode.input) return status.INVALID_ARGUMENT;
  if (exitCode === ExitCode.numerical) return status.FAILED_PRECONDITION;
  return status.INTERNAL;
}

/**
 * The CLI's error as a gRPC error: the status message is the CLI's one
 * line, and the trailing metadata carries what `--json` prints besides
 * (`hftlab-error-code`, `-file`, `-line`, `-exit-code`) and the hint.
 */
export function serviceError(error: CallError, metadata: Metadata): ServerErrorResponse {
  metadata.set("hftlab-error-code", headerText(error.code));
  metadata.set("hftlab-exit-code", String(error.exitCode));
  if (error.file !== null) metadata.set("hftlab-error-file", headerText(error.file));
  if (error.line !== null) metadata.set("hftlab-error-line", String(error.line));
  if (error.hint !== null) metadata.set("hftlab-hint", headerText(error.hint));
  const failure = new Error(error.message) as ServerErrorResponse;
  failure.code = statusCodeOf(error.exitCode);
  failure.details = error.message;
  failure.metadata = metadata;
  return failure;
}

/** Text metadata must be printable ASCII (HTTP/2 header values): anything else is written `\uXXXX`. */
function headerText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
