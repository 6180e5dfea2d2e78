import { type Command, Option } from "commander";
import type { RunContext } from "../../context.js";
import { usageError } from "../../errors.js";
import { returnsFrame } from "../shared/returnsFrame.js";
import {
  addInputOptions,
  addOutputOptions,
  addReturnsOptions,
  checkLevelsInput,
  checkOutputModes,
  parseInteger,
  parseNumber,
  resolveInput,
} from "../shared/options.js";
import { startGramHelperFor } from "../../parallel/gramHelper.js";
import { SPARSE_DEFAULTS, type SparseOptions } from "./options.js";
import { CommandRun, checkFinite, dataSummary } from "../shared/commandRun.js";
import {
  greedyResult,
  type RegressionJson,
  regressionResult,
  sparseCsv,
  sparseParams,
  sparsePcaResult,
} from "./results.js";

/**
 * `hftlab sparse`: its options (typed, with their defaults, in options.ts),
 * the combinations they refuse, and the recipe (read → returns or levels →
 * fit → render). The envelope's params, the fits' `result` objects and the
 * `--csv` table are built in results.ts.
 */

export function registerSparse(program: Command, context: RunContext): void {
  const command = program
    .command("sparse")
    .summary("sparse portfolios: lasso/elastic-net replication, greedy mean reversion, sparse PCA")
    .description(
      "lasso / elastic-net: regress --target on the other columns' returns, minimising scikit-learn's " +
        "1/(2n)|y - Xb - c|^2 + alpha*(l1Ratio*|b|_1 + (1 - l1Ratio)/2*|b|^2) by coordinate descent with Gram " +
        "updates and active sets (with --alpha: on a working set, the Gram block of the predictors that can be " +
        "non-zero), to a duality gap that makes the coefficients exact to about --tol; without " +
        "--alpha, alpha is chosen by --cv K-fold (default 5) time-ordered cross-validation on a log path of " +
        "--n-alphas values from alpha_max down to --eps*alpha_max (alpha1se: glmnet's one-standard-error rule). " +
        "greedy: d'Aspremont's greedy search for the most mean-reverting portfolio of --k assets from price " +
        "levels (VAR(1) without intercept on demeaned levels, predictability x'A'G0Ax/x'G0x). sparse-pca: " +
        "truncated power iteration (Yuan & Zhang 2013) on the returns' covariance, --k non-zeros, --components " +
        "by deflation.",
    )
    .argument("[input]", "price (or, with --input-kind returns, returns) file, or - for stdin")
    .addOption(
      new Option("--method <method>", "sparse method")
        .choices(["lasso", "elastic-net", "greedy", "sparse-pca"])
        .default(SPARSE_DEFAULTS.method),
    )
    .option("--target <symbol>", "column to replicate (lasso, elastic-net)")
    .option(
      "--alpha <a>",
      "penalty (default: chosen by --cv)",
      parseNumber("--alpha", (x) => (x >= 0 ? undefined : "must be at least 0.")),
    )
    .option(
      "--l1-ratio <r>",
      `share of L1 in the penalty (lasso: 1; elastic-net default ${SPARSE_DEFAULTS.elasticNetL1Ratio})`,
      parseNumber("--l1-ratio", (x) => (x > 0 && x <= 1 ? undefined : "must be in (0, 1].")),
    )
    .option(
      "--tol <t>",
      "convergence: coefficient change and duality-gap tolerance (lasso, elastic-net, sparse-pca)",
      parseNumber("--tol", (x) => (x > 0 ? undefined : "must be greater than 0.")),
      SPARSE_DEFAULTS.tol,
    )
    .option(
      "--max-iter <n>",
      "coordinate sweeps per fit (lasso, elastic-net; sparse-pca: power iterations)",
      parseInteger("--max-iter", 1),
      SPARSE_DEFAULTS.maxIter,
    )
    .option(
      "--standardize",
      "scale predictors to unit variance before fitting (glmnet; lasso, elastic-net)",
      false,
    )
    .option(
      "--cv <K>",
      `K-fold time-ordered cross-validation (default ${SPARSE_DEFAULTS.cvFolds} without --alpha)`,
      parseInteger("--cv", 2, 1000),
    )
    .option(
      "--n-alphas <n>",
      "alphas on the CV path (lasso, elastic-net without --alpha)",
      parseInteger("--n-alphas", 1, 10_000),
      SPARSE_DEFAULTS.nAlphas,
    )
    .option(
      "--eps <e>",
      "smallest alpha of the CV path relative to alpha_max (without --alpha)",
      parseNumber("--eps", (x) => (x > 0 && x < 1 ? undefined : "must be in (0, 1).")),
      SPARSE_DEFAULTS.eps,
    )
    .option("--positive", "non-negative coefficients (long-only replication; lasso, elastic-net)", false)
    .option(
      "--k <n>",
      `assets in the portfolio (greedy, sparse-pca; default ${SPARSE_DEFAULTS.k})`,
      parseInteger("--k", 1),
    )
    .option(
      "--components <n>",
      "sparse principal components (sparse-pca)",
      parseInteger("--components", 1),
      SPARSE_DEFAULTS.components,
    );
  addReturnsOptions(command, "simple");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: true, csv: true, out: false, strict: true });
  command.addHelpText(
    "after",
    `
Examples:
  hftlab sparse --target DAX --alpha 1e-5 fixtures/eustocks.csv
  hftlab sparse --method elastic-net --target DAX --cv 5 --json fixtures/eustocks.csv
  hftlab sparse --method lasso --target DAX --positive --alpha 1e-6 fixtures/eustocks.csv
  hftlab sparse --method greedy --k 3 fixtures/eustocks.csv
  hftlab sparse --method sparse-pca --k 2 --components 2 fixtures/eustocks.csv
  hftlab sparse --target DAX --csv fixtures/eustocks.csv > coefficients.csv
  hftlab sparse --method elastic-net --target DAX --cv 10 --ndjson fixtures/eustocks.csv

greedy uses the price levels as read: it refuses --input-kind returns and --returns log (pass the
price file). lasso, elastic-net and sparse-pca use returns.
--csv prints the weights (symbol,weight; sparse-pca with several components: symbol,weight1,...)
or the coefficients (symbol,coefficient). --ndjson prints the cross-validation path, one
{alpha, mse, mseSe, nonzero} per line, so it needs lasso or elastic-net without --alpha.`,
  );
  command.action(async (input: string | undefined, options: SparseOptions) => {
    checkMethodFlags(options, (name) => command.getOptionValueSource(name) === "cli");
    await runSparse(input, options, context);
  });
}

