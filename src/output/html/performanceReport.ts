import { loadChartRenderer, type RenderChart } from "./chartRenderer.js";
import { PALETTE } from "./chartStyle.js";
import { heatmapChart } from "./heatmapChart.js";
import { histogramChart, type VarLine } from "./histogramChart.js";
import { type HtmlPage, htmlPage, type PageSection, tableHtml } from "./htmlPage.js";
import { timeSeriesChart } from "./timeSeriesChart.js";
import { xAxisValues } from "./xAxisValues.js";

/**
 * The tear sheet of `risk` and `backtest` (SPEC §4): the equity curve (with
 * the benchmark), the underwater chart, rolling Sharpe ratio and volatility,
 * then per series the monthly returns heatmap and the return histogram
 * with its VaR lines, and the statistics table. The command hands over the
 * numbers its own analysis computed; nothing here recomputes a statistic.
 */

export interface PerformanceSeries {
  name: string;
  /** Per-bar returns, one per time stamp. */
  returns: Float64Array;
  /** The wealth index W_t after each bar (W_0 = 1 before the first). */
  equity: Float64Array;
  /** W_t / max W − 1, zero or negative. */
  underwater: Float64Array;
  rollingSharpe: Float64Array;
  rollingVolatility: Float64Array;
  monthly: { year: number; month: number; return: number | null }[] | null;
  varLines: VarLine[];
}

export interface PerformanceReport {
  title: string;
  subtitle: string[];
  generator: string;
  /** The stamps of the bars, as in the input. */
  times: string[];
  timeName: string;
  rollingWindow: number;
  series: PerformanceSeries[];
  statistics: { head: string[]; rows: string[][] };
  notes: string[];
}

/** More lines than the palette's ten cannot be told apart: charts draw the first ten, the table lists all. */
export const CHARTED_SERIES = PALETTE.length;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export async function performanceReportHtml(report: PerformanceReport): Promise<string> {
  const render = await loadChartRenderer();
  const charted = report.series.slice(0, CHARTED_SERIES);
  const x = xAxisValues(report.times, report.timeName);
  const lines = (pick: (s: PerformanceSeries) => Float64Array) =>
    charted.map((s) => ({ name: s.name, values: pick(s) }));
  const sections: PageSection[] = [
    {
      heading: "Equity and drawdown",
      body: [
        timeSeriesChart(render, {
          kind: "equity",
          heading: "Equity curve",
          caption: "Growth of 1 invested at the start (the wealth index W, compounded from the returns).",
          x,
          series: lines((s) => s.equity),
          unit: "ratio",
          yName: "growth of 1",
          referenceY: 1,
        }),
        timeSeriesChart(render, {
          kind: "underwater",
          heading: "Underwater (drawdown)",
          caption: "Fall from the running high, W / max(W) − 1.",
          x,
          series: lines((s) => s.underwater),
          unit: "percent",
          yName: "drawdown",
          area: charted.length === 1,
        }),
      ].join("\n"),
    },
    {
      heading: `Rolling ${report.rollingWindow}-bar statistics`,
      body: [
        timeSeriesChart(render, {
          kind: "rolling-sharpe",
          heading: `Rolling Sharpe ratio (${report.rollingWindow} bars, annualised)`,
          caption: `Each point uses the last ${report.rollingWindow} bars only; the shaded band marks the first ${report.rollingWindow - 1}, before the window is full.`,
          x,
          series: lines((s) => s.rollingSharpe),
          unit: "ratio",
          yName: "Sharpe ratio",
          referenceY: 0,
          warmUpBars: report.rollingWindow - 1,
        }),
        timeSeriesChart(render, {
          kind: "rolling-volatility",
          heading: `Rolling volatility (${report.rollingWindow} bars, annualised)`,
          caption: `sqrt(P) × the standard deviation of the window's returns; the shaded band marks the first ${report.rollingWindow - 1} bars, before the window is full.`,
          x,
          series: lines((s) => s.rollingVolatility),
          unit: "percent",
          yName: "volatility",
          warmUpBars: report.rollingWindow - 1,
        }),
      ].join("\n"),
    },
    ...charted.map((s) => seriesSection(render, s)),
    { heading: "Statistics", body: tableHtml("statistics", report.statistics.head, report.statistics.rows) },
  ];
  const notes = [...report.notes];
  if (report.series.length > charted.length) {
    notes.push(
      `The charts draw the first ${charted.length} of ${report.series.length} series; the statistics table lists every one.`,
    );
  }
  const page: HtmlPage = {
    title: report.title,
    subtitle: report.subtitle,
    sections,
    notes,
    generator: report.generator,
  };
  return htmlPage(page);
}

function seriesSection(render: RenderChart, series: PerformanceSeries): PageSection {
  const parts: string[] = [];
  if (series.monthly !== null && series.monthly.length > 0) parts.push(monthlyHeatmap(render, series));
  parts.push(
    histogramChart(
      render,
      `Distribution of returns: ${series.name}`,
      `Per-period returns in equal-width bins over the bulk of the data; returns far beyond it are counted in the grey edge bins (labelled with their bound and count). The vertical lines mark the value at risk (the loss beyond which the worst periods lie).`,
      series.returns,
      series.varLines,
    ),
  );
  return { heading: series.name, body: parts.join("\n") };
}

function monthlyHeatmap(render: RenderChart, series: PerformanceSeries): string {
  const months = series.monthly!;
  const first = months[0]!.year;
  const last = months[months.length - 1]!.year;
  const years: string[] = [];
  const values: (number | null)[][] = [];
  for (let year = first; year <= last; year++) {
    years.push(String(year));
    values.push(new Array<number | null>(12).fill(null));
  }
  for (const m of months) values[m.year - first]![m.month - 1] = m.return;
  return heatmapChart(render, {
    kind: "monthly",
    heading: `Monthly returns: ${series.name}`,
    caption: "Compounded return of each calendar month; red a loss, green a gain, blank no data.",
    columns: MONTHS,
    rows: years,
    values,
    unit: "percent",
    digits: 1,
    diverging: true,
  });
}

/**
 * The rolling window of a report when `--rolling` is not given: half a
 * year of bars (pyfolio's 6-month rolling Sharpe), at least 2 and at most
 * half the series, so a short file still shows a line.
 */
export function defaultRollingWindow(periodsPerYear: number, rows: number): number {
  return Math.max(2, Math.min(Math.round(periodsPerYear / 2), Math.floor(rows / 2)));
}

/** The colours of the VaR lines, one per confidence level. */
export const VAR_LINE_COLORS = ["#e15759", "#b07aa1", "#9c755f", "#f28e2b"];
