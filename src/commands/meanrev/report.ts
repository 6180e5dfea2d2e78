import { type AnalysedSeries, type MeanrevAnalysis, RECENT_BARS } from "./results.js";
import type { Frame } from "../../io/frame.js";
import { makeChalk } from "../../output/color.js";
import { fitReport } from "../../output/fitLines.js";
import { formatFixed, formatNumber, formatPValue } from "../../output/format.js";
import { sparkline } from "../../output/sparkline.js";
import { compactTable } from "../../output/table.js";
import { displayWidth, outputWidth } from "../../output/terminalWidth.js";
import { timeAxis } from "../../output/timeAxis.js";

const SPARK_WIDTH = RECENT_BARS;

interface ReportOptions {
  window: number;
  entry: number;
  exit: number;
  log: boolean;
}

/**
 * The table's columns; when it is too wide for the terminal they go in
 * `drop` order: the tests' details first, the signal (z, position) last.
 */
const COLUMNS = [
  "symbol",
  { head: "price", drop: 8 },
  { head: "mean", drop: 5 },
  { head: "std", drop: 4 },
  { head: "z", drop: 9 },
  { head: "position", short: "pos.", drop: 10 },
  { head: "half-life", drop: 6 },
  { head: "hurst", drop: 3 },
  { head: "ADF", drop: 2 },
  { head: "p", drop: 7 },
  { head: "lags", drop: 1 },
];

/** The human report: one table of the latest signal and statistics, then a sparkline per series. */
export function renderMeanrevReport(
  frame: Frame,
  analysis: MeanrevAnalysis,
  options: ReportOptions,
  color: boolean,
  width: number | undefined = outputWidth(),
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
    COLUMNS,
    ["left", "right", "right", "right", "right", "center", "right", "right", "right", "right", "right"],
    color,
    width,
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
  out.push(...sparklines(frame, all, c, width));
  return fitReport(out, width);
}

/**
 * Price and z of each series over the last bars, as two sparklines a line,
 * under a legend and over a time axis; as wide as the terminal allows, up to
 * one character a bar.
 */
function sparklines(
  frame: Frame,
  all: AnalysedSeries[],
  c: ReturnType<typeof makeChalk>,
  width: number | undefined,
): string[] {
  const rows = frame.time.length;
  const bars = Math.min(rows, SPARK_WIDTH);
  const label = Math.max(...all.map((s) => s.symbol.length));
  // label, "  price ", spark, "  z ", spark
  const room = width === undefined ? SPARK_WIDTH : Math.floor((width - label - 12) / 2);
  const spark = Math.max(4, Math.min(SPARK_WIDTH, room));
  const drawn = Math.min(spark, bars);
  const out = [c.dim(`last ${bars} bars · ▁ lowest to █ highest of each line`)];
  const from = rows - bars;
  for (const s of all) {
    out.push(
      `${s.symbol.padEnd(label)}  price ${sparkline(s.values.subarray(from), spark)}  z ${sparkline(s.recentZ, spark)}`,
    );
  }
  const axis = timeAxis(frame.time.at(from), frame.time.at(rows - 1), drawn);
  const indent = " ".repeat(label + 8);
  out.push(
    c.dim(displayWidth(axis) <= drawn ? `${indent}${axis.padEnd(drawn)}    ${axis}` : `${indent}${axis}`),
  );
  return out;
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
