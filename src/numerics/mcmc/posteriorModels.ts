/**
 * Log posterior densities with analytic gradients, on unconstrained scales,
 * for `hftlab mcmc`: the normal and Student-t models of returns and the
 * Ornstein–Uhlenbeck model of levels. Every model works on
 * θ ∈ ℝ^d and includes the Jacobian of its transform, so a sampler never
 * meets a boundary:
 *
 *     normal     θ = (mu, log sigma)
 *     student-t  θ = (mu, log sigma, log(nu − 2))
 *     ou         θ = (log kappa, mu, log sigma)
 *
 * Densities are exact up to an additive constant. The normal and OU models
 * reduce the data to centred sufficient statistics once (two-pass, so there
 * is no cancellation against a large mean), so each evaluation is O(1);
 * Student-t is O(n) per evaluation.
 *
 * References:
 * - A. Gelman et al. (2013), *Bayesian Data Analysis*, 3rd ed., §3.2–3.3
 *   (normal model, conjugate and noninformative priors), §17.2 (Student-t).
 * - G. E. Uhlenbeck, L. S. Ornstein (1930), Phys. Rev. 36, 823: the exact
 *   transition x_t | x_{t−1} ~ N(mu + (x_{t−1} − mu)e^{−κ},
 *   σ²(1 − e^{−2κ})/(2κ)) over one bar, the likelihood conditional on x_0.
 */
import { digamma } from "../special/digamma.js";
import { logGamma } from "../special/logGamma.js";
import { locationScaleLogPrior, type ModelPriors, type PosteriorModelKind } from "./posteriorPriors.js";
import { neumaierSum } from "../stats/summation.js";

export interface PosteriorModel {
  readonly kind: PosteriorModelKind;
  /** Parameter names on the natural scale, in output order. */
  readonly names: readonly string[];
  readonly dimension: number;
  /** log p(θ | y) + const on the unconstrained scale; writes ∇ into `gradient`. */
  logDensityGradient(theta: Float64Array, gradient: Float64Array): number;
  /** log p(θ | y) + const, without the gradient (for random-walk Metropolis). */
  logDensity(theta: Float64Array): number;
  /** Natural-scale parameters of θ, written into `out`, in `names` order. */
  constrain(theta: Float64Array, out: Float64Array): void;
  /** A point estimate on the unconstrained scale (the samplers' starting centre). */
  readonly center: Float64Array;
  /** Rough posterior standard deviations of θ (initial jitter and metric). */
  readonly scale: Float64Array;
}

export interface PosteriorModelSpec {
  kind: PosteriorModelKind;
  priors: ModelPriors;
  /** returns (normal, student-t) or levels (ou) */
  series: Float64Array;
}

export function buildPosteriorModel(spec: PosteriorModelSpec): PosteriorModel {
  if (spec.kind === "normal") return new NormalModel(spec.series, spec.priors);
  if (spec.kind === "student-t") return new StudentTModel(spec.series, spec.priors);
  return new OrnsteinUhlenbeckModel(spec.series, spec.priors);
}

/** Mean and centred sum of squares, two-pass with compensated sums. */
function centredMoments(y: Float64Array, from = 0, to = y.length): { mean: number; ss: number } {
  const n = to - from;
  const mean = neumaierSum(y, from, to) / n;
  let ss = 0;
  for (let i = from; i < to; i++) ss += (y[i]! - mean) * (y[i]! - mean);
  return { mean, ss };
}

const scratch = (d: number) => new Float64Array(d);

/**
 * y_i ~ normal(mu, sigma²): log p = −n·s − (SS + n(ȳ − mu)²)/(2σ²) + log prior,
 * s = log sigma, from (n, ȳ, SS = Σ(y − ȳ)²) alone.
 */
export class NormalModel implements PosteriorModel {
  readonly kind = "normal";
  readonly names = ["mu", "sigma"] as const;
  readonly dimension = 2;
  readonly n: number;
  readonly mean: number;
  readonly sumSquares: number;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  private readonly unused = scratch(2);

  constructor(
    y: Float64Array,
    readonly priors: ModelPriors,
  ) {
    this.n = y.length;
    const { mean, ss } = centredMoments(y);
    this.mean = mean;
    this.sumSquares = ss;
    const sd = Math.sqrt(ss / Math.max(1, this.n - 1));
    this.center = Float64Array.of(mean, Math.log(sd));
    this.scale = Float64Array.of(sd / Math.sqrt(this.n), 1 / Math.sqrt(2 * this.n));
  }

