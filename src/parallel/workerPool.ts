import { parentPort, Worker } from "node:worker_threads";

/**
 * The one worker-thread pool of hftlab: independent jobs shared between the
 * main thread and `workers` worker threads running `workerUrl` (a module that
 * calls `serveJobs`). Jobs are handed out one at a time from a queue and each
 * result lands in its job's slot, so output order — and every number, since
 * both sides run the same function — is the same whichever thread ran a job.
 * Each worker holds one job in reserve, so it never idles while the main
 * thread is busy with a job of its own and cannot hand out the next.
 */
export interface JobFailure {
  message: string;
  /** A name the caller maps back to its own error type (e.g. an input error). */
  kind?: string;
}

interface Request<J> {
  index: number;
  job: J;
}

interface Reply<R> {
  index: number;
  result?: R;
  failure?: JobFailure;
}

export interface PoolPlan<J, R> {
  count: number;
  workers: number;
  workerUrl: URL;
  /** The message a worker gets for job `index`. */
  job: (index: number) => J;
  /** The same work, on the main thread. */
  runHere: (index: number) => R;
  /** Turns a worker's failure back into the error the main thread would have thrown. */
  revive?: (failure: JobFailure) => Error;
  /**
   * false: the main thread runs no job and only hands them out, so it stays free for
   * signals (Ctrl-C) and the spinner during long jobs (default true).
   */
  mainRunsJobs?: boolean;
  /** Called after each job is done, with how many are. */
  onDone?: (done: number) => void;
}

export async function runJobs<J, R>(plan: PoolPlan<J, R>): Promise<R[]> {
  const results: R[] = new Array(plan.count);
  if (plan.workers === 0) {
    for (let index = 0; index < plan.count; index++) {
      results[index] = plan.runHere(index);
      plan.onDone?.(index + 1);
    }
    return results;
  }
  let next = 0;
  let done = 0;
  const take = (): number => (next < plan.count ? next++ : -1);
  const revive = plan.revive ?? ((failure: JobFailure) => new Error(failure.message));
  const pool = Array.from({ length: plan.workers }, () => new Worker(plan.workerUrl));

  const workerLoop = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      let outstanding = 0;
      const send = (): void => {
        const index = take();
        if (index < 0) return;
        outstanding++;
        const request: Request<J> = { index, job: plan.job(index) };
        worker.postMessage(request);
      };
      worker.on("message", (reply: Reply<R>) => {
        outstanding--;
        if (reply.failure !== undefined) {
          reject(revive(reply.failure));
          return;
        }
        results[reply.index] = reply.result!;
        plan.onDone?.(++done);
        send();
        if (outstanding === 0) resolve();
      });
      worker.on("error", reject);
      send();
      send();
      if (outstanding === 0) resolve();
    });

  const mainLoop = async (): Promise<void> => {
    if (plan.mainRunsJobs === false) return;
    for (let index = take(); index >= 0; index = take()) {
      results[index] = plan.runHere(index);
      plan.onDone?.(++done);
      // let worker replies in, so they get their next job without waiting for ours
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  try {
    const loops = pool.map(workerLoop); // hand the workers their first jobs before the main thread takes one
    await Promise.all([...loops, mainLoop()]);
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}

/**
 * Like `runJobs`, but each result is handed to `deliver` in job order as
 * soon as it and every earlier one are done, and at most `window` jobs run
 * ahead of the next to deliver, so undelivered results never pile up (a
 * writer of many output chunks keeps a few in memory, not all). The main
 * thread runs jobs too: the next one due when no worker has it, else a
 * later one within the window, else it waits for a reply.
 */
export async function streamJobs<J, R>(
  plan: PoolPlan<J, R> & { window: number },
  deliver: (result: R, index: number) => Promise<void>,
): Promise<void> {
  if (plan.workers === 0) {
    for (let index = 0; index < plan.count; index++) await deliver(plan.runHere(index), index);
    return;
  }
  const revive = plan.revive ?? ((failure: JobFailure) => new Error(failure.message));
  const results = new Map<number, R>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const pool = Array.from({ length: plan.workers }, () => new Worker(plan.workerUrl));
  const outstanding = pool.map(() => 0);
  let nextToDeliver = 0;
  let nextToStart = 0;
  const startable = (): boolean => nextToStart < plan.count && nextToStart < nextToDeliver + plan.window;
  const feed = (): void => {
    pool.forEach((worker, w) => {
      while (outstanding[w]! < 2 && startable()) {
        const index = nextToStart++;
        outstanding[w]!++;
        worker.postMessage({ index, job: plan.job(index) } satisfies Request<J>);
      }
    });
  };
  pool.forEach((worker, w) => {
    worker.on("message", (reply: Reply<R>) => {
      outstanding[w]!--;
      if (reply.failure !== undefined) failure ??= revive(reply.failure);
      else results.set(reply.index, reply.result!);
      wake?.();
    });
    worker.on("error", (error) => {
      failure ??= error;
      wake?.();
    });
  });
  try {
    feed();
    while (nextToDeliver < plan.count) {
      if (failure !== undefined) throw failure;
      const ready = results.get(nextToDeliver);
      if (ready !== undefined) {
        results.delete(nextToDeliver);
        await deliver(ready, nextToDeliver++);
        feed();
        continue;
      }
      if (startable()) {
        // Run the next unstarted job here: the one due, or one a worker will not reach first.
        const index = nextToStart++;
        results.set(index, plan.runHere(index));
        // Let worker replies in, so a worker gets its next job now, not when the window runs out.
        await new Promise((resolve) => setImmediate(resolve));
        feed();
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}

/** Worker side: answer each request with `handle(job)`, or a failure the main thread can revive. */
export function serveJobs<J, R>(
  handle: (job: J) => R,
  describe: (error: unknown) => JobFailure = (error) => ({
    message: error instanceof Error ? error.message : String(error),
  }),
  /** Memory of the result to move to the main thread instead of copying it (a large output chunk). */
  transfer: (result: R) => ArrayBuffer[] = () => [],
): void {
  parentPort?.on("message", (request: Request<J>) => {
    let reply: Reply<R>;
    let moved: ArrayBuffer[] = [];
    try {
      const result = handle(request.job);
      reply = { index: request.index, result };
      moved = transfer(result);
    } catch (error) {
      reply = { index: request.index, failure: describe(error) };
    }
    parentPort?.postMessage(reply, moved);
  });
}
