import type { ChalkInstance } from "chalk";
import { formatFixed, formatNumber } from "./format.js";
import { LINE_CHART_MARGIN, lineChart } from "./lineChart.js";
import { timeAxis } from "./timeAxis.js";

/**
 * The equity curve and the underwater chart of `risk` and `backtest` on a
 * terminal (SPEC §4): two line charts on shared time axes, one glyph and
 * colour per series (distinct without colour too), a legend under them.
 */
export interface EquitySeries {
  name: string;
  /** Growth of 1 after each bar. */
  equity: ArrayLike<number>;
  /** W / max(W) − 1 after each bar. */
  underwater: ArrayLike<number>;
}

const GLYPHS = ["•", "+", "x", "o", "*", "#"];
const COLOURS = ["green", "cyan", "magenta", "yellow", "blue", "red"] as const;
/** Ten rows for the equity, six for the drawdown: both fit a 24-line terminal with their axes. */
const EQUITY_ROWS = 10;
const DRAWDOWN_ROWS = 6;
const MAX_WIDTH = 100;

export function equityCharts(
  series: readonly EquitySeries[],
  time: { first: string; middle: string; last: string },
  c: ChalkInstance,
  width: number | undefined,
): string[] {
  const chartWidth = Math.max(
    10,
    Math.min(MAX_WIDTH, (width ?? MAX_WIDTH + LINE_CHART_MARGIN) - LINE_CHART_MARGIN),
  );
  const shown = series.slice(0, GLYPHS.length);
  const lines = (pick: (s: EquitySeries) => ArrayLike<number>) =>
    shown.map((s, k) => ({
      values: pick(s),
      glyph: GLYPHS[k]!,
      paint: (text: string) => c[COLOURS[k]!](text),
    }));
  const equity = lineChart(
    lines((s) => s.equity),
    chartWidth,
    EQUITY_ROWS,
    (v) => formatNumber(v, 4),
  );
  if (equity.length === 0) return [];
  const drawdown = lineChart(
    lines((s) => s.underwater),
    chartWidth,
    DRAWDOWN_ROWS,
    (v) => `${formatFixed(v * 100, 1)}%`,
  );
  const columns = Math.min(chartWidth, Math.max(...shown.map((s) => s.equity.length)));
  const axis = c.dim(
    `${" ".repeat(LINE_CHART_MARGIN)}${timeAxis(time.first, time.last, columns, time.middle)}`,
  );
  const legend = shown.map((s, k) => `${c[COLOURS[k]!](GLYPHS[k]!)} ${s.name}`).join(" · ");
  const more =
    series.length > shown.length ? c.dim(` · the first ${shown.length} of ${series.length} series`) : "";
  return [
    `${c.bold("Equity")} ${c.dim("(growth of 1)")}`,
    ...equity,
    axis,
    `${c.bold("Drawdown")} ${c.dim("(below the running high)")}`,
    ...drawdown,
    axis,
    `${" ".repeat(LINE_CHART_MARGIN)}${legend}${more}`,
  ];
}
