/**
 * Priors of the posterior models, as data (so they can be echoed in the
 * JSON `params`, sent to worker threads, and stated in `--help`). Each
 * prior is written on the model's natural parameter; the models add the
 * Jacobian of their unconstrained transform (log σ, log κ, log(ν − 2)).
 *
 * The defaults are weakly informative and scaled by the data, the
 * convention of rstanarm's `autoscale` (Gabry & Goodrich, "Prior
 * distributions for rstanarm models", 2020): mu ~ normal(mean(y),
 * 2.5·sd(y)), sigma ~ exponential(1/sd(y)); for the Student-t degrees of
 * freedom the gamma(2, 0.1) of Juárez & Steel (2010), restricted to ν > 2
 * so the variance exists; for the OU rate kappa (per bar) exponential(1).
 * `--prior flat` makes p(mu, log sigma) ∝ 1 (SPEC §2) and keeps the proper
 * priors of nu and kappa, without which those posteriors are improper (the
 * likelihood stays bounded away from 0 as ν → ∞ and as κ → 0 or ∞).
 */
import { neumaierSum } from "../stats/summation.js";

export type LocationPrior =
  | { distribution: "flat" }
  | { distribution: "normal"; location: number; scale: number }
  /** mu | sigma ~ normal(location, sigma²/precisionWeight): the conjugate normal-inverse-gamma family. */
  | { distribution: "normal-given-sigma"; location: number; precisionWeight: number };

export type ScalePrior =
  /** p(log sigma) ∝ 1 */
  | { distribution: "flat-log" }
  | { distribution: "exponential"; rate: number }
  /** sigma² ~ inverse-gamma(shape, scale): with normal-given-sigma, conjugate for the normal model. */
  | { distribution: "inverse-gamma-variance"; shape: number; scale: number };

/** nu ~ gamma(shape, rate) restricted to nu > lower. */
export interface DegreesOfFreedomPrior {
  distribution: "gamma";
  shape: number;
  rate: number;
  lower: number;
}

export interface RatePrior {
  distribution: "exponential";
  rate: number;
}

export interface ModelPriors {
  mu: LocationPrior;
  sigma: ScalePrior;
  nu?: DegreesOfFreedomPrior;
  kappa?: RatePrior;
}

export type PosteriorModelKind = "normal" | "student-t" | "ou";
export type PriorChoice = "default" | "flat";

/** Student-t degrees of freedom: gamma(2, 0.1) (Juárez & Steel 2010), on ν > 2. */
export const NU_PRIOR: DegreesOfFreedomPrior = { distribution: "gamma", shape: 2, rate: 0.1, lower: 2 };
/** OU mean-reversion rate per bar: exponential(1). */
export const KAPPA_PRIOR: RatePrior = { distribution: "exponential", rate: 1 };
/** rstanarm's autoscale factor for a location prior. */
export const LOCATION_PRIOR_SCALE = 2.5;

function meanAndSd(x: Float64Array): { mean: number; sd: number } {
  const n = x.length;
  const mean = neumaierSum(x) / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) * (x[i]! - mean);
  return { mean, sd: Math.sqrt(ss / Math.max(1, n - 1)) };
}

/**
 * The priors of `kind` for the series `y` (returns for normal/student-t,
 * levels for ou) under `choice`.
 *
 * @example
 * resolvePriors("normal", "flat", y); // => { mu: { distribution: "flat" }, sigma: { distribution: "flat-log" } }
 */
export function resolvePriors(kind: PosteriorModelKind, choice: PriorChoice, y: Float64Array): ModelPriors {
  const { mean, sd } = meanAndSd(y);
  let sigmaScale = sd;
  if (kind === "ou") {
    const increments = new Float64Array(Math.max(0, y.length - 1));
    for (let i = 1; i < y.length; i++) increments[i - 1] = y[i]! - y[i - 1]!;
    sigmaScale = meanAndSd(increments).sd;
  }
  const priors: ModelPriors =
    choice === "flat"
      ? { mu: { distribution: "flat" }, sigma: { distribution: "flat-log" } }
      : {
          mu: { distribution: "normal", location: mean, scale: LOCATION_PRIOR_SCALE * sd },
          sigma: { distribution: "exponential", rate: 1 / sigmaScale },
        };
  if (kind === "student-t") priors.nu = NU_PRIOR;
  if (kind === "ou") priors.kappa = KAPPA_PRIOR;
  return priors;
}

/**
 * Log prior of (mu, log sigma) on the unconstrained scale, Jacobian of
 * sigma = e^s included, up to a constant; adds its gradient to g[0], g[1].
 */
export function locationScaleLogPrior(
  priors: ModelPriors,
  mu: number,
  logSigma: number,
  g: Float64Array,
  muIndex: number,
  sigmaIndex: number,
): number {
  let lp = 0;
  const inverseVariance = Math.exp(-2 * logSigma);
  const m = priors.mu;
  if (m.distribution === "normal") {
    const d = (mu - m.location) / m.scale;
    lp -= 0.5 * d * d;
    g[muIndex] = g[muIndex]! - d / m.scale;
  } else if (m.distribution === "normal-given-sigma") {
    const d = mu - m.location;
    const q = m.precisionWeight * d * d * inverseVariance;
    lp -= logSigma + 0.5 * q;
    g[muIndex] = g[muIndex]! - m.precisionWeight * d * inverseVariance;
    g[sigmaIndex] = g[sigmaIndex]! - 1 + q;
  }
  const s = priors.sigma;
  if (s.distribution === "exponential") {
    const sigma = Math.exp(logSigma);
    lp += -s.rate * sigma + logSigma;
    g[sigmaIndex] = g[sigmaIndex]! - s.rate * sigma + 1;
  } else if (s.distribution === "inverse-gamma-variance") {
    // σ² ~ IG(a, b) with Jacobian |dσ²/ds| = 2σ²: −2a·s − b·e^{−2s}
    lp += -2 * s.shape * logSigma - s.scale * inverseVariance;
    g[sigmaIndex] = g[sigmaIndex]! - 2 * s.shape + 2 * s.scale * inverseVariance;
  }
  return lp;
}
