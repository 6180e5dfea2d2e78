import type { RunContext } from "../../context.js";
import type { Frame } from "../../io/frame.js";
import { type ColumnHeader, type OutputColumn, Utf8Column } from "../../io/outputColumn.js";
import { type RollingRiskOutput, rollingRisk } from "../../numerics/risk/rollingRisk.js";
import { symbolJsonBytes } from "../../output/rollingRiskRows.js";
import { type TimeTextBytes, timeTextBytes } from "../../output/timeBytes.js";
import type { RollingAnalysis } from "./analysis.js";
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
  series: RollingAnalysis["series"][number],
  analysis: RollingAnalysis,
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
function timeJsonBytes(frame: Frame): TimeTextBytes {
  return timeTextBytes(frame.time, JSON.stringify, true);
}

export async function writeRollingNdjson(
  frame: Frame,
  analysis: RollingAnalysis,
  options: RiskOptions,
  context: RunContext,
): Promise<void> {
  const n = frame.time.length;
  const withBeta = analysis.benchmarkReturns !== null;
  const { writeRollingRowsInOrder } = await import("../../parallel/rowsPool.js");
  await writeRollingRowsInOrder(
    {
      flavour: { kind: "ndjson" },
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
  analysis: RollingAnalysis,
  options: RiskOptions,
): Promise<void> {
  const { outputFormat, writeDelimitedFile, writeTableBlocks } = await import("../../io/write.js");
  if (outputFormat(path).kind === "delimited") {
    // CSV/TSV rows are formatted on every core, as --ndjson's are.
    const { writeRollingRowsInOrder } = await import("../../parallel/rowsPool.js");
    const { delimitedText } = await import("../../io/rows/delimitedBytes.js");
    await writeDelimitedFile(path, [frame.timeName, ...ROLLING_COLUMNS], (delimiter, write) =>
      writeRollingRowsInOrder(
        {
          flavour: { kind: "delimited", delimiter },
          count: analysis.series.length,
          rows: frame.time.length,
          withBeta: analysis.benchmarkReturns !== null,
          symbol: (k) => Buffer.from(`${delimiter}${delimitedText(analysis.series[k]!.symbol, delimiter)}`),
          fill: (k, out) => computeRolling(analysis.series[k]!, analysis, options, out),
        },
        timeTextBytes(frame.time, (text) => delimitedText(text, delimiter), true),
        write,
      ),
    );
    return;
  }
  // The rolling window (≥ 2 bars) leaves every metric null on its first bars: all are nullable.
  const header: ColumnHeader[] = [
    { name: frame.timeName, type: "utf8", nullable: false },
    { name: "symbol", type: "utf8", nullable: false },
    ...ROLLING_COLUMNS.slice(1).map((name) => ({ name, type: "float64" as const, nullable: true })),
  ];
  await writeTableBlocks(path, header, rollingBlocks(frame, analysis, options));
}

/** Rows per block: an Arrow record batch. */
const BLOCK_ROWS = 1 << 16;

/**
 * The long table one series at a time, in Arrow blocks of rows: a series' metrics
 * are computed into fresh arrays (a block's columns are views of them, still
 * referenced by the file's write queue while the next series is computed),
 * so memory is a series' columns, never the 40M rows of 2M × 20.
 */
function* rollingBlocks(
  frame: Frame,
  analysis: RollingAnalysis,
  options: RiskOptions,
): Generator<OutputColumn[]> {
  const n = frame.time.length;
  const times = timeTextBytes(frame.time, (text) => text, false);
  const offsets = new Int32Array(n + 1);
  offsets.set(times.ends, 1);
  const time = new Utf8Column(times.bytes, offsets);
  const withBeta = analysis.benchmarkReturns !== null;
  const noBeta = withBeta ? null : new Float64Array(n).fill(Number.NaN);
  for (const series of analysis.series) {
    const arrays = rollingArrays(n, withBeta);
    computeRolling(series, analysis, options, arrays);
    const symbol = Utf8Column.repeating([Buffer.from(series.symbol, "utf8")], Math.min(n, BLOCK_ROWS));
    const columns = [
      arrays.windowReturn,
      arrays.volatility,
      arrays.sharpe,
      arrays.drawdown,
      arrays.beta ?? noBeta!,
    ];
    for (let from = 0; from < n; from += BLOCK_ROWS) {
      const to = Math.min(n, from + BLOCK_ROWS);
      yield [
        { name: frame.timeName, values: time.slice(from, to) },
        { name: "symbol", values: symbol.slice(0, to - from) },
        ...ROLLING_COLUMNS.slice(1).map((name, k) => ({ name, values: columns[k]!.subarray(from, to) })),
      ];
    }
  }
}
