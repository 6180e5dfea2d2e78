import type { OptimizeAnalysis, OptimizeResult } from "./results.js";
import { compactTable } from "../../output/table.js";
import { makeChalk } from "../../output/color.js";
import { fitReport } from "../../output/fitLines.js";
import { formatFixed, formatNumber } from "../../output/format.js";
import { outputWidth } from "../../output/terminalWidth.js";

const BAR_WIDTH = 24;
const CHART_WIDTH = 60;
const CHART_HEIGHT = 14;
/** The return axis labels take eight columns, then " │". */
const CHART_MARGIN = 10;
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

interface ReportOptions {
  method: string;
  cov: string;
  mu: string;
  periodsPerYear: number;
  riskFree: number;
}

/**
 * A horizontal bar of |x|/scale in eighths of a cell, so that small weights
 * stay visible and equal weights draw equal bars.
 *
 * @example weightBar(0.5, 1, 4) // "██"
 */
export function weightBar(x: number, scale: number, width: number): string {
  if (!(scale > 0) || !Number.isFinite(x)) return "";
  const eighths = Math.round((Math.min(1, Math.abs(x) / scale) * width * 8) | 0);
  return "█".repeat(eighths >> 3) + EIGHTHS[eighths & 7];
}

/** The human report: weights with bars and risk contributions, the portfolio's moments, and the frontier chart. */
export function renderOptimizeReport(
  analysis: OptimizeAnalysis,
  result: OptimizeResult,
  options: ReportOptions,
  color: boolean,
  width: number | undefined = outputWidth(),
): string {
  const c = makeChalk(color);
  const frame = analysis.frame;
  const rows = frame.time.length;
  const out: string[] = [];
  out.push(
    `${c.bold("optimize")} ${options.method} · ${frame.source} · ${rows} periods · ${frame.time.at(0)} → ${frame.time.at(rows - 1)} · ` +
      `μ ${options.mu}, Σ ${options.cov}${result.shrinkage !== undefined ? ` (shrinkage ${formatFixed(result.shrinkage, 4)})` : ""}` +
      (frame.droppedRows > 0 ? ` · ${frame.droppedRows} rows dropped` : ""),
  );
  const weights = analysis.symbols.map((s) => result.weights[s]!);
  const scale = Math.max(...weights.map(Math.abs));
  // Too wide for the terminal: the bars go first (the weights say the same), then the risk contributions.
  const table = compactTable(
    [
      "symbol",
      "weight",
      { head: "", name: "weight bars", drop: 1 },
      { head: "risk contribution", short: "risk contr.", drop: 2 },
    ],
    ["left", "right", "left", "right"],
    color,
    width,
  );
  analysis.symbols.forEach((s, i) => {
    const w = weights[i]!;
    const bar = weightBar(w, scale, BAR_WIDTH);
    table.push([
      s,
      `${formatFixed(w * 100, 2)}%`,
      w < 0 ? c.red(bar) : c.green(bar),
      `${formatFixed((result.riskContributions[s] ?? Number.NaN) * 100, 2)}%`,
    ]);
  });
  out.push(table.toString());
  out.push(
    `expected return ${pct(result.expectedReturn)} · volatility ${pct(result.volatility)} · Sharpe ${formatNumber(result.sharpe, 4)}` +
      ` (annualised, ${options.periodsPerYear} periods/year, rf ${pct(options.riskFree)})` +
      ` · condition number ${formatNumber(result.conditionNumber, 3)}`,
  );
  if (result.frontier !== undefined) {
    out.push("");
    const chartWidth =
      width === undefined ? CHART_WIDTH : Math.max(20, Math.min(CHART_WIDTH, width - CHART_MARGIN));
    out.push(frontierChart(result, c, chartWidth));
    out.push(
      c.dim(
        `· ${result.frontier.length} frontier points, ${result.corners} corner portfolios · ● min-variance` +
          (result.maxSharpe
            ? " · ★ max-Sharpe (the weights above)"
            : " · no max-Sharpe portfolio (nothing beats rf)"),
      ),
    );
  }
  return fitReport(out, width);
}

function pct(x: number | null): string {
  return x === null ? "–" : `${formatFixed(x * 100, 2)}%`;
}

/** Expected return (up) against volatility (right), the frontier as dots, the chosen portfolios marked. */
function frontierChart(result: OptimizeResult, c: ReturnType<typeof makeChalk>, chartWidth: number): string {
  const points = result.frontier!.filter((p) => p.volatility !== null && p.expectedReturn !== null);
  const marks: Array<{ x: number; y: number; glyph: string }> = [];
  if (result.minVariance)
    marks.push({ x: result.minVariance.volatility!, y: result.minVariance.expectedReturn!, glyph: "●" });
  if (result.maxSharpe)
    marks.push({ x: result.maxSharpe.volatility!, y: result.maxSharpe.expectedReturn!, glyph: "★" });
  const xs = [...points.map((p) => p.volatility!), ...marks.map((m) => m.x)];
  const ys = [...points.map((p) => p.expectedReturn!), ...marks.map((m) => m.y)];
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  const grid = Array.from({ length: CHART_HEIGHT }, () => new Array<string>(chartWidth).fill(" "));
  const place = (x: number, y: number, glyph: string) => {
    const col = x1 > x0 ? Math.round(((x - x0) / (x1 - x0)) * (chartWidth - 1)) : 0;
    const row = y1 > y0 ? CHART_HEIGHT - 1 - Math.round(((y - y0) / (y1 - y0)) * (CHART_HEIGHT - 1)) : 0;
    grid[row]![col] = glyph;
  };
  for (const p of points) place(p.volatility!, p.expectedReturn!, "·");
  for (const m of marks) place(m.x, m.y, m.glyph);
  const label = (y: number) => pct(y).padStart(8);
  const lines = grid.map((row, r) => {
    const axis = r === 0 ? label(y1) : r === CHART_HEIGHT - 1 ? label(y0) : " ".repeat(8);
    return `${axis} │${row.join("").replace(/[●★]/g, (g) => c.yellow(g))}`;
  });
  lines.push(`${" ".repeat(8)} └${"─".repeat(chartWidth)}`);
  const left = pct(x0);
  const right = pct(x1);
  lines.push(
    `${" ".repeat(10)}${left}${"volatility →".padStart(Math.floor(chartWidth / 2) - left.length + 6)}${right.padStart(chartWidth - Math.floor(chartWidth / 2) - 6)}`,
  );
  return [c.dim("expected return ↑"), ...lines].join("\n");
}
