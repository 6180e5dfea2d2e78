/** A serve worker thread: runs one call at a time, as the CLI would, and answers the server. */
import { parentPort } from "node:worker_threads";
import {
  type CallOutcome,
  STREAM_WINDOW_BYTES,
  type WorkerReply,
  type WorkerRequest,
} from "./callProtocol.js";
import { runCall } from "./runCall.js";

const port = parentPort!;

/** The running call's output sent but not yet credited, and who waits for credit. */
let unacknowledged = 0;
let waiting: (() => void) | null = null;

port.on("message", (request: WorkerRequest) => {
  if (request.type === "credit") {
    unacknowledged -= request.bytes;
    if (waiting !== null && unacknowledged < STREAM_WINDOW_BYTES) {
      const resume = waiting;
      waiting = null;
      resume();
    }
    return;
  }
  void runJob(request);
});

async function runJob(job: WorkerRequest & { type: "call" }): Promise<void> {
  const reply = (message: WorkerReply): void => port.postMessage(message);
  unacknowledged = 0;
  try {
    const outcome = await runCall(job, async (text) => {
      reply({ id: job.id, type: "chunk", text });
      unacknowledged += text.length;
      if (unacknowledged >= STREAM_WINDOW_BYTES) await new Promise<void>((resume) => (waiting = resume));
    });
    reply({ id: job.id, type: "done", outcome });
  } catch (error) {
    reply({ id: job.id, type: "done", outcome: internalFailure(error) });
  }
}

/** What the CLI says of a failure it did not foresee (exit 1). */
function internalFailure(error: unknown): CallOutcome {
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: "error",
    error: {
      exitCode: 1,
      code: "internal",
      message: `internal failure: ${message}`,
      hint: null,
      file: null,
      line: null,
    },
  };
}
