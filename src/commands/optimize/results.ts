import { periodsPerYearParams } from "../shared/periodsPerYear.js";
import { portfolioMoments, riskContributions } from "../../numerics/portfolio/statistics.js";
import { byName, finiteOrNull } from "../../output/json.js";
import type { Frame } from "../../io/frame.js";
import type {
  frontierPortfolios,
  MethodOutcome,
  PortfolioMethod,
} from "../../numerics/portfolio/construction.js";
import type { OptimizeOptions } from "./options.js";
import { sharedParams } from "../shared/commandRun.js";

/**
 * What `hftlab optimize` writes besides the human report: the envelope's
 * `params` and `result` (annualised moments, weights and risk contributions
 * by symbol, the frontier), the `--csv` weights table and the `--out`
 * frontier file, all drawn from the same objects so that they carry the same
 * numbers as `--json`.
 */

export interface PortfolioJson {
  expectedReturn: number | null;
  volatility: number | null;
  sharpe: number | null;
  weights: Record<string, number>;
}

export interface OptimizeResult extends PortfolioJson {
  method: PortfolioMethod;
  riskContributions: Record<string, number | null>;
  conditionNumber: number | null;
  shrinkage?: number;
  solver: Record<string, number | string | boolean>;
  frontier?: PortfolioJson[];
  minVariance?: PortfolioJson;
  maxSharpe?: PortfolioJson | null;
  corners?: number;
}

export interface OptimizeAnalysis {
  frame: Frame;
  symbols: string[];
  mean: Float64Array;
  covariance: Float64Array;
  shrinkage?: number;
  condition: number;
  outcome: MethodOutcome;
  frontier?: ReturnType<typeof frontierPortfolios>;
}

/** One portfolio's annualised moments and its weights by symbol. */
export function portfolioJson(
  w: Float64Array,
  analysis: OptimizeAnalysis,
  options: OptimizeOptions,
): PortfolioJson {
  const m = portfolioMoments(w, analysis.mean, analysis.covariance, options.periodsPerYear, options.riskFree);
  const weights = byName(analysis.symbols.map((s, i) => [s, cleanZero(w[i]!)]));
  return {
    expectedReturn: finiteOrNull(m.expectedReturn),
    volatility: finiteOrNull(m.volatility),
    sharpe: finiteOrNull(m.sharpe),
    weights,
  };
}

/** −0 prints as 0 in JSON anyway; keep it out of tables too. */
function cleanZero(x: number): number {
  return x === 0 ? 0 : x;
}

/**
 * The `result` object: the chosen portfolio, its risk contributions and,
 * for `frontier` (or another method with `--report`, whose page draws one
 * traced under the same bounds), the frontier.
 */
export function optimizeResult(
  analysis: OptimizeAnalysis,
  options: OptimizeOptions,
  frontier: OptimizeAnalysis["frontier"] = analysis.frontier,
): OptimizeResult {
  const { w, solver } = analysis.outcome;
  const main = portfolioJson(w, analysis, options);
  const rc = riskContributions(w, analysis.covariance);
  const contributions = byName(analysis.symbols.map((s, i) => [s, finiteOrNull(rc[i]!)]));
  const result: OptimizeResult = {
    method: options.method,
    weights: main.weights,
    expectedReturn: main.expectedReturn,
    volatility: main.volatility,
    sharpe: main.sharpe,
    riskContributions: contributions,
    conditionNumber: finiteOrNull(analysis.condition),
    solver,
  };
  if (analysis.shrinkage !== undefined) result.shrinkage = analysis.shrinkage;
  if (frontier !== undefined) {
    const f = frontier;
    result.frontier = f.points.map((p) => portfolioJson(p, analysis, options));
    result.minVariance = portfolioJson(f.minimumVariance, analysis, options);
    result.maxSharpe = f.maximumSharpe === null ? null : portfolioJson(f.maximumSharpe, analysis, options);
    result.corners = f.corners.length;
  }
  return result;
}

/** The envelope's `params`: every option as resolved, defaults included. */
export function optimizeParams(options: OptimizeOptions): Record<string, unknown> {
  return {
    method: options.method,
    mu: options.mu,
    cov: options.cov,
    halflife: options.halflife,
    longOnly: !options.allowShort,
    minWeight: options.minWeight ?? null,
    maxWeight: options.maxWeight ?? null,
    targetReturn: options.targetReturn ?? null,
    targetRisk: options.targetRisk ?? null,
    ...periodsPerYearParams(options),
    riskFree: options.riskFree,
    points: options.points,
    ...sharedParams(options),
  };
}

/** The statistics columns of a frontier row, before the weights. */
export const FRONTIER_STATISTICS = ["expectedReturn", "volatility", "sharpe"] as const;

/** --out: the frontier points as rows, statistics then one weight column per symbol. */
export async function writeFrontierFile(
  path: string,
  symbols: string[],
  frontier: PortfolioJson[],
): Promise<void> {
  const [{ writeTable }, { weightedRowColumns }] = await Promise.all([
    import("../../io/write.js"),
    import("../../output/resultRows.js"),
  ]);
  await writeTable(path, weightedRowColumns(frontier, [...FRONTIER_STATISTICS], symbols));
}

/** --csv: symbol,weight,riskContribution, one row per symbol in input column order. */
export function weightsCsv(analysis: OptimizeAnalysis, result: OptimizeResult): string {
  const lines = ["symbol,weight,riskContribution"];
  analysis.symbols.forEach((s) => {
    const name = /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    lines.push(`${name},${result.weights[s]},${result.riskContributions[s] ?? ""}`);
  });
  return `${lines.join("\n")}\n`;
}
