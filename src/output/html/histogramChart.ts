import { clippedHistogram, histogramRange } from "../../numerics/stats/clippedHistogram.js";
import type { RenderChart } from "./chartRenderer.js";
import {
  AXIS_LINE,
  CHART_HEIGHT,
  CHART_WIDTH,
  extent,
  formatValue,
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

/** The colour of the edge bins: grey, apart from the binned bars, as what they hold is not to scale on x. */
const EDGE_BIN_COLOR = "#8c959f";

/**
 * The bins span the data's robust range (histogramRange), widened to take
 * in every VaR line; the returns beyond it are counted in two edge bins
 * drawn one empty bin apart from the others and labelled "< x" / "> y",
 * so no observation is dropped and one outlier does not squash the bars.
 */
export function histogramChart(
  render: RenderChart,
  heading: string,
  caption: string,
  returns: Float64Array,
  lines: VarLine[],
): string {
  const [robustLow, robustHigh] = histogramRange(returns);
  const [dataLow, dataHigh] = extent([returns]);
  const lineValues = lines.map((l) => l.at).filter(Number.isFinite);
  let rangeLow = Math.min(robustLow, ...lineValues);
  let rangeHigh = Math.max(robustHigh, ...lineValues);
  if (!(rangeLow < rangeHigh)) {
    // A constant series (or none): one bin of width 1 around its value.
    const at = Number.isFinite(rangeLow) ? rangeLow : 0;
    rangeLow = at - 0.5;
    rangeHigh = at + 0.5;
  }
  const { edges, counts, below, above } = clippedHistogram(
    returns,
    histogramBins(returns.length),
    rangeLow,
    rangeHigh,
  );
  const bins = counts.length;
  const width = (rangeHigh - rangeLow) / bins;
  const axisLow = below > 0 ? rangeLow - 2 * width : rangeLow;
  const axisHigh = above > 0 ? rangeHigh + 2 * width : rangeHigh;
  const format = tickFormatter("percent", rangeHigh - rangeLow);
  // Each edge bin's label runs from it into the plot, never across the axis or past the chart's edge.
  const edgeBin = (x: number, count: number, text: string, align: "left" | "right") => ({
    value: [x, count],
    itemStyle: { color: EDGE_BIN_COLOR },
    label: {
      show: true,
      position: "top",
      align,
      offset: [align === "left" ? -2 : 2, 0],
      color: "#57606a",
      fontSize: 11,
      formatter: `${text}: ${count}`,
    },
  });
  const data: unknown[] = Array.from(counts, (count, k) => [(edges[k]! + edges[k + 1]!) / 2, count]);
  // An edge bin's bound with more digits than the ticks: "< -7%" would misplace the returns between −7 % and −6.73 %.
  const boundDigits = Math.max(2, 2 - Math.floor(Math.log10((rangeHigh - rangeLow) * 100)));
  const bound = (value: number) => formatValue(value, "percent", boundDigits);
  if (below > 0) data.unshift(edgeBin(rangeLow - 1.5 * width, below, `< ${bound(rangeLow)}`, "left"));
  if (above > 0) data.push(edgeBin(rangeHigh + 1.5 * width, above, `> ${bound(rangeHigh)}`, "right"));
  const barWidth = Math.max(1, (width / (axisHigh - axisLow)) * PLOT_COLUMNS * 0.92);
  const option = {
    grid: { ...GRID, top: 52 },
    xAxis: {
      type: "value",
      name: "return per period",
      nameLocation: "middle",
      nameGap: 28,
      min: axisLow,
      max: axisHigh,
      axisLine: AXIS_LINE,
      splitLine: { show: false },
      // The ends are the data's extremes, not round numbers: only the round ticks are labelled,
      // and none beside an edge bin, whose place on the axis is not its values'.
      axisLabel: {
        formatter: (value: number) => (value < rangeLow || value > rangeHigh ? "" : format(value)),
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
    observations: below + counts.reduce((a, b) => a + b, 0) + above,
    "x-min": dataLow,
    "x-max": dataHigh,
    "range-low": rangeLow,
    "range-high": rangeHigh,
    "axis-min": axisLow,
    "axis-max": axisHigh,
    below,
    above,
    counts: counts.join(" "),
    "var-lines": lines.map((l) => l.at).join(" "),
  });
}
