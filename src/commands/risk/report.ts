import type { Frame } from "../../io/frame.js";
import { wealthPath } from "../../numerics/risk/drawdowns.js";
import { makeChalk } from "../../output/color.js";
import { equityCharts } from "../../output/equityCharts.js";
import { fitReport } from "../../output/fitLines.js";
import { formatFixed, formatNumber } from "../../output/format.js";
import { sparkline } from "../../output/sparkline.js";
import { type CompactTable, compactTable } from "../../output/table.js";
import { outputWidth } from "../../output/terminalWidth.js";
import { timeAxis } from "../../output/timeAxis.js";
import type { RiskAnalysis } from "./analysis.js";
import type { RiskOptions } from "./options.js";
import { levelKey, type RiskResult } from "./results.js";

const SPARK_WIDTH = 24;

function percent(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? "—" : `${formatFixed(x * 100, digits)}%`;
}

function ratio(x: number | null | undefined): string {
  return x === null || x === undefined ? "—" : formatFixed(x, 2);
}

/**
 * The human report: one row per series (returns, ratios, the deepest
 * drawdown, sparklines of the wealth index and the drawdown), VaR and ES by
 * method, the drawdown episodes of a single series, the benchmark's
 * measures and the VaR backtest when asked for.
 */
export function renderRiskReport(
  frame: Frame,
  analysis: RiskAnalysis,
  result: RiskResult,
  options: RiskOptions,
  color: boolean,
  width: number | undefined = outputWidth(),
  lineCharts = false,
): string {
  const c = makeChalk(color);
  const rows = frame.time.length;
  const out: string[] = [];
  out.push(
    `${c.bold("risk")} · ${frame.source} · ${rows} returns (${options.returns}) · ${frame.time.at(0)} → ${frame.time.at(rows - 1)} · ` +
      `P ${options.periodsPerYear}${options.riskFree !== 0 ? ` · rf ${options.riskFree}` : ""}` +
      `${options.compat !== "hftlab" ? ` · ${options.compat} conventions` : ""}` +
      (frame.droppedRows > 0 ? ` · ${frame.droppedRows} rows dropped` : ""),
  );
  // Each table, too wide for the terminal, drops its columns in the `drop` order stated here.
  const summary = compactTable(
    [
      "series",
      { head: "total", drop: 5 },
      { head: "CAGR", drop: 6 },
      { head: "vol", drop: 9 },
      { head: "Sharpe", drop: 8 },
      { head: "Sortino", drop: 4 },
      { head: "Calmar", drop: 3 },
      { head: "max DD", drop: 7 },
      { head: "wealth", drop: 2 },
      { head: "drawdown", drop: 1 },
    ],
    ["left", "right", "right", "right", "right", "right", "right", "right", "left", "left"],
    color,
    width,
  );
  const logWealth = new Float64Array(rows);
  const underwater = new Float64Array(rows);
  analysis.series.forEach((series, k) => {
    const s = result.series[k]!;
    wealthPath(series.returns, options.returns, logWealth, underwater);
    const cagr = s.cagr ?? 0;
    summary.push([
      series.symbol,
      percent(s.totalReturn, 1),
      cagr < 0 ? c.red(percent(s.cagr)) : percent(s.cagr),
      percent(s.volatility),
      ratio(s.sharpe),
      ratio(s.sortino),
      ratio(s.calmar),
      c.red(percent(s.maxDrawdown?.depth ?? 0, 1)),
      c.green(sparkline(logWealth, SPARK_WIDTH)),
      c.red(sparkline(underwater, SPARK_WIDTH)),
    ]);
  });
  const { table: summaryTable, footer: hidden } = summary.render();
  out.push(summaryTable, ...sparklineAxis(summary, frame, c), ...(hidden === "" ? [] : [hidden]));
  if (lineCharts) out.push(...riskCharts(frame, analysis, options, c, width));

  const levels = options.confidence.map(levelKey);
  // ES from the highest level down, then VaR likewise; the first level's VaR and the method stay.
  const varTable = compactTable(
    [
      "series",
      ...levels.flatMap((l, k) => [
        k === 0 ? `VaR ${l}` : { head: `VaR ${l}`, drop: 2 * levels.length - k },
        { head: `ES ${l}`, drop: levels.length - k },
      ]),
      "method",
    ],
    ["left", ...levels.flatMap(() => ["right", "right"] as const), "left"],
    color,
    width,
  );
  for (const s of result.series) {
    (["historical", "gaussian", "cornishFisher", "ewma"] as const).forEach((method, m) => {
      varTable.push([
        m === 0 ? s.symbol : "",
        ...levels.flatMap((l) => [percent(s.var[method][l]), percent(s.es[method][l])]),
        c.dim(method),
      ]);
    });
  }
  out.push(`${c.bold("Value at risk")} (one period, loss as a positive fraction)`);
  out.push(varTable.toString());

  const moments = compactTable(
    [
      "series",
      { head: "ann. return", short: "return", drop: 6 },
      { head: "omega", drop: 2 },
      { head: "tail ratio", short: "tail", drop: 1 },
      { head: "skew", drop: 4 },
      { head: "ex. kurtosis", short: "ex. kurt.", drop: 3 },
      { head: "PSR", drop: 5 },
    ],
    ["left", "right", "right", "right", "right", "right", "right"],
    color,
    width,
  );
  for (const s of result.series) {
    moments.push([
      s.symbol,
      percent(s.annualReturn),
      ratio(s.omega),
      ratio(s.tailRatio),
      formatNumber(s.skew, 3),
      formatNumber(s.kurtosis, 3),
      percent(s.probabilisticSharpe, 1),
    ]);
  }
  out.push(moments.toString());

  const drawdowns = compactTable(
    [
      "series",
      "depth",
      { head: "peak", drop: 3 },
      { head: "trough", drop: 4 },
      { head: "recovery", drop: 5 },
      { head: "bars", drop: 2 },
      { head: "to recover", drop: 1 },
    ],
    ["left", "right", "left", "left", "left", "right", "right"],
    color,
    width,
  );
  for (const s of result.series) {
    const episodes = result.series.length === 1 ? s.drawdowns : s.drawdowns.slice(0, 1);
    episodes.forEach((d, k) => {
      drawdowns.push([
        k === 0 ? s.symbol : "",
        c.red(percent(d.depth, 1)),
        d.peak ?? "start",
        d.trough ?? "start",
        d.recovery ?? c.yellow("open"),
        String(d.bars),
        d.recoveryBars === null ? "—" : String(d.recoveryBars),
      ]);
    });
  }
  out.push(`${c.bold(result.series.length === 1 ? "Deepest drawdowns" : "Deepest drawdown")}`);
  out.push(drawdowns.toString());

  const dated = result.series.filter((s) => s.years !== null);
  if (dated.length > 0) {
    // Years down, series across (the first eight): the table a desk reads first.
    const shown = dated.slice(0, 8);
    const years = [...new Set(shown.flatMap((s) => s.years!.map((y) => y.year)))].sort((a, b) => a - b);
    const table = compactTable(
      ["year", ...shown.map((s, k) => ({ head: s.symbol, drop: shown.length - k }))],
      ["left", ...shown.map(() => "right" as const)],
      color,
      width,
    );
    for (const year of years) {
      table.push([
        String(year),
        ...shown.map((s) => {
          const r = s.years!.find((y) => y.year === year)?.return ?? null;
          return r === null ? "—" : r < 0 ? c.red(percent(r, 1)) : percent(r, 1);
        }),
      ]);
    }
    out.push(`${c.bold("Calendar years")} (compounded; monthly returns in --json's calendar)`);
    out.push(table.toString());
  }

  if (analysis.benchmarkSymbol !== null) {
    const table = compactTable(
      [
        "series",
        { head: "beta", drop: 7 },
        { head: "alpha", drop: 6 },
        { head: "corr", drop: 5 },
        { head: "tracking err", short: "TE", drop: 4 },
        { head: "info ratio", short: "IR", drop: 3 },
        { head: "up capture", short: "up cap.", drop: 2 },
        { head: "down capture", short: "down cap.", drop: 1 },
      ],
      ["left", "right", "right", "right", "right", "right", "right", "right"],
      color,
      width,
    );
    for (const s of result.series) {
      const b = s.benchmark!;
      table.push([
        s.symbol,
        ratio(b.beta),
        percent(b.alpha),
        ratio(b.correlation),
        percent(b.trackingError),
        ratio(b.informationRatio),
        ratio(b.upCapture),
        ratio(b.downCapture),
      ]);
    }
    out.push(`${c.bold("Against")} ${analysis.benchmarkSymbol}`);
    out.push(table.toString());
  }

  if (options.varBacktest !== undefined) {
    const table = compactTable(
      [
        "series",
        "method",
        "level",
        { head: "exceed", drop: 4 },
        { head: "expected", drop: 1 },
        { head: "Kupiec p", drop: 5 },
        { head: "indep. p", drop: 2 },
        { head: "cond. cov. p", short: "cond. p", drop: 3 },
      ],
      ["left", "left", "right", "right", "right", "right", "right", "right"],
      color,
      width,
    );
    for (const s of result.series) {
      const backtest = s.varBacktest!;
      for (const method of ["historical", "gaussian", "cornishFisher", "ewma"] as const) {
        for (const level of levels) {
          const t = backtest.methods[method][level]!;
          const p = (x: number | null) =>
            x === null ? "—" : x < 0.05 ? c.red(formatFixed(x, 3)) : formatFixed(x, 3);
          table.push([
            s.symbol,
            method,
            level,
            String(t.exceedances),
            formatFixed(t.expected, 1),
            p(t.kupiec.pValue),
            p(t.independence.pValue),
            p(t.conditionalCoverage.pValue),
          ]);
        }
      }
    }
    out.push(`${c.bold("VaR backtest")} (${options.varBacktest}-bar windows, out of sample)`);
    out.push(table.toString());
  }
  return fitReport(out, width);
}

