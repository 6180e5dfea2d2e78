import { join } from "node:path";
import { type Metadata, type ServerErrorResponse, status } from "@grpc/grpc-js";
import protobuf from "protobufjs";
import { ExitCode } from "../../errors.js";
import type { CallError } from "./callProtocol.js";
import { PROTO_DIR } from "./serviceDefinition.js";

/** The gRPC status of a call the CLI would have ended with this error (SPEC §5). */
export function statusCodeOf(exitCode: number): status {
  if (exitCode === ExitCode.usage || exitCode === ExitCode.input) return status.INVALID_ARGUMENT;
  if (exitCode === ExitCode.numerical) return status.FAILED_PRECONDITION;
  return status.INTERNAL;
}

/**
 * The CLI's error as a gRPC error: the status message is the CLI's one
 * line, and the trailing metadata carries what `--json` prints besides
 * (`hftlab-error-code`, `-file`, `-line`, `-exit-code`) and the hint, as
 * text and as the standard rich status (`grpc-status-details-bin`: a
 * google.rpc.Status holding one google.rpc.ErrorInfo), which gRPC libraries
 * decode for their users (grpcio-status' `rpc_status.from_call`, Go's
 * `status.FromError(...).Details()`).
 */
export function serviceError(error: CallError, metadata: Metadata): ServerErrorResponse {
  const code = statusCodeOf(error.exitCode);
  metadata.set("grpc-status-details-bin", statusDetails(code, error));
  metadata.set("hftlab-error-code", headerText(error.code));
  metadata.set("hftlab-exit-code", String(error.exitCode));
  if (error.file !== null) metadata.set("hftlab-error-file", headerText(error.file));
  if (error.line !== null) metadata.set("hftlab-error-line", String(error.line));
  if (error.hint !== null) metadata.set("hftlab-hint", headerText(error.hint));
  const failure = new Error(error.message) as ServerErrorResponse;
  failure.code = code;
  failure.details = error.message;
  failure.metadata = metadata;
  return failure;
}

/** Text metadata must be printable ASCII (HTTP/2 header values): anything else is written `\uXXXX`. */
function headerText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

interface StatusTypes {
  status: protobuf.Type;
  errorInfo: protobuf.Type;
}

let types: StatusTypes | null = null;

/** google.rpc.Status and ErrorInfo from the shipped protos, read on the first error. */
function statusTypes(): StatusTypes {
  if (types === null) {
    const root = protobuf.loadSync([
      join(PROTO_DIR, "google/rpc/status.proto"),
      join(PROTO_DIR, "google/rpc/error_details.proto"),
    ]);
    types = {
      status: root.lookupType("google.rpc.Status"),
      errorInfo: root.lookupType("google.rpc.ErrorInfo"),
    };
  }
  return types;
}

/**
 * The encoded google.rpc.Status of an error: its code and message as the
 * call's, and an ErrorInfo whose reason is the CLI's error code in upper
 * snake case (AIP-193), domain "hftlab", and metadata the exit code and,
 * where known, the file, line and hint.
 */
export function statusDetails(code: status, error: CallError): Buffer {
  const { status: Status, errorInfo: ErrorInfo } = statusTypes();
  const metadata: Record<string, string> = { exit_code: String(error.exitCode) };
  if (error.file !== null) metadata.file = error.file;
  if (error.line !== null) metadata.line = String(error.line);
  if (error.hint !== null) metadata.hint = error.hint;
  const info = ErrorInfo.encode(
    ErrorInfo.create({ reason: error.code.toUpperCase(), domain: "hftlab", metadata }),
  ).finish();
  const message = Status.create({
    code,
    message: error.message,
    details: [{ type_url: "type.googleapis.com/google.rpc.ErrorInfo", value: info }],
  });
  return Buffer.from(Status.encode(message).finish());
}
