import { makeChalk } from "../../output/color.js";
import { formatFixed } from "../../output/format.js";
import { sparkline } from "../../output/sparkline.js";
import { compactTable } from "../../output/table.js";
import type { BacktestAnalysis } from "./analysis.js";
import type { BacktestOptions } from "./options.js";
import type { BacktestResult } from "./results.js";

const percent = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined ? "—" : `${formatFixed(x * 100, digits)}%`;
const ratio = (x: number | null | undefined) => (x === null || x === undefined ? "—" : formatFixed(x, 2));

/** The headline statistics beside the benchmark's, and the equity and drawdown as sparklines. */
export function renderBacktestReport(
  analysis: BacktestAnalysis,
  result: BacktestResult,
  options: BacktestOptions,
  color: boolean,
): string {
  const c = makeChalk(color);
  const { frame, run } = analysis;
  const out: string[] = [];
  out.push(
    `${c.bold("backtest")} ${options.strategy} · ${frame.source} · ${run.net.length} bars · delay ${options.delay} · ` +
      `costs ${options.costBps + options.slippageBps} bps${options.borrowBps > 0 ? ` + borrow ${options.borrowBps} bps/yr` : ""}`,
  );
  const table = compactTable(["", "strategy", analysis.benchmark.name], ["left", "right", "right"], color);
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
  out.push(`equity   ${c.green(sparkline(run.equity, 60))}`);
  out.push(`drawdown ${c.red(sparkline(under, 60))}`);
  return `${out.join("\n")}\n`;
}
