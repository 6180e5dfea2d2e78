import type { Frame } from "../../io/frame.js";
import { numericalError } from "../../errors.js";
import { boxTiaoPortfolios } from "../../numerics/sparse/greedyMeanReversion.js";
import { fitOrnsteinUhlenbeck } from "../../numerics/timeseries/ornsteinUhlenbeck.js";
import type { PcpResult } from "../../numerics/decompose/principalComponentPursuit.js";
import { var1Moments } from "../../numerics/timeseries/var1.js";
import { byName, finiteOrNull } from "../../output/json.js";
import { DECOMPOSE_DEFAULTS, type DecomposeOptions } from "./options.js";
import { checkSymbolColumns, checkVar1Rows, sharedParams } from "../shared/commandRun.js";

/**
 * What `hftlab decompose` writes besides the human report: the envelope's
 * `params`, the pcp and box-tiao `result` objects, and the tables drawn from
 * them (`--csv`, pcp's L and S files), which carry the same numbers.
 */

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

export interface BoxTiaoJson {
  method: "box-tiao";
  portfolios: { weights: Record<string, number>; predictability: number; halfLife: number | null }[];
}

/** The statistics columns of a box-tiao `--csv` row, before the weights. */
const BOX_TIAO_STATISTICS = ["predictability", "halfLife"] as const;

/** Tables with a column per symbol beside fixed ones: refused before any work if a name would repeat. */
export function checkOutputColumns(frame: Frame, options: DecomposeOptions): void {
  if (options.method === "box-tiao" && options.csv)
    checkSymbolColumns(frame, BOX_TIAO_STATISTICS, "--csv", "--json");
  for (const [flag, path] of [
    ["--out-low-rank", options.outLowRank],
    ["--out-sparse", options.outSparse],
  ] as const) {
    if (path !== undefined) checkSymbolColumns(frame, [frame.timeName], `${flag} ${path}`);
  }
}

/** pcp's `result`: the fit's summary and the top `top` outliers by |S|, ties in row-major order. */
export function pcpResult(frame: Frame, pcp: PcpResult, lambda: number, top: number): PcpJson {
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

/** pcp's --csv: the outliers as time,symbol,value (times as written in the input). */
export async function outliersCsv(result: PcpJson): Promise<string> {
  const { csvText } = await import("../../output/resultRows.js");
  const { outliers } = result;
  return csvText([
    { name: "time", values: outliers.map((o) => o.time) },
    { name: "symbol", values: outliers.map((o) => o.symbol) },
    { name: "value", values: Float64Array.from(outliers, (o) => o.value) },
  ]);
}

/** --out-low-rank, --out-sparse: a T×N row-major matrix in the input's wide layout (CSV or Arrow by extension). */
export async function writeWide(path: string, frame: Frame, matrix: Float64Array): Promise<void> {
  const { writeTable } = await import("../../io/write.js");
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

/** box-tiao's `result`: the canonical portfolios, most mean-reverting first, with their OU half-lives. */
export function boxTiaoResult(frame: Frame): BoxTiaoJson {
  checkVar1Rows(frame);
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
      const weights: [string, number][] = [];
      frame.symbols.forEach((s, j) => {
        const w = p.weights[j]!;
        weights.push([s, w === 0 ? 0 : w]);
        for (let t = 0; t < rows; t++) series[t]! += w * frame.columns[j]![t]!;
      });
      return {
        weights: byName(weights),
        predictability: p.predictability,
        halfLife: finiteOrNull(fitOrnsteinUhlenbeck(series).halfLife),
      };
    }),
  };
}

/** box-tiao's --csv: one portfolio per row, predictability,halfLife then one weight column per symbol. */
export async function boxTiaoCsv(frame: Frame, result: BoxTiaoJson): Promise<string> {
  const { csvText, weightedRowColumns } = await import("../../output/resultRows.js");
  return csvText(weightedRowColumns(result.portfolios, [...BOX_TIAO_STATISTICS], frame.symbols));
}

/** The envelope's `params`: every option as resolved, defaults included (lambda null for box-tiao). */
export function decomposeParams(options: DecomposeOptions, frame: Frame): Record<string, unknown> {
  return {
    method: options.method,
    lambda:
      options.method === "pcp"
        ? (options.lambda ?? 1 / Math.sqrt(Math.max(frame.time.length, frame.symbols.length)))
        : null,
    tol: options.tol ?? DECOMPOSE_DEFAULTS.tol,
    maxIter: options.maxIter ?? DECOMPOSE_DEFAULTS.maxIter,
    top: options.top ?? DECOMPOSE_DEFAULTS.top,
    outLowRank: options.outLowRank ?? null,
    outSparse: options.outSparse ?? null,
    ...sharedParams(options),
  };
}
