import {
  bestOfRestarts,
  fitRestart,
  type HmmFit,
  type HmmFitOptions,
  type RestartFit,
} from "../numerics/hmm/gaussianHmm.js";
import { Prng } from "../numerics/random/prng.js";
import { reviveFailure } from "./hftlabFailure.js";
import { runJobs } from "./workerPool.js";

/**
 * Gaussian HMM fits with their restarts spread over worker threads. Each
 * restart is a function of its job alone (the data, the settings and its PRNG
 * stream, named by a seed and a path of splits), so the fit chosen is the one
 * `fitGaussianHmm` chooses on one thread, bit for bit, whatever the number
 * of threads. The main thread runs no restart while workers do: it stays free
 * to answer Ctrl-C at once and to turn the spinner.
 */
export interface HmmProblem {
  /** Observations, T×d row-major. */
  x: Float64Array;
  rows: number;
  dimension: number;
  options: Omit<HmmFitOptions, "rng">;
  /** The PRNG of the fit is `new Prng(seed).split(streams[0]).split(streams[1])…`. */
  seed: number;
  streams: number[];
}

/** What a worker gets: one restart of one problem. */
export interface RestartJob {
  problem: HmmProblem;
  restart: number;
}

export function fitRestartJob(job: RestartJob): RestartFit {
  const { x, rows, dimension, options, seed, streams } = job.problem;
  let rng = new Prng(seed);
  for (const stream of streams) rng = rng.split(stream);
  return fitRestart(x, rows, dimension, { ...options, rng }, job.restart);
}

/** EM work (rows × states × restarts) below which workers cost more than they save (~50 ms each to start). */
const WORKER_THRESHOLD = 100_000;

/**
 * Every problem's fit, in problem order; `threads` bounds the worker count
 * (work too small to pay for a worker runs on the main thread). `onRestart(done, total)` follows the
 * restarts as they finish. A failure (every restart of a problem broke down)
 * is returned in that problem's slot, so a caller names the series.
 */
export async function fitHmmProblems(
  problems: HmmProblem[],
  threads: number,
  onRestart: (done: number, total: number) => void = () => {},
): Promise<(HmmFit | Error)[]> {
  const jobs: RestartJob[] = [];
  let work = 0;
  for (const problem of problems) {
    // Shared memory: every restart of the problem reads the same rows, whichever thread runs it.
    const shared = new Float64Array(new SharedArrayBuffer(problem.x.length * 8));
    shared.set(problem.x);
    const onShared = { ...problem, x: shared };
    for (let r = 0; r < problem.options.restarts; r++) jobs.push({ problem: onShared, restart: r });
    work += problem.rows * problem.options.states * problem.options.restarts;
  }
  // Long work goes to workers even on one thread (--jobs 1): the main thread stays free for Ctrl-C.
  const workers = work < WORKER_THRESHOLD ? 0 : Math.min(Math.max(1, threads), jobs.length);
  const fits = await runJobs<RestartJob, RestartFit>({
    count: jobs.length,
    workers,
    workerUrl: new URL("./hmmWorker.js", import.meta.url),
    job: (index) => jobs[index]!,
    runHere: (index) => fitRestartJob(jobs[index]!),
    revive: reviveFailure,
    mainRunsJobs: false,
    onDone: (done) => onRestart(done, jobs.length),
  });
  const out: (HmmFit | Error)[] = [];
  let at = 0;
  for (const problem of problems) {
    const restarts = fits.slice(at, at + problem.options.restarts);
    at += problem.options.restarts;
    try {
      out.push(bestOfRestarts(restarts));
    } catch (error) {
      out.push(error as Error);
    }
  }
  return out;
}
