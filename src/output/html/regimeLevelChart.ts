import type { RenderChart } from "./chartRenderer.js";
import {
  AXIS_LINE,
  CHART_HEIGHT,
  CHART_WIDTH,
  extent,
  GRID,
  PLOT_COLUMNS,
  SPLIT_LINE,
  tickFormatter,
} from "./chartStyle.js";
import { minMaxDecimate } from "./decimate.js";
import { figureHtml } from "./htmlPage.js";
import { timeAxis, type XAxisValues } from "./xAxisValues.js";

/**
 * A price (or wealth index) line coloured by the regime of each bar: the
 * line is decimated min/max per pixel column like every series, each kept
 * point carries its bar's regime, and the stretch that leads to a point is
 * drawn in that point's colour (one line series per regime, broken where
 * another regime holds). A regime shorter than a pixel column shows where
 * it holds a column's extreme.
 */
export interface RegimeLevel {
  heading: string;
  caption: string;
  x: XAxisValues;
  level: Float64Array;
  levelName: string;
  /** Regime index of each bar. */
  path: Int32Array;
  labels: string[];
  colors: string[];
}

export function regimeLevelChart(render: RenderChart, chart: RegimeLevel): string {
  const n = chart.level.length;
  const positions = Float64Array.from({ length: n }, (_, i) => i);
  const kept = minMaxDecimate(positions, chart.level, PLOT_COLUMNS).x;
  const regimeOf = kept.map((i) => chart.path[i]!);
  const [low, high] = extent([chart.level]);
  const series = chart.labels.map((label, r) => ({
    type: "line",
    name: label,
    showSymbol: false,
    connectNulls: false,
    lineStyle: { width: 1.6, color: chart.colors[r] },
    itemStyle: { color: chart.colors[r] },
    data: kept.map((i, j) => {
      const inRegime = regimeOf[j] === r || regimeOf[j + 1] === r;
      return [chart.x.values[i]!, inRegime ? chart.level[i]! : null];
    }),
  }));
  const bars = chart.labels.map((_, r) => {
    let count = 0;
    for (let i = 0; i < n; i++) if (chart.path[i] === r) count++;
    return count;
  });
  const option = {
    grid: { ...GRID, top: 40 },
    legend: { top: 0, itemWidth: 18, itemHeight: 8 },
    xAxis: timeAxis(chart.x),
    yAxis: {
      type: "value",
      name: chart.levelName,
      nameLocation: "middle",
      nameGap: 56,
      scale: true,
      axisLine: AXIS_LINE,
      splitLine: SPLIT_LINE,
      axisLabel: { formatter: tickFormatter("number", high - low) },
    },
    series,
  };
  const svg = render(option, { width: CHART_WIDTH, height: CHART_HEIGHT }, chart.heading);
  return figureHtml("regime-price", chart.heading, svg, chart.caption, {
    series: chart.labels.length,
    rows: n,
    points: kept.length,
    "y-min": low,
    "y-max": high,
    "regime-bars": bars.join(" "),
  });
}
