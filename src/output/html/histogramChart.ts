import { histogram } from "../../numerics/stats/histogram.js";
import type { RenderChart } from "./chartRenderer.js";
import {
  AXIS_LINE,
  CHART_HEIGHT,
  CHART_WIDTH,
  GRID,
  PLOT_COLUMNS,
  SPLIT_LINE,
  tickFormatter,
} from "./chartStyle.js";
import { figureHtml } from "./htmlPage.js";

/**
 * The distribution of per-period returns as a histogram, with vertical
 * lines at the VaR levels (the return at which each VaR's loss begins).
 */

export interface VarLine {
  label: string;
  /** The return at the line: −VaR for a loss fraction. */
  at: number;
  color: string;
}

/**
 * Rice's rule, 2·n^(1/3) bins, between 10 and 80: enough to show a fat
 * tail on a few thousand returns, few enough that 60 monthly returns do not
 * scatter into empty bins.
 */
export function histogramBins(observations: number): number {
  return Math.max(10, Math.min(80, Math.ceil(2 * Math.cbrt(observations))));
}

export function histogramChart(
  render: RenderChart,
  heading: string,
  caption: string,
  returns: Float64Array,
  lines: VarLine[],
): string {
  const { edges, counts } = histogram(returns, histogramBins(returns.length));
  const bins = counts.length;
  const low = Math.min(edges[0]!, ...lines.map((l) => l.at));
  const high = Math.max(edges[bins]!, ...lines.map((l) => l.at));
  const data = Array.from(counts, (count, k) => [(edges[k]! + edges[k + 1]!) / 2, count]);
  const barWidth = Math.max(1, ((edges[1]! - edges[0]!) / (high - low)) * PLOT_COLUMNS * 0.92);
  const option = {
    grid: { ...GRID, top: 52 },
    xAxis: {
      type: "value",
      name: "return per period",
      nameLocation: "middle",
      nameGap: 28,
      min: low,
      max: high,
      axisLine: AXIS_LINE,
      splitLine: { show: false },
      // The ends are the data's extremes, not round numbers: only the round ticks are labelled.
      axisLabel: {
        formatter: tickFormatter("percent", high - low),
        hideOverlap: true,
        showMinLabel: false,
        showMaxLabel: false,
      },
    },
    yAxis: {
      type: "value",
      name: "periods",
      nameLocation: "middle",
      nameGap: 48,
      axisLine: AXIS_LINE,
      splitLine: SPLIT_LINE,
    },
    series: [
      {
        type: "bar",
        name: "returns",
        data,
        barWidth,
        itemStyle: { color: "#4e79a7" },
        markLine: {
          // ECharts rounds a mark line's value to 2 decimals by default: a VaR of 1.57 % would sit at 2 %.
          precision: 15,
          silent: true,
          symbol: "none",
          data: lines.map((line, k) => ({
            xAxis: line.at,
            lineStyle: { color: line.color, width: 1.5, type: k % 2 === 0 ? "solid" : "dashed" },
            label: {
              formatter: line.label,
              color: line.color,
              position: "end",
              distance: [0, 4 + 14 * k],
            },
          })),
        },
      },
    ],
  };
  const svg = render(option, { width: CHART_WIDTH, height: CHART_HEIGHT }, heading);
  return figureHtml("histogram", heading, svg, caption, {
    series: 1,
    bins,
    observations: counts.reduce((a, b) => a + b, 0),
    "x-min": edges[0]!,
    "x-max": edges[bins]!,
    "var-lines": lines.map((l) => l.at).join(" "),
  });
}
