import { wealthPath } from "../../numerics/risk/drawdowns.js";
import { compoundByPeriod } from "../../numerics/risk/calendar.js";
import { rollingRisk } from "../../numerics/risk/rollingRisk.js";
import { formatValue } from "../../output/html/chartStyle.js";
import {
  defaultRollingWindow,
  type PerformanceSeries,
  performanceReportHtml,
  VAR_LINE_COLORS,
} from "../../output/html/performanceReport.js";
import { calendarKeys } from "../risk/analysis.js";
import type { BacktestAnalysis } from "./analysis.js";
import type { BacktestOptions } from "./options.js";
import type { BacktestResult } from "./results.js";

/**
 * `backtest --report`: the strategy's tear sheet beside its benchmark's,
 * from the run the JSON reports: the engine's equity (what --ndjson prints),
 * its drawdown as --out writes it, the statistics and VaR of the result,
 * the rolling metrics by `risk --rolling`'s kernel, the months compounded
 * by `risk`'s calendar.
 */
export async function backtestReportHtml(
  analysis: BacktestAnalysis,
  result: BacktestResult,
  options: BacktestOptions,
  version: string,
): Promise<string> {
  const { run, frame } = analysis;
  const n = run.net.length;
  const window = options.reportWindow ?? defaultRollingWindow(options.periodsPerYear, n);
  const months = calendarKeys(analysis.barTimes);
  const strategyEquity = run.equity;
  const strategyUnderwater = new Float64Array(n);
  let high = 1;
  for (let i = 0; i < n; i++) {
    high = Math.max(high, strategyEquity[i]!);
    strategyUnderwater[i] = strategyEquity[i]! / high - 1;
  }
  const benchmarkLog = new Float64Array(n);
  const benchmarkUnderwater = new Float64Array(n);
  wealthPath(analysis.benchmark.net, "simple", benchmarkLog, benchmarkUnderwater);
  const seriesOf = (
    name: string,
    returns: Float64Array,
    equity: Float64Array,
    underwater: Float64Array,
    stats: BacktestResult["stats"],
  ): PerformanceSeries => {
    const rolling = {
      windowReturn: new Float64Array(n),
      volatility: new Float64Array(n),
      sharpe: new Float64Array(n),
      drawdown: new Float64Array(n),
      beta: null,
    };
    rollingRisk(
      returns,
      null,
      { window, periodsPerYear: options.periodsPerYear, riskFreePerPeriod: 0, kind: "simple" },
      rolling,
    );
    return {
      name,
      returns,
      equity,
      underwater,
      rollingSharpe: rolling.sharpe,
      rollingVolatility: rolling.volatility,
      monthly:
        months === null
          ? null
          : compoundByPeriod(returns, months, "simple").map(({ key, return: r }) => ({
              year: Math.floor(key / 12),
              month: (key % 12) + 1,
              return: Number.isFinite(r) ? r : null,
            })),
      varLines: Object.entries(stats.var.historical).flatMap(([level, value], j) =>
        value === null
          ? []
          : [
              {
                label: `VaR ${Number((Number(level) * 100).toPrecision(6))}%: ${formatValue(value, "percent", 2)}`,
                at: -value,
                color: VAR_LINE_COLORS[j % VAR_LINE_COLORS.length]!,
              },
            ],
      ),
    };
  };
  const series = [
    seriesOf(`strategy (${options.strategy})`, run.net, strategyEquity, strategyUnderwater, result.stats),
    seriesOf(
      `benchmark (${result.benchmark.name})`,
      analysis.benchmark.net,
      benchmarkLog.map(Math.exp),
      benchmarkUnderwater,
      result.benchmark.stats,
    ),
  ];
  const pct = (x: number | null) => formatValue(x, "percent", 2);
  const num = (x: number | null) => formatValue(x, "ratio", 2);
  const statsRow = (name: string, s: BacktestResult["stats"]) => [
    name,
    pct(s.totalReturn),
    pct(s.cagr),
    pct(s.volatility),
    num(s.sharpe),
    num(s.sortino),
    num(s.calmar),
    pct(s.maxDrawdown?.depth ?? null),
    pct(s.var.historical["0.95"] ?? null),
    pct(s.es.historical["0.95"] ?? null),
    pct(s.var.historical["0.99"] ?? null),
    pct(s.es.historical["0.99"] ?? null),
  ];
  return performanceReportHtml({
    title: `backtest: ${options.strategy} on ${frame.source}`,
    subtitle: [
      `${n} bars, ${analysis.barTimes.at(0)} to ${analysis.barTimes.at(n - 1)}, ${options.periodsPerYear} periods a year; ` +
        `costs ${options.costBps} bps + slippage ${options.slippageBps} bps, delay ${options.delay} bar${options.delay === 1 ? "" : "s"}`,
      `turnover ${num(result.turnover)} a year, total costs ${pct(result.costs)}, gross exposure ${num(result.exposure.gross)}, ` +
        `${result.trades.count} trades${result.trades.hitRate === null ? "" : `, hit rate ${pct(result.trades.hitRate)}`}`,
    ],
    generator: `hftlab ${version}`,
    times: analysis.barTimes.toArray(),
    timeName: frame.timeName,
    rollingWindow: window,
    series,
    statistics: {
      head: [
        "series",
        "total",
        "CAGR",
        "volatility",
        "Sharpe",
        "Sortino",
        "Calmar",
        "max drawdown",
        "VaR 0.95",
        "ES 0.95",
        "VaR 0.99",
        "ES 0.99",
      ],
      rows: [statsRow(series[0]!.name, result.stats), statsRow(series[1]!.name, result.benchmark.stats)],
    },
    notes: [
      "Returns are net of costs, per bar; the benchmark holds its weights bought at the first bar and lets them drift.",
      "VaR lines are the historical VaR (numpy's linear quantile) at 95 % and 99 %, one period ahead.",
      "Long series are drawn from a min/max decimation per pixel column: every spike is kept.",
    ],
  });
}
