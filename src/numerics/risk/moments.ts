/**
 * The sample moments every risk metric starts from, in two passes over the
 * returns: the mean (compensated sum), then the central power sums.
 */
import { neumaierSum } from "../stats/summation.js";

export interface ReturnMoments {
  /** Number of returns. */
  observations: number;
  mean: number;
  /** Sample standard deviation, ddof 1 (NaN for a single return). */
  sd: number;
  /** Central moments m_k = mean((r − mean)^k), the biased ("moment") estimators. */
  m2: number;
  m3: number;
  m4: number;
  /** Moment skewness m3 / m2^1.5 (scipy.stats.skew, bias=True; PerformanceAnalytics method "moment"). */
  skew: number;
  /** Excess moment kurtosis m4 / m2² − 3 (scipy.stats.kurtosis, bias=True; PerformanceAnalytics "excess"). */
  kurtosis: number;
}

/**
 * Mean, ddof-1 standard deviation, and the biased central moments of
 * `r[start..end)`.
 *
 * Method: mean = Σr/n by Neumaier's compensated sum; then one pass over the
 * deviations d = r − mean for Σd, Σd², Σd³, Σd⁴. Σd (zero in exact
 * arithmetic) corrects the rounding of the mean in m2 (the "corrected
 * two-pass" algorithm of Chan, Golub & LeVeque), so a series like
 * `1e9 + small noise` keeps its variance. The skewness and kurtosis of a
 * zero-variance series are NaN (0/0), as in scipy.
 *
 * References:
 * - T. F. Chan, G. H. Golub, R. J. LeVeque (1983), "Algorithms for computing
 *   the sample variance: analysis and recommendations", *The American
 *   Statistician* 37(3), 242–247, eq. 1.7.
 * - D. N. Joanes, C. A. Gill (1998), "Comparing measures of sample skewness
 *   and kurtosis", *The Statistician* 47(1), 183–189 (the b1, b2 estimators).
 *
 * @example
 * returnMoments(new Float64Array([0.01, -0.02, 0.03, 0.0]));
 * // => { observations: 4, mean: 0.005, sd: 0.021602468994692866, m2: 0.00035,
 * //      skew: 0, kurtosis: -1.3404081632653057, ... }  (scipy.stats.kurtosis: -1.3404081632653061)
 */
export function returnMoments(r: Float64Array, start = 0, end = r.length): ReturnMoments {
  const n = end - start;
  const mean = n > 0 ? neumaierSum(r, start, end) / n : Number.NaN;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = start; i < end; i++) {
    const d = r[i]! - mean;
    const d2 = d * d;
    s1 += d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  const sumSquares = Math.max(0, s2 - (s1 * s1) / n);
  const m2 = sumSquares / n;
  const m3 = s3 / n;
  const m4 = s4 / n;
  return {
    observations: n,
    mean,
    sd: n > 1 ? Math.sqrt(sumSquares / (n - 1)) : Number.NaN,
    m2,
    m3,
    m4,
    skew: m3 / m2 ** 1.5,
    kurtosis: m4 / (m2 * m2) - 3,
  };
}

/**
 * The adjusted Fisher–Pearson skewness G1 = g1·sqrt(n(n − 1))/(n − 2) and
 * the adjusted excess kurtosis G2 = (n − 1)/((n − 2)(n − 3))·((n + 1)·g2 + 6)
 * of moment estimators g1, g2 (Joanes & Gill 1998; Excel SKEW/KURT, pandas
 * skew()/kurt(), PerformanceAnalytics "fisher"/"sample_excess"). NaN below
 * three (G1) or four (G2) observations.
 *
 * @example
 * adjustedMoments({ observations: 10, skew: 0.5, kurtosis: 1 } as ReturnMoments);
 * // => { skew: 0.5929270612815711, kurtosis: 2.732142857142857 }  (G1 = 0.5·sqrt(90)/8, G2 = 9/56·17)
 */
export function adjustedMoments(moments: ReturnMoments): { skew: number; kurtosis: number } {
  const n = moments.observations;
  return {
    skew: n > 2 ? (moments.skew * Math.sqrt(n * (n - 1))) / (n - 2) : Number.NaN,
    kurtosis: n > 3 ? ((n - 1) / ((n - 2) * (n - 3))) * ((n + 1) * moments.kurtosis + 6) : Number.NaN,
  };
}
