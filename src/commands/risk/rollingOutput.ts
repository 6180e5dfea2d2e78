import type { RunContext } from "../../context.js";
import type { Frame } from "../../io/frame.js";
import type { OutputColumn } from "../../io/outputColumn.js";
import { type RollingRiskOutput, rollingRisk } from "../../numerics/risk/rollingRisk.js";
import { AsciiPiece, NdjsonBytes } from "../../output/ndjsonBytes.js";
import { SHORTEST_DECIMAL_WORD_BYTES } from "../../output/shortestDecimal.js";
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

/** The time stamps as JSON strings, made once for every series. */
function timeJson(frame: Frame): string[] {
  const out = frame.time.toArray();
  for (let i = 0; i < out.length; i++) out[i] = JSON.stringify(out[i]);
  return out;
}

export async function writeRollingNdjson(
  frame: Frame,
  analysis: RiskAnalysis,
  options: RiskOptions,
  context: RunContext,
): Promise<void> {
  const n = frame.time.length;
  const times = timeJson(frame);
  const ascii = times.every((t) => AsciiPiece.of(t) !== null);
  const withBeta = analysis.benchmarkReturns !== null;
  const arrays = rollingArrays(n, withBeta);
  const bytes = new NdjsonBytes();
  const timeKey = AsciiPiece.of('{"time":')!;
  const keys = ["return", "volatility", "sharpe", "drawdown"].map((key) => AsciiPiece.of(`,"${key}":`)!);
  const betaKey = AsciiPiece.of(',"beta":')!;
  const rowEnd = withBeta ? "}\n" : ',"beta":null}\n';
  const end = AsciiPiece.of(rowEnd)!;
  const flushBytes = 1 << 20;
  for (const series of analysis.series) {
    computeRolling(series, analysis, options, arrays);
    const symbolText = `,"symbol":${JSON.stringify(series.symbol)}`;
    const symbolPiece = AsciiPiece.of(symbolText);
    const columns = [arrays.windowReturn, arrays.volatility, arrays.sharpe, arrays.drawdown];
    for (let i = 0; i < n; i++) {
      const time = times[i]!;
      bytes.reserve(time.length * 3 + symbolText.length * 3 + 5 * SHORTEST_DECIMAL_WORD_BYTES + 96);
      bytes.piece(timeKey);
      if (ascii) bytes.ascii(time);
      else bytes.text(time);
      if (symbolPiece !== null) bytes.piece(symbolPiece);
      else bytes.text(symbolText);
      for (let k = 0; k < 4; k++) {
        bytes.piece(keys[k]!);
        bytes.number(columns[k]![i]!);
      }
      if (withBeta) {
        bytes.piece(betaKey);
        bytes.number(arrays.beta![i]!);
      }
      bytes.piece(end);
      if (bytes.byteLength >= flushBytes) {
        const chunk = bytes.take();
        await context.stdout.writeBytes(chunk, () => bytes.recycle(chunk));
      }
    }
  }
  const chunk = bytes.take();
  if (chunk.length > 0) await context.stdout.writeBytes(chunk);
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
