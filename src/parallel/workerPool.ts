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
}

export async function runJobs<J, R>(plan: PoolPlan<J, R>): Promise<R[]> {
  const results: R[] = new Array(plan.count);
  if (plan.workers === 0) {
    for (let index = 0; index < plan.count; index++) results[index] = plan.runHere(index);
    return results;
  }
  let next = 0;
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
        send();
        if (outstanding === 0) resolve();
      });
      worker.on("error", reject);
      send();
      send();
      if (outstanding === 0) resolve();
    });

  const mainLoop = async (): Promise<void> => {
    for (let index = take(); index >= 0; index = take()) {
      results[index] = plan.runHere(index);
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

/** Worker side: answer each request with `handle(job)`, or a failure the main thread can revive. */
export function serveJobs<J, R>(
  handle: (job: J) => R,
  describe: (error: unknown) => JobFailure = (error) => ({
    message: error instanceof Error ? error.message : String(error),
  }),
): void {
  parentPort?.on("message", (request: Request<J>) => {
    let reply: Reply<R>;
    try {
      reply = { index: request.index, result: handle(request.job) };
    } catch (error) {
      reply = { index: request.index, failure: describe(error) };
    }
    parentPort?.postMessage(reply);
  });
}
