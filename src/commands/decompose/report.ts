import type { BoxTiaoJson, PcpJson } from "./results.js";
import type { Frame } from "../../io/frame.js";
import { makeChalk } from "../../output/color.js";
import { fitReport } from "../../output/fitLines.js";
import { formatNumber } from "../../output/format.js";
import { compactTable } from "../../output/table.js";
import { outputWidth } from "../../output/terminalWidth.js";

function heading(frame: Frame, method: string, color: boolean): string {
  const c = makeChalk(color);
  const rows = frame.time.length;
  return `${c.bold("decompose")} ${method} · ${frame.source} · ${rows} rows · ${frame.time.at(0)} → ${frame.time.at(rows - 1)}`;
}

/** The human report of `decompose --method pcp`. */
export function renderPcpReport(
  frame: Frame,
  result: PcpJson,
  color: boolean,
  width: number | undefined = outputWidth(),
): string {
  const out = [heading(frame, "pcp", color)];
  out.push(
    `rank ${result.rank} · sparsity ${formatNumber(result.sparsity)} · relative error ${formatNumber(result.relativeError)} · ` +
      `${result.iterations} iterations${result.converged ? "" : " (not converged)"} · λ ${formatNumber(result.lambda)}`,
  );
  if (result.explainedVariance.length > 0)
    out.push(
      `factors' explained variance: ${result.explainedVariance.map((x) => formatNumber(x, 4)).join(", ")}`,
    );
  const table = compactTable(["time", "symbol", "outlier"], ["left", "left", "right"], color, width);
  for (const o of result.outliers) table.push([o.time, o.symbol, formatNumber(o.value)]);
  if (result.outliers.length > 0) out.push(table.toString());
  return fitReport(out, width);
}

/** The human report of `decompose --method box-tiao`. */
export function renderBoxTiaoReport(
  frame: Frame,
  result: BoxTiaoJson,
  color: boolean,
  width: number | undefined = outputWidth(),
): string {
  // Too wide for the terminal: half-life goes, then the weights from the last symbol back, then predictability.
  const symbols = frame.symbols.length;
  const table = compactTable(
    [
      "#",
      { head: "predictability", short: "predict.", drop: symbols + 2 },
      { head: "half-life", drop: 1 },
      ...frame.symbols.map((head, j) => ({ head, drop: symbols + 1 - j })),
    ],
    ["right", "right", "right", ...frame.symbols.map(() => "right" as const)],
    color,
    width,
  );
  result.portfolios.forEach((p, i) => {
    table.push([
      i + 1,
      formatNumber(p.predictability),
      formatNumber(p.halfLife),
      ...frame.symbols.map((s) => formatNumber(p.weights[s]!, 4)),
    ]);
  });
  return fitReport([heading(frame, "box-tiao", color), table.toString()], width);
}
