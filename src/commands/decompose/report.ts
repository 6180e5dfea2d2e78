import type { BoxTiaoJson, PcpJson } from "./results.js";
import type { Frame } from "../../io/frame.js";
import { makeChalk } from "../../output/color.js";
import { formatNumber } from "../../output/format.js";
import { compactTable } from "../../output/table.js";

function heading(frame: Frame, method: string, color: boolean): string {
  const c = makeChalk(color);
  const rows = frame.time.length;
  return `${c.bold("decompose")} ${method} · ${frame.source} · ${rows} rows · ${frame.time.at(0)} → ${frame.time.at(rows - 1)}`;
}

/** The human report of `decompose --method pcp`. */
export function renderPcpReport(frame: Frame, result: PcpJson, color: boolean): string {
  const out = [heading(frame, "pcp", color)];
  out.push(
    `rank ${result.rank} · sparsity ${formatNumber(result.sparsity)} · relative error ${formatNumber(result.relativeError)} · ` +
      `${result.iterations} iterations${result.converged ? "" : " (not converged)"} · λ ${formatNumber(result.lambda)}`,
  );
  if (result.explainedVariance.length > 0)
    out.push(
      `factors' explained variance: ${result.explainedVariance.map((x) => formatNumber(x, 4)).join(", ")}`,
    );
  const table = compactTable(["time", "symbol", "outlier"], ["left", "left", "right"], color);
  for (const o of result.outliers) table.push([o.time, o.symbol, formatNumber(o.value)]);
  if (result.outliers.length > 0) out.push(table.toString());
  return `${out.join("\n")}\n`;
}

/** The human report of `decompose --method box-tiao`. */
export function renderBoxTiaoReport(frame: Frame, result: BoxTiaoJson, color: boolean): string {
  const table = compactTable(
    ["#", "predictability", "half-life", ...frame.symbols],
    ["right", "right", "right", ...frame.symbols.map(() => "right" as const)],
    color,
  );
  result.portfolios.forEach((p, i) => {
    table.push([
      i + 1,
      formatNumber(p.predictability),
      formatNumber(p.halfLife),
      ...frame.symbols.map((s) => formatNumber(p.weights[s]!, 4)),
    ]);
  });
  return `${heading(frame, "box-tiao", color)}\n${table.toString()}\n`;
}
