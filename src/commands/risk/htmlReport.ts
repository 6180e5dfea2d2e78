import type { Frame } from "../../io/frame.js";
import { wealthPath } from "../../numerics/risk/drawdowns.js";
import { rollingRisk } from "../../numerics/risk/rollingRisk.js";
import { formatValue } from "../../output/html/chartStyle.js";
import {
  defaultRollingWindow,
  type PerformanceSeries,
  performanceReportHtml,
  VAR_LINE_COLORS,
} from "../../output/html/performanceReport.js";
import type { RiskAnalysis } from "./analysis.js";
import type { RiskOptions } from "./options.js";
import { levelKey, type RiskResult } from "./results.js";

/**
 * `risk --report`: the tear sheet of every series, drawn from the analysis
 * the JSON is made of: the wealth index and drawdown by the same
 * `wealthPath` as the terminal sparklines, the rolling metrics by the
 * `rollingRisk` of `--rolling`, the calendar and the VaR from the result.
 */
export async function riskReportHtml(
  frame: Frame,
  analysis: RiskAnalysis,
  result: RiskResult,
  options: RiskOptions,
  version: string,
): Promise<string> {
  const n = frame.time.length;
  const window = options.rolling ?? defaultRollingWindow(options.periodsPerYear, n);
  const { settings } = analysis;
  const lossSign = settings.conventions.lossSign;
  const series = analysis.series.map((analysed, k): PerformanceSeries => {
    const json = result.series[k]!;
    const logWealth = new Float64Array(n);
    const underwater = new Float64Array(n);
    wealthPath(analysed.returns, options.returns, logWealth, underwater);
    const rolling = {
      windowReturn: new Float64Array(n),
      volatility: new Float64Array(n),
      sharpe: new Float64Array(n),
      drawdown: new Float64Array(n),
      beta: null,
    };
    rollingRisk(
      analysed.returns,
      null,
      {
        window,
        periodsPerYear: settings.periodsPerYear,
        riskFreePerPeriod: settings.conventions.perPeriodRate(settings.riskFree, settings.periodsPerYear),
        kind: settings.kind,
      },
      rolling,
    );
    return {
      name: analysed.symbol,
      returns: analysed.returns,
      equity: logWealth.map(Math.exp),
      underwater,
      rollingSharpe: rolling.sharpe,
      rollingVolatility: rolling.volatility,
      monthly: json.calendar,
      varLines: options.confidence.flatMap((level, j) => {
        const value = json.var.historical[levelKey(level)];
        if (value === null || value === undefined) return [];
        // A loss fraction (hftlab) or a return (lossSign −1): the line sits at the return.
        const at = -lossSign * value;
        return [
          {
            label: `VaR ${Number((level * 100).toPrecision(6))}%: ${formatValue(-at, "percent", 2)}`,
            at,
            color: VAR_LINE_COLORS[j % VAR_LINE_COLORS.length]!,
          },
        ];
      }),
    };
  });
  return performanceReportHtml({
    title: `risk: ${frame.source}`,
    subtitle: [
      `${n} ${options.returns} returns, ${frame.time.at(0)} to ${frame.time.at(n - 1)}, ${options.periodsPerYear} periods a year` +
        (options.compat === "hftlab" ? "" : `, ${options.compat} conventions`) +
        (analysis.benchmarkSymbol === null ? "" : `, benchmark ${analysis.benchmarkSymbol}`),
    ],
    generator: `hftlab ${version}`,
    times: frame.time.toArray(),
    timeName: frame.timeName,
    rollingWindow: window,
    series,
    statistics: statisticsTable(result, options),
    notes: [
      "VaR lines are the historical VaR (numpy's linear quantile) at each --confidence level, one period ahead.",
      "Long series are drawn from a min/max decimation per pixel column: every spike is kept.",
    ],
  });
}

function statisticsTable(result: RiskResult, options: RiskOptions): { head: string[]; rows: string[][] } {
  const levels = options.confidence.map(levelKey);
  const benchmark = result.series.some((s) => s.benchmark !== null);
  const head = [
    "series",
    "total",
    "CAGR",
    "volatility",
    "Sharpe",
    "Sortino",
    "Calmar",
    "max drawdown",
    ...levels.flatMap((l) => [`VaR ${l}`, `ES ${l}`]),
    ...(benchmark ? ["beta", "alpha", "info. ratio"] : []),
  ];
  const pct = (x: number | null) => formatValue(x, "percent", 2);
  const num = (x: number | null) => formatValue(x, "ratio", 2);
  const rows = result.series.map((s) => [
    s.symbol,
    pct(s.totalReturn),
    pct(s.cagr),
    pct(s.volatility),
    num(s.sharpe),
    num(s.sortino),
    num(s.calmar),
    pct(s.maxDrawdown?.depth ?? null),
    ...levels.flatMap((l) => [pct(s.var.historical[l] ?? null), pct(s.es.historical[l] ?? null)]),
    ...(benchmark
      ? [
          num(s.benchmark?.beta ?? null),
          pct(s.benchmark?.alpha ?? null),
          num(s.benchmark?.informationRatio ?? null),
        ]
      : []),
  ]);
  return { head, rows };
}