  logDensityGradient(theta: Float64Array, g: Float64Array): number {
    const mu = theta[0]!;
    const s = theta[1]!;
    const inverseVariance = Math.exp(-2 * s);
    const d = this.mean - mu;
    const q = (this.sumSquares + this.n * d * d) * inverseVariance;
    g[0] = this.n * d * inverseVariance;
    g[1] = -this.n + q;
    return -this.n * s - 0.5 * q + locationScaleLogPrior(this.priors, mu, s, g, 0, 1);
  }

  logDensity(theta: Float64Array): number {
    return this.logDensityGradient(theta, this.unused);
  }

  constrain(theta: Float64Array, out: Float64Array): void {
    out[0] = theta[0]!;
    out[1] = Math.exp(theta[1]!);
  }
}

/**
 * y_i ~ student-t(nu, mu, sigma):
 * log p = n[lnΓ((ν+1)/2) − lnΓ(ν/2) − ½ln(νπ) − s] − ((ν+1)/2)·Σ ln(1 + z_i²/ν) + log prior,
 * z_i = (y_i − mu)/sigma, nu = 2 + e^u.
 */
export class StudentTModel implements PosteriorModel {
  readonly kind = "student-t";
  readonly names = ["mu", "sigma", "nu"] as const;
  readonly dimension = 3;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  private readonly unused = scratch(3);

  constructor(
    readonly y: Float64Array,
    readonly priors: ModelPriors,
  ) {
    const n = y.length;
    const { mean, ss } = centredMoments(y);
    const sd = Math.sqrt(ss / Math.max(1, n - 1));
    // start at nu = 10, where a t scale of 0.9·sd has about the sample variance
    this.center = Float64Array.of(mean, Math.log(0.9 * sd), Math.log(8));
    this.scale = Float64Array.of(sd / Math.sqrt(n), 1 / Math.sqrt(2 * n), 0.5);
  }

  logDensityGradient(theta: Float64Array, g: Float64Array): number {
    return this.evaluate(theta, g);
  }

  logDensity(theta: Float64Array): number {
    return this.evaluate(theta, null);
  }

  private evaluate(theta: Float64Array, g: Float64Array | null): number {
    const y = this.y;
    const n = y.length;
    const mu = theta[0]!;
    const s = theta[1]!;
    const u = theta[2]!;
    const nuMinusLower = Math.exp(u);
    const nu = 2 + nuMinusLower;
    const inverseSigma = Math.exp(-s);
    const inverseNu = 1 / nu;
    let sumLog = 0;
    let sumZOverDenominator = 0;
    let sumZ2OverDenominator = 0;
    // readable: for each z = (y − mu)/σ: Σ log1p(z²/ν), Σ z/(ν + z²), Σ z²/(ν + z²)
    for (let i = 0; i < n; i++) {
      const z = (y[i]! - mu) * inverseSigma;
      const z2 = z * z;
      sumLog += Math.log1p(z2 * inverseNu);
      if (g !== null) {
        const inverseDenominator = 1 / (nu + z2);
        sumZOverDenominator += z * inverseDenominator;
        sumZ2OverDenominator += z2 * inverseDenominator;
      }
    }
    const halfNuPlusOne = 0.5 * (nu + 1);
    const normaliser = logGamma(halfNuPlusOne) - logGamma(0.5 * nu) - 0.5 * Math.log(nu * Math.PI) - s;
    let lp = n * normaliser - halfNuPlusOne * sumLog;
    const gradient = g ?? this.unused;
    if (g !== null) {
      g[0] = (nu + 1) * inverseSigma * sumZOverDenominator;
      g[1] = -n + (nu + 1) * sumZ2OverDenominator;
      const dNu =
        n * (0.5 * digamma(halfNuPlusOne) - 0.5 * digamma(0.5 * nu) - 0.5 * inverseNu) -
        0.5 * sumLog +
        halfNuPlusOne * inverseNu * sumZ2OverDenominator;
      g[2] = dNu * nuMinusLower;
    } else {
      gradient.fill(0);
    }
    lp += locationScaleLogPrior(this.priors, mu, s, gradient, 0, 1);
    const nuPrior = this.priors.nu;
    if (nuPrior !== undefined) {
      // gamma(α, β) on ν with the Jacobian dν/du = ν − 2
      lp += (nuPrior.shape - 1) * Math.log(nu) - nuPrior.rate * nu;
      gradient[2] = gradient[2]! + ((nuPrior.shape - 1) * inverseNu - nuPrior.rate) * nuMinusLower;
    }
    lp += u;
    gradient[2] = gradient[2]! + 1;
    return lp;
  }

  constrain(theta: Float64Array, out: Float64Array): void {
    out[0] = theta[0]!;
    out[1] = Math.exp(theta[1]!);
    out[2] = 2 + Math.exp(theta[2]!);
  }
}

