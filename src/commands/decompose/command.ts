import { type Command, Option } from "commander";
import type { RunContext } from "../../context.js";
import { inputError, numericalError, usageError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { returnsFrame } from "../shared/returnsFrame.js";
import { principalComponentPursuit } from "../../numerics/decompose/principalComponentPursuit.js";
import { Prng } from "../../numerics/random/prng.js";
import {
  boxTiaoCsv,
  boxTiaoResult,
  checkOutputColumns,
  decomposeParams,
  outliersCsv,
  pcpResult,
  writeWide,
} from "./results.js";
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
import { DECOMPOSE_DEFAULTS, type DecomposeOptions } from "./options.js";
import { CommandRun, checkFinite as checkFrameFinite, dataSummary } from "../shared/commandRun.js";

/**
 * `hftlab decompose`: its options (typed, with their defaults, in
 * options.ts), the combinations they refuse, and the recipe (read → returns
 * or levels → pcp or box-tiao → render). The result types the report
 * shares, the envelope's params, the results and their machine formats are
 * built in results.ts.
 */

export function registerDecompose(program: Command, context: RunContext): void {
  const command = program
    .command("decompose")
    .summary("low-rank + sparse (robust PCA) and Box-Tiao canonical decomposition")
    .description(
      "pcp: principal component pursuit of the returns matrix, min |L|_* + lambda*|S|_1 subject to L + S = M, " +
        "by the inexact augmented Lagrangian method with a warm-started partial SVD, iterated until " +
        "|M - L - S|_F/|M|_F <= --tol and a dual certificate bounds the objective within 1e-6 relative of the " +
        "optimum. box-tiao: canonical decomposition of a VAR(1) on demeaned price levels (generalised " +
        "eigenproblem of A'G0A and G0), portfolios from most mean-reverting to most predictable, with OU half-lives.",
    )
    .argument("[input]", "price (or, with --input-kind returns, returns) file, or - for stdin")
    .addOption(
      new Option("--method <method>", "decomposition")
        .choices(["pcp", "box-tiao"])
        .default(DECOMPOSE_DEFAULTS.method),
    )
    .option(
      "--lambda <l>",
      "weight of |S|_1 (pcp; default 1/sqrt(max(T, N)))",
      parseNumber("--lambda", (x) => (x > 0 ? undefined : "must be greater than 0.")),
    )
    .option(
      "--tol <t>",
      `relative residual |M - L - S|_F/|M|_F (pcp; default ${DECOMPOSE_DEFAULTS.tol})`,
      parseNumber("--tol", (x) => (x > 0 ? undefined : "must be greater than 0.")),
    )
    .option(
      "--max-iter <n>",
      `augmented Lagrangian iterations (pcp; default ${DECOMPOSE_DEFAULTS.maxIter})`,
      parseInteger("--max-iter", 1),
    )
    .option(
      "--top <n>",
      `outliers to report, largest |S| first (pcp; default ${DECOMPOSE_DEFAULTS.top})`,
      parseInteger("--top", 0),
    )
    .option("--out-low-rank <file>", "write L in the input's wide layout (pcp; .csv, .tsv, .arrow, .arrows)")
    .option("--out-sparse <file>", "write S in the input's wide layout (pcp; .csv, .tsv, .arrow, .arrows)");
  addReturnsOptions(command, "simple");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: false, csv: true, out: false, seed: true, strict: true });
  command.addHelpText(
    "after",
    `
Examples:
  hftlab decompose fixtures/eustocks.csv
  hftlab decompose --top 5 --out-sparse spikes.csv --json fixtures/eustocks.csv
  hftlab decompose --input-kind returns --lambda 0.03 fixtures/eustocks-returns.csv
  hftlab decompose --method box-tiao fixtures/eustocks.csv
  hftlab decompose --top 50 --csv fixtures/eustocks.csv > outliers.csv

box-tiao uses the price levels as read: it refuses --input-kind returns and --returns log (pass
the price file), and the pcp options (--lambda, --tol, --max-iter, --top, --out-low-rank,
--out-sparse), which it has no use for.
--csv prints pcp's outliers (time,symbol,value, the top --top by |S|) or one box-tiao portfolio
per row (predictability,halfLife, then one weight column per symbol).`,
  );
  command.action(async (input: string | undefined, options: DecomposeOptions) => {
    await runDecompose(input, options, context);
  });
}

