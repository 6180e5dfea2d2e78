import { Worker } from "node:worker_threads";
import type { CallJob, CallOutcome, WorkerReply, WorkerRequest } from "./callProtocol.js";

/**
 * The serve worker threads. Each runs one call at a time, so the event loop
 * that speaks gRPC never computes. Heavy calls (fits, sampling, scans) may
 * hold all workers but one: a long HMM fit never makes a short meanrev call
 * wait for a thread. A call whose client gave up (deadline, cancellation)
 * ends its worker at once, which stops the work wherever it is, and a fresh
 * worker takes its place.
 */
export interface CallRequest {
  job: Omit<CallJob, "id">;
  heavy: boolean;
  signal: AbortSignal;
  /**
   * ndjson calls: each chunk of output as the worker writes it, with
   * `taken` to call once the client has it (or it is queued within the
   * transport's limits): the worker stops STREAM_WINDOW_BYTES ahead of what
   * was taken.
   */
  onChunk?: (text: string, taken: () => void) => void;
}

export class CallAbandoned extends Error {
  constructor() {
    super("the call was cancelled");
    this.name = "CallAbandoned";
  }
}

interface Pending {
  request: CallRequest;
  resolve: (outcome: CallOutcome) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  running: (Pending & { id: number }) | null;
  /** Being ended after its call was abandoned: it takes no call until its successor has started. */
  stopping: boolean;
}

const WORKER_URL = new URL("./callWorker.js", import.meta.url);

export class CallPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private heavyRunning = 0;
  private closed = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.slots.push(this.startSlot());
  }

  /** Calls running on a worker now. */
  get busy(): number {
    return this.slots.filter((slot) => slot.running !== null || slot.stopping).length;
  }

  run(request: CallRequest): Promise<CallOutcome> {
    return new Promise((resolve, reject) => {
      if (request.signal.aborted) return reject(new CallAbandoned());
      const pending: Pending = { request, resolve, reject };
      this.queue.push(pending);
      request.signal.addEventListener("abort", () => this.abandon(pending), { once: true });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) slot.worker.removeAllListeners();
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  /** Heavy calls leave one worker to the light ones (with a single worker they take turns). */
  private heavyLimit(): number {
    return Math.max(1, this.size - 1);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.running !== null || slot.stopping) continue;
      const index = this.queue.findIndex((p) => !p.request.heavy || this.heavyRunning < this.heavyLimit());
      if (index < 0) return;
      const [pending] = this.queue.splice(index, 1) as [Pending];
      this.start(slot, pending);
    }
  }

  private start(slot: Slot, pending: Pending): void {
    const id = this.nextId++;
    slot.running = { ...pending, id };
    if (pending.request.heavy) this.heavyRunning++;
    const job: WorkerRequest = { type: "call", ...pending.request.job, id };
    slot.worker.postMessage(job);
  }

  private finish(slot: Slot): void {
    if (slot.running?.request.heavy) this.heavyRunning--;
    slot.running = null;
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    const running = slot.running;
    if (running === null || running.id !== reply.id) return;
    if (reply.type === "chunk") {
      const credit: WorkerRequest = { type: "credit", id: reply.id, bytes: reply.text.length };
      // Credit for a call that has ended, or a worker since replaced, is dropped.
      const taken = () => {
        if (slot.running?.id === reply.id) slot.worker.postMessage(credit);
      };
      running.request.onChunk?.(reply.text, taken);
      return;
    }
    this.finish(slot);
    running.resolve(reply.outcome);
    this.dispatch();
  }

  /** A queued call leaves the queue; a running one ends its worker, which is replaced. */
  private abandon(pending: Pending): void {
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      pending.reject(new CallAbandoned());
      return;
    }
    const slot = this.slots.find((candidate) => candidate.running?.request === pending.request);
    if (slot === undefined) return;
    this.finish(slot);
    this.replace(slot)
      .then(() => pending.reject(new CallAbandoned()))
      .catch(pending.reject);
  }

  /** Ends a worker and starts its successor; resolves once the old one has stopped. */
  private async replace(slot: Slot): Promise<void> {
    const old = slot.worker;
    old.removeAllListeners();
    const index = this.slots.indexOf(slot);
    // The slot stays busy until the old thread has stopped, so the machine never runs more calls than workers.
    slot.stopping = true;
    await old.terminate();
    if (this.closed) return;
    this.slots[index] = this.startSlot();
    this.dispatch();
  }

  private startSlot(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_URL), running: null, stopping: false };
    slot.worker.on("message", (reply: WorkerReply) => this.onReply(slot, reply));
    slot.worker.on("error", (error) => this.onWorkerError(slot, error));
    // A thread that ends of itself (process.exit in a command) must not leave its call waiting.
    slot.worker.on("exit", (code) =>
      this.onWorkerError(slot, new Error(`worker thread exited with ${code}`)),
    );
    slot.worker.unref();
    return slot;
  }

  /** A worker that died (out of memory, a crash, an exit) fails its call as the CLI's exit 1 and is replaced. */
  private onWorkerError(slot: Slot, error: Error): void {
    const running = slot.running;
    this.finish(slot);
    running?.resolve({
      kind: "error",
      error: {
        exitCode: 1,
        code: "internal",
        message: `internal failure: ${error.message}`,
        hint: null,
        file: null,
        line: null,
      },
    });
    void this.replace(slot);
  }
}
