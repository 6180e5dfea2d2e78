import { AsciiPiece, type NdjsonBytes } from "./ndjsonBytes.js";
import { SHORTEST_DECIMAL_WORD_BYTES } from "./shortestDecimal.js";
import type { TimeTextBytes } from "./timeBytes.js";

/**
 * The NDJSON rows of `risk --rolling`: `{time, symbol, return, volatility,
 * sharpe, drawdown, beta}`, formatted straight into bytes. Synchronous and
 * free of commands, so a worker thread formats chunks of rows with exactly
 * the code the main thread uses.
 */

/** The per-bar values of one series (NaN prints as null). */
export interface RollingRiskColumns {
  windowReturn: Float64Array;
  volatility: Float64Array;
  sharpe: Float64Array;
  drawdown: Float64Array;
  beta: Float64Array | null;
}

const TIME_KEY = AsciiPiece.of('{"time":')!;
const RETURN_KEY = AsciiPiece.of(',"return":')!;
const VOLATILITY_KEY = AsciiPiece.of(',"volatility":')!;
const SHARPE_KEY = AsciiPiece.of(',"sharpe":')!;
const DRAWDOWN_KEY = AsciiPiece.of(',"drawdown":')!;
const BETA_KEY = AsciiPiece.of(',"beta":')!;
const ROW_END = AsciiPiece.of("}\n")!;
const NULL_BETA_ROW_END = AsciiPiece.of(',"beta":null}\n')!;

/**
 * Appends the rows [from, to) of one series to `bytes`, stopping early once
 * `limit` bytes are buffered; returns the next row.
 */
export function formatRollingRows(
  bytes: NdjsonBytes,
  /** The stamps as JSON strings, quotes included. */
  times: TimeTextBytes,
  symbolJson: Uint8Array,
  columns: RollingRiskColumns,
  from: number,
  to: number,
  limit = Number.POSITIVE_INFINITY,
): number {
  const { bytes: timeBytes, ends } = times;
  const { windowReturn, volatility, sharpe, drawdown, beta } = columns;
  const room = symbolJson.length + 5 * SHORTEST_DECIMAL_WORD_BYTES + 96;
  let timeStart = from === 0 ? 0 : ends[from - 1]!;
  let i = from;
  for (; i < to && bytes.byteLength < limit; i++) {
    const timeEnd = ends[i]!;
    bytes.reserve(timeEnd - timeStart + room);
    bytes.piece(TIME_KEY);
    bytes.copy(timeBytes, timeStart, timeEnd);
    timeStart = timeEnd;
    bytes.copy(symbolJson, 0, symbolJson.length);
    bytes.piece(RETURN_KEY);
    bytes.number(windowReturn[i]!);
    bytes.piece(VOLATILITY_KEY);
    bytes.number(volatility[i]!);
    bytes.piece(SHARPE_KEY);
    bytes.number(sharpe[i]!);
    bytes.piece(DRAWDOWN_KEY);
    bytes.number(drawdown[i]!);
    if (beta !== null) {
      bytes.piece(BETA_KEY);
      bytes.number(beta[i]!);
      bytes.piece(ROW_END);
    } else bytes.piece(NULL_BETA_ROW_END);
  }
  return i;
}

/** `,"symbol":"S00"` as UTF-8. */
export function symbolJsonBytes(symbol: string): Uint8Array {
  return Buffer.from(`,"symbol":${JSON.stringify(symbol)}`);
}

/**
 * The same rows as CSV/TSV: `time, symbol, return, volatility, sharpe,
 * drawdown, beta`, NaN an empty cell (beta without a benchmark), ±Infinity
 * as text; `times` holds the stamps as cells (quoted when needed) and
 * `symbolCell` the separator and the symbol's cell.
 */
export function formatRollingDelimitedRows(
  bytes: NdjsonBytes,
  separator: number,
  times: TimeTextBytes,
  symbolCell: Uint8Array,
  columns: RollingRiskColumns,
  from: number,
  to: number,
): void {
  const { bytes: timeBytes, ends } = times;
  const { windowReturn, volatility, sharpe, drawdown, beta } = columns;
  const room = symbolCell.length + 5 * SHORTEST_DECIMAL_WORD_BYTES + 32;
  let timeStart = from === 0 ? 0 : ends[from - 1]!;
  for (let i = from; i < to; i++) {
    const timeEnd = ends[i]!;
    bytes.reserve(timeEnd - timeStart + room);
    bytes.copy(timeBytes, timeStart, timeEnd);
    timeStart = timeEnd;
    bytes.copy(symbolCell, 0, symbolCell.length);
    bytes.byte(separator);
    bytes.cell(windowReturn[i]!);
    bytes.byte(separator);
    bytes.cell(volatility[i]!);
    bytes.byte(separator);
    bytes.cell(sharpe[i]!);
    bytes.byte(separator);
    bytes.cell(drawdown[i]!);
    bytes.byte(separator);
    if (beta !== null) bytes.cell(beta[i]!);
    bytes.byte(10);
  }
}
