import type { RunContext } from "../../context.js";
import type { Frame } from "../../io/frame.js";
import type { OutputColumn } from "../../io/outputColumn.js";
import { type RollingRiskOutput, rollingRisk } from "../../numerics/risk/rollingRisk.js";
import { symbolJsonBytes, type TimeJsonBytes } from "../../output/rollingRiskRows.js";
import { timeTextBytes } from "../../output/timeBytes.js";
import type { AnalysedRisk, RiskAnalysis } from "./analysis.js";
import type { RiskOptions } from "./options.js";

/**
 * `risk --rolling N`: per bar and series {time, symbol, return, volatility,
 * sharpe, drawdown, beta} over the last N bars, as NDJSON or a table. Rows
 * are grouped by series (in input order, the portfolio last), in time
 * order within each, so one series' arrays are in memory at a time.
 */

export const ROLLING_COLUMNS = ["symbol", "return", "volatility", "sharpe", "drawdown", "beta"];

function rollingArrays(n: number, withBeta: boolean): RollingRiskOutput {
  return {
    windowReturn: new Float64Array(n),
    volatility: new Float64Array(n),
    sharpe: new Float64Array(n),
    drawdown: new Float64Array(n),
    beta: withBeta ? new Float64Array(n) : null,
  };
}

function computeRolling(
  series: AnalysedRisk,
  analysis: RiskAnalysis,
  options: RiskOptions,
  out: RollingRiskOutput,
) {
  const { settings } = analysis;
  rollingRisk(
    series.returns,
    analysis.benchmarkReturns,
    {
      window: options.rolling!,
      periodsPerYear: settings.periodsPerYear,
      riskFreePerPeriod: settings.conventions.perPeriodRate(settings.riskFree, settings.periodsPerYear),
      kind: settings.kind,
    },
    out,
  );
}

/** The time stamps as JSON strings, UTF-8, in shared memory: made once for every series. */
function timeJsonBytes(frame: Frame): TimeJsonBytes {
  return timeTextBytes(frame.time.length, (row) => frame.time.at(row), JSON.stringify, true);
}

export async function writeRollingNdjson(
  frame: Frame,
  analysis: RiskAnalysis,
  options: RiskOptions,
  context: RunContext,
): Promise<void> {
  const n = frame.time.length;
  const withBeta = analysis.benchmarkReturns !== null;
  const { writeRollingRowsInOrder } = await import("../../parallel/rowsPool.js");
  await writeRollingRowsInOrder(
    {
      count: analysis.series.length,
      rows: n,
      withBeta,
      symbol: (k) => symbolJsonBytes(analysis.series[k]!.symbol),
      fill: (k, out) => computeRolling(analysis.series[k]!, analysis, options, out),
    },
    timeJsonBytes(frame),
    // Resolves once the stream is done with the chunk: its memory is a slot the next chunks reuse.
    (chunk) =>
      new Promise<void>((resolve, reject) => {
        context.stdout.writeBytes(chunk, resolve).catch(reject);
      }),
  );
}

export async function writeRollingFile(
  path: string,
  frame: Frame,
  analysis: RiskAnalysis,
  options: RiskOptions,
): Promise<void> {
  const { writeTable } = await import("../../io/write.js");
  const n = frame.time.length;
  const count = analysis.series.length;
  const total = n * count;
  const times = frame.time.toArray();
  const time: string[] = new Array(total);
  const symbol: string[] = new Array(total);
  const values = ROLLING_COLUMNS.slice(1).map(() => new Float64Array(total));
  const withBeta = analysis.benchmarkReturns !== null;
  const arrays = rollingArrays(n, withBeta);
  analysis.series.forEach((series, s) => {
    computeRolling(series, analysis, options, arrays);
    const base = s * n;
    for (let i = 0; i < n; i++) {
      time[base + i] = times[i]!;
      symbol[base + i] = series.symbol;
    }
    values[0]!.set(arrays.windowReturn, base);
    values[1]!.set(arrays.volatility, base);
    values[2]!.set(arrays.sharpe, base);
    values[3]!.set(arrays.drawdown, base);
    if (withBeta) values[4]!.set(arrays.beta!, base);
    else values[4]!.fill(Number.NaN, base, base + n);
  });
  const columns: OutputColumn[] = [
    { name: frame.timeName, values: time },
    { name: "symbol", values: symbol },
    ...ROLLING_COLUMNS.slice(1).map((name, k) => ({ name, values: values[k]! })),
  ];
  await writeTable(path, columns);
}
