import { loadChartRenderer, type RenderChart } from "./chartRenderer.js";
import { PALETTE } from "./chartStyle.js";
import { heatmapChart } from "./heatmapChart.js";
import { histogramChart, type VarLine } from "./histogramChart.js";
import { type HtmlPage, htmlPage, type PageSection, tableHtml } from "./htmlPage.js";
import { type TimeSeriesChart, timeSeriesChart } from "./timeSeriesChart.js";
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

/** More lines than the palette's ten cannot be told apart on one chart: more series are drawn ten to a chart. */
export const SERIES_PER_CHART = PALETTE.length;
/**
 * At most this many series are charted (five charts of each kind, and a
 * heatmap and a histogram each): a 500-asset universe would otherwise
 * write a page of thousands of figures. The page says which are drawn,
 * at its top; the statistics table lists every series.
 */
export const CHARTED_SERIES_LIMIT = 5 * SERIES_PER_CHART;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export async function performanceReportHtml(report: PerformanceReport): Promise<string> {
  const render = await loadChartRenderer();
  const charted = report.series.slice(0, CHARTED_SERIES_LIMIT);
  const groups: PerformanceSeries[][] = [];
  for (let k = 0; k < charted.length; k += SERIES_PER_CHART)
    groups.push(charted.slice(k, k + SERIES_PER_CHART));
  const x = xAxisValues(report.times, report.timeName);
  /** One chart per group of ten, its heading saying which series it holds when there are several. */
  const overlaid = (
    chart: Omit<TimeSeriesChart, "series" | "x" | "area">,
    pick: (s: PerformanceSeries) => Float64Array,
    area = false,
  ) =>
    groups
      .map((group, k) =>
        timeSeriesChart(render, {
          ...chart,
          heading:
            groups.length === 1
              ? chart.heading
              : `${chart.heading}: series ${k * SERIES_PER_CHART + 1}–${k * SERIES_PER_CHART + group.length} of ${charted.length}`,
          x,
          series: group.map((s) => ({ name: s.name, values: pick(s) })),
          area: area && group.length === 1,
        }),
      )
      .join("\n");
  const window = report.rollingWindow;
  const sections: PageSection[] = [
    {
      heading: "Equity and drawdown",
      body: [
        overlaid(
          {
            kind: "equity",
            heading: "Equity curve",
            caption: "Growth of 1 invested at the start (the wealth index W, compounded from the returns).",
            unit: "ratio",
            yName: "growth of 1",
            referenceY: 1,
          },
          (s) => s.equity,
        ),
        overlaid(
          {
            kind: "underwater",
            heading: "Underwater (drawdown)",
            caption: "Fall from the running high, W / max(W) − 1.",
            unit: "percent",
            yName: "drawdown",
          },
          (s) => s.underwater,
          true,
        ),
      ].join("\n"),
    },
    {
      heading: `Rolling ${window}-bar statistics`,
      body: [
        overlaid(
          {
            kind: "rolling-sharpe",
            heading: `Rolling Sharpe ratio (${window} bars, annualised)`,
            caption: `Each point uses the last ${window} bars only; the shaded band marks the first ${window - 1}, before the window is full.`,
            unit: "ratio",
            yName: "Sharpe ratio",
            referenceY: 0,
            warmUpBars: window - 1,
          },
          (s) => s.rollingSharpe,
        ),
        overlaid(
          {
            kind: "rolling-volatility",
            heading: `Rolling volatility (${window} bars, annualised)`,
            caption: `sqrt(P) × the standard deviation of the window's returns; the shaded band marks the first ${window - 1} bars, before the window is full.`,
            unit: "percent",
            yName: "volatility",
            warmUpBars: window - 1,
          },
          (s) => s.rollingVolatility,
        ),
      ].join("\n"),
    },
    ...charted.map((s) => seriesSection(render, s)),
    { heading: "Statistics", body: tableHtml("statistics", report.statistics.head, report.statistics.rows) },
  ];
  const callouts: string[] = [];
  if (report.series.length > charted.length) {
    callouts.push(
      `The charts draw the first ${charted.length} of the ${report.series.length} series, in input order ` +
        `(${charted[0]!.name} to ${charted[charted.length - 1]!.name}); ` +
        `the statistics table at the end lists all ${report.series.length}.`,
    );
  }
  if (groups.length > 1) {
    callouts.push(
      `The ${charted.length} series are drawn ${SERIES_PER_CHART} to a chart, in input order, so that each line has a colour of its own.`,
    );
  }
  const page: HtmlPage = {
    title: report.title,
    subtitle: report.subtitle,
    callouts,
    sections,
    notes: report.notes,
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
 * The rolling window of a report when `--rolling` (risk) or
 * `--report-window` (backtest) is not given: half a
 * year of bars (pyfolio's 6-month rolling Sharpe), at least 2 and at most
 * half the series, so a short file still shows a line.
 */
export function defaultRollingWindow(periodsPerYear: number, rows: number): number {
  return Math.max(2, Math.min(Math.round(periodsPerYear / 2), Math.floor(rows / 2)));
}

/** The colours of the VaR lines, one per confidence level. */
export const VAR_LINE_COLORS = ["#e15759", "#b07aa1", "#9c755f", "#f28e2b"];
