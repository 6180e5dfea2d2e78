import type { RenderChart } from "./chartRenderer.js";
import {
  AXIS_LINE,
  CHART_HEIGHT,
  CHART_WIDTH,
  GRID,
  PALETTE,
  SPLIT_LINE,
  tickFormatter,
} from "./chartStyle.js";
import { figureHtml } from "./htmlPage.js";

/**
 * The efficient frontier in (annual volatility, annual expected return):
 * the frontier as a line through its points, each asset alone as a grey
 * dot with its name, and the marked portfolios (the chosen one, the
 * minimum-variance and maximum-Sharpe ones) as labelled symbols on top.
 */
export interface FrontierPoint {
  volatility: number;
  expectedReturn: number;
}

export interface FrontierChart {
  heading: string;
  caption: string;
  frontier: FrontierPoint[];
  assets: (FrontierPoint & { name: string })[];
  marked: (FrontierPoint & { name: string })[];
}

const MARK_SYMBOLS = ["diamond", "triangle", "rect"];

export function frontierChart(render: RenderChart, chart: FrontierChart): string {
  const all = [...chart.frontier, ...chart.assets, ...chart.marked];
  const vols = all.map((p) => p.volatility);
  const rets = all.map((p) => p.expectedReturn);
  const pad = (low: number, high: number) => {
    const margin = (high - low || Math.abs(high) || 1) * 0.08;
    return [low - margin, high + margin] as const;
  };
  const [xLow, xHigh] = pad(Math.min(...vols), Math.max(...vols));
  const [yLow, yHigh] = pad(Math.min(...rets), Math.max(...rets));
  const option = {
    grid: { ...GRID, top: 40 },
    // Wider gaps than elsewhere: a long name ("chosen (max-sharpe) = maximum Sharpe") measures short in ECharts.
    legend: { top: 0, itemWidth: 14, itemHeight: 10, itemGap: 40 },
    xAxis: {
      type: "value",
      name: "annual volatility",
      nameLocation: "middle",
      nameGap: 28,
      min: Math.max(0, xLow),
      max: xHigh,
      axisLine: AXIS_LINE,
      splitLine: SPLIT_LINE,
      axisLabel: {
        formatter: tickFormatter("percent", xHigh - xLow),
        hideOverlap: true,
        showMinLabel: false,
        showMaxLabel: false,
      },
    },
    yAxis: {
      type: "value",
      name: "annual expected return",
      nameLocation: "middle",
      nameGap: 56,
      min: yLow,
      max: yHigh,
      axisLine: AXIS_LINE,
      splitLine: SPLIT_LINE,
      axisLabel: {
        formatter: tickFormatter("percent", yHigh - yLow),
        showMinLabel: false,
        showMaxLabel: false,
      },
    },
    series: [
      {
        type: "line",
        name: "efficient frontier",
        showSymbol: chart.frontier.length <= 60,
        symbolSize: 4,
        lineStyle: { color: PALETTE[0], width: 2 },
        itemStyle: { color: PALETTE[0] },
        data: chart.frontier.map((p) => [p.volatility, p.expectedReturn]),
      },
      {
        type: "scatter",
        name: "assets",
        symbolSize: 7,
        itemStyle: { color: "#8c959f" },
        label: { show: true, position: "right", fontSize: 11, color: "#57606a", formatter: "{b}" },
        data: chart.assets.map((p) => ({ name: p.name, value: [p.volatility, p.expectedReturn] })),
      },
      ...chart.marked.map((p, k) => ({
        type: "scatter",
        name: p.name,
        symbol: MARK_SYMBOLS[k % MARK_SYMBOLS.length],
        symbolSize: k === 0 ? 16 : 11,
        z: 10 - k,
        itemStyle: { color: PALETTE[(k + 1) % PALETTE.length], borderColor: "#fff", borderWidth: 1 },
        data: [[p.volatility, p.expectedReturn]],
      })),
    ],
  };
  const svg = render(option, { width: CHART_WIDTH, height: CHART_HEIGHT + 60 }, chart.heading);
  return figureHtml("frontier", chart.heading, svg, chart.caption, {
    points: chart.frontier.length,
    assets: chart.assets.length,
    marked: chart.marked.map((p) => p.name).join(", "),
    // The drawn points' numbers, in order, as the JSON writes them (shortest round trip).
    "frontier-volatility": chart.frontier.map((p) => p.volatility).join(" "),
    "frontier-return": chart.frontier.map((p) => p.expectedReturn).join(" "),
    "chosen-volatility": chart.marked[0]?.volatility ?? "",
    "chosen-return": chart.marked[0]?.expectedReturn ?? "",
  });
}
