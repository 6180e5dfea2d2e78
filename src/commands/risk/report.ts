import type { Frame } from "../../io/frame.js";
import { wealthPath } from "../../numerics/risk/drawdowns.js";
import { makeChalk } from "../../output/color.js";
import { formatFixed, formatNumber } from "../../output/format.js";
import { sparkline } from "../../output/sparkline.js";
import { compactTable } from "../../output/table.js";
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
  const summary = compactTable(
    ["series", "total", "CAGR", "vol", "Sharpe", "Sortino", "Calmar", "max DD", "wealth", "drawdown"],
    ["left", "right", "right", "right", "right", "right", "right", "right", "left", "left"],
    color,
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
  out.push(summary.toString());

  const levels = options.confidence.map(levelKey);
  const varTable = compactTable(
    ["series", ...levels.flatMap((l) => [`VaR ${l}`, `ES ${l}`]), "method"],
    ["left", ...levels.flatMap(() => ["right", "right"] as const), "left"],
    color,
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
    ["series", "ann. return", "omega", "tail ratio", "skew", "ex. kurtosis", "PSR"],
    ["left", "right", "right", "right", "right", "right", "right"],
    color,
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
    ["series", "depth", "peak", "trough", "recovery", "bars", "to recover"],
    ["left", "right", "left", "left", "left", "right", "right"],
    color,
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
      ["year", ...shown.map((s) => s.symbol)],
      ["left", ...shown.map(() => "right" as const)],
      color,
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
      ["series", "beta", "alpha", "corr", "tracking err", "info ratio", "up capture", "down capture"],
      ["left", "right", "right", "right", "right", "right", "right", "right"],
      color,
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
      ["series", "method", "level", "exceed", "expected", "Kupiec p", "indep. p", "cond. cov. p"],
      ["left", "left", "right", "right", "right", "right", "right", "right"],
      color,
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
  return `${out.join("\n")}\n`;
}
