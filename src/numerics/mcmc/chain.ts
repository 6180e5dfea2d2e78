/**
 * One MCMC chain of `hftlab mcmc`: a dispersed start, warm-up with
 * adaptation, then the kept draws on the natural scale.
 *
 * - nuts: Stan's adaptation (step-size search, dual averaging towards
 *   `targetAccept`, windowed diagonal metric), then fixed-tuning NUTS.
 * - rwm: Haario adaptive Metropolis, adapting only during warm-up.
 *
 * The start is the model's point estimate plus U(−2, 2) times its rough
 * posterior sd in each unconstrained coordinate (Stan draws U(−2, 2) on the
 * unconstrained scale itself; scaling by the posterior sd keeps the same
 * intent, "overdispersed relative to the posterior", for parameters like
 * daily returns whose posterior sd is 1e-4), retried up to 100 times until
 * the density is finite. Every random number comes from `rng`, so a chain is
 * a function of (model, settings, rng) alone.
 */
import { DualAveraging } from "./dualAveraging.js";
import { DiagonalMetricAdaptation } from "./metricAdaptation.js";
import { NutsSampler } from "./nuts.js";
import type { PosteriorModel } from "./posteriorModels.js";
import type { Prng } from "../random/prng.js";
import { RandomWalkMetropolis } from "./randomWalkMetropolis.js";

export type SamplerKind = "nuts" | "rwm";

export interface ChainSettings {
  sampler: SamplerKind;
  warmup: number;
  draws: number;
  /** NUTS: target mean acceptance statistic of the step-size adaptation (Stan's adapt_delta). */
  targetAccept: number;
  /** NUTS: maximum tree depth (at most 2^maxDepth leapfrog steps per draw). */
  maxDepth: number;
}

export interface ChainResult {
  /** draws × dimension, row-major, natural scale, in the model's `names` order */
  draws: Float64Array;
  /** Mean acceptance statistic over the kept draws (NUTS: Stan's accept_stat__; RWM: the acceptance rate). */
  acceptanceRate: number;
  /** Divergent transitions among the kept draws (NUTS only). */
  divergences: number;
  /** The adapted NUTS step size (NaN for RWM). */
  stepSize: number;
  /** Kept draws whose tree reached maxDepth (NUTS only). */
  maxDepthHits: number;
  /** Leapfrog steps (NUTS) or density evaluations (RWM) over the kept draws. */
  gradientEvaluations: number;
}

export class ChainInitialisationError extends Error {}

const INIT_ATTEMPTS = 100;

function startingPoint(model: PosteriorModel, rng: Prng, accept: (q: Float64Array) => boolean): void {
  const q = new Float64Array(model.dimension);
  for (let attempt = 0; attempt < INIT_ATTEMPTS; attempt++) {
    for (let i = 0; i < q.length; i++) q[i] = model.center[i]! + (4 * rng.nextFloat() - 2) * model.scale[i]!;
    if (accept(q)) return;
  }
  throw new ChainInitialisationError(
    `no starting point with a finite log density in ${INIT_ATTEMPTS} attempts around the data's point estimate`,
  );
}

export function runChain(model: PosteriorModel, settings: ChainSettings, rng: Prng): ChainResult {
  return settings.sampler === "nuts" ? runNuts(model, settings, rng) : runRwm(model, settings, rng);
}

function runNuts(model: PosteriorModel, settings: ChainSettings, rng: Prng): ChainResult {
  const d = model.dimension;
  const sampler = new NutsSampler(model, rng, settings.maxDepth);
  const baseVariance = model.scale.map((s) => s * s);
  sampler.inverseMetric.set(baseVariance);
  startingPoint(model, rng, (q) => sampler.setPosition(q));
  sampler.stepSize = 1;
  sampler.initStepSize();
  const stepSizeAdaptation = new DualAveraging(settings.targetAccept);
  stepSizeAdaptation.restart(Math.log(10 * sampler.stepSize));
  const metricAdaptation = new DiagonalMetricAdaptation(settings.warmup, baseVariance);
  for (let i = 0; i < settings.warmup; i++) {
    sampler.transition();
    sampler.stepSize = stepSizeAdaptation.learn(sampler.acceptStat);
    if (metricAdaptation.learn(sampler.current.q, sampler.inverseMetric)) {
      sampler.initStepSize();
      stepSizeAdaptation.restart(Math.log(10 * sampler.stepSize));
    }
  }
  if (settings.warmup > 0) sampler.stepSize = stepSizeAdaptation.final();
  const draws = new Float64Array(settings.draws * d);
  const natural = new Float64Array(d);
  let acceptSum = 0;
  let divergences = 0;
  let maxDepthHits = 0;
  let gradientEvaluations = 0;
  for (let i = 0; i < settings.draws; i++) {
    sampler.transition();
    acceptSum += sampler.acceptStat;
    if (sampler.divergent) divergences++;
    if (sampler.treeDepth >= settings.maxDepth) maxDepthHits++;
    gradientEvaluations += sampler.leapfrogSteps;
    model.constrain(sampler.current.q, natural);
    draws.set(natural, i * d);
  }
  return {
    draws,
    acceptanceRate: settings.draws > 0 ? acceptSum / settings.draws : Number.NaN,
    divergences,
    stepSize: sampler.stepSize,
    maxDepthHits,
    gradientEvaluations,
  };
}

function runRwm(model: PosteriorModel, settings: ChainSettings, rng: Prng): ChainResult {
  const d = model.dimension;
  const baseVariance = model.scale.map((s) => s * s);
  const sampler = new RandomWalkMetropolis(model, rng, baseVariance);
  startingPoint(model, rng, (q) => sampler.setPosition(q));
  // Haario's t0: adapt once a tenth of the warm-up (at most 100 draws) has been seen.
  const adaptStart = Math.min(100, Math.floor(settings.warmup / 10));
  for (let i = 0; i < settings.warmup; i++) {
    sampler.transition();
    sampler.observe();
    if (i >= adaptStart) sampler.adapt();
  }
  const draws = new Float64Array(settings.draws * d);
  const natural = new Float64Array(d);
  let accepted = 0;
  for (let i = 0; i < settings.draws; i++) {
    sampler.transition();
    if (sampler.accepted) accepted++;
    model.constrain(sampler.current, natural);
    draws.set(natural, i * d);
  }
  return {
    draws,
    acceptanceRate: settings.draws > 0 ? accepted / settings.draws : Number.NaN,
    divergences: 0,
    stepSize: Number.NaN,
    maxDepthHits: 0,
    gradientEvaluations: settings.draws,
  };
}
