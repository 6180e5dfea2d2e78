import { readFile } from "node:fs/promises";
import { Server, ServerCredentials, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { Admission } from "./admission.js";
import type { ServeDeps } from "./callControl.js";
import { CallPool } from "./callPool.js";
import { DataDir } from "./dataDir.js";
import { HealthService } from "./health.js";
import { replayBookHandler } from "./replayBook.js";
import { UNARY_RPCS } from "./rpcTable.js";
import { loadServices } from "./serviceDefinition.js";
import { streamSignalsHandler } from "./streamSignals.js";
import { unaryHandler } from "./unaryCalls.js";

export interface ServeSettings {
  listen: string;
  dataDir?: string;
  maxConcurrency: number;
  workers: number;
  maxMessageBytes: number;
  tlsCert?: string;
  tlsKey?: string;
  /** How long a drain waits for calls in flight before it cuts them off. */
  drainSeconds: number;
}

export interface RunningServer {
  /** host:port as bound (the port the system chose for `:0`). */
  address: string;
  /** Stops taking calls, lets those in flight finish (up to --drain-seconds), then stops the workers. */
  drain(): Promise<void>;
}

export async function startServer(settings: ServeSettings): Promise<RunningServer> {
  const services = loadServices();
  const deps: ServeDeps = {
    pool: new CallPool(settings.workers),
    admission: new Admission(settings.maxConcurrency),
    dataDir: new DataDir(settings.dataDir),
  };
  const server = new Server({
    "grpc.max_receive_message_length": settings.maxMessageBytes,
    "grpc.max_send_message_length": settings.maxMessageBytes,
  });
  server.addService(services.hftlab.service, hftlabImplementation(deps));
  const health = new HealthService();
  server.addService(services.health.service, health.handlers());
  new ReflectionService(services.definition).addToServer(server);
  const port = await bind(server, settings.listen, await credentials(settings));
  return {
    address: `${hostOf(settings.listen)}:${port}`,
    drain: () => drain(server, health, deps.pool, settings.drainSeconds),
  };
}

function hftlabImplementation(deps: ServeDeps): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const rpc of UNARY_RPCS) implementation[rpc.method] = unaryHandler(rpc, deps);
  implementation.StreamSignals = streamSignalsHandler(deps);
  implementation.ReplayBook = replayBookHandler(deps);
  return implementation;
}

async function credentials(settings: ServeSettings): Promise<ServerCredentials> {
  if (settings.tlsCert === undefined || settings.tlsKey === undefined)
    return ServerCredentials.createInsecure();
  const [cert, key] = await Promise.all([readFile(settings.tlsCert), readFile(settings.tlsKey)]);
  return ServerCredentials.createSsl(null, [{ cert_chain: cert, private_key: key }], false);
}

function bind(server: Server, address: string, credentials: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port)));
  });
}

function hostOf(listen: string): string {
  return listen.slice(0, listen.lastIndexOf(":"));
}

async function drain(server: Server, health: HealthService, pool: CallPool, seconds: number): Promise<void> {
  health.drain();
  await new Promise<void>((resolve) => {
    const cutOff = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, seconds * 1000);
    server.tryShutdown(() => {
      clearTimeout(cutOff);
      resolve();
    });
  });
  await pool.close();
}
