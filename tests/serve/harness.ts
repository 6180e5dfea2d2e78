import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { BIN, ROOT } from "../cli/run.js";

/**
 * The built binary as a server (`hftlab serve --listen 127.0.0.1:0`), found
 * by the line it prints once bound, and a real @grpc/grpc-js client of the
 * shipped proto.
 */
export const PROTO_DIR = `${ROOT}proto`;

export interface Served {
  process: ChildProcess;
  address: string;
  stderr: () => string;
  /** Resolves with the exit code once the server has ended. */
  exited: Promise<number | null>;
}

const LISTENING = /hftlab: serve: listening on (\S+)/;

export function startServer(args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [BIN, "serve", "--listen", "127.0.0.1:0", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = LISTENING.exec(stderr);
      if (match) resolve({ process: child, address: match[1]!, stderr: () => stderr, exited });
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code} before listening: ${stderr}`)));
  });
}

export async function stopServer(served: Served): Promise<number | null> {
  served.process.kill("SIGTERM");
  return served.exited;
}

const LOADER = { keepCase: false, longs: Number, enums: String, defaults: false, oneofs: true };

type ServiceConstructor = grpc.ServiceClientConstructor;

function loadService(file: string, includeDirs: string[], path: string[]): ServiceConstructor {
  const definition = protoLoader.loadSync(file, { ...LOADER, includeDirs });
  let node: unknown = grpc.loadPackageDefinition(definition);
  for (const name of path) node = (node as Record<string, unknown>)[name];
  return node as ServiceConstructor;
}

export type Client = grpc.Client & Record<string, grpc.MethodDefinition<unknown, unknown> & CallableFunction>;

export function hftlabClient(address: string, options: grpc.ClientOptions = {}): Client {
  const Service = loadService("hftlab/v1/hftlab.proto", [PROTO_DIR], ["hftlab", "v1", "Hftlab"]);
  return new Service(address, grpc.credentials.createInsecure(), {
    "grpc.max_send_message_length": 64 << 20,
    "grpc.max_receive_message_length": 64 << 20,
    ...options,
  }) as unknown as Client;
}

export function healthClient(address: string): Client {
  const Service = loadService("grpc/health/v1/health.proto", [PROTO_DIR], ["grpc", "health", "v1", "Health"]);
  return new Service(address, grpc.credentials.createInsecure()) as unknown as Client;
}

export function reflectionClient(address: string): Client {
  const dir = `${ROOT}node_modules/@grpc/reflection/build/proto`;
  const Service = loadService(
    "grpc/reflection/v1/reflection.proto",
    [dir],
    ["grpc", "reflection", "v1", "ServerReflection"],
  );
  return new Service(address, grpc.credentials.createInsecure()) as unknown as Client;
}

export type Reply = Record<string, unknown> & { resultJson?: string };

/** A unary call as a promise: the response, or the error with its status code. */
export function unary(
  client: Client,
  method: string,
  request: unknown,
  options: { deadlineMs?: number; onCall?: (call: grpc.ClientUnaryCall) => void } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const callOptions = { deadline: Date.now() + (options.deadlineMs ?? 60_000) };
    const call = client[method]!(
      request,
      new grpc.Metadata(),
      callOptions,
      (error: grpc.ServiceError | null, reply: Reply) => (error ? reject(error) : resolve(reply)),
    ) as grpc.ClientUnaryCall;
    options.onCall?.(call);
  });
}

/** The status of a call that must fail. */
export async function failure(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error("the call succeeded");
}

/** A fixture's wide CSV as an inline Table (every cell numeric: eustocks-like files only). */
export function fixtureTable(name: string): {
  time: string[];
  columns: { name: string; values: number[] }[];
} {
  const [header, ...rows] = readFileSync(`${ROOT}fixtures/${name}`, "utf8").trim().split("\n");
  const names = header!.split(",").slice(1).map(unquote);
  const cells = rows.map((row) => row.split(","));
  return {
    time: cells.map((row) => unquote(row[0]!)),
    columns: names.map((columnName, j) => ({
      name: columnName,
      values: cells.map((row) => Number(row[j + 1])),
    })),
  };
}

function unquote(text: string): string {
  return text.replace(/^"(.*)"$/, "$1");
}

export { grpc };
