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

/** The time stamps as JSON strings, UTF-8, one after another: made once for every series. */
function timeJsonBytes(frame: Frame): { bytes: Buffer; ends: Int32Array } {
  const n = frame.time.length;
  const texts = frame.time.toArray();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const text = JSON.stringify(texts[i]!);
    texts[i] = text;
    total += Buffer.byteLength(text);
  }
  const bytes = Buffer.allocUnsafe(total);
  const ends = new Int32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    at += bytes.write(texts[i]!, at);
    ends[i] = at;
  }
  return { bytes, ends };
}

const TIME_KEY = AsciiPiece.of('{"time":')!;
const VALUE_KEYS = ["return", "volatility", "sharpe", "drawdown"].map((key) => AsciiPiece.of(`,"${key}":`)!);
const BETA_KEY = AsciiPiece.of(',"beta":')!;
const ROW_END = AsciiPiece.of("}\n")!;
const NULL_BETA_ROW_END = AsciiPiece.of(',"beta":null}\n')!;

/** One series' rolling rows as NDJSON bytes; synchronous, so the formatting loop stays optimised. */
class RollingRows {
  private readonly symbol: Buffer;
  private readonly columns: Float64Array[];
  private readonly room: number;

  constructor(
    private readonly times: { bytes: Buffer; ends: Int32Array },
    symbol: string,
    private readonly arrays: RollingRiskOutput,
  ) {
    this.symbol = Buffer.from(`,"symbol":${JSON.stringify(symbol)}`);
    this.columns = [arrays.windowReturn, arrays.volatility, arrays.sharpe, arrays.drawdown];
    this.room = this.symbol.length + 5 * SHORTEST_DECIMAL_WORD_BYTES + 96;
  }

  /** Formats rows from `from` on until `limit` bytes are buffered or the rows end; returns the next row. */
  format(bytes: NdjsonBytes, from: number, limit: number): number {
    const { bytes: timeBytes, ends } = this.times;
    const n = ends.length;
    const [returns, volatility, sharpe, drawdown] = this.columns as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    const beta = this.arrays.beta;
    const symbol = this.symbol;
    let timeStart = from === 0 ? 0 : ends[from - 1]!;
    let i = from;
    for (; i < n && bytes.byteLength < limit; i++) {
      const timeEnd = ends[i]!;
      bytes.reserve(timeEnd - timeStart + this.room);
      bytes.piece(TIME_KEY);
      bytes.copy(timeBytes, timeStart, timeEnd);
      timeStart = timeEnd;
      bytes.copy(symbol, 0, symbol.length);
      bytes.piece(VALUE_KEYS[0]!);
      bytes.number(returns[i]!);
      bytes.piece(VALUE_KEYS[1]!);
      bytes.number(volatility[i]!);
      bytes.piece(VALUE_KEYS[2]!);
      bytes.number(sharpe[i]!);
      bytes.piece(VALUE_KEYS[3]!);
      bytes.number(drawdown[i]!);
      if (beta !== null) {
        bytes.piece(BETA_KEY);
        bytes.number(beta[i]!);
        bytes.piece(ROW_END);
      } else bytes.piece(NULL_BETA_ROW_END);
    }
    return i;
  }
}

export async function writeRollingNdjson(
  frame: Frame,
  analysis: RiskAnalysis,
  options: RiskOptions,
  context: RunContext,
): Promise<void> {
  const n = frame.time.length;
  const times = timeJsonBytes(frame);
  const withBeta = analysis.benchmarkReturns !== null;
  const arrays = rollingArrays(n, withBeta);
  const bytes = new NdjsonBytes();
  const flushBytes = 1 << 20;
  for (const series of analysis.series) {
    computeRolling(series, analysis, options, arrays);
    const rows = new RollingRows(times, series.symbol, arrays);
    let i = 0;
    while (i < n) {
      i = rows.format(bytes, i, flushBytes);
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
