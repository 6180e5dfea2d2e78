import { availableParallelism } from "node:os";
import type { Command } from "commander";
import type { RunContext } from "../../context.js";
import { ExitCode, usageError } from "../../errors.js";
import { parseInteger } from "../shared/options.js";

export const SERVE_DEFAULTS = {
  listen: "127.0.0.1:50051",
  /** SPEC §5: calls in progress (running or waiting for a worker) before RESOURCE_EXHAUSTED. */
  maxConcurrency: 256,
  /** 64 MiB each way: a table of about 8 million doubles (grpc-js alone would stop at 4 MiB). */
  maxMessageBytes: 64 << 20,
  drainSeconds: 30,
};

interface ServeOptions {
  listen: string;
  dataDir?: string;
  maxConcurrency: number;
  workers?: number;
  maxMessageBytes: number;
  tlsCert?: string;
  tlsKey?: string;
  insecure: boolean;
  drainSeconds: number;
  quiet: boolean;
  debug: boolean;
}

export function registerServe(program: Command, context: RunContext): void {
  program
    .command("serve")
    .summary("serve every command over gRPC (hftlab.v1.Hftlab, health, reflection)")
    .description(
      "A gRPC server (proto/hftlab/v1/hftlab.proto in the package): one unary RPC per batch command, whose " +
        "result_json is the command's --json result, StreamSignals (ticks in, stream rows out) and ReplayBook " +
        "(book snapshots). Inputs are inline tables or files under --data-dir. Calls run on worker threads; " +
        "heavy ones (fits, sampling, scans) leave one worker free for the others. Prints " +
        "'hftlab: serve: listening on HOST:PORT' on stderr once bound. SIGTERM (or Ctrl-C) drains: no new " +
        "calls, the calls in flight finish, then exit 0 (130 for Ctrl-C).",
    )
    .option("--listen <host:port>", "address to bind (port 0: any free port)", SERVE_DEFAULTS.listen)
    .option("--data-dir <dir>", "the folder whose files requests may name by path (default: none)")
    .option(
      "--max-concurrency <n>",
      "calls in progress before RESOURCE_EXHAUSTED",
      parseInteger("--max-concurrency", 1, 1_000_000),
      SERVE_DEFAULTS.maxConcurrency,
    )
    .option(
      "--workers <n>",
      "worker threads that run calls (default: the cores, at least 2)",
      parseInteger("--workers", 1, 256),
    )
    .option(
      "--max-message-bytes <n>",
      "largest request or response message",
      parseInteger("--max-message-bytes", 1024, 2 ** 31 - 1),
      SERVE_DEFAULTS.maxMessageBytes,
    )
    .option("--tls-cert <file>", "PEM certificate chain: serve TLS (with --tls-key)")
    .option("--tls-key <file>", "PEM private key of --tls-cert")
    .option("--insecure", "allow plaintext on an address beyond loopback", false)
    .option(
      "--drain-seconds <s>",
      "on SIGTERM, how long calls in flight may take before they are cut off",
      parseInteger("--drain-seconds", 0, 86_400),
      SERVE_DEFAULTS.drainSeconds,
    )
    .option("-q, --quiet", "no notices on stderr but the listening line", false)
    .option("--debug", "show stack traces for errors", false)
    .addHelpText(
      "after",
      `
Examples:
  timeout -s TERM --preserve-status 3 hftlab serve --listen 127.0.0.1:0 --data-dir fixtures    # serves 3 s, then drains: exits 0
  hftlab serve --listen 0.0.0.0:50051    # exits 2: beyond loopback it needs --tls-cert and --tls-key (or --insecure)

A client: grpcurl -plaintext -d '{"path":"eustocks.csv","window":60}' 127.0.0.1:50051 hftlab.v1.Hftlab/Meanrev`,
    )
    .action(async (options: ServeOptions) => {
      await runServe(options, context);
    });
}

async function runServe(options: ServeOptions, context: RunContext): Promise<void> {
  checkListen(options);
  // From here a SIGTERM or Ctrl-C drains, even one that comes while the server starts (it then
  // drains as soon as the server is up): the CLI's exit-at-once handlers would exit 143 mid-start.
  const stopping = drainSignal();
  // grpc-js and the protos load here, so `hftlab --version` and every other command never pay for them.
  const { startServer } = await import("./server.js");
  const server = await startServer({
    listen: options.listen,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    maxConcurrency: options.maxConcurrency,
    workers: options.workers ?? Math.max(2, availableParallelism()),
    maxMessageBytes: options.maxMessageBytes,
    ...(options.tlsCert === undefined ? {} : { tlsCert: options.tlsCert, tlsKey: options.tlsKey! }),
    drainSeconds: options.drainSeconds,
  });
  context.stderr(`hftlab: serve: listening on ${server.address}\n`);
  const signal = await stopping;
  if (!options.quiet) context.stderr(`hftlab: serve: ${signal}: draining calls in flight\n`);
  await server.drain();
  if (!options.quiet) context.stderr("hftlab: serve: stopped\n");
  context.exitCode = signal === "SIGINT" ? ExitCode.interrupted : ExitCode.ok;
}

/** Resolves at the first SIGTERM or SIGINT, which replace the CLI's exit-at-once handlers while serving. */
function drainSignal(): Promise<"SIGTERM" | "SIGINT"> {
  const cli = { SIGTERM: process.listeners("SIGTERM"), SIGINT: process.listeners("SIGINT") };
  const stopping = new Promise<"SIGTERM" | "SIGINT">((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => {
      // A second Ctrl-C during the drain ends at once.
      process.once("SIGINT", () => process.exit(ExitCode.interrupted));
      resolve("SIGINT");
    });
  });
  // The CLI's handlers go only now: with no listener left even for a moment, Node closes the
  // signal's watcher, and a signal already delivered to it is lost (the server then ran on).
  for (const signal of ["SIGTERM", "SIGINT"] as const)
    for (const listener of cli[signal]) process.off(signal, listener);
  return stopping;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/;

function checkListen(options: ServeOptions): void {
  if (!/^.+:\d+$/.test(options.listen)) {
    throw usageError(`--listen takes host:port, got ${options.listen}`, "e.g. --listen 127.0.0.1:50051");
  }
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
    throw usageError("--tls-cert and --tls-key go together");
  }
  if (!LOOPBACK.test(options.listen) && options.tlsCert === undefined && !options.insecure) {
    throw usageError(
      `--listen ${options.listen} is beyond loopback: serve it with TLS`,
      "give --tls-cert and --tls-key, or --insecure to serve plaintext anyway",
    );
  }
}
