import { backSubstitute, choleskyInPlace, forwardSubstitute } from "../linalg/cholesky.js";
import {
  type CornerPortfolio,
  type CriticalLine,
  type FrontierSegment,
  pointOnSegment,
  segmentVariance,
} from "./criticalLine.js";
import { PortfolioSolverError } from "./freeSetInverse.js";

/**
 * Questions asked of an exact efficient frontier (a `CriticalLine`, bounded
 * or the closed-form unbounded one): every answer is a point w(λ) = α + λβ on
 * one of its segments, found in closed form, so it is as exact as the
 * frontier itself. Means and variances here are per period.
 */

/**
 * The fully invested frontier without bounds (short sales unlimited), in
 * the critical-line representation: one segment, λ from +∞ to 0, with
 * α = Σ⁻¹1/(1ᵀΣ⁻¹1) (the minimum-variance portfolio) and
 * β = Σ⁻¹μ − (1ᵀΣ⁻¹μ/1ᵀΣ⁻¹1)·Σ⁻¹1.
 *
 * Reference: R. C. Merton (1972), "An analytic derivation of the efficient
 * portfolio frontier", Journal of Financial and Quantitative Analysis 7(4),
 * 1851–1872. doi:10.2307/2329621
 *
 * @throws PortfolioSolverError("singular") when Σ is not positive definite
 */
export function unboundedFrontier(mean: Float64Array, covariance: Float64Array): CriticalLine {
  const n = mean.length;
  const l = Float64Array.from(covariance);
  if (choleskyInPlace(l, n, n) < n) {
    throw new PortfolioSolverError("singular", "the covariance matrix is singular");
  }
  const inverseOnes = new Float64Array(n).fill(1);
  forwardSubstitute(l, n, n, inverseOnes);
  backSubstitute(l, n, n, inverseOnes);
  const inverseMean = Float64Array.from(mean);
  forwardSubstitute(l, n, n, inverseMean);
  backSubstitute(l, n, n, inverseMean);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    a += inverseOnes[i]!;
    b += inverseMean[i]!;
  }
  const alpha = new Float64Array(n);
  const beta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    alpha[i] = inverseOnes[i]! / a;
    beta[i] = inverseMean[i]! - (b / a) * inverseOnes[i]!;
  }
  const sigmaAlpha = multiply(covariance, alpha);
  const sigmaBeta = multiply(covariance, beta);
  const segment: FrontierSegment = {
    lambdaHigh: Number.POSITIVE_INFINITY,
    lambdaLow: 0,
    alpha,
    beta,
    meanAlpha: dot(mean, alpha),
    meanBeta: dot(mean, beta),
    varianceAlpha: dot(alpha, sigmaAlpha),
    covarianceAlphaBeta: dot(beta, sigmaAlpha),
    varianceBeta: dot(beta, sigmaBeta),
  };
  const corner: CornerPortfolio = {
    lambda: 0,
    w: alpha,
    mean: segment.meanAlpha,
    variance: segment.varianceAlpha,
  };
  return { corners: [corner], segments: [segment] };
}

/** The minimum-variance portfolio: the frontier's λ = 0 end. */
export function minimumVarianceCorner(line: CriticalLine): CornerPortfolio {
  return line.corners[line.corners.length - 1]!;
}

/** Highest attainable mean: the first corner when bounded, +∞ without bounds. */
export function maximumMean(line: CriticalLine): number {
  const first = line.segments[0];
  if (first !== undefined && first.lambdaHigh === Number.POSITIVE_INFINITY && first.meanBeta > 0) {
    return Number.POSITIVE_INFINITY;
  }
  return line.corners[0]!.mean;
}

/**
 * The efficient portfolio with mean μᵀw = target (minimum variance among
 * those with mean ≥ target): the minimum-variance portfolio when the target
 * is below its mean, null when no portfolio reaches the target.
 */
export function portfolioAtMean(line: CriticalLine, target: number): Float64Array | null {
  const minimum = minimumVarianceCorner(line);
  if (target <= minimum.mean) return minimum.w;
  const top = maximumMean(line);
  if (target > top) return null;
  // the top corner itself, not α + λβ evaluated at its λ (which leaves ~1e-16 residues)
  if (target === top) return line.corners[0]!.w;
  for (const segment of line.segments) {
    const low = segment.meanAlpha + segment.lambdaLow * segment.meanBeta;
    const high =
      segment.lambdaHigh === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : segment.meanAlpha + segment.lambdaHigh * segment.meanBeta;
    if (target >= low && target <= high && segment.meanBeta !== 0) {
      const lambda = (target - segment.meanAlpha) / segment.meanBeta;
      return pointOnSegment(segment, Math.min(segment.lambdaHigh, Math.max(segment.lambdaLow, lambda)));
    }
  }
  return line.corners[0]!.w;
}

