import { type Command, Option } from "commander";
import type { RunContext } from "../context.js";
import { inputError, numericalError } from "../errors.js";
import type { Frame } from "../io/frame.js";
import { returnsFrame } from "../io/returns.js";
import { boxTiaoPortfolios } from "../numerics/greedyMeanReversion.js";
import { fitOrnsteinUhlenbeck } from "../numerics/ornsteinUhlenbeck.js";
import { type PcpResult, principalComponentPursuit } from "../numerics/principalComponentPursuit.js";
import { Prng } from "../numerics/prng.js";
import type { ReturnKind } from "../numerics/returns.js";
import { var1Moments } from "../numerics/var1.js";
import { finiteOrNull } from "../output/json.js";
import {
  addInputOptions,
  addOutputOptions,
  addReturnsOptions,
  type CommonOptions,
  checkLevelsInput,
  checkOutputModes,
  type InputKind,
  parseInteger,
  parseNumber,
  resolveInput,
} from "./options.js";
import { startGramHelperFor } from "../numerics/gramKernel.js";
import { CommandRun, checkFinite as checkFrameFinite, dataSummary, sharedParams } from "./shared.js";

export type DecomposeMethod = "pcp" | "box-tiao";

export const DECOMPOSE_DEFAULTS = {
  method: "pcp" as DecomposeMethod,
  tol: 1e-7,
  /** SPEC: the objective within 1e-6 relative of the optimum. */
  gapTolerance: 1e-6,
  maxIter: 1000,
  top: 20,
};

export interface DecomposeOptions extends CommonOptions {
  method: DecomposeMethod;
  lambda?: number;
  tol: number;
  maxIter: number;
  top: number;
  outLowRank?: string;
  outSparse?: string;
  returns: ReturnKind;
  inputKind: InputKind;
}

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
      "weight of |S|_1 (default 1/sqrt(max(T, N)))",
      parseNumber("--lambda", (x) => (x > 0 ? undefined : "must be greater than 0.")),
    )
    .option(
      "--tol <t>",
      "relative residual |M - L - S|_F/|M|_F",
      parseNumber("--tol", (x) => (x > 0 ? undefined : "must be greater than 0.")),
      DECOMPOSE_DEFAULTS.tol,
    )
    .option(
      "--max-iter <n>",
      "augmented Lagrangian iterations",
      parseInteger("--max-iter", 1),
      DECOMPOSE_DEFAULTS.maxIter,
    )
    .option("--top <n>", "outliers to report (largest |S|)", parseInteger("--top", 0), DECOMPOSE_DEFAULTS.top)
    .option("--out-low-rank <file>", "write L in the input's wide layout (.csv, .tsv, .arrow, .arrows)")
    .option("--out-sparse <file>", "write S in the input's wide layout (.csv, .tsv, .arrow, .arrows)");
  addReturnsOptions(command, "simple");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: false, csv: true, out: false });
  command.addHelpText(
    "after",
    `
Examples:
  hftlab decompose fixtures/eustocks.csv
  hftlab decompose --top 5 --out-sparse spikes.csv --json fixtures/eustocks.csv
  hftlab decompose --input-kind returns --lambda 0.03 returns.csv
  hftlab decompose --method box-tiao fixtures/eustocks.csv
  hftlab decompose --top 50 --csv fixtures/eustocks.csv > outliers.csv

box-tiao uses the price levels as read: it refuses --input-kind returns and --returns log (pass
the price file).
--csv prints pcp's outliers (time,symbol,value, the top --top by |S|) or one box-tiao portfolio
per row (predictability,halfLife, then one weight column per symbol).`,
  );
  command.action(async (input: string | undefined, options: DecomposeOptions) => {
    await runDecompose(input, options, context);
  });
}

