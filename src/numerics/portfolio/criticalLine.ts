import { FreeSetInverse, PortfolioSolverError } from "./freeSetInverse.js";

/**
 * One piece of the efficient frontier: for λ in [lambdaLow, lambdaHigh] the
 * efficient weights are exactly w(λ) = alpha + λ·beta (full n-vectors).
 */
export interface FrontierSegment {
  lambdaHigh: number;
  lambdaLow: number;
  alpha: Float64Array;
  beta: Float64Array;
  /** μᵀw(λ) = meanAlpha + λ·meanBeta. */
  meanAlpha: number;
  meanBeta: number;
  /** w(λ)ᵀΣw(λ) = varianceAlpha + 2λ·covarianceAlphaBeta + λ²·varianceBeta. */
  varianceAlpha: number;
  covarianceAlphaBeta: number;
  varianceBeta: number;
}

/** A corner (turning) portfolio, where the set of assets at a bound changes. */
export interface CornerPortfolio {
  lambda: number;
  w: Float64Array;
  /** μᵀw per period. */
  mean: number;
  /** wᵀΣw per period. */
  variance: number;
}

export interface CriticalLine {
  /** Corners from the maximum-return portfolio (λ = ∞) down to the minimum-variance one (λ = 0). */
  corners: CornerPortfolio[];
  /** segments[k] joins corners[k] and corners[k + 1]. */
  segments: FrontierSegment[];
}

/**
 * The whole long/bounded efficient frontier by Markowitz's critical line
 * algorithm: the parametric QP
 *
 *   minimise ½·wᵀΣw − λ·μᵀw   subject to   1ᵀw = 1,   lower ≤ w ≤ upper
 *
 * is solved for every λ from +∞ down to 0 at once. With the set F of assets
 * strictly between their bounds fixed, the KKT system is linear in λ, so the
 * weights are affine in λ, w_F = α + λβ, and so are the bound multipliers of
 * the other assets; the next corner is the largest λ below the current one at
 * which a free weight reaches a bound or a bounded asset's multiplier changes
 * sign. Between corners the frontier is exact, not sampled. (Σ_FF)⁻¹ is kept
 * by bordering updates (`FreeSetInverse`) with a periodic fresh refactorisation.
 *
 * References:
 * - H. Markowitz (1956), "The optimization of a quadratic function subject to
 *   linear constraints", Naval Research Logistics Quarterly 3, 111–133.
 * - D. H. Bailey, M. López de Prado (2013), "An open-source implementation of
 *   the critical-line algorithm for portfolio optimization", Algorithms 6(1),
 *   169–196. doi:10.3390/a6010169
 * - A. Niedermayer, D. Niedermayer (2010), "Applying Markowitz's critical line
 *   algorithm", in *Handbook of Portfolio Construction*, Springer, 383–400.
 *
 * @throws PortfolioSolverError on a singular free set or after the iteration cap
 *
 * @example
 * // two uncorrelated assets, μ = (1, 2)·1e-3, σ² = (1, 4)·1e-4, long-only:
 * criticalLine(Float64Array.of(1e-3, 2e-3), Float64Array.of(1e-4, 0, 0, 4e-4),
 *   Float64Array.of(0, 0), Float64Array.of(1, 1)).corners.map((c) => Array.from(c.w));
 * // => [[0, 1], [0.8, 0.2]]  (max return, then min variance w ∝ 1/σ²)
 */
