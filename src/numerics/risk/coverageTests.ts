/**
 * Backtests of a VaR forecast's exceedances ("hits"): Kupiec's unconditional
 * coverage and Christoffersen's independence and conditional coverage.
 */
import { erfc } from "../special/normalDistribution.js";

export interface LikelihoodRatio {
  statistic: number;
  /** Asymptotic χ² p-value. */
  pValue: number;
}

export interface CoverageTests {
  forecasts: number;
  exceedances: number;
  /** forecasts · α. */
  expected: number;
  kupiec: LikelihoodRatio;
  independence: LikelihoodRatio;
  conditionalCoverage: LikelihoodRatio;
}

/** x·ln(p) with 0·ln(0) = 0. */
function xlogy(x: number, p: number): number {
  return x === 0 ? 0 : x * Math.log(p);
}

/** χ² survival function with 1 degree of freedom: P(X > x) = erfc(sqrt(x/2)). */
export function chiSquare1Survival(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}

/** χ² survival function with 2 degrees of freedom: P(X > x) = e^(−x/2). */
export function chiSquare2Survival(x: number): number {
  return x <= 0 ? 1 : Math.exp(-x / 2);
}

/**
 * Kupiec's proportion-of-failures test, Christoffersen's Markov
 * independence test and their sum, the conditional coverage test, of a
 * 0/1 hit sequence against the tail probability α:
 *
 *     LR_pof = −2[(T − x)ln(1 − α) + x ln α] + 2[(T − x)ln(1 − x/T) + x ln(x/T)]      ~ χ²(1)
 *     LR_ind = −2[(n00 + n10)ln(1 − π) + (n01 + n11)ln π]
 *              + 2[n00 ln(1 − π0) + n01 ln π0 + n10 ln(1 − π1) + n11 ln π1]        ~ χ²(1)
 *     LR_cc  = LR_pof + LR_ind                                                        ~ χ²(2)
 *
 * with x hits in T forecasts, n_ij the transitions from state i to state j
 * of consecutive hits, π0 = n01/(n00 + n01), π1 = n11/(n10 + n11),
 * π = (n01 + n11)/(T − 1), and 0·ln 0 = 0 (so a sequence without a hit
 * after a hit contributes nothing for π1).
 *
 * References:
 * - P. H. Kupiec (1995), "Techniques for verifying the accuracy of risk
 *   measurement models", *Journal of Derivatives* 3(2), 73–84.
 * - P. F. Christoffersen (1998), "Evaluating interval forecasts",
 *   *International Economic Review* 39(4), 841–862, eqs. 3–8.
 *
 * @example
 * coverageTests(Uint8Array.from([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]), 0.05).kupiec;
 * // => { statistic: 0.5700179, pValue: 0.4502268 } (to 7 digits)
 */
export function coverageTests(hits: Uint8Array, alpha: number): CoverageTests {
  const forecasts = hits.length;
  let exceedances = 0;
  let n00 = 0;
  let n01 = 0;
  let n10 = 0;
  let n11 = 0;
  for (let t = 0; t < forecasts; t++) {
    const hit = hits[t]!;
    exceedances += hit;
    if (t === 0) continue;
    const previous = hits[t - 1]!;
    if (previous === 0) {
      if (hit === 0) n00++;
      else n01++;
    } else if (hit === 0) n10++;
    else n11++;
  }
  const x = exceedances;
  const rate = x / forecasts;
  const kupiec =
    -2 * (xlogy(forecasts - x, 1 - alpha) + xlogy(x, alpha)) +
    2 * (xlogy(forecasts - x, 1 - rate) + xlogy(x, rate));
  const pi0 = n00 + n01 > 0 ? n01 / (n00 + n01) : 0;
  const pi1 = n10 + n11 > 0 ? n11 / (n10 + n11) : 0;
  const pi = (n01 + n11) / (n00 + n01 + n10 + n11);
  const independence =
    -2 * (xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi)) +
    2 * (xlogy(n00, 1 - pi0) + xlogy(n01, pi0) + xlogy(n10, 1 - pi1) + xlogy(n11, pi1));
  // Rounding can leave a tiny negative statistic where the exact value is 0.
  const pof = Math.max(0, kupiec);
  const ind = Math.max(0, independence);
  const cc = pof + ind;
  return {
    forecasts,
    exceedances,
    expected: forecasts * alpha,
    kupiec: { statistic: pof, pValue: chiSquare1Survival(pof) },
    independence: { statistic: ind, pValue: chiSquare1Survival(ind) },
    conditionalCoverage: { statistic: cc, pValue: chiSquare2Survival(cc) },
  };
}
