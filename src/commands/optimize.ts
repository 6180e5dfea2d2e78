import { type Command, Option } from "commander";
import type { RunContext } from "../context.js";
import { inputError, numericalError, usageError } from "../errors.js";
import type { Frame } from "../io/frame.js";
import { returnsFrame } from "../io/returns.js";
import { columnMeans, ewmaCovariance, ewmaMeans, sampleCovariance } from "../numerics/covariance.js";
import { PortfolioSolverError } from "../numerics/freeSetInverse.js";
import { ledoitWolf } from "../numerics/ledoitWolf.js";
import {
  equalRiskContribution,
  equalWeights,
  frontierPortfolios,
  hierarchicalRiskParityPortfolio,
  inverseVolatility,
  type MethodOutcome,
  maximumSharpePortfolio,
  minimumVariance,
  type PortfolioMethod,
  type PortfolioProblem,
  targetMeanPortfolio,
  targetVariancePortfolio,
} from "../numerics/portfolioConstruction.js";
import { conditionNumber, portfolioMoments, riskContributions } from "../numerics/portfolioStatistics.js";
import type { ReturnKind } from "../numerics/returns.js";
import { finiteOrNull } from "../output/json.js";
import {
  addInputOptions,
  addOutputOptions,
  addReturnsOptions,
  type CommonOptions,
  checkOutputModes,
  type InputKind,
  parseInteger,
  parseNumber,
  resolveInput,
} from "./options.js";
import { startGramHelperFor } from "../numerics/gramKernel.js";
import { CommandRun, dataSummary, sharedParams } from "./shared.js";

export type CovarianceEstimator = "sample" | "ledoit-wolf" | "ewma";
export type MeanEstimator = "mean" | "ewma";

export const OPTIMIZE_DEFAULTS = {
  method: "min-variance" as PortfolioMethod,
  mu: "mean" as MeanEstimator,
  cov: "sample" as CovarianceEstimator,
  halflife: 60,
  periodsPerYear: 252,
  riskFree: 0,
  points: 20,
};

/** Condition number above which the covariance is reported as ill-conditioned. */
export const ILL_CONDITIONED = 1e10;

const METHODS: PortfolioMethod[] = [
  "min-variance",
  "max-sharpe",
  "risk-parity",
  "target-return",
  "target-risk",
  "frontier",
  "inverse-vol",
  "equal",
  "hrp",
];
/** Methods that solve a constrained programme and so honour the weight bounds. */
const BOUNDED_METHODS = new Set<PortfolioMethod>([
  "min-variance",
  "max-sharpe",
  "target-return",
  "target-risk",
  "frontier",
]);

export interface OptimizeOptions extends CommonOptions {
  method: PortfolioMethod;
  mu: MeanEstimator;
  cov: CovarianceEstimator;
  halflife: number;
  longOnly?: boolean;
  allowShort?: boolean;
  minWeight?: number;
  maxWeight?: number;
  targetReturn?: number;
  targetRisk?: number;
  periodsPerYear: number;
  riskFree: number;
  points: number;
  returns: ReturnKind;
  inputKind: InputKind;
}

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

