/**
 * A series measured against a benchmark series of the same length.
 */
import { neumaierSum } from "../stats/summation.js";

export type CaptureRule = "arithmetic" | "geometric";

export interface RelativeStatistics {
  /** cov(r, b) / var(b). */
  beta: number;
  /** Per-period Jensen's alpha mean(r − rf) − β·mean(b − rf). */
  alphaPerPeriod: number;
  correlation: number;
  /** sd(r − b), ddof 1, per period. */
  activeSd: number;
  /** mean(r − b), per period. */
  activeMean: number;
  upCapture: number;
  downCapture: number;
}

/**
 * Beta, alpha, correlation, the active return's mean and sd, and the up
 * and down capture ratios of r against b.
 *
 * Method: means by compensated sums, then one pass of centred cross
 * products (beta and correlation do not depend on the risk-free rate, which
 * shifts both series alike). Capture ratios over the periods where b > 0
 * (up) or b < 0 (down):
 * - "arithmetic": mean(r | up) / mean(b | up), PerformanceAnalytics
 *   `UpDownRatios(method = "Capture")`;
 * - "geometric": the ratio of the subsets' compound annual growth rates,
 *   empyrical `up_capture`/`down_capture` (needs P).
 *
 * References: M. C. Jensen (1968), "The performance of mutual funds in the
 * period 1945–1964", *Journal of Finance* 23(2), 389–416; C. R. Bacon
 * (2008), *Practical Portfolio Performance Measurement and Attribution*,
 * 2nd ed., §4 (tracking error, information ratio) and §5 (capture ratios).
 *
 * @example
 * const b = new Float64Array([0.01, -0.02, 0.03, -0.01]);
 * relativeStatistics(b.map((x) => 2 * x), b, 0, "arithmetic", 252).beta; // => 2
 */
export function relativeStatistics(
  r: Float64Array,
  b: Float64Array,
  riskFreePerPeriod: number,
  capture: CaptureRule,
  periodsPerYear: number,
): RelativeStatistics {
  const n = r.length;
  const meanR = neumaierSum(r) / n;
  const meanB = neumaierSum(b) / n;
  let srb = 0;
  let srr = 0;
  let sbb = 0;
  let activeSum = 0;
  let upR = 0;
  let upB = 0;
  let upCount = 0;
  let downR = 0;
  let downB = 0;
  let downCount = 0;
  let upLogR = 0;
  let upLogB = 0;
  let downLogR = 0;
  let downLogB = 0;
  for (let i = 0; i < n; i++) {
    const dr = r[i]! - meanR;
    const db = b[i]! - meanB;
    srb += dr * db;
    srr += dr * dr;
    sbb += db * db;
    activeSum += r[i]! - b[i]!;
    if (b[i]! > 0) {
      upR += r[i]!;
      upB += b[i]!;
      upCount++;
      if (capture === "geometric") {
        upLogR += Math.log1p(r[i]!);
        upLogB += Math.log1p(b[i]!);
      }
    } else if (b[i]! < 0) {
      downR += r[i]!;
      downB += b[i]!;
      downCount++;
      if (capture === "geometric") {
        downLogR += Math.log1p(r[i]!);
        downLogB += Math.log1p(b[i]!);
      }
    }
  }
  const activeMean = activeSum / n;
  let activeSquares = 0;
  for (let i = 0; i < n; i++) {
    const d = r[i]! - b[i]! - activeMean;
    activeSquares += d * d;
  }
  const beta = srb / sbb;
  const annualise = (logSum: number, count: number) => Math.expm1((logSum * periodsPerYear) / count);
  return {
    beta,
    alphaPerPeriod: meanR - riskFreePerPeriod - beta * (meanB - riskFreePerPeriod),
    correlation: srb / Math.sqrt(srr * sbb),
    activeSd: Math.sqrt(activeSquares / (n - 1)),
    activeMean,
    upCapture:
      capture === "arithmetic"
        ? upR / upCount / (upB / upCount)
        : annualise(upLogR, upCount) / annualise(upLogB, upCount),
    downCapture:
      capture === "arithmetic"
        ? downR / downCount / (downB / downCount)
        : annualise(downLogR, downCount) / annualise(downLogB, downCount),
  };
}
