import type { RenderChart } from "./chartRenderer.js";
import {
  AXIS_LINE,
  CHART_HEIGHT,
  CHART_WIDTH,
  extent,
  GRID,
  PALETTE,
  PLOT_COLUMNS,
  SPLIT_LINE,
  tickFormatter,
  type ValueUnit,
} from "./chartStyle.js";
import { minMaxDecimate } from "./decimate.js";
import { figureHtml } from "./htmlPage.js";
import { timeAxis, type XAxisValues } from "./xAxisValues.js";

/**
 * A line chart of one or more series over time, each decimated to the
 * plot's pixel columns (min/max, so extremes and spikes stay), with date
 * or numeric x labels and the value's unit on the y axis. The figure's
 * data-* facts (series count, drawn points, y range over the whole data)
 * are what the structural tests compare with the JSON result.
 */

export interface TimeSeries {
  name: string;
  values: ArrayLike<number>;
  color?: string;
}

export interface TimeSeriesChart {
  kind: string;
  heading: string;
  caption: string;
  x: XAxisValues;
  series: TimeSeries[];
  unit: ValueUnit;
  yName: string;
  /** Fill between the line and zero (an underwater chart). */
  area?: boolean;
  /** Horizontal reference lines (1 for a wealth index, 0 for a Sharpe ratio). */
  referenceY?: number;
  /**
   * The bars a rolling window spends filling (N − 1 for a window of N):
   * shaded and labelled, so the blank start of the line is explained.
   */
  warmUpBars?: number;
}

/** A wrapped legend's row pitch: the 14-pixel text and the renderer's 24-pixel item gap, less ECharts' overlap. */
const LEGEND_ROW_HEIGHT = 36;

/**
 * The rows ECharts wraps a plain legend into, estimated from its names:
 * an 18-pixel swatch, 5 pixels to the name, 8 pixels a character (a
 * capital's width at 12 px: an overestimate for lower case, which only
 * leaves room), 24 between items, 900 − 2 × 5 pixels a row.
 * The plot starts below the last row, so ten long names never cover lines.
 */
export function legendRows(names: readonly string[]): number {
  let rows = 1;
  let used = 0;
  for (const name of names) {
    const width = 18 + 5 + 8 * [...name].length;
    if (used > 0 && used + 24 + width > CHART_WIDTH - 10) {
      rows++;
      used = width;
    } else used += (used > 0 ? 24 : 0) + width;
  }
  return rows;
}

/** The warm-up band's fill: a light grey under the lines, apart from the split lines' #e6e9ed strokes. */
export const WARM_UP_FILL = "#eef0f3";

export function timeSeriesChart(render: RenderChart, chart: TimeSeriesChart): string {
  const [low, high] = extent(chart.series.map((s) => s.values));
  const span = Number.isFinite(high - low) && high > low ? high - low : Math.abs(high) || 1;
  let points = 0;
  const series = chart.series.map((s, k) => {
    const drawn = minMaxDecimate(chart.x.values, s.values, PLOT_COLUMNS);
    points += drawn.x.length;
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    return {
      type: "line",
      name: s.name,
      data: drawn.x.map((x, i) => [x, drawn.y[i]]),
      showSymbol: false,
      lineStyle: { width: 1.4, color },
      itemStyle: { color },
      ...(chart.area ? { areaStyle: { color, opacity: 0.25 } } : {}),
      ...(k === 0 ? warmUpArea(chart) : {}),
      ...(k === 0 && chart.referenceY !== undefined
        ? {
            markLine: {
              precision: 15,
              silent: true,
              symbol: "none",
              label: { show: false },
              lineStyle: { color: "#57606a", type: "dashed", width: 1 },
              data: [{ yAxis: chart.referenceY }],
            },
          }
        : {}),
    };
  });
  const legend = chart.series.length > 1;
  // Each legend row past the first moves the plot down and makes the chart taller by as much.
  const extraRows = legend ? legendRows(chart.series.map((s) => s.name)) - 1 : 0;
  const option = {
    grid: { ...GRID, top: legend ? 40 + LEGEND_ROW_HEIGHT * extraRows : 24 },
    legend: legend ? { top: 0, type: "plain", itemWidth: 18, itemHeight: 8 } : undefined,
    xAxis: timeAxis(chart.x),
    yAxis: {
      type: "value",
      name: chart.yName,
      nameLocation: "middle",
      nameGap: 56,
      scale: true,
      axisLine: AXIS_LINE,
      splitLine: SPLIT_LINE,
      axisLabel: { formatter: tickFormatter(chart.unit, span) },
    },
    series,
  };
  const svg = render(
    option,
    { width: CHART_WIDTH, height: CHART_HEIGHT + LEGEND_ROW_HEIGHT * extraRows },
    chart.heading,
  );
  const n = chart.x.values.length;
  return figureHtml(chart.kind, chart.heading, svg, chart.caption, {
    series: chart.series.length,
    rows: n,
    points,
    "y-min": low,
    "y-max": high,
    ...(chart.warmUpBars === undefined ? {} : { "warm-up-bars": warmUpShown(chart) }),
  });
}

/** The bars the band covers: the warm-up, at most every bar but the last (a window longer than the data). */
function warmUpShown(chart: TimeSeriesChart): number {
  return Math.max(0, Math.min(chart.warmUpBars ?? 0, chart.x.values.length - 1));
}

/** The band from the first bar to the first one with a full window, where the lines begin. */
function warmUpArea(chart: TimeSeriesChart): Record<string, unknown> {
  const bars = warmUpShown(chart);
  if (bars === 0) return {};
  return {
    markArea: {
      silent: true,
      itemStyle: { color: WARM_UP_FILL },
      label: {
        show: true,
        // Above the plot, from the band's left edge: inside, it would cross the lines.
        position: [0, -14],
        color: "#57606a",
        fontSize: 11,
        formatter: `window filling: first ${bars} bar${bars === 1 ? "" : "s"}`,
      },
      data: [[{ xAxis: chart.x.values[0] }, { xAxis: chart.x.values[bars] }]],
    },
  };
}