export async function runDecompose(
  input: string | undefined,
  options: DecomposeOptions,
  context: RunContext,
): Promise<void> {
  checkOutputModes(options);
  if (options.method === "box-tiao") checkLevelsInput(options);
  const source = resolveInput(input, "decompose", context.stdinIsTty);
  startGramHelperFor(source);
  const run = new CommandRun("decompose", options, context);
  let frame = await run.load(source);
  if (options.method === "pcp" && options.inputKind === "prices")
    frame = returnsFrame(frame, options.returns);
  checkFinite(frame);
  if (options.method === "box-tiao") {
    const result = boxTiaoResult(frame);
    run.computed();
    if (options.json) await run.writeJson(decomposeParams(options, frame), dataSummary(frame), result);
    else if (options.csv) {
      const { csvText, weightedRowColumns } = await import("../output/resultRows.js");
      await context.stdout.write(
        csvText(weightedRowColumns(result.portfolios, ["predictability", "halfLife"], frame.symbols)),
      );
    } else {
      const { renderBoxTiaoReport } = await import("../output/decomposeReport.js");
      await context.stdout.write(renderBoxTiaoReport(frame, result, run.color));
    }
    return;
  }
  const rows = frame.time.length;
  const cols = frame.symbols.length;
  const lambda = options.lambda ?? 1 / Math.sqrt(Math.max(rows, cols));
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
      tol: options.tol,
      gapTolerance: DECOMPOSE_DEFAULTS.gapTolerance,
      maxIterations: options.maxIter,
    },
    new Prng(options.seed),
  );
  if (!pcp.converged) {
    const message = `principal component pursuit stopped after ${pcp.iterations} iterations (relative error ${pcp.relativeError}, duality gap ${pcp.relativeGap})`;
    if (options.strict) throw numericalError("no_convergence", message, "raise --max-iter or --tol");
    run.warn(message);
  }
  const result = pcpResult(frame, pcp, lambda, options.top);
  run.computed();
  if (options.outLowRank !== undefined) await writeWide(options.outLowRank, frame, pcp.low);
  if (options.outSparse !== undefined) await writeWide(options.outSparse, frame, pcp.sparse);
  if (options.json) await run.writeJson(decomposeParams(options, frame), dataSummary(frame), result);
  else if (options.csv) {
    const { csvText } = await import("../output/resultRows.js");
    const { outliers } = result;
    await context.stdout.write(
      csvText([
        { name: "time", values: outliers.map((o) => o.time) },
        { name: "symbol", values: outliers.map((o) => o.symbol) },
        { name: "value", values: Float64Array.from(outliers, (o) => o.value) },
      ]),
    );
  } else {
    const { renderPcpReport } = await import("../output/decomposeReport.js");
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

export interface PcpJson {
  method: "pcp";
  lambda: number;
  iterations: number;
  converged: boolean;
  rank: number;
  sparsity: number;
  relativeError: number;
  objective: number;
  dualityGap: number;
  outliers: { time: string; symbol: string; value: number }[];
  explainedVariance: number[];
  singularValues: number[];
}

function pcpResult(frame: Frame, pcp: PcpResult, lambda: number, top: number): PcpJson {
  const cols = frame.symbols.length;
  const size = pcp.sparse.length;
  let nonzero = 0;
  const indices: number[] = [];
  for (let i = 0; i < size; i++) {
    if (pcp.sparse[i] !== 0) {
      nonzero++;
      indices.push(i);
    }
  }
  indices.sort((a, b) => Math.abs(pcp.sparse[b]!) - Math.abs(pcp.sparse[a]!) || a - b);
  let energy = 0;
  for (const s of pcp.singularValues) energy += s * s;
  return {
    method: "pcp",
    lambda,
    iterations: pcp.iterations,
    converged: pcp.converged,
    rank: pcp.rank,
    sparsity: size > 0 ? nonzero / size : 0,
    relativeError: pcp.relativeError,
    objective: pcp.objective,
    dualityGap: pcp.relativeGap,
    outliers: indices.slice(0, top).map((i) => ({
      time: frame.time.at(Math.floor(i / cols)),
      symbol: frame.symbols[i % cols]!,
      value: pcp.sparse[i]!,
    })),
    explainedVariance: Array.from(pcp.singularValues, (s) => (s * s) / energy),
    singularValues: Array.from(pcp.singularValues),
  };
}

async function writeWide(path: string, frame: Frame, matrix: Float64Array): Promise<void> {
  const { writeTable } = await import("../io/write.js");
  const rows = frame.time.length;
  const cols = frame.symbols.length;
  const time: string[] = new Array(rows);
  for (let t = 0; t < rows; t++) time[t] = frame.time.at(t);
  const columns: Parameters<typeof writeTable>[1] = [{ name: frame.timeName, values: time }];
  frame.symbols.forEach((symbol, j) => {
    const values = new Float64Array(rows);
    for (let t = 0; t < rows; t++) values[t] = matrix[t * cols + j]!;
    columns.push({ name: symbol, values });
  });
  await writeTable(path, columns);
}

export interface BoxTiaoJson {
  method: "box-tiao";
  portfolios: { weights: Record<string, number>; predictability: number; halfLife: number | null }[];
}

function boxTiaoResult(frame: Frame): BoxTiaoJson {
  const n = frame.symbols.length;
  if (frame.time.length < n + 3) {
    throw inputError(
      "too_few_rows",
      `a VAR(1) of ${n} columns needs at least ${n + 3} rows, found ${frame.time.length}`,
      {
        file: frame.source,
      },
    );
  }
  const moments = var1Moments(frame.columns);
  const portfolios = moments === null ? null : boxTiaoPortfolios(moments);
  if (portfolios === null) {
    throw numericalError(
      "singular_levels",
      "the price levels are collinear: the VAR(1) is not identified",
      "drop a redundant column with --columns",
    );
  }
  const rows = frame.time.length;
  return {
    method: "box-tiao",
    portfolios: portfolios.map((p) => {
      const series = new Float64Array(rows);
      const weights: Record<string, number> = {};
      frame.symbols.forEach((s, j) => {
        const w = p.weights[j]!;
        weights[s] = w === 0 ? 0 : w;
        for (let t = 0; t < rows; t++) series[t]! += w * frame.columns[j]![t]!;
      });
      return {
        weights,
        predictability: p.predictability,
        halfLife: finiteOrNull(fitOrnsteinUhlenbeck(series).halfLife),
      };
    }),
  };
}

function decomposeParams(options: DecomposeOptions, frame: Frame): Record<string, unknown> {
  return {
    method: options.method,
    lambda:
      options.method === "pcp"
        ? (options.lambda ?? 1 / Math.sqrt(Math.max(frame.time.length, frame.symbols.length)))
        : null,
    tol: options.tol,
    maxIter: options.maxIter,
    top: options.top,
    outLowRank: options.outLowRank ?? null,
    outSparse: options.outSparse ?? null,
    ...sharedParams(options),
  };
}