/**
 * Levels x_0..x_n with the exact one-bar OU transition
 * x_t | x_{t−1} ~ N(mu + b(x_{t−1} − mu), v), b = e^{−κ}, v = σ²(1 − b²)/(2κ):
 * log p = −(n/2)·ln v − R/(2v) + log prior, R = Σ_t (x_t − mu − b(x_{t−1} − mu))²
 * = S_aa − 2b·S_az + b²·S_zz + n·(ā − b·z̄ − mu(1 − b))², with a = x_{1..n},
 * z = x_{0..n−1} and S the centred (co)sums.
 */
export class OrnsteinUhlenbeckModel implements PosteriorModel {
  readonly kind = "ou";
  readonly names = ["kappa", "mu", "sigma"] as const;
  readonly dimension = 3;
  readonly n: number;
  private readonly meanA: number;
  private readonly meanZ: number;
  private readonly saa: number;
  private readonly szz: number;
  private readonly saz: number;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  private readonly unused = scratch(3);

  constructor(
    x: Float64Array,
    readonly priors: ModelPriors,
  ) {
    const n = x.length - 1;
    this.n = n;
    const a = centredMoments(x, 1, n + 1);
    const z = centredMoments(x, 0, n);
    let saz = 0;
    for (let t = 1; t <= n; t++) saz += (x[t]! - a.mean) * (x[t - 1]! - z.mean);
    this.meanA = a.mean;
    this.meanZ = z.mean;
    this.saa = a.ss;
    this.szz = z.ss;
    this.saz = saz;
    // OLS AR(1), clamped into a stationary, not-quite-white range, as a starting point
    const b = Math.min(1 - 1 / (2 * n), Math.max(0.01, saz / z.ss));
    const kappa = -Math.log(b);
    const mu = Math.min(
      Math.max((a.mean - b * z.mean) / (1 - b), Math.min(a.mean, z.mean) - 1e3 * Math.sqrt(a.ss / n)),
      Math.max(a.mean, z.mean) + 1e3 * Math.sqrt(a.ss / n),
    );
    const residual = (this.saa - 2 * b * saz + b * b * z.ss) / n;
    const sigma = Math.sqrt((residual * 2 * kappa) / (1 - b * b));
    this.center = Float64Array.of(Math.log(kappa), mu, Math.log(sigma));
    this.scale = Float64Array.of(
      Math.min(1, Math.sqrt(2 / (n * kappa))),
      Math.sqrt(residual / n) / (1 - b),
      1 / Math.sqrt(2 * n),
    );
  }

  logDensityGradient(theta: Float64Array, g: Float64Array): number {
    const logKappa = theta[0]!;
    const mu = theta[1]!;
    const s = theta[2]!;
    const n = this.n;
    const kappa = Math.exp(logKappa);
    const b = Math.exp(-kappa);
    const oneMinusB = -Math.expm1(-kappa);
    const oneMinusB2 = -Math.expm1(-2 * kappa);
    const variance = (Math.exp(2 * s) * oneMinusB2) / (2 * kappa);
    const d = this.meanA - b * this.meanZ - mu * oneMinusB;
    const r = this.saa - 2 * b * this.saz + b * b * this.szz + n * d * d;
    const halfInverseVariance = 0.5 / variance;
    const lp = -0.5 * n * Math.log(variance) - r * halfInverseVariance;
    const common = r * halfInverseVariance - 0.5 * n;
    // ∂ log v/∂ log κ = 2κb²/(1 − b²) − 1; ∂R/∂b; ∂b/∂ log κ = −κb
    const dLogVarianceDLogKappa = (2 * kappa * b * b) / oneMinusB2 - 1;
    const dRdB = -2 * this.saz + 2 * b * this.szz + 2 * n * d * (mu - this.meanZ);
    g[0] = dLogVarianceDLogKappa * common - dRdB * -kappa * b * halfInverseVariance;
    g[1] = 2 * n * d * oneMinusB * halfInverseVariance;
    g[2] = 2 * common;
    let prior = locationScaleLogPrior(this.priors, mu, s, g, 1, 2);
    const kappaPrior = this.priors.kappa;
    if (kappaPrior !== undefined) {
      prior -= kappaPrior.rate * kappa;
      g[0] = g[0]! - kappaPrior.rate * kappa;
    }
    // Jacobian of κ = e^u
    g[0] = g[0]! + 1;
    return lp + prior + logKappa;
  }

  logDensity(theta: Float64Array): number {
    return this.logDensityGradient(theta, this.unused);
  }

  constrain(theta: Float64Array, out: Float64Array): void {
    out[0] = Math.exp(theta[0]!);
    out[1] = theta[1]!;
    out[2] = Math.exp(theta[2]!);
  }
}