/** Flag combinations commander cannot check (exit 2). */
function checkOptions(options: DecomposeOptions): void {
  checkOutputModes(options);
  if (options.method !== "box-tiao") return;
  checkLevelsInput(options);
  for (const [flag, value] of [
    ["--lambda", options.lambda],
    ["--tol", options.tol],
    ["--max-iter", options.maxIter],
    ["--top", options.top],
    ["--out-low-rank", options.outLowRank],
    ["--out-sparse", options.outSparse],
  ] as const) {
    if (value !== undefined)
      throw usageError(
        `${flag} applies to --method pcp only, not box-tiao`,
        "drop it, or use --method pcp (the default)",
      );
  }
}

export async function runDecompose(
  input: string | undefined,
  options: DecomposeOptions,
  context: RunContext,
): Promise<void> {
  checkOptions(options);
  const source = resolveInput(input, "decompose", context.stdinIsTty);
  startGramHelperFor(source);
  const run = new CommandRun("decompose", options, context);
  let frame = await run.load(source);
  if (options.method === "pcp" && options.inputKind === "prices")
    frame = returnsFrame(frame, options.returns);
  checkFinite(frame);
  checkOutputColumns(frame, options);
  if (options.method === "box-tiao") {
    const result = boxTiaoResult(frame);
    run.computed();
    if (options.json) await run.writeJson(decomposeParams(options, frame), dataSummary(frame), result);
    else if (options.csv) await context.stdout.write(await boxTiaoCsv(frame, result));
    else {
      const { renderBoxTiaoReport } = await import("./report.js");
      await context.stdout.write(renderBoxTiaoReport(frame, result, run.color));
    }
    return;
  }
  const rows = frame.time.length;
  const cols = frame.symbols.length;
  const lambda = options.lambda ?? 1 / Math.sqrt(Math.max(rows, cols));
  const tol = options.tol ?? DECOMPOSE_DEFAULTS.tol;
  const maxIterations = options.maxIter ?? DECOMPOSE_DEFAULTS.maxIter;
  const m = new Float64Array(rows * cols);
  frame.columns.forEach((column, j) => {
    for (let t = 0; t < rows; t++) m[t * cols + j] = column[t]!;
  });
  const pcp = principalComponentPursuit(
    m,
    rows,
    cols,
    {
      lambda,
      tol,
      gapTolerance: DECOMPOSE_DEFAULTS.gapTolerance,
      maxIterations,
    },
    new Prng(options.seed),
  );
  if (!pcp.converged) {
    const message = `principal component pursuit stopped after ${pcp.iterations} iterations (relative error ${pcp.relativeError}, duality gap ${pcp.relativeGap})`;
    if (options.strict) throw numericalError("no_convergence", message, "raise --max-iter or --tol");
    run.warn(message);
  }
  const result = pcpResult(frame, pcp, lambda, options.top ?? DECOMPOSE_DEFAULTS.top);
  run.computed();
  if (options.outLowRank !== undefined) await writeWide(options.outLowRank, frame, pcp.low);
  if (options.outSparse !== undefined) await writeWide(options.outSparse, frame, pcp.sparse);
  if (options.json) await run.writeJson(decomposeParams(options, frame), dataSummary(frame), result);
  else if (options.csv) await context.stdout.write(await outliersCsv(result));
  else {
    const { renderPcpReport } = await import("./report.js");
    await context.stdout.write(renderPcpReport(frame, result, run.color));
  }
}

/** At least 3 rows, every value finite. */
function checkFinite(frame: Frame): void {
  const rows = frame.time.length;
  if (rows < 3)
    throw inputError("too_few_rows", `decompose needs at least 3 rows, found ${rows}`, {
      file: frame.source,
    });
  checkFrameFinite(frame);
}
