/** A serve worker thread: runs one call at a time, as the CLI would, and answers the server. */
import { parentPort } from "node:worker_threads";
import type { CallJob, CallOutcome, WorkerReply } from "./callProtocol.js";
import { runCall } from "./runCall.js";

const port = parentPort!;
port.on("message", async (job: CallJob) => {
  const reply = (message: WorkerReply): void => port.postMessage(message);
  try {
    const outcome = await runCall(job, (text) => reply({ id: job.id, type: "chunk", text }));
    reply({ id: job.id, type: "done", outcome });
  } catch (error) {
    reply({ id: job.id, type: "done", outcome: internalFailure(error) });
  }
});

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