export function registerOptimize(program: Command, context: RunContext): void {
  const command = program
    .command("optimize")
    .summary("portfolio construction: min-variance, max-Sharpe, targets, frontier, risk parity, HRP")
    .description(
      "Weights from the returns of the selected columns, fully invested. min-variance, max-sharpe, " +
        "target-return (efficient, mean >= R) and target-risk (efficient, volatility <= V) are solved exactly " +
        "under the bounds (active-set QP; the critical line algorithm for the frontier and the targets); " +
        "risk-parity is equal risk contribution (Spinu's convex programme) to 1e-10; hrp is Lopez de Prado's " +
        "hierarchical risk parity. expectedReturn = P*mu'w, volatility = sqrt(P*w'Sw), sharpe = " +
        "(expectedReturn - rf)/volatility with P = --periods-per-year and rf = --risk-free (annual).",
    )
    .argument("[input]", "price (or, with --input-kind returns, returns) file, or - for stdin")
    .addOption(
      new Option("--method <method>", "portfolio method").choices(METHODS).default(OPTIMIZE_DEFAULTS.method),
    )
    .addOption(
      new Option("--mu <estimator>", "expected returns: arithmetic mean or EWMA mean")
        .choices(["mean", "ewma"])
        .default(OPTIMIZE_DEFAULTS.mu),
    )
    .addOption(
      new Option("--cov <estimator>", "covariance: sample (ddof 1), ledoit-wolf (scikit-learn), ewma")
        .choices(["sample", "ledoit-wolf", "ewma"])
        .default(OPTIMIZE_DEFAULTS.cov),
    )
    .option(
      "--halflife <bars>",
      "half-life of the EWMA mean/covariance, in bars",
      parseNumber("--halflife", (x) => (x > 0 ? undefined : "must be greater than 0.")),
      OPTIMIZE_DEFAULTS.halflife,
    )
    .option("--long-only", "no short sales (the default)")
    .option("--allow-short", "allow negative weights (unbounded unless --min-weight)")
    .option("--min-weight <w>", "lower bound on every weight", parseNumber("--min-weight"))
    .option("--max-weight <w>", "upper bound on every weight", parseNumber("--max-weight"))
    .option("--target-return <R>", "annualised target return (target-return)", parseNumber("--target-return"))
    .option(
      "--target-risk <V>",
      "annualised target volatility (target-risk)",
      parseNumber("--target-risk", (x) => (x > 0 ? undefined : "must be greater than 0.")),
    )
    .option(
      "--periods-per-year <P>",
      "periods per year for annualisation",
      parseNumber("--periods-per-year", (x) => (x > 0 ? undefined : "must be greater than 0.")),
      OPTIMIZE_DEFAULTS.periodsPerYear,
    )
    .option(
      "--risk-free <rate>",
      "annual risk-free rate",
      parseNumber("--risk-free"),
      OPTIMIZE_DEFAULTS.riskFree,
    )
    .option("--points <n>", "frontier points", parseInteger("--points", 2, 10_000), OPTIMIZE_DEFAULTS.points);
  addReturnsOptions(command, "simple");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: true, csv: true, out: true });
  command.addHelpText(
    "after",
    `
Examples:
  hftlab optimize fixtures/eustocks.csv
  hftlab optimize --method max-sharpe --risk-free 0.02 --max-weight 0.4 fixtures/eustocks.csv
  hftlab optimize --method frontier --points 30 --json fixtures/eustocks.csv
  hftlab optimize --method frontier --ndjson fixtures/eustocks.csv | head -3
  hftlab optimize --method frontier --points 50 --out frontier.csv fixtures/eustocks.csv
  hftlab optimize --method risk-parity --cov ledoit-wolf --missing ffill fixtures/stocks.csv
  hftlab optimize --method target-risk --target-risk 0.15 --periods-per-year 12 fixtures/stocks.csv

--csv prints the weights table (symbol, weight, riskContribution). The frontier is the result's
series: --ndjson prints one {expectedReturn, volatility, sharpe, weights} point per line and
--out writes the points as rows (expectedReturn, volatility, sharpe, then one weight column per
symbol); both need --method frontier.`,
  );
  command.action(async (input: string | undefined, options: OptimizeOptions) => {
    await runOptimize(input, options, context);
  });
}

/** Flag combinations commander cannot check (exit 2). */
function checkOptions(options: OptimizeOptions): void {
  checkOutputModes(options);
  if (options.longOnly && options.allowShort) {
    throw usageError("--long-only and --allow-short cannot be combined", "long-only is the default");
  }
  const { method } = options;
  if (method !== "frontier") {
    const series = options.ndjson ? "--ndjson" : options.out !== undefined ? "--out" : undefined;
    if (series !== undefined) {
      throw usageError(
        `${series} writes the frontier points and needs --method frontier, not ${method}`,
        "use --json or --csv for a single portfolio",
      );
    }
  }
  if (method === "target-return" && options.targetReturn === undefined) {
    throw usageError(
      "--method target-return needs --target-return R (annualised)",
      "e.g. --target-return 0.08",
    );
  }
  if (method === "target-risk" && options.targetRisk === undefined) {
    throw usageError(
      "--method target-risk needs --target-risk V (annualised volatility)",
      "e.g. --target-risk 0.15",
    );
  }
  if (options.targetReturn !== undefined && method !== "target-return") {
    throw usageError(`--target-return applies to --method target-return, not ${method}`);
  }
  if (options.targetRisk !== undefined && method !== "target-risk") {
    throw usageError(`--target-risk applies to --method target-risk, not ${method}`);
  }
  const bounded = options.minWeight !== undefined || options.maxWeight !== undefined || options.allowShort;
  if (bounded && !BOUNDED_METHODS.has(method)) {
    throw usageError(
      `--min-weight, --max-weight and --allow-short do not apply to --method ${method}`,
      `bounds apply to ${[...BOUNDED_METHODS].join(", ")}`,
    );
  }
  if (!options.allowShort && options.minWeight !== undefined && options.minWeight < 0) {
    throw usageError(`--min-weight ${options.minWeight} is negative, which needs --allow-short`);
  }
  if (
    options.minWeight !== undefined &&
    options.maxWeight !== undefined &&
    options.minWeight > options.maxWeight
  ) {
    throw usageError(`--min-weight (${options.minWeight}) exceeds --max-weight (${options.maxWeight})`);
  }
  if (options.allowShort && options.minWeight === undefined && options.maxWeight !== undefined) {
    throw usageError(
      "--allow-short with --max-weight needs a --min-weight too",
      "with unlimited short sales an upper bound alone is not supported; e.g. --min-weight -1",
    );
  }
}

