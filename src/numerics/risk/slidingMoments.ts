/**
 * The moments of a sliding window of returns, with a bound on how far they
 * can be from {@link returnMoments} applied to the same window, for the VaR
 * backtest: a forecast whose exceedance the bound cannot settle is
 * recomputed from scratch by the caller.
 */
import { type ReturnMoments, returnMoments } from "./moments.js";

const EPSILON = 2 ** -52;

/** Slots of {@link SlidingMoments.estimate}'s output. */
export const MEAN = 0;
export const SD = 1;
export const ROOT_M2 = 2;
export const SKEW = 3;
export const KURTOSIS = 4;
/** Bounds on the absolute difference from returnMoments' value of the same window. */
export const MEAN_ERROR = 5;
export const SD_ERROR = 6;
export const ROOT_M2_ERROR = 7;
export const SKEW_ERROR = 8;
export const KURTOSIS_ERROR = 9;
export const ESTIMATE_SLOTS = 10;

/**
 * Beyond this relative uncertainty in m2 (or the standardised moments) the
 * estimate is not used: the first-order error propagation stops being
 * trustworthy long before, and a fresh window is cheap at this rarity.
 */
const RELATIVE_LIMIT = 1e-7;

/**
 * Power sums P_k = Σ(r − K)^k, k = 1..4, of a window of N returns about a
 * shift K (the window's mean at the last reset), slid one return at a time
 * (add the new term, subtract the old one: O(1)), with running bounds E_k on
 * their rounding error in units of ε = 2^−52.
 *
 * Method: the central moments follow from the power sums about K
 * (μ = P1/N, m2 = P2/N − μ², m3 = P3/N − 3μP2/N + 2μ³, m4 = P4/N −
 * 4μP3/N + 6μ²P2/N − 3μ⁴), which lose little while K stays near the mean.
 * Each update adds to E_k the rounding it can have made: (k + 2)ε·|d|^k
 * for each term (the subtraction d = r − K and the powers) and ε per
 * rounded sum. A reset (every N slides, and whenever an estimate is not
 * usable) takes the window's exact moments from returnMoments and the sums
 * about its mean, with the worst-case bound (N + k + 1)·Σ|d|^k of naive
 * summation. When a spike leaves the window, P_k falls far below E_k, the
 * propagated uncertainty passes {@link RELATIVE_LIMIT}, and the caller
 * resets (the cancellation test of the rolling kernel, `rollingMoments.ts`,
 * in the form of an error bound on the outputs).
 *
 * `estimate` also bounds returnMoments' own rounding on the window (its
 * mean's error, and (N + k + 2)ε times the k-th absolute moment for its
 * naive central sums), so the bounds cover the distance between the two
 * computations, not only from the exact moments.
 *
 * Reference: N. J. Higham (2002), *Accuracy and Stability of Numerical
 * Algorithms*, 2nd ed., SIAM, §4.2 (the bound of recursive summation).
 *
 * @example
 * const r = Float64Array.of(0.01, -0.02, 0.03, 0, 0.05);
 * const moments = new SlidingMoments(4);
 * moments.reset(r, 0, 4);
 * moments.slide(r[0], r[4]);
 * const out = new Float64Array(ESTIMATE_SLOTS);
 * moments.estimate(out); // => true; out[MEAN] 0.015000000000000001, out[SD] 0.031091263510296053
 * // (returnMoments(r, 1, 5): mean 0.015, sd 0.031091263510296053)
 */
export class SlidingMoments {
  private readonly window: number;
  private shift = 0;
  private p1 = 0;
  private p2 = 0;
  private p3 = 0;
  private p4 = 0;
  private e1 = 0;
  private e2 = 0;
  private e3 = 0;
  private e4 = 0;
  /** Slides since the last reset (a window never reset counts as due). */
  slides: number;

  constructor(window: number) {
    this.window = window;
    this.slides = window;
  }

  /** The exact moments of r[from..to) (returnMoments), and the sums about their mean. */
  reset(r: Float64Array, from: number, to: number): ReturnMoments {
    const exact = returnMoments(r, from, to);
    const shift = Number.isFinite(exact.mean) ? exact.mean : 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    let p4 = 0;
    let a1 = 0;
    let a3 = 0;
    for (let i = from; i < to; i++) {
      const d = r[i]! - shift;
      const d2 = d * d;
      p1 += d;
      p2 += d2;
      p3 += d2 * d;
      p4 += d2 * d2;
      a1 += Math.abs(d);
      a3 += Math.abs(d2 * d);
    }
    const n = this.window;
    this.shift = shift;
    this.p1 = p1;
    this.p2 = p2;
    this.p3 = p3;
    this.p4 = p4;
    this.e1 = (n + 2) * a1;
    this.e2 = (n + 3) * p2;
    this.e3 = (n + 4) * a3;
    this.e4 = (n + 5) * p4;
    this.slides = 0;
    return exact;
  }

