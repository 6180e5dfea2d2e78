import type { RenderChart } from "./chartRenderer.js";
import {
  AXIS_LINE,
  CHART_WIDTH,
  extent,
  PALETTE,
  SPLIT_LINE,
  tickFormatter,
  type ValueUnit,
} from "./chartStyle.js";
import { figureHtml } from "./htmlPage.js";

/**
 * Horizontal grouped bars, one group per category (a portfolio's symbols),
 * one bar per series (weight, risk contribution), with the value written at
 * the end of each bar; negative values (short weights) extend left of zero.
 */
export interface BarChart {
  kind: string;
  heading: string;
  caption: string;
  categories: string[];
  series: { name: string; values: number[] }[];
  unit: ValueUnit;
  xName: string;
}

const GROUP_HEIGHT = 18;

export function barChart(render: RenderChart, chart: BarChart): string {
  const [low, high] = extent(chart.series.map((s) => s.values));
  const span = Math.max(high, 0) - Math.min(low, 0) || 1;
  const format = tickFormatter(chart.unit, span);
  const label = (value: number) =>
    chart.unit === "percent" ? `${(value * 100).toFixed(1)}%` : value.toFixed(2);
  const height = 56 + 28 + chart.categories.length * GROUP_HEIGHT * Math.max(1, chart.series.length);
  const longest = Math.max(...chart.categories.map((c) => c.length));
  const option = {
    grid: { left: Math.min(200, Math.max(56, 16 + 7 * longest)), right: 64, top: 36, bottom: 44 },
    legend: { top: 0, itemWidth: 14, itemHeight: 10 },
    xAxis: {
      type: "value",
      name: chart.xName,
      nameLocation: "middle",
      nameGap: 28,
      axisLine: AXIS_LINE,
      splitLine: SPLIT_LINE,
      axisLabel: { formatter: format, hideOverlap: true },
    },
    yAxis: { type: "category", data: chart.categories, inverse: true, axisTick: { show: false } },
    series: chart.series.map((s, k) => ({
      type: "bar",
      name: s.name,
      data: s.values,
      itemStyle: { color: PALETTE[k % PALETTE.length] },
      label: {
        show: true,
        position: "right",
        fontSize: 11,
        formatter: (p: { value: number }) => label(p.value),
      },
    })),
  };
  const svg = render(option, { width: CHART_WIDTH, height }, chart.heading);
  return figureHtml(chart.kind, chart.heading, svg, chart.caption, {
    series: chart.series.length,
    categories: chart.categories.length,
    "value-min": low,
    "value-max": high,
  });
}
