import { inputError, numericalError, usageError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { columnMeans, ewmaCovariance, ewmaMeans, sampleCovariance } from "../../numerics/stats/covariance.js";
import { PortfolioSolverError } from "../../numerics/portfolio/freeSetInverse.js";
import { ledoitWolf } from "../../numerics/portfolio/ledoitWolf.js";
import {
  equalRiskContribution,
  equalWeights,
  frontierPortfolios,
  hierarchicalRiskParityPortfolio,
  inverseVolatility,
  type MethodOutcome,
  maximumSharpePortfolio,
  minimumVariance,
  type PortfolioProblem,
  targetMeanPortfolio,
  targetVariancePortfolio,
} from "../../numerics/portfolio/construction.js";
import { conditionNumber, portfolioMoments } from "../../numerics/portfolio/statistics.js";
import type { OptimizeOptions } from "./options.js";
import type { OptimizeAnalysis } from "./results.js";
import type { CommandRun } from "../shared/commandRun.js";

/**
 * What `hftlab optimize` computes before anything is rendered: the weight
 * bounds (refused with the arithmetic when infeasible), the mean and
 * covariance estimates, and the chosen method's portfolio, with every
 * failure explained in the user's terms (an unreachable target's attainable
 * limit, the asset that makes the covariance singular, why max-Sharpe is
 * undefined) rather than a silent fallback.
 */

/** Condition number above which the covariance is reported as ill-conditioned. */
export const ILL_CONDITIONED = 1e10;

/** Per-asset bounds; exit 2 with the arithmetic when full investment is impossible. */
export function weightBounds(
  options: OptimizeOptions,
  n: number,
): { lower: Float64Array; upper: Float64Array } {
  const lo = options.minWeight ?? (options.allowShort ? Number.NEGATIVE_INFINITY : 0);
  const hi = options.maxWeight ?? (options.allowShort ? Number.POSITIVE_INFINITY : 1);
  if (n * hi < 1 - 1e-12) {
    throw usageError(
      `infeasible bounds: ${n} assets × --max-weight ${hi} = ${round(n * hi)} < 1, so the weights cannot sum to 1`,
      `--max-weight must be at least 1/${n} = ${round(1 / n)}`,
    );
  }
  if (n * lo > 1 + 1e-12) {
    throw usageError(
      `infeasible bounds: ${n} assets × --min-weight ${lo} = ${round(n * lo)} > 1, so the weights cannot sum to 1`,
      `--min-weight must be at most 1/${n} = ${round(1 / n)}`,
    );
  }
  return { lower: new Float64Array(n).fill(lo), upper: new Float64Array(n).fill(hi) };
}

/** Six significant digits: enough to check the arithmetic a message quotes. */
function round(x: number): number {
  return Number(x.toPrecision(6));
}

/** The mean and covariance estimates `--mu` and `--cov` ask for (with Ledoit–Wolf's shrinkage). */
function estimate(
  frame: Frame,
  options: OptimizeOptions,
): { mean: Float64Array; covariance: Float64Array; shrinkage?: number } {
  const columns = frame.columns;
  const mean = options.mu === "ewma" ? ewmaMeans(columns, options.halflife) : columnMeans(columns);
  if (options.cov === "ledoit-wolf") {
    const lw = ledoitWolf(columns);
    return { mean, covariance: lw.covariance, shrinkage: lw.shrinkage };
  }
  const covariance =
    options.cov === "ewma" ? ewmaCovariance(columns, options.halflife) : sampleCovariance(columns, 1);
  return { mean, covariance };
}

/**
 * The estimates and the `--method` portfolio under `bounds`. Exit 3 for a
 * constant series, exit 2 for an unreachable target, exit 4 for a singular
 * system or (with `--strict`) risk parity short of 1e-10; an ill-conditioned
 * covariance is a warning. `reported` false (the walk-forward, which reads
 * only the weights) skips the condition number where no warning needs it:
 * then `condition` is NaN.
 */
export function analyse(
  frame: Frame,
  options: OptimizeOptions,
  bounds: { lower: Float64Array; upper: Float64Array },
  run: Pick<CommandRun, "warn">,
  reported = true,
): OptimizeAnalysis {
  const n = frame.symbols.length;
  const rows = frame.time.length;
  const { mean, covariance, shrinkage } = estimate(frame, options);
  for (let i = 0; i < n; i++) {
    if (!(covariance[i * n + i]! > 0)) {
      throw inputError(
        "constant_series",
        `${frame.symbols[i]} has zero variance over the ${rows} periods: no portfolio question can be answered with it`,
        { file: frame.source },
        "drop it with --columns",
      );
    }
  }
  const rankDeficient = options.cov !== "ledoit-wolf" && rows <= n;
  const condition = reported || !rankDeficient ? conditionNumber(covariance, n) : Number.NaN;
  if (rankDeficient) {
    run.warn(
      `more assets (${n}) than return periods (${rows}): the ${options.cov} covariance has rank at most ${rows - 1} and is singular; use --cov ledoit-wolf`,
    );
  } else if (!(condition <= ILL_CONDITIONED)) {
    run.warn(
      `the covariance is ill-conditioned (condition number ${Number.isFinite(condition) ? condition.toExponential(2) : "infinite"}): weights may be unstable; consider --cov ledoit-wolf`,
    );
  }
  const problem: PortfolioProblem = { mean, covariance, ...bounds };
  const P = options.periodsPerYear;
  const rfPerPeriod = options.riskFree / P;
  const base = {
    frame,
    symbols: frame.symbols,
    mean,
    covariance,
    condition,
    ...(shrinkage !== undefined ? { shrinkage } : {}),
  };
  try {
    switch (options.method) {
      case "min-variance":
        return { ...base, outcome: minimumVariance(problem) };
      case "max-sharpe":
        return { ...base, outcome: maxSharpeOrExplain(problem, rfPerPeriod, frame.symbols, options) };
      case "target-return": {
        const target = options.targetReturn! / P;
        const outcome = targetMeanPortfolio(problem, target);
        if (outcome === null) throw unreachableReturn(problem, options, frame.symbols);
        return { ...base, outcome };
      }
      case "target-risk": {
        const target = (options.targetRisk! * options.targetRisk!) / P;
        const outcome = targetVariancePortfolio(problem, target);
        if (outcome === null) {
          const floor = minimumVariance(problem);
          const vol = portfolioMoments(floor.w, mean, covariance, P, options.riskFree).volatility;
          throw usageError(
            `infeasible --target-risk ${options.targetRisk}: the minimum-variance portfolio under these bounds already has volatility ${round(vol)}`,
            `choose --target-risk ≥ ${round(vol)}`,
          );
        }
        return { ...base, outcome };
      }
      case "frontier": {
        const frontier = frontierPortfolios(problem, options.points, rfPerPeriod);
        const chosen = frontier.maximumSharpe ?? frontier.minimumVariance;
        return {
          ...base,
          frontier,
          outcome: { w: chosen, solver: { name: "critical-line", corners: frontier.corners.length } },
        };
      }
      case "risk-parity": {
        const outcome = equalRiskContribution(covariance, n);
        if (!outcome.converged) {
          const message = `risk parity stopped with a risk-contribution error of ${outcome.maxError.toExponential(2)} (> 1e-10)`;
          if (options.strict)
            throw numericalError(
              "no_convergence",
              message,
              "the covariance may be ill-conditioned; try --cov ledoit-wolf",
            );
          run.warn(message);
        }
        return { ...base, outcome };
      }
      case "hrp":
        // unbounded, the clipping would only re-round α (1 − (1 − α)): the paper's weights exactly
        return {
          ...base,
          outcome: hierarchicalRiskParityPortfolio(
            covariance,
            n,
            options.minWeight === undefined && options.maxWeight === undefined ? undefined : bounds,
          ),
        };
      case "inverse-vol":
        return { ...base, outcome: inverseVolatility(covariance, n) };
      case "equal":
        return { ...base, outcome: equalWeights(n) };
    }
  } catch (error) {
    if (error instanceof PortfolioSolverError) {
      const message =
        error.asset !== undefined
          ? `the covariance is singular on the assets the optimum needs (${frame.symbols[error.asset]} is a linear combination of the others)`
          : error.message;
      throw numericalError(
        error.kind === "singular" ? "singular_covariance" : "no_convergence",
        `${options.method}: ${message}`,
        "a singular or ill-conditioned covariance has no unique answer; use --cov ledoit-wolf (shrinkage) or fewer --columns",
      );
    }
    throw error;
  }
}

/** The max-Sharpe portfolio, or exit 4 saying why no portfolio beats the risk-free rate. */
function maxSharpeOrExplain(
  problem: PortfolioProblem,
  rfPerPeriod: number,
  symbols: string[],
  options: OptimizeOptions,
): MethodOutcome {
  const outcome = maximumSharpePortfolio(problem, rfPerPeriod);
  if (outcome !== null) return outcome;
  const P = options.periodsPerYear;
  let best = 0;
  for (let i = 1; i < symbols.length; i++) if (problem.mean[i]! > problem.mean[best]!) best = i;
  const bestAnnual = round(problem.mean[best]! * P);
  if (problem.mean[best]! <= rfPerPeriod) {
    throw numericalError(
      "no_excess_return",
      `max-sharpe is undefined: every expected return is at or below the risk-free rate ${options.riskFree} (highest: ${symbols[best]} ${bestAnnual})`,
      "no portfolio has a positive Sharpe ratio; use --method min-variance, or a lower --risk-free",
    );
  }
  if (problem.lower.every((x) => x === Number.NEGATIVE_INFINITY)) {
    throw numericalError(
      "no_excess_return",
      `max-sharpe is undefined: with unlimited short sales and the minimum-variance return at or below the risk-free rate ${options.riskFree}, the Sharpe ratio has no maximum (the tangency formula would give a negative-Sharpe portfolio)`,
      "use --method min-variance, a --min-weight bound, or a lower --risk-free",
    );
  }
  throw numericalError(
    "no_excess_return",
    `max-sharpe is undefined: no portfolio under these bounds earns more than the risk-free rate ${options.riskFree}`,
    "use --method min-variance, bounds (--min-weight) or a lower --risk-free",
  );
}

/** Exit 2 for `--target-return` above the highest expected return the bounds allow, quoting it. */
function unreachableReturn(problem: PortfolioProblem, options: OptimizeOptions, symbols: string[]) {
  const P = options.periodsPerYear;
  const n = symbols.length;
  const lo = problem.lower[0]!;
  const hi = problem.upper[0]!;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => problem.mean[b]! - problem.mean[a]!);
  let remaining = 1 - n * lo;
  let best = 0;
  for (const i of order) {
    const take = Math.min(hi - lo, remaining);
    best += (lo + take) * problem.mean[i]!;
    remaining -= take;
  }
  return usageError(
    `infeasible --target-return ${options.targetReturn}: the highest expected return under these bounds is ${round(best * P)}` +
      (hi >= 1
        ? ` (all in ${symbols[order[0]!]})`
        : ` (filling the highest-mean assets to --max-weight ${hi})`),
    `choose --target-return ≤ ${round(best * P)}`,
  );
}

/**
 * The frontier a report draws the chosen portfolio against: the run's own
 * (--method frontier), else one traced by the same critical line algorithm
 * under the same bounds; null when the bounds admit none.
 */
export function reportFrontier(
  analysis: OptimizeAnalysis,
  options: OptimizeOptions,
  bounds: { lower: Float64Array; upper: Float64Array },
): OptimizeAnalysis["frontier"] | null {
  if (analysis.frontier !== undefined) return analysis.frontier;
  const problem: PortfolioProblem = { mean: analysis.mean, covariance: analysis.covariance, ...bounds };
  try {
    return frontierPortfolios(problem, options.points, options.riskFree / options.periodsPerYear);
  } catch (error) {
    if (error instanceof PortfolioSolverError) return null;
    throw error;
  }
}
