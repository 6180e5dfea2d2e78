/**
 * Out-of-sample VaR: at every bar t ≥ N, each method's VaR from the
 * previous N returns only (r[t − N .. t − 1]), and whether r_t fell below
 * its negative (an exceedance). Nothing at or after t enters the forecast.
 */
import { inverseNormalCdf } from "../special/inverseNormalCdf.js";
import { type CoverageTests, coverageTests } from "./coverageTests.js";
import {
  emptyExceedances,
  type Exceedances,
  exceedancesFromScratch,
  VAR_METHODS,
  type VarBacktestSettings,
  type VarMethod,
} from "./exceedancesFromScratch.js";
import type { ReturnMoments } from "./moments.js";
import { interpolate, quantilePositions } from "./quantile.js";
import {
  ESTIMATE_SLOTS,
  KURTOSIS,
  KURTOSIS_ERROR,
  MEAN,
  MEAN_ERROR,
  ROOT_M2,
  ROOT_M2_ERROR,
  SD,
  SD_ERROR,
  SKEW,
  SKEW_ERROR,
  SlidingMoments,
} from "./slidingMoments.js";
import { SlidingEwma } from "./slidingEwma.js";
import { SortedWindow } from "./sortedWindow.js";
import { cornishFisherFactor, tailProbability } from "./valueAtRisk.js";

export { VAR_METHODS, type VarBacktestSettings, type VarMethod };

/** coverage[method][k]: the tests of method's forecasts at confidences[k]. */
export type VarBacktest = Record<VarMethod, CoverageTests[]>;

const EPSILON = 2 ** -52;
/** How many times its error bound a threshold must lie from r_t for the sliding estimate to decide the hit. */
const SAFETY = 8;

/** How often the sliding path went back to the window: tests read these, the CLI does not. */
export interface ExceedanceCounters {
  /** Windows recomputed from scratch (every N bars, a loose bound, or r_t too near a threshold). */
  recomputed: number;
  /** Windows of one repeated value answered from the previous such window. */
  repeated: number;
}

/**
 * The coverage tests of every method's rolling one-step VaR at every
 * confidence (the exceedances of {@link varExceedances}).
 *
 * @throws RangeError when the series is not longer than the window
 */
export function varBacktest(r: Float64Array, settings: VarBacktestSettings): VarBacktest {
  const { window, confidences } = settings;
  if (!(r.length > window))
    throw new RangeError(`a VaR backtest over ${window} bars needs more than ${window} returns`);
  const hits = varExceedances(r, settings);
  return Object.fromEntries(
    VAR_METHODS.map((method) => [
      method,
      hits[method].map((h, k) => coverageTests(h, tailProbability(confidences[k]!))),
    ]),
  ) as VarBacktest;
}

/**
 * The exceedances of every method at every confidence, identical to
 * {@link exceedancesFromScratch} (each forecast the full-sample estimator on
 * its window) in O(n log N) time, O(N) memory.
 *
 * Method: the historical quantiles come from a sorted copy of the window
 * ({@link SortedWindow}: exact order statistics, interpolated as numpy
 * does), so they are the from-scratch values bit for bit. The Gaussian and
 * Cornish–Fisher forecasts come from sliding power sums
 * ({@link SlidingMoments}) and the EWMA σ from a sliding weighted sum
 * ({@link SlidingEwma}), each with a bound on its distance from the
 * from-scratch value. A hit is decided by the sliding threshold T only when
 * |r_t − T| exceeds 8 times the propagated bound on |T − T_scratch|;
 * otherwise (and every N bars, and whenever a bound grows loose) the window's
 * moments and σ are recomputed exactly as the from-scratch path computes
 * them, which also resets the sums. A window of one repeated value (a
 * constant stretch, where r_t sits on every threshold) reuses the previous
 * such window's exact values, so flat data stays O(1) a bar.
 *
 *     readable form, per bar t and level k (what the loop computes faster):
 *       q = linearQuantiles(r[t−N..t), α_k);  m = returnMoments(r[t−N..t)); σ = ewmaSigma(r[t−N..t))
 *       hit = r_t < q;  r_t < m.mean + z_k·m.sd;  r_t < m.mean + h_k(m)·sqrt(m.m2);  r_t < z_k·σ
 *
 * Series holding a non-finite value, and windows below 2, take the
 * from-scratch path.
 *
 * @example
 * varExceedances(Float64Array.of(0.01, -0.01, 0.02, -0.05, 0.01), { window: 3, confidences: [0.95], ewmaLambda: 0.94 });
 * // => every method: [Uint8Array [1, 0]]  (−0.05 falls below each VaR, 0.01 does not)
 */