  /** The window moves on by one: `old` leaves, `x` enters. */
  slide(old: number, x: number): void {
    const dNew = x - this.shift;
    const dOld = old - this.shift;
    const n2 = dNew * dNew;
    const o2 = dOld * dOld;
    const n3 = n2 * dNew;
    const o3 = o2 * dOld;
    const n4 = n2 * n2;
    const o4 = o2 * o2;
    const q1 = this.p1 + dNew;
    const q2 = this.p2 + n2;
    const q3 = this.p3 + n3;
    const q4 = this.p4 + n4;
    this.p1 = q1 - dOld;
    this.p2 = q2 - o2;
    this.p3 = q3 - o3;
    this.p4 = q4 - o4;
    this.e1 += 3 * (Math.abs(dNew) + Math.abs(dOld)) + Math.abs(q1) + Math.abs(this.p1);
    this.e2 += 4 * (n2 + o2) + q2 + Math.abs(this.p2);
    this.e3 += 5 * (Math.abs(n3) + Math.abs(o3)) + Math.abs(q3) + Math.abs(this.p3);
    this.e4 += 6 * (n4 + o4) + q4 + Math.abs(this.p4);
    this.slides++;
  }

  /**
   * The window's mean, sd (ddof 1), sqrt(m2), moment skewness and excess
   * kurtosis, and bounds on their distance from returnMoments', into `out`
   * (slots above). Returns false when the bounds are too loose to use (the
   * caller then resets): a (near-)zero variance, a cancelled sum, a
   * non-finite value.
   */
  estimate(out: Float64Array): boolean {
    const n = this.window;
    const inverse = 1 / n;
    const mu = this.p1 * inverse;
    const s2 = this.p2 * inverse;
    const s3 = this.p3 * inverse;
    const s4 = this.p4 * inverse;
    const mu2 = mu * mu;
    const am = Math.abs(mu);
    const m2 = s2 - mu2;
    const m3 = s3 - 3 * mu * s2 + 2 * mu2 * mu;
    const m4 = s4 - 4 * mu * s3 + 6 * mu2 * s2 - 3 * mu2 * mu2;
    const mean = this.shift + mu;
    // The sliding estimate's error, in units of ε (first order).
    const dMu = (this.e1 + Math.abs(this.p1)) * inverse;
    const dS2 = (this.e2 + this.p2) * inverse;
    const dS3 = (this.e3 + Math.abs(this.p3)) * inverse;
    const dS4 = (this.e4 + this.p4) * inverse;
    const as3 = Math.abs(s3);
    let dM2 = dS2 + 2 * am * dMu + 3 * (s2 + mu2);
    let dM3 = dS3 + 3 * am * dS2 + (3 * s2 + 6 * mu2) * dMu + 6 * (as3 + 3 * am * s2 + 2 * mu2 * am);
    let dM4 =
      dS4 +
      4 * am * dS3 +
      6 * mu2 * dS2 +
      (4 * as3 + 12 * am * s2 + 12 * mu2 * am) * dMu +
      8 * (s4 + 4 * am * as3 + 6 * mu2 * s2 + 3 * mu2 * mu2);
    const rootM2 = Math.sqrt(m2);
    const am3 = Math.abs(m3);
    // returnMoments' own rounding on the window: its mean (Neumaier) is off by δ, which moves
    // its m3 and m4 by 3δ·m2 and 4δ·m3; its central sums are naive (N + k + 2 absolute moments,
    // doubled to cover the estimate's own inaccuracy in them).
    const absMean = Math.abs(mean);
    const delta = 3 * absMean + n * EPSILON * (absMean + rootM2);
    dM2 += 2 * (n + 4) * m2;
    dM3 += 2 * (n + 5) * Math.sqrt(m2 * m4) + 3 * delta * m2;
    dM4 += 2 * (n + 6) * m4 + 4 * delta * am3;
    const relativeM2 = (EPSILON * dM2) / m2;
    const m2Root3 = m2 * rootM2;
    const skew = m3 / m2Root3;
    const kurtosis = m4 / (m2 * m2) - 3;
    const absSkew = Math.abs(skew);
    const rawKurtosis = Math.abs(kurtosis) + 3;
    const skewError = (EPSILON * dM3) / m2Root3 + 1.5 * absSkew * relativeM2 + 8 * EPSILON * absSkew;
    const kurtosisError =
      (EPSILON * dM4) / (m2 * m2) + 2 * rawKurtosis * relativeM2 + 8 * EPSILON * rawKurtosis;
    const sd = Math.sqrt(m2 * (n / (n - 1)));
    out[MEAN] = mean;
    out[SD] = sd;
    out[ROOT_M2] = rootM2;
    out[SKEW] = skew;
    out[KURTOSIS] = kurtosis;
    out[MEAN_ERROR] = EPSILON * (dMu + delta + 2 * (Math.abs(this.shift) + am));
    out[SD_ERROR] = sd * (0.5 * relativeM2 + 8 * EPSILON);
    out[ROOT_M2_ERROR] = rootM2 * (0.5 * relativeM2 + 6 * EPSILON);
    out[SKEW_ERROR] = skewError;
    out[KURTOSIS_ERROR] = kurtosisError;
    // Written so that a NaN anywhere fails the test.
    return (
      m2 > 0 &&
      relativeM2 <= RELATIVE_LIMIT &&
      skewError <= RELATIVE_LIMIT * (1 + absSkew) &&
      kurtosisError <= RELATIVE_LIMIT * rawKurtosis &&
      Number.isFinite(mean) &&
      Number.isFinite(m4)
    );
  }
}
