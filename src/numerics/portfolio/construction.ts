import { criticalLine } from "./criticalLine.js";
import {
  maximumMean,
  maximumSharpe,
  minimumVarianceCorner,
  portfolioAtMean,
  portfolioAtVariance,
  sampleFrontier,
  unboundedFrontier,
} from "./efficientFrontier.js";
import { hierarchicalRiskParity } from "./hierarchicalRiskParity.js";
import { solveBoxQuadraticProgram } from "./quadraticProgram.js";
import { riskParity } from "./riskParity.js";

/**
 * The portfolio methods of `hftlab optimize` on per-period moments (μ, Σ),
 * each returning fully invested weights. Bounds: `lower` finite or all −∞
 * (unlimited short sales), `upper` finite or +∞.
 */
export type PortfolioMethod =
  | "min-variance"
  | "max-sharpe"
  | "risk-parity"
  | "target-return"
  | "target-risk"
  | "frontier"
  | "inverse-vol"
  | "equal"
  | "hrp";

export interface PortfolioProblem {
  mean: Float64Array;
  covariance: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

export interface MethodOutcome {
  w: Float64Array;
  /** Solver facts for the envelope (iterations, convergence, …). */
  solver: Record<string, number | string | boolean>;
}

/** Whether the bounds leave short sales unlimited (no finite lower bound). */
export function unboundedBelow(problem: PortfolioProblem): boolean {
  return problem.lower.every((x) => x === Number.NEGATIVE_INFINITY);
}

/** The exact efficient frontier: the critical line with finite lower bounds, else the closed form. */
export function efficientFrontierOf(problem: PortfolioProblem) {
  return unboundedBelow(problem)
    ? unboundedFrontier(problem.mean, problem.covariance)
    : criticalLine(problem.mean, problem.covariance, problem.lower, problem.upper);
}

/**
 * Long-only or bounded minimum variance by the active-set QP
 * (min ½wᵀΣw s.t. 1ᵀw = 1, lower ≤ w ≤ upper); the closed form
 * Σ⁻¹1/(1ᵀΣ⁻¹1) without bounds.
 */
export function minimumVariance(problem: PortfolioProblem): MethodOutcome {
  const n = problem.mean.length;
  if (unboundedBelow(problem)) {
    return {
      w: minimumVarianceCorner(unboundedFrontier(problem.mean, problem.covariance)).w,
      solver: { name: "closed-form" },
    };
  }
  const solution = solveBoxQuadraticProgram({
    n,
    hessian: problem.covariance,
    linear: new Float64Array(n),
    equality: new Float64Array(n).fill(1),
    rhs: 1,
    lower: problem.lower,
    upper: problem.upper,
  });
  return { w: solution.w, solver: { name: "active-set", iterations: solution.iterations } };
}

/**
 * Long-only maximum Sharpe by the standard homogenisation (Cornuéjols &
 * Tütüncü 2007, *Optimization Methods in Finance*, §8.2): with y = κw,
 * min yᵀΣy s.t. (μ − rf)ᵀy = 1, y ≥ 0, then w = y/1ᵀy. Only valid when the
 * bounds are exactly 0 ≤ w (≤ 1), and only when some μ_i > rf.
 */
export function maximumSharpeHomogenised(
  problem: PortfolioProblem,
  riskFreePerPeriod: number,
): MethodOutcome {
  const n = problem.mean.length;
  const excess = new Float64Array(n);
  for (let i = 0; i < n; i++) excess[i] = problem.mean[i]! - riskFreePerPeriod;
  const solution = solveBoxQuadraticProgram({
    n,
    hessian: problem.covariance,
    linear: new Float64Array(n),
    equality: excess,
    rhs: 1,
    lower: new Float64Array(n),
    upper: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
  });
  let total = 0;
  for (let i = 0; i < n; i++) total += solution.w[i]!;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = solution.w[i]! / total;
  return { w, solver: { name: "active-set (homogenised)", iterations: solution.iterations } };
}

/** Whether the bounds are plain long-only (0 ≤ w, with any upper bound ≥ 1 redundant). */
export function plainLongOnly(problem: PortfolioProblem): boolean {
  return problem.lower.every((x) => x === 0) && problem.upper.every((x) => x >= 1);
}

/** Maximum Sharpe: homogenised QP when plain long-only, else on the exact frontier; null when none exists. */
export function maximumSharpePortfolio(
  problem: PortfolioProblem,
  riskFreePerPeriod: number,
): MethodOutcome | null {
  if (plainLongOnly(problem)) {
    if (!problem.mean.some((m) => m > riskFreePerPeriod)) return null;
    return maximumSharpeHomogenised(problem, riskFreePerPeriod);
  }
  const line = efficientFrontierOf(problem);
  const w = maximumSharpe(line, riskFreePerPeriod);
  return w === null
    ? null
    : {
        w,
        solver: {
          name: unboundedBelow(problem) ? "closed-form" : "critical-line",
          corners: line.corners.length,
        },
      };
}

/** Efficient portfolio with mean ≥ target (per period); null when unreachable. */
export function targetMeanPortfolio(problem: PortfolioProblem, target: number): MethodOutcome | null {
  const line = efficientFrontierOf(problem);
  const w = portfolioAtMean(line, target);
  return w === null ? null : { w, solver: { name: "critical-line", corners: line.corners.length } };
}

/** Efficient portfolio with variance ≤ target (per period), highest mean; null below the minimum variance. */
export function targetVariancePortfolio(problem: PortfolioProblem, target: number): MethodOutcome | null {
  const line = efficientFrontierOf(problem);
  const w = portfolioAtVariance(line, target);
  return w === null ? null : { w, solver: { name: "critical-line", corners: line.corners.length } };
}

export interface FrontierOutcome {
  points: Float64Array[];
  corners: Float64Array[];
  minimumVariance: Float64Array;
  maximumSharpe: Float64Array | null;
}

/** `points` efficient portfolios from the minimum variance to the highest mean (max μ_i without bounds). */
export function frontierPortfolios(
  problem: PortfolioProblem,
  points: number,
  riskFreePerPeriod: number,
): FrontierOutcome {
  const line = efficientFrontierOf(problem);
  const top = maximumMean(line);
  const upper = Number.isFinite(top) ? top : Math.max(...problem.mean);
  return {
    points: sampleFrontier(line, points, Math.max(upper, minimumVarianceCorner(line).mean)),
    corners: line.corners.map((c) => c.w),
    minimumVariance: minimumVarianceCorner(line).w,
    maximumSharpe: maximumSharpe(line, riskFreePerPeriod),
  };
}

export function equalRiskContribution(
  covariance: Float64Array,
  n: number,
): MethodOutcome & { maxError: number; converged: boolean } {
  const solution = riskParity(covariance, n);
  return {
    w: solution.w,
    maxError: solution.maxError,
    converged: solution.converged,
    solver: {
      name: "spinu-coordinate-descent",
      sweeps: solution.sweeps,
      newtonSteps: solution.newtonSteps,
      maxRiskContributionError: solution.maxError,
    },
  };
}

export function hierarchicalRiskParityPortfolio(
  covariance: Float64Array,
  n: number,
  bounds?: { lower: Float64Array; upper: Float64Array },
): MethodOutcome {
  return { w: hierarchicalRiskParity(covariance, n, bounds).w, solver: { name: "hrp-single-linkage" } };
}

/** w_i ∝ 1/σ_i. */
export function inverseVolatility(covariance: Float64Array, n: number): MethodOutcome {
  const w = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    w[i] = 1 / Math.sqrt(covariance[i * n + i]!);
    total += w[i]!;
  }
  for (let i = 0; i < n; i++) w[i]! /= total;
  return { w, solver: { name: "closed-form" } };
}

export function equalWeights(n: number): MethodOutcome {
  return { w: new Float64Array(n).fill(1 / n), solver: { name: "closed-form" } };
}
