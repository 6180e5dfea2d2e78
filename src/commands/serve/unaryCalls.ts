import type { sendUnaryData, ServerErrorResponse, ServerUnaryCall, UntypedHandleCall } from "@grpc/grpc-js";
import { Metadata, status } from "@grpc/grpc-js";
import { CallAbandoned } from "./callPool.js";
import { abandonSignal, clientError, overloaded, type ServeDeps, statusError } from "./callControl.js";
import { callInput, callOptions, type RequestMessage, RequestRefused } from "./callRequest.js";
import type { UnaryRpc } from "./rpcTable.js";
import { serviceError } from "./statusOf.js";

type UnaryCall = ServerUnaryCall<RequestMessage, unknown>;
type Answer = { error: ServerErrorResponse } | { response: Record<string, unknown> };

/** The handler of one batch command's RPC. */
export function unaryHandler(rpc: UnaryRpc, deps: ServeDeps): UntypedHandleCall {
  return (call: UnaryCall, callback: sendUnaryData<unknown>) => {
    if (!deps.admission.tryEnter()) return callback(overloaded(deps.admission));
    answer(rpc, call, deps)
      .then((reply) => ("error" in reply ? callback(reply.error) : callback(null, reply.response)))
      .finally(() => deps.admission.leave());
  };
}

async function answer(rpc: UnaryRpc, call: UnaryCall, deps: ServeDeps): Promise<Answer> {
  const { signal, release } = abandonSignal(call);
  try {
    const job = {
      command: rpc.command,
      options: callOptions(rpc, call.request, deps.dataDir),
      input: callInput(rpc, call.request, deps.dataDir),
      output: "json" as const,
    };
    const outcome = await deps.pool.run({ job, heavy: rpc.heavy, signal });
    if (outcome.kind === "error") {
      return { error: serviceError(clientError(outcome.error, deps.dataDir), new Metadata()) };
    }
    if (outcome.kind !== "result") return { error: statusError(status.INTERNAL, "no result") };
    const warnings = outcome.warnings.map((warning) => deps.dataDir.clientText(warning));
    return { response: responseOf(outcome.resultJson, warnings) };
  } catch (error) {
    if (error instanceof RequestRefused) return { error: statusError(error.code, error.message) };
    if (error instanceof CallAbandoned) return { error: statusError(status.CANCELLED, error.message) };
    const message = error instanceof Error ? error.message : String(error);
    return { error: statusError(status.INTERNAL, `internal failure: ${message}`) };
  } finally {
    release();
  }
}

/**
 * The response: the typed fields are the result's own keys (proto-loader
 * keeps the fields a message declares and drops the rest), plus the
 * result's JSON text and the warnings.
 */
export function responseOf(resultJson: string, warnings: string[]): Record<string, unknown> {
  const result = JSON.parse(resultJson) as Record<string, unknown>;
  return { ...result, resultJson, warnings };
}