export function varExceedances(
  r: Float64Array,
  settings: VarBacktestSettings,
  counters: ExceedanceCounters = { recomputed: 0, repeated: 0 },
): Exceedances {
  const { window, confidences, ewmaLambda } = settings;
  const n = r.length;
  if (window < 2 || n <= window || !allFinite(r)) return exceedancesFromScratch(r, settings);
  const levels = confidences.length;
  const hits = emptyExceedances(n - window, levels);
  const probabilities = confidences.map(tailProbability);
  const { lower, fraction } = quantilePositions(window, probabilities);
  const z = Float64Array.from(probabilities, (p) => inverseNormalCdf(p));
  const sorted = new SortedWindow(r.subarray(0, window));
  const moments = new SlidingMoments(window);
  const ewma = new SlidingEwma(window, ewmaLambda);
  const estimate = new Float64Array(ESTIMATE_SLOTS);
  const ewmaEstimate = new Float64Array(2);
  let runLength = 0;
  for (let i = 0; i < window; i++) runLength = i > 0 && Object.is(r[i], r[i - 1]) ? runLength + 1 : 1;
  let repeatedValue = Number.NaN;
  let repeatedMoments: ReturnMoments | null = null;
  let repeatedSigma = Number.NaN;
  for (let t = window; t < n; t++) {
    const from = t - window;
    if (t > window) {
      const old = r[from - 1]!;
      const x = r[t - 1]!;
      sorted.replace(old, x);
      moments.slide(old, x);
      ewma.slide(old, x);
      runLength = Object.is(x, r[t - 2]) ? runLength + 1 : 1;
    }
    const outcome = r[t]!;
    for (let k = 0; k < levels; k++) {
      const index = lower[k]!;
      const f = fraction[k]!;
      const a = sorted.at(index);
      const q = f === 0 || index + 1 >= window ? a : interpolate(a, sorted.at(index + 1), f);
      hits.historical[k]![from] = outcome < q ? 1 : 0;
    }
    if (
      moments.slides < window &&
      moments.estimate(estimate) &&
      ewma.estimate(r[from]!, ewmaEstimate) &&
      slidingHits(hits, from, outcome, z, estimate, ewmaEstimate)
    )
      continue;
    // The sliding estimate cannot decide this bar: the window's exact values, as from scratch.
    let exact: ReturnMoments;
    let sigma: number;
    const repeated = runLength >= window;
    if (repeated && repeatedMoments !== null && Object.is(repeatedValue, r[from])) {
      exact = repeatedMoments;
      sigma = repeatedSigma;
      counters.repeated++;
    } else {
      exact = moments.reset(r, from, t);
      sigma = ewma.reset(r, from, t);
      counters.recomputed++;
      if (repeated) {
        repeatedValue = r[from]!;
        repeatedMoments = exact;
        repeatedSigma = sigma;
      }
    }
    exactHits(hits, from, outcome, z, exact, sigma);
  }
  return hits;
}

/**
 * The Gaussian, Cornish–Fisher and EWMA hits of bar `from` from the sliding
 * estimates, or false when r_t lies within SAFETY times a threshold's error
 * bound of it (the levels written before that are then overwritten by the
 * exact pass).
 */
function slidingHits(
  hits: Exceedances,
  from: number,
  outcome: number,
  z: Float64Array,
  m: Float64Array,
  e: Float64Array,
): boolean {
  const mean = m[MEAN]!;
  const sd = m[SD]!;
  const rootM2 = m[ROOT_M2]!;
  const s = m[SKEW]!;
  const k = m[KURTOSIS]!;
  const sigma = e[0]!;
  const absMean = Math.abs(mean);
  for (let level = 0; level < z.length; level++) {
    const zk = z[level]!;
    const az = Math.abs(zk);
    const gaussian = -(-(mean + zk * sd));
    const gaussianError = m[MEAN_ERROR]! + az * m[SD_ERROR]! + 4 * EPSILON * (absMean + az * sd);
    if (!(Math.abs(outcome - gaussian) > SAFETY * gaussianError)) return false;
    const h = cornishFisherFactor(zk, s, k);
    const z2 = zk * zk;
    const z3 = z2 * zk;
    const hError =
      Math.abs((z2 - 1) / 6 - ((2 * z3 - 5 * zk) * s) / 18) * m[SKEW_ERROR]! +
      Math.abs((z3 - 3 * zk) / 24) * m[KURTOSIS_ERROR]! +
      16 *
        EPSILON *
        (az +
          Math.abs((z2 - 1) * s) / 6 +
          Math.abs((z3 - 3 * zk) * k) / 24 +
          (Math.abs(2 * z3 - 5 * zk) * s * s) / 36);
    const ah = Math.abs(h);
    const modified = -(-mean - h * rootM2);
    const modifiedError =
      m[MEAN_ERROR]! + ah * m[ROOT_M2_ERROR]! + rootM2 * hError + 4 * EPSILON * (absMean + ah * rootM2);
    if (!(Math.abs(outcome - modified) > SAFETY * modifiedError)) return false;
    const ewma = -(-zk * sigma);
    const ewmaError = az * e[1]! + 4 * EPSILON * az * sigma;
    if (!(Math.abs(outcome - ewma) > SAFETY * ewmaError)) return false;
    hits.gaussian[level]![from] = outcome < gaussian ? 1 : 0;
    hits.cornishFisher[level]![from] = outcome < modified ? 1 : 0;
    hits.ewma[level]![from] = outcome < ewma ? 1 : 0;
  }
  return true;
}

/** The same hits from the window's exact moments and σ: the expressions of gaussianRisk, cornishFisherRisk, ewmaRisk. */
function exactHits(
  hits: Exceedances,
  from: number,
  outcome: number,
  z: Float64Array,
  m: ReturnMoments,
  sigma: number,
): void {
  const rootM2 = Math.sqrt(m.m2);
  for (let level = 0; level < z.length; level++) {
    const zk = z[level]!;
    const h = cornishFisherFactor(zk, m.skew, m.kurtosis);
    hits.gaussian[level]![from] = outcome < -(-(m.mean + zk * m.sd)) ? 1 : 0;
    hits.cornishFisher[level]![from] = outcome < -(-m.mean - h * rootM2) ? 1 : 0;
    hits.ewma[level]![from] = outcome < -(-zk * sigma) ? 1 : 0;
  }
}

function allFinite(r: Float64Array): boolean {
  for (let i = 0; i < r.length; i++) if (!Number.isFinite(r[i]!)) return false;
  return true;
}
