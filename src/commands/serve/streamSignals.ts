import type { ServerDuplexStream } from "@grpc/grpc-js";
import { Metadata, status } from "@grpc/grpc-js";
import { HftlabError } from "../../errors.js";
import { TickEngine } from "../../stream/tickEngine.js";
import {
  checkStreamOptions,
  loadStreamModel,
  malformedLineHandler,
  registerStream,
  type StreamOptions,
  tickSettings,
} from "../stream/command.js";
import { abandonSignal, clientError, overloaded, type ServeDeps, statusError } from "./callControl.js";
import { callOptions, type RequestMessage, RequestRefused } from "./callRequest.js";
import { callErrorOf } from "./callError.js";
import { parseCommandOptions } from "./parseCommandOptions.js";
import { serviceError } from "./statusOf.js";

interface TickMessage {
  ts?: string;
  symbol?: string;
  price?: number;
  size?: number;
  seq?: number;
}

interface StreamRequest {
  options?: RequestMessage;
  ticks?: TickMessage[];
}

type SignalsCall = ServerDuplexStream<StreamRequest, Record<string, unknown>>;

/** What a call's ticks are called in messages, as a file's name is in the CLI's. */
const SOURCE_NAME = "ticks";

/**
 * StreamSignals: the `stream` command's engine, one per call, fed each Tick
 * as the NDJSON line `{ts, symbol, price[, size][, seq]}` the CLI would read,
 * so parsing, replay dropping and every number are the CLI's. Each row the
 * engine writes goes out as it is made, with `row_json` the line `hftlab
 * stream` prints. Ticks are processed in arrival order on the event loop:
 * a tick costs microseconds, less than handing it to a thread.
 */
export function streamSignalsHandler(deps: ServeDeps) {
  return (call: SignalsCall) => {
    if (!deps.admission.tryEnter()) {
      call.emit("error", overloaded(deps.admission));
      return;
    }
    let left = false;
    const leave = (): void => {
      if (left) return;
      left = true;
      deps.admission.leave();
    };
    call.on("cancelled", leave);
    call.on("close", leave);
    void runSignals(call, deps).finally(leave);
  };
}

async function runSignals(call: SignalsCall, deps: ServeDeps): Promise<void> {
  let engine: Promise<TickEngine> | undefined;
  let failed = false;
  const fail = (error: unknown): void => {
    if (failed) return;
    failed = true;
    call.emit("error", errorStatus(error, deps));
  };
  const feed = (message: StreamRequest): void => {
    engine ??= startEngine(message.options ?? {}, deps);
    // Ticks wait for the engine (a --model is read from disk), in their order.
    engine = engine.then((running) => {
      if (!failed) {
        for (const tick of message.ticks ?? []) running.feedText(`${tickLine(tick)}\n`);
        sendRows(running, call);
      }
      return running;
    });
    engine.catch(fail);
  };
  call.on("data", feed);
  const { signal, release } = abandonSignal(call);
  await new Promise<void>((resolve) => {
    call.on("end", resolve);
    call.on("error", () => resolve());
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
  release();
  if (failed || signal.aborted) return;
  try {
    const running = await (engine ?? startEngine({}, deps));
    running.endText();
    sendRows(running, call);
    call.end();
  } catch (error) {
    fail(error);
  }
}

async function startEngine(fields: RequestMessage, deps: ServeDeps): Promise<TickEngine> {
  const resolved = callOptions({ pathOptions: ["model"] }, fields, deps.dataDir);
  const options = await parseCommandOptions<StreamOptions>(registerStream, "stream", {
    ...resolved,
    quiet: true,
  });
  checkStreamOptions(undefined, options);
  const model = options.model === undefined ? null : await loadStreamModel(options.model, options.features);
  return new TickEngine(
    tickSettings(options),
    model,
    malformedLineHandler(options, SOURCE_NAME, { stderr: () => {} }),
  );
}

/** A Tick as the NDJSON line the CLI reads: the fields it has, in the CLI's key order. */
function tickLine(tick: TickMessage): string {
  const line: Record<string, unknown> = {
    ts: tick.ts ?? "",
    symbol: tick.symbol ?? "",
    price: tick.price ?? 0,
  };
  if (tick.size !== undefined) line.size = tick.size;
  if (tick.seq !== undefined) line.seq = tick.seq;
  return JSON.stringify(line);
}

function sendRows(engine: TickEngine, call: SignalsCall): void {
  const out = engine.takeOutput();
  if (out.length === 0) return;
  const text = out.toString("utf8");
  engine.recycleOutput(out);
  let room = true;
  for (const line of text.split("\n")) if (line !== "") room = call.write(signalRow(line));
  // A client that does not read its rows stops being read: HTTP/2 flow control then holds its ticks back.
  if (!room && !call.isPaused()) {
    call.pause();
    call.once("drain", () => call.resume());
  }
}

/**
 * A row's typed fields: its keys, with p0..pK-1 gathered in order, or none
 * while they are null (a symbol's first tick has no return to filter):
 * a repeated double has no null.
 */
function signalRow(line: string): Record<string, unknown> {
  const row = JSON.parse(line) as Record<string, unknown>;
  const probabilities: (number | null)[] = [];
  for (let k = 0; `p${k}` in row; k++) probabilities.push(row[`p${k}`] as number | null);
  const regimeProbabilities = probabilities.includes(null) ? [] : probabilities;
  return { ...row, rowJson: line, regimeProbabilities };
}

function errorStatus(error: unknown, deps: ServeDeps) {
  if (error instanceof HftlabError) {
    return serviceError(clientError(callErrorOf(error), deps.dataDir), new Metadata());
  }
  if (error instanceof RequestRefused) return statusError(error.code, error.message);
  const message = error instanceof Error ? error.message : String(error);
  return statusError(status.INTERNAL, `internal failure: ${message}`);
}