/**
 * Under the summary's wealth and drawdown sparklines, the time axis of each
 * (lined up with its column) and what they show; nothing when both are hidden.
 */
/** On a terminal: the wealth index and drawdown of each series as line charts (the sparklines' numbers, drawn larger). */
function riskCharts(
  frame: Frame,
  analysis: RiskAnalysis,
  options: RiskOptions,
  c: ReturnType<typeof makeChalk>,
  width: number | undefined,
): string[] {
  const rows = frame.time.length;
  const series = analysis.series.map((s) => {
    const logWealth = new Float64Array(rows);
    const underwater = new Float64Array(rows);
    wealthPath(s.returns, options.returns, logWealth, underwater);
    return { name: s.symbol, equity: logWealth.map(Math.exp), underwater };
  });
  const time = {
    first: frame.time.at(0),
    middle: frame.time.at(Math.floor(rows / 2)),
    last: frame.time.at(rows - 1),
  };
  return equityCharts(series, time, c, width);
}

function sparklineAxis(summary: CompactTable, frame: Frame, c: ReturnType<typeof makeChalk>): string[] {
  const rows = frame.time.length;
  const meaning = { wealth: "wealth: growth of 1, log scale", drawdown: "drawdown: below the running high" };
  let axes = "";
  const legend: string[] = [];
  for (const head of ["wealth", "drawdown"] as const) {
    const at = summary.columnAt(head);
    if (at === undefined) continue;
    axes = `${axes.padEnd(at.start)}${timeAxis(frame.time.at(0), frame.time.at(rows - 1), Math.min(at.width, SPARK_WIDTH))}`;
    legend.push(meaning[head]);
  }
  if (legend.length === 0) return [];
  return [c.dim(axes), c.dim(`${legend.join(" · ")} · ▁ lowest to █ highest of each line`)];
}
