/**
 * Out-of-sample VaR: at every bar t ≥ N, each method's VaR from the
 * previous N returns only (r[t − N .. t − 1]), and whether r_t fell below
 * its negative (an exceedance). Nothing at or after t enters the forecast.
 */
import { coverageTests, type CoverageTests } from "./coverageTests.js";
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

/** coverage[method][k]: the tests of method's forecasts at confidences[k]. */
export type VarBacktest = Record<VarMethod, CoverageTests[]>;

/**
 * The coverage tests of every method's rolling one-step VaR at every
 * confidence. O(n·N) time: each forecast recomputes its window's moments,
 * quantiles and EWMA from scratch, which keeps every forecast exactly the
 * full-sample estimator applied to its window.
 *
 * @throws RangeError when the series is not longer than the window
 */
export function varBacktest(r: Float64Array, settings: VarBacktestSettings): VarBacktest {
  const { window, confidences, ewmaLambda } = settings;
  const n = r.length;
  if (!(n > window))
    throw new RangeError(`a VaR backtest over ${window} bars needs more than ${window} returns`);
  const forecasts = n - window;
  const levels = confidences.length;
  const hits = Object.fromEntries(
    VAR_METHODS.map((method) => [method, confidences.map(() => new Uint8Array(forecasts))]),
  ) as Record<VarMethod, Uint8Array[]>;
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
      const at = t - window;
      hits.historical[k]![at] = outcome < quantiles[k]! ? 1 : 0;
      hits.gaussian[k]![at] = outcome < -gaussianRisk(moments.mean, moments.sd, c).valueAtRisk ? 1 : 0;
      hits.cornishFisher[k]![at] = outcome < -cornishFisherRisk(moments, c).valueAtRisk ? 1 : 0;
      hits.ewma[k]![at] = outcome < -ewmaRisk(sigma, c).valueAtRisk ? 1 : 0;
    }
  }
  return Object.fromEntries(
    VAR_METHODS.map((method) => [method, hits[method].map((h, k) => coverageTests(h, probabilities[k]!))]),
  ) as VarBacktest;
}