/**
 * Options with a default that only some methods read, and those methods: one
 * given on the command line for another method is refused (exit 2), never
 * silently ignored. The defaults still fill `params` for every method.
 */
const METHOD_FLAGS: [flag: string, name: keyof SparseOptions, readBy: string[]][] = [
  ["--tol", "tol", ["lasso", "elastic-net", "sparse-pca"]],
  ["--max-iter", "maxIter", ["lasso", "elastic-net", "sparse-pca"]],
  ["--standardize", "standardize", ["lasso", "elastic-net"]],
  ["--positive", "positive", ["lasso", "elastic-net"]],
  ["--n-alphas", "nAlphas", ["lasso", "elastic-net"]],
  ["--eps", "eps", ["lasso", "elastic-net"]],
  ["--components", "components", ["sparse-pca"]],
];

function checkMethodFlags(options: SparseOptions, given: (name: string) => boolean): void {
  for (const [flag, name, readBy] of METHOD_FLAGS) {
    if (given(name) && !readBy.includes(options.method)) {
      throw usageError(`${flag} applies to ${readBy.join(", ")}, not ${options.method}`);
    }
  }
  const pathFlag = given("nAlphas") ? "--n-alphas" : given("eps") ? "--eps" : null;
  if (pathFlag !== null && options.alpha !== undefined) {
    throw usageError(`${pathFlag} shapes the cross-validation path, which --alpha skips`, "drop one of them");
  }
}

function checkOptions(options: SparseOptions): void {
  checkOutputModes(options);
  const regression = options.method === "lasso" || options.method === "elastic-net";
  if (regression && options.target === undefined) {
    throw usageError(
      `--method ${options.method} needs --target SYMBOL`,
      "the column to replicate from the others",
    );
  }
  if (!regression) {
    for (const [flag, value] of [
      ["--target", options.target],
      ["--alpha", options.alpha],
      ["--l1-ratio", options.l1Ratio],
      ["--cv", options.cv],
    ] as const) {
      if (value !== undefined)
        throw usageError(`${flag} applies to lasso and elastic-net, not ${options.method}`);
    }
  }
  if (options.method === "lasso" && options.l1Ratio !== undefined && options.l1Ratio !== 1) {
    throw usageError("--method lasso has --l1-ratio 1", "use --method elastic-net for a mixed penalty");
  }
  if (regression && options.alpha !== undefined && options.cv !== undefined) {
    throw usageError("--alpha and --cv cannot be combined", "--cv chooses alpha");
  }
  if (regression && options.k !== undefined) throw usageError(`--k applies to greedy and sparse-pca`);
  if (options.ndjson && !(regression && options.alpha === undefined)) {
    throw usageError(
      `--ndjson prints the cross-validation path, which needs lasso or elastic-net without --alpha${regression ? "" : `, not ${options.method}`}`,
      regression ? "drop --alpha to choose it by --cv K" : "use --json or --csv for the portfolio",
    );
  }
  if (options.method === "greedy") checkLevelsInput(options);
}

export async function runSparse(
  input: string | undefined,
  options: SparseOptions,
  context: RunContext,
): Promise<void> {
  checkOptions(options);
  const source = resolveInput(input, "sparse", context.stdinIsTty);
  // A fit at one alpha builds only its working set's Gram block: no helper thread to boot.
  const regression = options.method === "lasso" || options.method === "elastic-net";
  if (!regression || options.alpha === undefined) startGramHelperFor(source);
  const run = new CommandRun("sparse", options, context);
  let frame = await run.load(source);
  const levels = options.method === "greedy";
  if (!levels && options.inputKind === "prices") frame = returnsFrame(frame, options.returns);
  checkFinite(frame);
  const result =
    options.method === "greedy"
      ? greedyResult(frame, options)
      : options.method === "sparse-pca"
        ? sparsePcaResult(frame, options, run)
        : regressionResult(frame, options, run);
  run.computed();
  if (options.json) {
    await run.writeJson(sparseParams(options), dataSummary(frame), result);
  } else if (options.ndjson) {
    const { writeNdjson } = await import("../../output/resultRows.js");
    await writeNdjson((result as RegressionJson).cv?.path ?? [], context.stdout);
  } else if (options.csv) {
    await context.stdout.write(await sparseCsv(frame, options, result));
  } else {
    const { renderSparseReport } = await import("./report.js");
    await context.stdout.write(renderSparseReport(frame, options.method, result, run.color));
  }
}