export function criticalLine(
  mean: Float64Array,
  covariance: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  maxIterations = 40 * mean.length + 100,
): CriticalLine {
  const n = mean.length;
  const h = covariance;
  const w = startAtMaximumReturn(mean, covariance, lower, upper);
  const status = new Int8Array(n);
  let startFree = -1;
  for (let i = 0; i < n; i++) {
    status[i] = w[i] === lower[i] ? -1 : w[i] === upper[i] ? 1 : 0;
    if (status[i] === 0) startFree = i;
  }
  if (startFree < 0) startFree = lastFilled(w, mean, lower);
  status[startFree] = 0;
  const free = new FreeSetInverse(h, n);
  free.add(startFree);
  for (let i = 0; i < n; i++) if (status[i] === 0 && i !== startFree) free.add(i);

  // hb = Σ·w_B, kept up to date as assets enter and leave the bounded set
  const hb = new Float64Array(n);
  for (let j = 0; j < n; j++) if (status[j] !== 0) addColumn(hb, h, n, j, w[j]!);
  const rhs0 = new Float64Array(n);
  const x0 = new Float64Array(n);
  const xm = new Float64Array(n);
  const y = new Float64Array(n);
  const ones = new Float64Array(n).fill(1);
  const hAlpha = new Float64Array(n);
  const hBeta = new Float64Array(n);

  const corners: CornerPortfolio[] = [];
  const segments: FrontierSegment[] = [];
  let lambda = Number.POSITIVE_INFINITY;
  let lastChanged = -1;
  let updates = 0;
  for (let iteration = 0; ; iteration++) {
    if (iteration >= maxIterations) {
      throw new PortfolioSolverError(
        "iterations",
        `the critical line did not finish in ${maxIterations} steps`,
      );
    }
    const k = free.size;
    let budget = 1;
    for (let j = 0; j < n; j++) if (status[j] !== 0) budget -= w[j]!;
    for (let i = 0; i < n; i++) rhs0[i] = -hb[i]!;
    free.solve(rhs0, x0);
    free.solve(mean, xm);
    free.solve(ones, y);
    let s = 0;
    let sx0 = 0;
    let sxm = 0;
    for (let p = 0; p < k; p++) {
      s += y[p]!;
      sx0 += x0[p]!;
      sxm += xm[p]!;
    }
    const nu0 = (budget - sx0) / s;
    const nu1 = -sxm / s;
    const alpha = Float64Array.from(w);
    const beta = new Float64Array(n);
    for (let p = 0; p < k; p++) {
      const i = free.indices[p]!;
      alpha[i] = x0[p]! + nu0 * y[p]!;
      beta[i] = xm[p]! + nu1 * y[p]!;
    }
    // Σ_iF·α_F and Σ_iF·β_F for the multipliers of the bounded assets
    hAlpha.set(hb);
    hBeta.fill(0);
    for (let p = 0; p < k; p++) {
      const j = free.indices[p]!;
      addColumn(hAlpha, h, n, j, alpha[j]!);
      addColumn(hBeta, h, n, j, beta[j]!);
    }
    let next = 0;
    let event = -1;
    for (let i = 0; i < n; i++) {
      let at: number;
      if (status[i] === 0) {
        const b = beta[i]!;
        if (b > 0) at = (lower[i]! - alpha[i]!) / b;
        else if (b < 0) at = (upper[i]! - alpha[i]!) / b;
        else continue;
      } else {
        const gamma = hAlpha[i]! - nu0;
        const delta = hBeta[i]! - mean[i]! - nu1;
        if ((status[i]! < 0 && delta > 0) || (status[i]! > 0 && delta < 0)) at = -gamma / delta;
        else continue;
      }
      // ties at the current λ are taken one at a time; the asset that just changed may not
      // re-trigger there (that would undo its own event), only strictly below
      const below = at < lambda * (1 - 1e-12);
      const tie = at <= lambda * (1 + 1e-12) && i !== lastChanged;
      if (at > next && (below || tie)) {
        next = at;
        event = i;
      }
    }
    if (next > lambda) next = lambda;
    const segment: FrontierSegment = {
      lambdaHigh: lambda,
      lambdaLow: next,
      alpha,
      beta,
      meanAlpha: dot(mean, alpha),
      meanBeta: dot(mean, beta),
      varianceAlpha: dot(alpha, hAlpha),
      covarianceAlphaBeta: dot(beta, hAlpha),
      varianceBeta: dot(beta, hBeta),
    };
    // the first corner with one free asset is the starting vertex itself, exactly (the solve
    // through Σ_FF would give its remaining weight back with a rounding residue)
    const corner =
      lambda === Number.POSITIVE_INFINITY && k === 1 ? Float64Array.from(w) : pointOnSegment(segment, next);
    // the segment from λ = ∞ to the first event has β = 0: its one point is the first corner
    if (lambda !== Number.POSITIVE_INFINITY) segments.push(segment);
    corners.push({
      lambda: next,
      w: corner,
      mean: dot(mean, corner),
      variance: segmentVariance(segment, next),
    });
    if (event < 0) break;
    w.set(corner);
    if (status[event] === 0) {
      status[event] = beta[event]! > 0 ? -1 : 1;
      w[event] = status[event]! < 0 ? lower[event]! : upper[event]!;
      free.remove(event);
      addColumn(hb, h, n, event, w[event]!);
    } else {
      addColumn(hb, h, n, event, -w[event]!);
      status[event] = 0;
      free.add(event);
    }
    lastChanged = event;
    lambda = next;
    if (++updates % 64 === 0) free.refresh();
  }
  return { corners, segments };
}

/** w(λ) = α + λβ on a segment. */
export function pointOnSegment(segment: FrontierSegment, lambda: number): Float64Array {
  const { alpha, beta } = segment;
  const out = new Float64Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) out[i] = alpha[i]! + lambda * beta[i]!;
  return out;
}

/** w(λ)ᵀΣw(λ) on a segment, from its three stored products. */
export function segmentVariance(segment: FrontierSegment, lambda: number): number {
  return (
    segment.varianceAlpha + 2 * lambda * segment.covarianceAlphaBeta + lambda * lambda * segment.varianceBeta
  );
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Everything at its lower bound, then the budget filled highest mean first. */
function startAtMaximumReturn(
  mean: Float64Array,
  covariance: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
): Float64Array {
  const n = mean.length;
  const w = Float64Array.from(lower);
  let remaining = 1;
  for (let i = 0; i < n; i++) remaining -= lower[i]!;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => mean[j]! - mean[i]! || covariance[i * n + i]! - covariance[j * n + j]! || i - j,
  );
  for (const i of order) {
    if (remaining <= 0) break;
    const room = upper[i]! - lower[i]!;
    // land exactly on the upper bound (lower + room need not round back to upper)
    if (room <= remaining) w[i] = upper[i]!;
    else w[i]! += remaining;
    remaining -= Math.min(room, remaining);
  }
  return w;
}

/** The asset filled last by `startAtMaximumReturn` (the lowest-mean asset above its lower bound). */
function lastFilled(w: Float64Array, mean: Float64Array, lower: Float64Array): number {
  let best = 0;
  let bestMean = Number.POSITIVE_INFINITY;
  for (let i = 0; i < w.length; i++) {
    if (w[i]! > lower[i]! && mean[i]! < bestMean) {
      bestMean = mean[i]!;
      best = i;
    }
  }
  return best;
}

function addColumn(out: Float64Array, h: Float64Array, n: number, j: number, scale: number): void {
  if (scale === 0) return;
  const row = j * n;
  for (let i = 0; i < n; i++) out[i]! += h[row + i]! * scale;
}
