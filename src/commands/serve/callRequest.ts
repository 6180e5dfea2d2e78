import { status } from "@grpc/grpc-js";
import type { CallInput, InlineTable, OptionValue } from "./callProtocol.js";
import type { DataDir } from "./dataDir.js";
import type { UnaryRpc } from "./rpcTable.js";

/** A request the server refuses before any work, with its status. */
export class RequestRefused extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = "RequestRefused";
  }
}

/** A request message as proto-loader decodes it (LOADER_OPTIONS). */
export type RequestMessage = Record<string, unknown>;

interface TableMessage {
  time?: string[];
  columns?: { name?: string; values?: number[] }[];
}

/** Fields that carry the input, and the names of the oneof members proto-loader adds. */
const INPUT_FIELDS = new Set(["input", "data", "path"]);

/** The request's input: its inline table, or its path once --data-dir allows it. */
export function callInput(
  rpc: Pick<UnaryRpc, "pathOnly">,
  request: RequestMessage,
  dataDir: DataDir,
): CallInput {
  if (request.input === "data") {
    if (rpc.pathOnly) {
      throw new RequestRefused(
        status.INVALID_ARGUMENT,
        "order-book events are not a price table: give a path under the server's --data-dir",
      );
    }
    return { kind: "table", table: inlineTable(request.data as TableMessage) };
  }
  if (request.input === "path") return { kind: "path", path: located(String(request.path), dataDir) };
  throw new RequestRefused(status.INVALID_ARGUMENT, "the request has no input: set data or path");
}

/**
 * The request's options, keyed by field (camelCase), with every path option
 * checked against --data-dir and the server's own settings added.
 */
export function callOptions(
  rpc: Pick<UnaryRpc, "pathOptions" | "fixedOptions">,
  request: RequestMessage,
  dataDir: DataDir,
): Record<string, OptionValue> {
  const options: Record<string, OptionValue> = {};
  for (const [field, value] of Object.entries(request)) {
    if (INPUT_FIELDS.has(field) || field.startsWith("_") || value === undefined || value === null) continue;
    options[field] = rpc.pathOptions.includes(field)
      ? pathOption(String(value), dataDir)
      : (value as OptionValue);
  }
  return { ...options, ...rpc.fixedOptions };
}

/** A path option; risk's `--weights SYM=w,…` is weights, not a path. */
function pathOption(value: string, dataDir: DataDir): string {
  return value.includes("=") ? value : located(value, dataDir);
}

function located(requested: string, dataDir: DataDir): string {
  const place = dataDir.locate(requested);
  if ("refused" in place) throw new RequestRefused(status.PERMISSION_DENIED, place.refused);
  return place.path;
}

function inlineTable(message: TableMessage | undefined): InlineTable {
  return {
    time: message?.time ?? [],
    columns: (message?.columns ?? []).map((column) => ({
      name: column.name ?? "",
      values: column.values ?? [],
    })),
  };
}
