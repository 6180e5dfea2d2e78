/**
 * Worker side of the MCMC chain pool: builds the model from its spec and
 * runs one chain per job, with the same code and the same PRNG stream as the
 * main thread, so a chain's draws never depend on where it ran.
 */
import { ChainInitialisationError, runChain } from "../numerics/mcmc/chain.js";
import { buildPosteriorModel } from "../numerics/mcmc/posteriorModels.js";
import { Prng } from "../numerics/random/prng.js";
import { type ChainJob, INITIALISATION_FAILURE } from "./mcmcPool.js";
import { serveJobs } from "./workerPool.js";

serveJobs(
  (job: ChainJob) =>
    runChain(buildPosteriorModel(job.spec), job.settings, new Prng(job.seed).split(job.chain)),
  (error) => ({
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof ChainInitialisationError ? { kind: INITIALISATION_FAILURE } : {}),
  }),
);
