import type { Command } from "commander";
import type { RunContext } from "../../context.js";
import { periodsPerYearOption, resolvePeriodsPerYear } from "../shared/periodsPerYear.js";
import { addPortfolioOptions, portfolioOptionProblem } from "./portfolioOptions.js";
import { inputError, usageError } from "../../errors.js";
import { returnsFrame } from "../shared/returnsFrame.js";
import type { PortfolioMethod } from "../../numerics/portfolio/construction.js";
import {
  addInputOptions,
  addOutputOptions,
  addReportOption,
  addReturnsOptions,
  checkOutputModes,
  parseInteger,
  resolveInput,
} from "../shared/options.js";
import { startGramHelperFor } from "../../parallel/gramHelper.js";
import { analyse, reportFrontier, weightBounds } from "./analysis.js";
import {
  FRONTIER_STATISTICS,
  optimizeParams,
  optimizeResult,
  weightsCsv,
  writeFrontierFile,
} from "./results.js";
import { CommandRun, checkSymbolColumns, dataSummary } from "../shared/commandRun.js";
import { OPTIMIZE_DEFAULTS, type OptimizeOptions } from "./options.js";

/**
 * `hftlab optimize`: its options (typed, with their defaults, in options.ts),
 * the combinations they refuse, and the recipe (read → returns → analyse →
 * render). The maths is called from analysis.ts; the result types, params,
 * result and their formats are in results.ts.
 */

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
  "hrp",
]);

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
    .argument("[input]", "price (or, with --input-kind returns, returns) file, or - for stdin");
  addPortfolioOptions(command, METHODS);
  command
    .addOption(periodsPerYearOption())
    .option("--points <n>", "frontier points", parseInteger("--points", 2, 10_000), OPTIMIZE_DEFAULTS.points);
  addReturnsOptions(command, "simple");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: true, csv: true, out: true, strict: true });
  addReportOption(command);
  command.addHelpText(
    "after",
    `
Examples:
  hftlab optimize fixtures/eustocks.csv
  hftlab optimize --method max-sharpe --risk-free 0.02 --max-weight 0.4 fixtures/eustocks.csv
  hftlab optimize --method frontier --points 30 --json fixtures/eustocks.csv
  hftlab optimize --method frontier --ndjson fixtures/eustocks.csv | head -3
  hftlab optimize --method frontier --points 50 --out frontier.csv fixtures/eustocks.csv
  hftlab optimize --method max-sharpe --report portfolio.html fixtures/eustocks.csv
  hftlab optimize --method risk-parity --cov ledoit-wolf --missing ffill fixtures/stocks.csv
  hftlab optimize --method target-risk --target-risk 0.25 --periods-per-year 12 fixtures/stocks.csv

--csv prints the weights table (symbol, weight, riskContribution). The frontier is the result's
series: --ndjson prints one {expectedReturn, volatility, sharpe, weights} point per line and
--out writes the points as rows (expectedReturn, volatility, sharpe, then one weight column per
symbol); both need --method frontier. With --report, another method's page draws a frontier
traced under the same bounds (--points), and its result then carries it too (frontier,
minVariance, maxSharpe, corners), so the page and the JSON show the same points.`,
  );
  command.action(async (input: string | undefined, options: OptimizeOptions) => {
    await runOptimize(input, options, context);
  });
}

/** Flag combinations commander cannot check (exit 2). */
function checkOptions(options: OptimizeOptions): void {
  checkOutputModes(options);
  const problem = portfolioOptionProblem(options);
  if (problem !== undefined) throw usageError(problem.message, problem.hint);
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
  if (method === "hrp" && options.allowShort) {
    throw usageError(
      "--method hrp is long-only: --allow-short does not apply",
      "bound hrp's weights with --min-weight (0 or more) and --max-weight",
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
  resolvePeriodsPerYear(loaded, options);
  const frame = options.inputKind === "returns" ? loaded : returnsFrame(loaded, options.returns);
  if (options.out !== undefined)
    checkSymbolColumns(frame, FRONTIER_STATISTICS, `--out ${options.out}`, "--json or --ndjson");
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
  // A report draws the frontier; the result carries the same points, so the page and the JSON agree.
  const frontier =
    options.report === undefined
      ? analysis.frontier
      : (reportFrontier(analysis, options, bounds) ?? undefined);
  const result = optimizeResult(analysis, options, frontier);
  if (options.out !== undefined) await writeFrontierFile(options.out, analysis.symbols, result.frontier!);
  if (options.report !== undefined) {
    const [{ optimizeReportHtml }, { writeReport }] = await Promise.all([
      import("./htmlReport.js"),
      import("../../output/html/writeReport.js"),
    ]);
    await writeReport(options.report, await optimizeReportHtml(analysis, result, options, context.version));
  }
  if (options.json) {
    await run.writeJson(optimizeParams(options), dataSummary(frame), result);
  } else if (options.ndjson) {
    const { writeNdjson } = await import("../../output/resultRows.js");
    await writeNdjson(result.frontier!, context.stdout);
  } else if (options.csv) {
    await context.stdout.write(weightsCsv(analysis, result));
  } else {
    const { renderOptimizeReport } = await import("./report.js");
    await context.stdout.write(renderOptimizeReport(analysis, result, options, run.color));
  }
}
