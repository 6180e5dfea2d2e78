import { extraThreads } from "./threads.js";
import {
  ChainInitialisationError,
  type ChainResult,
  type ChainSettings,
  runChain,
} from "../numerics/mcmc/chain.js";
import { buildPosteriorModel, type PosteriorModelSpec } from "../numerics/mcmc/posteriorModels.js";
import { Prng } from "../numerics/random/prng.js";
import { runJobs } from "./workerPool.js";

/**
 * Runs MCMC chains on the main thread and worker threads. Chain c always
 * draws from `new Prng(seed).split(c)`, so its draws are the same whether 1
 * or 8 chains run and whichever thread runs it; results land in their
 * chain's slot. Cheap runs stay on the main thread: a worker costs ~30–50 ms
 * to start, more than a whole normal-model run (O(1) per gradient).
 */
export interface ChainJob {
  chain: number;
  seed: number;
  spec: PosteriorModelSpec;
  settings: ChainSettings;
}

/** The failure kind a worker reports for a chain that found no finite starting point. */
export const INITIALISATION_FAILURE = "initialisation";

/** Leapfrog steps per iteration assumed when estimating the cost of a run. */
const ASSUMED_STEPS_PER_ITERATION = 7;
/** Estimated work (data points touched) below which workers do not pay for their start-up. */
const PARALLEL_MIN_WORK = 5e7;

/**
 * How many worker threads a run deserves: none for cheap runs, else one per
 * chain up to the cores. A run with workers leaves the main thread free (it
 * samples nothing itself), so Ctrl-C ends even a one-chain run at once.
 */
export function chainWorkersFor(spec: PosteriorModelSpec, settings: ChainSettings, chains: number): number {
  const perEvaluation = spec.kind === "student-t" ? spec.series.length : 1;
  const work = perEvaluation * ASSUMED_STEPS_PER_ITERATION * (settings.warmup + settings.draws) * chains;
  if (work < PARALLEL_MIN_WORK) return 0;
  return Math.min(chains, extraThreads() + 1);
}

export async function runChains(
  spec: PosteriorModelSpec,
  settings: ChainSettings,
  chains: number,
  seed: number,
  workers: number,
  onChainDone: (done: number) => void = () => {},
): Promise<ChainResult[]> {
  return runJobs<ChainJob, ChainResult>({
    count: chains,
    workers,
    mainRunsJobs: false,
    onDone: onChainDone,
    workerUrl: new URL("./mcmcWorker.js", import.meta.url),
    job: (chain) => ({ chain, seed, spec, settings }),
    runHere: (chain) => runChain(buildPosteriorModel(spec), settings, new Prng(seed).split(chain)),
    revive: (failure) =>
      failure.kind === INITIALISATION_FAILURE
        ? new ChainInitialisationError(failure.message)
        : new Error(failure.message),
  });
}
