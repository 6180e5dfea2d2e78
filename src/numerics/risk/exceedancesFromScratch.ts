/**
 * The VaR backtest's exceedances by the definition: every forecast is the
 * full-sample estimator applied to its own window, computed afresh. O(n·N);
 * the truth the sliding computation (rollingValueAtRisk.ts) is tested
 * against, and its path for series it does not take (non-finite values).
 */
import { returnMoments } from "./moments.js";
import { linearQuantiles } from "./quantile.js";
import { cornishFisherRisk, ewmaRisk, ewmaSigma, gaussianRisk, tailProbability } from "./valueAtRisk.js";

export const VAR_METHODS = ["historical", "gaussian", "cornishFisher", "ewma"] as const;
export type VarMethod = (typeof VAR_METHODS)[number];

export interface VarBacktestSettings {
  window: number;
  confidences: readonly number[];
  ewmaLambda: number;
}

/** hits[method][k][t − N] = 1 when r_t fell below −VaR_t of method at confidences[k]. */
export type Exceedances = Record<VarMethod, Uint8Array[]>;

export function emptyExceedances(forecasts: number, levels: number): Exceedances {
  const hits = (): Uint8Array[] => Array.from({ length: levels }, () => new Uint8Array(forecasts));
  return { historical: hits(), gaussian: hits(), cornishFisher: hits(), ewma: hits() };
}

/**
 * At every bar t ≥ N, each method's VaR from r[t − N .. t − 1] by the
 * full-sample functions (linearQuantiles, returnMoments, gaussianRisk,
 * cornishFisherRisk, ewmaSigma, ewmaRisk), and whether r_t < −VaR_t.
 *
 * @example
 * exceedancesFromScratch(Float64Array.of(0.01, -0.01, 0.02, -0.05), { window: 3, confidences: [0.95], ewmaLambda: 0.94 })
 *   .historical[0]; // => Uint8Array [1]   (−0.05 is below the 5 % quantile of 0.01, −0.01, 0.02)
 */
export function exceedancesFromScratch(r: Float64Array, settings: VarBacktestSettings): Exceedances {
  const { window, confidences, ewmaLambda } = settings;
  const n = r.length;
  const levels = confidences.length;
  const hits = emptyExceedances(Math.max(0, n - window), levels);
  const probabilities = confidences.map(tailProbability);
  const scratch = new Float64Array(window);
  const quantiles = new Float64Array(levels);
  for (let t = window; t < n; t++) {
    const from = t - window;
    const sample = r.subarray(from, t);
    const moments = returnMoments(sample);
    linearQuantiles(sample, probabilities, scratch, quantiles);
    const sigma = ewmaSigma(sample, ewmaLambda);
    const outcome = r[t]!;
    for (let k = 0; k < levels; k++) {
      const c = confidences[k]!;
      hits.historical[k]![from] = outcome < quantiles[k]! ? 1 : 0;
      hits.gaussian[k]![from] = outcome < -gaussianRisk(moments.mean, moments.sd, c).valueAtRisk ? 1 : 0;
      hits.cornishFisher[k]![from] = outcome < -cornishFisherRisk(moments, c).valueAtRisk ? 1 : 0;
      hits.ewma[k]![from] = outcome < -ewmaRisk(sigma, c).valueAtRisk ? 1 : 0;
    }
  }
  return hits;
}
