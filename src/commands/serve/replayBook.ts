import type { ServerWritableStream } from "@grpc/grpc-js";
import { Metadata, status } from "@grpc/grpc-js";
import { abandonSignal, clientError, overloaded, type ServeDeps, statusError } from "./callControl.js";
import { CallAbandoned } from "./callPool.js";
import { callInput, callOptions, type RequestMessage, RequestRefused } from "./callRequest.js";
import { serviceError } from "./statusOf.js";

type ReplayCall = ServerWritableStream<RequestMessage, Record<string, unknown>>;

/**
 * ReplayBook: `book --every N` (or `--interval`) `--ndjson` on a worker,
 * each snapshot line sent as a message as soon as the worker writes it,
 * with `snapshot_json` the line itself.
 */
export function replayBookHandler(deps: ServeDeps) {
  return (call: ReplayCall) => {
    if (!deps.admission.tryEnter()) {
      call.emit("error", overloaded(deps.admission));
      return;
    }
    void replay(call, deps).finally(() => deps.admission.leave());
  };
}

async function replay(call: ReplayCall, deps: ServeDeps): Promise<void> {
  const { signal, release } = abandonSignal(call);
  // A write that fills the transport's buffer returns false: the chunk counts as taken at 'drain'.
  const lines = new LineSplitter((line) => call.write({ ...JSON.parse(line), snapshotJson: line }));
  const onChunk = (text: string, taken: () => void) => {
    if (lines.push(text)) taken();
    else call.once("drain", taken);
  };
  try {
    const job = {
      command: "book",
      options: callOptions({ pathOptions: [] }, call.request, deps.dataDir),
      input: callInput({ pathOnly: true }, call.request, deps.dataDir),
      output: "ndjson" as const,
    };
    const outcome = await deps.pool.run({ job, heavy: false, signal, onChunk });
    if (outcome.kind === "error") {
      call.emit("error", serviceError(clientError(outcome.error, deps.dataDir), new Metadata()));
    } else {
      lines.end();
      call.end();
    }
  } catch (error) {
    if (error instanceof RequestRefused) call.emit("error", statusError(error.code, error.message));
    else if (!(error instanceof CallAbandoned)) {
      const message = error instanceof Error ? error.message : String(error);
      call.emit("error", statusError(status.INTERNAL, `internal failure: ${message}`));
    }
  } finally {
    release();
  }
}

/** Cuts chunks of NDJSON into whole lines; `onLine` says whether the transport would take more. */
class LineSplitter {
  private partial = "";
  constructor(private readonly onLine: (line: string) => boolean) {}

  /** False when some line's write asked to wait for 'drain'. */
  push(text: string): boolean {
    const data = this.partial + text;
    const last = data.lastIndexOf("\n");
    this.partial = data.slice(last + 1);
    if (last < 0) return true;
    let more = true;
    for (const line of data.slice(0, last).split("\n")) if (line !== "") more = this.onLine(line) && more;
    return more;
  }

  end(): void {
    if (this.partial !== "") this.onLine(this.partial);
    this.partial = "";
  }
}
