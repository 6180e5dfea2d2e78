/**
 * Adaptive random-walk Metropolis (Haario, Saksman & Tamminen 2001): a
 * Gaussian proposal q' = q + L·ξ, ξ ~ N(0, I), accepted with probability
 * min(1, p(q')/p(q)). During warm-up, from iteration `adaptStart` on, the
 * proposal covariance is LLᵀ = (2.38²/d)·(C_t + 10⁻⁶·diag(var₀)), C_t the
 * running sample covariance (ddof 1) of the warm-up draws so far and var₀
 * the model's rough posterior variances; before that it is
 * (2.38²/d)·diag(var₀). After warm-up the proposal is frozen, so the
 * sampling phase is an ordinary (reversible) Metropolis chain.
 *
 * References:
 * - H. Haario, E. Saksman, J. Tamminen (2001), "An adaptive Metropolis
 *   algorithm", Bernoulli 7(2), 223–242. doi:10.2307/3318737
 * - G. O. Roberts, J. S. Rosenthal (2001), "Optimal scaling for various
 *   Metropolis–Hastings algorithms", Statistical Science 16(4), 351–367
 *   (the 2.38²/d factor).
 */
import { choleskyInPlace } from "../linalg/cholesky.js";
import type { PosteriorModel } from "./posteriorModels.js";
import type { Prng } from "../random/prng.js";

const OPTIMAL_SCALE = 2.38 * 2.38;
const REGULARISATION = 1e-6;

export class RandomWalkMetropolis {
  readonly dimension: number;
  readonly current: Float64Array;
  logDensity = Number.NEGATIVE_INFINITY;
  /** Whether the last transition accepted its proposal. */
  accepted = false;
  private readonly proposal: Float64Array;
  private readonly factor: Float64Array;
  private readonly work: Float64Array;
  private readonly mean: Float64Array;
  private readonly comoment: Float64Array;
  private readonly delta: Float64Array;
  private count = 0;

  constructor(
    private readonly model: PosteriorModel,
    private readonly rng: Prng,
    private readonly baseVariance: Float64Array,
  ) {
    const d = model.dimension;
    this.dimension = d;
    this.current = new Float64Array(d);
    this.proposal = new Float64Array(d);
    this.factor = new Float64Array(d * d);
    this.work = new Float64Array(d * d);
    this.mean = new Float64Array(d);
    this.comoment = new Float64Array(d * d);
    this.delta = new Float64Array(d);
    for (let i = 0; i < d; i++) this.factor[i * d + i] = Math.sqrt((OPTIMAL_SCALE / d) * baseVariance[i]!);
  }

  setPosition(q: Float64Array): boolean {
    this.current.set(q);
    this.logDensity = this.model.logDensity(this.current);
    return Number.isFinite(this.logDensity);
  }

  transition(): void {
    const d = this.dimension;
    for (let i = 0; i < d; i++) this.delta[i] = this.rng.normal();
    for (let i = 0; i < d; i++) {
      let step = 0;
      for (let k = 0; k <= i; k++) step += this.factor[i * d + k]! * this.delta[k]!;
      this.proposal[i] = this.current[i]! + step;
    }
    const logDensity = this.model.logDensity(this.proposal);
    const logRatio = logDensity - this.logDensity;
    this.accepted = logRatio >= 0 || this.rng.nextFloat() < Math.exp(logRatio);
    if (this.accepted) {
      this.current.set(this.proposal);
      this.logDensity = logDensity;
    }
  }

  /** Adds the current position to the running covariance (Welford's update). */
  observe(): void {
    const d = this.dimension;
    this.count++;
    for (let i = 0; i < d; i++) {
      this.delta[i] = this.current[i]! - this.mean[i]!;
      this.mean[i] = this.mean[i]! + this.delta[i]! / this.count;
    }
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        this.comoment[i * d + j] =
          this.comoment[i * d + j]! + this.delta[i]! * (this.current[j]! - this.mean[j]!);
      }
    }
  }

  /** Sets the proposal from the running covariance; keeps the old one if it is not positive definite. */
  adapt(): void {
    const d = this.dimension;
    if (this.count < d + 2) return;
    const scale = OPTIMAL_SCALE / d;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        let c = this.comoment[i * d + j]! / (this.count - 1);
        if (i === j) c += REGULARISATION * this.baseVariance[i]!;
        this.work[i * d + j] = scale * c;
      }
    }
    if (choleskyInPlace(this.work, d, d) !== d) return;
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) this.factor[i * d + j] = this.work[i * d + j]!;
  }
}
