import { type AnalysedSeries, type MeanrevAnalysis, RECENT_BARS } from "./results.js";
import type { Frame } from "../../io/frame.js";
import { makeChalk } from "../../output/color.js";
import { formatFixed, formatNumber, formatPValue } from "../../output/format.js";
import { sparkline } from "../../output/sparkline.js";
import { compactTable } from "../../output/table.js";

const SPARK_WIDTH = RECENT_BARS;

interface ReportOptions {
  window: number;
  entry: number;
  exit: number;
  log: boolean;
}

/** The human report: one table of the latest signal and statistics, then a sparkline per series. */
export function renderMeanrevReport(
  frame: Frame,
  analysis: MeanrevAnalysis,
  options: ReportOptions,
  color: boolean,
): string {
  const c = makeChalk(color);
  const rows = frame.time.length;
  const all = analysis.pair ? [...analysis.series, analysis.pair.spread] : analysis.series;
  const out: string[] = [];
  out.push(
    `${c.bold("meanrev")} ${frame.source} · ${rows} rows · ${frame.time.at(0)} → ${frame.time.at(rows - 1)} · ` +
      `window ${options.window}, entry ±${options.entry}, exit ±${options.exit}${options.log ? ", log prices" : ""}` +
      (frame.droppedRows > 0 ? ` · ${frame.droppedRows} rows dropped` : ""),
  );
  const table = compactTable(
    ["symbol", "price", "mean", "std", "z", "position", "half-life", "hurst", "ADF", "p", "lags"],
    ["left", "right", "right", "right", "right", "center", "right", "right", "right", "right", "right"],
    color,
  );
  for (const s of all) table.push(tableRow(s, rows - 1, c));
  out.push(table.toString());
  if (analysis.pair) {
    const { a, b, hedgeRatio, intercept, engleGranger } = analysis.pair;
    const verdict =
      engleGranger.pValue < 0.05 ? c.green("cointegrated at 5%") : c.yellow("not cointegrated at 5%");
    out.push(
      `pair ${a} ~ ${b}: spread = ${a} − ${formatNumber(intercept)} − ${formatNumber(hedgeRatio)}·${b}; ` +
        `Engle–Granger ${formatFixed(engleGranger.stat, 3)} (p ${formatPValue(engleGranger.pValue)}, ${engleGranger.lags} lags): ${verdict}`,
    );
  }
  const label = Math.max(...all.map((s) => s.symbol.length));
  out.push(c.dim(`last ${Math.min(rows, SPARK_WIDTH)} bars`));
  for (const s of all) {
    const from = Math.max(0, rows - SPARK_WIDTH);
    out.push(
      `${s.symbol.padEnd(label)}  price ${sparkline(s.values.subarray(from), SPARK_WIDTH)}  z ${sparkline(s.recentZ, SPARK_WIDTH)}`,
    );
  }
  return `${out.join("\n")}\n`;
}

function tableRow(s: AnalysedSeries, i: number, c: ReturnType<typeof makeChalk>): string[] {
  const { mean, std, z: zValue, position: p } = s.last;
  const { ou, hurst, adf } = s.statistics;
  const positionText = p > 0 ? c.green("long") : p < 0 ? c.red("short") : c.dim("flat");
  const zText = formatFixed(zValue, 2);
  return [
    s.symbol,
    formatNumber(s.values[i]!),
    formatNumber(mean),
    formatNumber(std),
    Math.abs(zValue) >= 2 ? c.bold(zText) : zText,
    positionText,
    Number.isFinite(ou.halfLife) ? `${formatNumber(ou.halfLife, 4)} bars` : "–",
    formatFixed(hurst, 3),
    adf ? formatFixed(adf.stat, 3) : "–",
    adf ? formatPValue(adf.pValue) : "–",
    adf ? String(adf.lags) : "–",
  ];
}
