import { wealthPath } from "../../numerics/risk/drawdowns.js";
import { makeChalk } from "../../output/color.js";
import { equityCharts } from "../../output/equityCharts.js";
import { fitReport } from "../../output/fitLines.js";
import { formatFixed } from "../../output/format.js";
import { sparkline } from "../../output/sparkline.js";
import { compactTable } from "../../output/table.js";
import { outputWidth } from "../../output/terminalWidth.js";
import { timeAxis } from "../../output/timeAxis.js";
import type { BacktestAnalysis } from "./analysis.js";
import type { BacktestOptions } from "./options.js";
import type { BacktestResult } from "./results.js";

const percent = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined ? "—" : `${formatFixed(x * 100, digits)}%`;
const ratio = (x: number | null | undefined) => (x === null || x === undefined ? "—" : formatFixed(x, 2));

const SPARK_WIDTH = 60;
/** "drawdown " before a sparkline. */
const SPARK_MARGIN = 9;

/** The headline statistics beside the benchmark's, and the equity and drawdown as sparklines. */
export function renderBacktestReport(
  analysis: BacktestAnalysis,
  result: BacktestResult,
  options: BacktestOptions,
  color: boolean,
  width: number | undefined = outputWidth(),
  lineCharts = false,
): string {
  const c = makeChalk(color);
  const { frame, run } = analysis;
  const out: string[] = [];
  out.push(
    `${c.bold("backtest")} ${options.strategy} · ${frame.source} · ${run.net.length} bars · delay ${options.delay} · ` +
      `costs ${options.costBps + options.slippageBps} bps${options.borrowBps > 0 ? ` + borrow ${options.borrowBps} bps/yr` : ""}`,
  );
  // Too wide for the terminal: the benchmark's column goes (its name shortened first).
  const table = compactTable(
    ["", "strategy", { head: analysis.benchmark.name, short: "benchmark", drop: 1 }],
    ["left", "right", "right"],
    color,
    width,
  );
  const s = result.stats;
  const b = result.benchmark.stats;
  table.push(["total return", percent(s.totalReturn, 1), percent(b.totalReturn, 1)]);
  table.push(["CAGR", percent(s.cagr), percent(b.cagr)]);
  table.push(["volatility", percent(s.volatility), percent(b.volatility)]);
  table.push(["Sharpe", ratio(s.sharpe), ratio(b.sharpe)]);
  table.push(["Sortino", ratio(s.sortino), ratio(b.sortino)]);
  table.push([
    "max drawdown",
    c.red(percent(s.maxDrawdown?.depth ?? 0, 1)),
    c.red(percent(b.maxDrawdown?.depth ?? 0, 1)),
  ]);
  table.push(["turnover (annual)", ratio(result.turnover), "—"]);
  table.push(["costs (sum)", percent(result.costs), "—"]);
  table.push([
    "exposure gross / net",
    `${ratio(result.exposure.gross)} / ${ratio(result.exposure.net)}`,
    "—",
  ]);
  table.push([
    "trades",
    `${result.trades.count}${result.trades.hitRate === null ? "" : `, ${percent(result.trades.hitRate, 0)} won`}`,
    "—",
  ]);
  out.push(table.toString());
  const under = new Float64Array(run.equity.length);
  let high = 1;
  for (let i = 0; i < run.equity.length; i++) {
    high = Math.max(high, run.equity[i]!);
    under[i] = run.equity[i]! / high - 1;
  }
  const spark = width === undefined ? SPARK_WIDTH : Math.max(10, Math.min(SPARK_WIDTH, width - SPARK_MARGIN));
  out.push(
    c.dim("equity: growth of 1 · drawdown: below its running high · ▁ lowest to █ highest of each line"),
  );
  out.push(`equity   ${c.green(sparkline(run.equity, spark))}`);
  out.push(`drawdown ${c.red(sparkline(under, spark))}`);
  const bars = run.equity.length;
  if (bars > 0) {
    const axis = timeAxis(analysis.barTimes.at(0), analysis.barTimes.at(bars - 1), Math.min(spark, bars));
    out.push(c.dim(`${" ".repeat(SPARK_MARGIN)}${axis}`));
  }
  if (lineCharts && bars > 0) {
    const benchmarkLog = new Float64Array(bars);
    const benchmarkUnder = new Float64Array(bars);
    wealthPath(analysis.benchmark.net, "simple", benchmarkLog, benchmarkUnder);
    const time = {
      first: analysis.barTimes.at(0),
      middle: analysis.barTimes.at(Math.floor(bars / 2)),
      last: analysis.barTimes.at(bars - 1),
    };
    out.push(
      ...equityCharts(
        [
          { name: "strategy", equity: run.equity, underwater: under },
          { name: analysis.benchmark.name, equity: benchmarkLog.map(Math.exp), underwater: benchmarkUnder },
        ],
        time,
        c,
        width,
      ),
    );
  }
  return fitReport(out, width);
}
