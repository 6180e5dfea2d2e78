import type { RenderChart } from "./chartRenderer.js";
import { AXIS_LINE, CHART_HEIGHT, CHART_WIDTH, GRID, PLOT_COLUMNS, SPLIT_LINE } from "./chartStyle.js";
import { figureHtml } from "./htmlPage.js";
import { timeAxis, type XAxisValues } from "./xAxisValues.js";

/**
 * The probability of each regime over time as stacked areas that fill
 * 0–100 %. A long series is averaged per pixel column (not min/max: an
 * average keeps the stack summing to one, and its area is the share of
 * time the column spent in each regime).
 */
export interface RegimeProbabilities {
  heading: string;
  caption: string;
  x: XAxisValues;
  /** probabilities[t·K + r]: regime r's probability at bar t. */
  probabilities: Float64Array;
  labels: string[];
  colors: string[];
}

export function probabilityChart(render: RenderChart, chart: RegimeProbabilities): string {
  const k = chart.labels.length;
  const n = chart.probabilities.length / k;
  const columns = Math.min(n, PLOT_COLUMNS);
  const xs: number[] = [];
  const means = chart.labels.map(() => [] as number[]);
  for (let c = 0; c < columns; c++) {
    const start = Math.floor((c * n) / columns);
    const end = Math.floor(((c + 1) * n) / columns);
    xs.push(chart.x.values[start]!);
    for (let r = 0; r < k; r++) {
      let sum = 0;
      for (let t = start; t < end; t++) sum += chart.probabilities[t * k + r]!;
      means[r]!.push(sum / (end - start));
    }
  }
  const option = {
    grid: { ...GRID, top: 40 },
    legend: { top: 0, itemWidth: 18, itemHeight: 8 },
    xAxis: timeAxis(chart.x),
    yAxis: {
      type: "value",
      name: "probability",
      nameLocation: "middle",
      nameGap: 56,
      min: 0,
      max: 1,
      axisLine: AXIS_LINE,
      splitLine: SPLIT_LINE,
      axisLabel: { formatter: (value: number) => `${Math.round(value * 100)}%` },
    },
    series: chart.labels.map((label, r) => ({
      type: "line",
      name: label,
      stack: "probability",
      showSymbol: false,
      lineStyle: { width: 0 },
      itemStyle: { color: chart.colors[r] },
      areaStyle: { color: chart.colors[r], opacity: 0.85 },
      data: xs.map((x, c) => [x, means[r]![c]]),
    })),
  };
  const svg = render(option, { width: CHART_WIDTH, height: CHART_HEIGHT }, chart.heading);
  return figureHtml("regime-probabilities", chart.heading, svg, chart.caption, {
    series: k,
    rows: n,
    columns,
  });
}