/** Per-asset bounds; exit 2 with the arithmetic when full investment is impossible. */
function weightBounds(options: OptimizeOptions, n: number): { lower: Float64Array; upper: Float64Array } {
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

function round(x: number): number {
  return Number(x.toPrecision(6));
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

export async function runOptimize(
  input: string | undefined,
  options: OptimizeOptions,
  context: RunContext,
): Promise<void> {
  checkOptions(options);
  const source = resolveInput(input, "optimize", context.stdinIsTty);
  startGramHelperFor(source);
  const run = new CommandRun("optimize", options, context);
  const loaded = await run.load(source);
  const frame = options.inputKind === "returns" ? loaded : returnsFrame(loaded, options.returns);
  const n = frame.symbols.length;
  const rows = frame.time.length;
  if (rows < 2) {
    throw inputError("too_few_rows", `optimize needs at least 2 periods of returns, found ${rows}`, {
      file: frame.source,
    });
  }
  const bounds = weightBounds(options, n);
  const analysis = analyse(frame, options, bounds, run);
  run.computed();
  const result = optimizeResult(analysis, options);
  if (options.out !== undefined) await writeFrontierFile(options.out, analysis.symbols, result.frontier!);
  if (options.json) {
    await run.writeJson(optimizeParams(options), dataSummary(frame), result);
  } else if (options.ndjson) {
    const { writeNdjson } = await import("../output/resultRows.js");
    await writeNdjson(result.frontier!, context.stdout);
  } else if (options.csv) {
    await context.stdout.write(weightsCsv(analysis, result));
  } else {
    const { renderOptimizeReport } = await import("../output/optimizeReport.js");
    await context.stdout.write(renderOptimizeReport(analysis, result, options, run.color));
  }
}

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

function analyse(
  frame: Frame,
  options: OptimizeOptions,
  bounds: { lower: Float64Array; upper: Float64Array },
  run: CommandRun,
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
  const condition = conditionNumber(covariance, n);
  if (options.cov !== "ledoit-wolf" && rows <= n) {
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
        return { ...base, outcome: hierarchicalRiskParityPortfolio(covariance, n) };
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

function portfolioJson(w: Float64Array, analysis: OptimizeAnalysis, options: OptimizeOptions): PortfolioJson {
  const m = portfolioMoments(w, analysis.mean, analysis.covariance, options.periodsPerYear, options.riskFree);
  const weights: Record<string, number> = {};
  analysis.symbols.forEach((s, i) => {
    weights[s] = cleanZero(w[i]!);
  });
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

export function optimizeResult(analysis: OptimizeAnalysis, options: OptimizeOptions): OptimizeResult {
  const { w, solver } = analysis.outcome;
  const main = portfolioJson(w, analysis, options);
  const rc = riskContributions(w, analysis.covariance);
  const contributions: Record<string, number | null> = {};
  analysis.symbols.forEach((s, i) => {
    contributions[s] = finiteOrNull(rc[i]!);
  });
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
  if (analysis.frontier !== undefined) {
    const f = analysis.frontier;
    result.frontier = f.points.map((p) => portfolioJson(p, analysis, options));
    result.minVariance = portfolioJson(f.minimumVariance, analysis, options);
    result.maxSharpe = f.maximumSharpe === null ? null : portfolioJson(f.maximumSharpe, analysis, options);
    result.corners = f.corners.length;
  }
  return result;
}

function optimizeParams(options: OptimizeOptions): Record<string, unknown> {
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
    periodsPerYear: options.periodsPerYear,
    riskFree: options.riskFree,
    points: options.points,
    ...sharedParams(options),
  };
}

/** The statistics columns of a frontier row, before the weights. */
const FRONTIER_STATISTICS = ["expectedReturn", "volatility", "sharpe"] as const;

/** --out: the frontier points as rows, statistics then one weight column per symbol. */
async function writeFrontierFile(path: string, symbols: string[], frontier: PortfolioJson[]): Promise<void> {
  const [{ writeTable }, { weightedRowColumns }] = await Promise.all([
    import("../io/write.js"),
    import("../output/resultRows.js"),
  ]);
  await writeTable(path, weightedRowColumns(frontier, [...FRONTIER_STATISTICS], symbols));
}

function weightsCsv(analysis: OptimizeAnalysis, result: OptimizeResult): string {
  const lines = ["symbol,weight,riskContribution"];
  analysis.symbols.forEach((s) => {
    const name = /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    lines.push(`${name},${result.weights[s]},${result.riskContributions[s] ?? ""}`);
  });
  return `${lines.join("\n")}\n`;
}