/**
 * The efficient portfolio with variance wᵀΣw = target (the highest mean
 * among those with variance ≤ target): null when the target is below the
 * minimum variance; the maximum-mean corner when the target exceeds its
 * variance.
 */
export function portfolioAtVariance(line: CriticalLine, target: number): Float64Array | null {
  const minimum = minimumVarianceCorner(line);
  if (target < minimum.variance * (1 - 1e-12)) return null;
  for (let k = line.segments.length - 1; k >= 0; k--) {
    const segment = line.segments[k]!;
    const high =
      segment.lambdaHigh === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : segmentVariance(segment, segment.lambdaHigh);
    if (target > high) continue;
    // v(λ) = v0 + 2·v1·λ + v2·λ² = target, the root in [low, high] (v increasing in λ on the frontier)
    const { varianceAlpha: v0, covarianceAlphaBeta: v1, varianceBeta: v2 } = segment;
    let lambda: number;
    if (v2 > 0) {
      const disc = Math.max(0, v1 * v1 - v2 * (v0 - target));
      lambda = (-v1 + Math.sqrt(disc)) / v2;
    } else lambda = v1 !== 0 ? (target - v0) / (2 * v1) : segment.lambdaLow;
    return pointOnSegment(segment, Math.min(segment.lambdaHigh, Math.max(segment.lambdaLow, lambda)));
  }
  return line.corners[0]!.w;
}

/**
 * The maximum-Sharpe (tangency) portfolio on the frontier for a per-period
 * risk-free rate. On a segment S(λ) = (m₀ − rf + m₁λ)/sqrt(v₀ + 2v₁λ + v₂λ²)
 * is stationary at the one λ* = ((m₀ − rf)·v₁ − m₁·v₀)/(m₁·v₁ − (m₀ − rf)·v₂);
 * along the (concave) frontier S is unimodal, so the best corner and its two
 * neighbouring segments hold the maximum. null when no frontier portfolio
 * has a mean above rf, or (unbounded case) when the minimum-variance mean is
 * not above rf, where the supremum is approached but never attained.
 */
export function maximumSharpe(line: CriticalLine, riskFree: number): Float64Array | null {
  const sharpeAt = (mean: number, variance: number): number =>
    variance > 0 ? (mean - riskFree) / Math.sqrt(variance) : mean > riskFree ? Number.POSITIVE_INFINITY : -1;
  const unbounded = line.segments.length === 1 && line.segments[0]!.lambdaHigh === Number.POSITIVE_INFINITY;
  if (unbounded && minimumVarianceCorner(line).mean <= riskFree) return null;
  let bestCorner = -1;
  let best = Number.NEGATIVE_INFINITY;
  line.corners.forEach((corner, k) => {
    const s = sharpeAt(corner.mean, corner.variance);
    if (s > best) {
      best = s;
      bestCorner = k;
    }
  });
  if (!unbounded && !(line.corners[0]!.mean > riskFree)) return null;
  let bestWeights = line.corners[bestCorner]!.w;
  for (const k of [bestCorner - 1, bestCorner]) {
    const segment = line.segments[k];
    if (segment === undefined) continue;
    const m0 = segment.meanAlpha - riskFree;
    const m1 = segment.meanBeta;
    const { varianceAlpha: v0, covarianceAlphaBeta: v1, varianceBeta: v2 } = segment;
    const denominator = m1 * v1 - m0 * v2;
    if (denominator === 0) continue;
    const lambda = Math.min(
      segment.lambdaHigh,
      Math.max(segment.lambdaLow, (m0 * v1 - m1 * v0) / denominator),
    );
    if (!Number.isFinite(lambda)) continue;
    const s = sharpeAt(segment.meanAlpha + lambda * m1, segmentVariance(segment, lambda));
    if (s > best) {
      best = s;
      bestWeights = pointOnSegment(segment, lambda);
    }
  }
  return best > 0 ? bestWeights : null;
}

/**
 * `points` efficient portfolios equally spaced in mean from the
 * minimum-variance portfolio to `upperMean` (default: the maximum-mean
 * corner; required when the frontier is unbounded).
 */
export function sampleFrontier(
  line: CriticalLine,
  points: number,
  upperMean = maximumMean(line),
): Float64Array[] {
  const low = minimumVarianceCorner(line).mean;
  const out: Float64Array[] = [];
  for (let k = 0; k < points; k++) {
    const target = points === 1 ? low : low + ((upperMean - low) * k) / (points - 1);
    out.push(portfolioAtMean(line, k === points - 1 ? Math.min(target, upperMean) : target)!);
  }
  return out;
}

function multiply(h: Float64Array, x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += h[i * n + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
