import { expNonPositive } from "../special/expNonPositive.js";
import type { EmissionFactors } from "./gaussianEmission.js";
import type { GaussianHmm } from "./model.js";

/**
 * The forward (filtering) recursion of a univariate Gaussian HMM, one
 * observation at a time: after each `push(x_t)`, `probabilities` holds
 * α̂_t(k) = P(s_t = k | x_0..x_t), the filtered regime probabilities.
 *
 * Method (Rabiner 1989, §V.A): α̂_0 ∝ π ⊙ b_0, α̂_t ∝ (α̂_{t−1}A) ⊙ b_t,
 * with b_t(k) = N(x_t; μ_k, σ_k²) scaled by the row maximum so that it cannot
 * underflow. O(K²) work and O(K) memory per observation.
 *
 * It performs the floating-point operations of the batch kernels in the
 * same order — `scaledEmissions` then `forward` (including their unrolled
 * K = 3 forms, which carry the chain unnormalised and renormalise by 2^600
 * only when it shrinks below 2^−600) — so the stream's probabilities are
 * bit-identical to `hmm`'s forward pass over the same returns.
 *
 * References: L. R. Rabiner (1989), "A tutorial on hidden Markov models and
 * selected applications in speech recognition", Proc. IEEE 77(2), 257–286,
 * doi:10.1109/5.18626.
 *
 * @example
 * // two equiprobable states N(0, 1) and N(0, 4), no switching
 * const filter = new HmmFilter(model, factors);
 * filter.push(0);
 * filter.probabilities; // => [0.6666666666666666, 0.3333333333333333]  (densities 1/√2π : 1/(2√2π))
 */
export class HmmFilter {
  /** α̂_t, the filtered probabilities after the last push (NaN before the first). */
  readonly probabilities: Float64Array;
  private readonly states: number;
  private readonly means: Float64Array;
  private readonly logNormaliser: Float64Array;
  private readonly halfPrecision: Float64Array;
  private readonly startProb: Float64Array;
  private readonly transmat: Float64Array;
  private readonly emission: Float64Array;
  /** K = 3 only: the unnormalised chain q_t of `forward3`. */
  private readonly chain: Float64Array;
  private observations = 0;

  /** @throws RangeError for a model with more than one feature */
  constructor(model: GaussianHmm, factors: EmissionFactors) {
    if (model.dimension !== 1) throw new RangeError("HmmFilter needs a univariate model (one feature)");
    const k = model.states;
    this.states = k;
    this.means = model.means;
    this.logNormaliser = factors.logNormaliser;
    this.halfPrecision = new Float64Array(k);
    for (let s = 0; s < k; s++) {
      const sd = factors.cholesky[s]!;
      this.halfPrecision[s] = 0.5 / (sd * sd);
    }
    this.startProb = model.startProb;
    this.transmat = model.transmat;
    this.emission = new Float64Array(k);
    this.chain = new Float64Array(k);
    this.probabilities = new Float64Array(k).fill(Number.NaN);
  }

  /** Filters the next observation. A NaN observation is ignored (the state is unchanged). */
  push(x: number): void {
    if (Number.isNaN(x)) return;
    if (this.states === 3) this.push3(x);
    else this.pushGeneric(x);
    this.observations++;
  }

  // As scaledUnivariate then the generic loop of `forward`.
  private pushGeneric(x: number): void {
    const k = this.states;
    const b = this.emission;
    let max = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < k; s++) {
      const u = x - this.means[s]!;
      const v = this.logNormaliser[s]! - this.halfPrecision[s]! * u * u;
      b[s] = v;
      if (v > max) max = v;
    }
    for (let s = 0; s < k; s++) {
      const v = b[s]!;
      b[s] = v === max ? 1 : expNonPositive(v - max);
    }
    const alpha = this.probabilities;
    if (this.observations === 0) {
      let norm = 0;
      for (let j = 0; j < k; j++) {
        const v = this.startProb[j]! * b[j]!;
        alpha[j] = v;
        norm += v;
      }
      for (let j = 0; j < k; j++) alpha[j] = alpha[j]! / norm;
      return;
    }
    const next = this.chain;
    const a = this.transmat;
    let norm = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += alpha[i]! * a[i * k + j]!;
      const v = s * b[j]!;
      next[j] = v;
      norm += v;
    }
    const inverse = 1 / norm;
    for (let j = 0; j < k; j++) alpha[j] = next[j]! * inverse;
  }

  // As scaledUnivariate3 then `forward3`.
  private push3(x: number): void {
    const m = this.means;
    const n = this.logNormaliser;
    const h = this.halfPrecision;
    const u0 = x - m[0]!;
    const u1 = x - m[1]!;
    const u2 = x - m[2]!;
    const v0 = n[0]! - h[0]! * u0 * u0;
    const v1 = n[1]! - h[1]! * u1 * u1;
    const v2 = n[2]! - h[2]! * u2 * u2;
    const max = Math.max(v0, v1, v2);
    const b0 = expNonPositive(v0 - max);
    const b1 = expNonPositive(v1 - max);
    const b2 = expNonPositive(v2 - max);
    const q = this.chain;
    const alpha = this.probabilities;
    let q0: number;
    let q1: number;
    let q2: number;
    if (this.observations === 0) {
      q0 = this.startProb[0]! * b0;
      q1 = this.startProb[1]! * b1;
      q2 = this.startProb[2]! * b2;
    } else {
      const a = this.transmat;
      const p0 = q[0]!;
      const p1 = q[1]!;
      const p2 = q[2]!;
      q0 = (p0 * a[0]! + p1 * a[3]! + p2 * a[6]!) * b0;
      q1 = (p0 * a[1]! + p1 * a[4]! + p2 * a[7]!) * b1;
      q2 = (p0 * a[2]! + p1 * a[5]! + p2 * a[8]!) * b2;
    }
    const norm = q0 + q1 + q2;
    const inverse = 1 / norm;
    alpha[0] = q0 * inverse;
    alpha[1] = q1 * inverse;
    alpha[2] = q2 * inverse;
    if (this.observations > 0 && norm < RESCALE_BELOW) {
      q0 *= RESCALE;
      q1 *= RESCALE;
      q2 *= RESCALE;
    }
    q[0] = q0;
    q[1] = q1;
    q[2] = q2;
  }
}

const RESCALE = 2 ** 600;
const RESCALE_BELOW = 2 ** -600;
