import { zScore } from "../numerics/timeseries/positions.js";
import { AsciiPiece, type NdjsonBytes } from "./ndjsonBytes.js";
import { SHORTEST_DECIMAL_WORD_BYTES } from "./shortestDecimal.js";
import type { TimeTextBytes } from "./timeBytes.js";

/**
 * The per-row output of `meanrev` (`--ndjson`, and `--out` as CSV/TSV):
 * every bar, then every series within it (time-major, like a feed), as
 * `time, symbol, price, mean, std, z, position`, formatted straight from
 * the typed arrays into bytes. Synchronous and free of commands, so a worker
 * thread formats chunks of bars with exactly the code the main thread uses.
 */

/** The per-bar values of one series; each bar's z is `zScore(price, mean, std)`, as meanrev made it. */
export interface MeanrevRowColumns {
  price: Float64Array;
  mean: Float64Array;
  std: Float64Array;
  position: Int8Array;
}

/**
 * NDJSON (numbers as JSON.stringify writes them, null when not finite) or
 * CSV/TSV with `delimiter` (NaN an empty cell, ±Infinity as text).
 */
export type RowFlavour = { kind: "ndjson" } | { kind: "delimited"; delimiter: string };

/** The most bytes a row takes beside its time stamp and symbol: keys, punctuation, four numbers, a position. */
export const MEANREV_ROW_BYTES = 4 * SHORTEST_DECIMAL_WORD_BYTES + 96;

const TIME_KEY = AsciiPiece.of('{"time":')!;
const PRICE_KEY = AsciiPiece.of(',"price":')!;
const MEAN_KEY = AsciiPiece.of(',"mean":')!;
const STD_KEY = AsciiPiece.of(',"std":')!;
const Z_KEY = AsciiPiece.of(',"z":')!;
const POSITION_KEY = AsciiPiece.of(',"position":')!;
const NEWLINE = 10;
const CLOSE = 125;

/**
 * How each series' symbol is written between the time stamp and the price:
 * `,"symbol":"S00"` in NDJSON, `,S00` (quoted when needed) in CSV.
 */
export function meanrevSymbolBytes(
  symbol: string,
  flavour: RowFlavour,
  quote: (text: string) => string,
): Uint8Array {
  if (flavour.kind === "ndjson") return Buffer.from(`,"symbol":${JSON.stringify(symbol)}`, "utf8");
  return Buffer.from(`${flavour.delimiter}${quote(symbol)}`, "utf8");
}

function position(out: NdjsonBytes, value: number): void {
  if (value === 0) out.byte(48);
  else if (value === 1) out.byte(49);
  else if (value === -1) {
    out.byte(45);
    out.byte(49);
  } else out.number(value);
}

function delimitedNumber(out: NdjsonBytes, separator: number, value: number): void {
  out.byte(separator);
  out.cell(value);
}

/** Appends the rows of bars [fromBar, toBar), every series in each, to `out`. */
export function formatMeanrevRows(
  out: NdjsonBytes,
  flavour: RowFlavour,
  times: TimeTextBytes,
  symbols: readonly Uint8Array[],
  series: readonly MeanrevRowColumns[],
  fromBar: number,
  toBar: number,
): void {
  const ndjson = flavour.kind === "ndjson";
  const separator = flavour.kind === "delimited" ? flavour.delimiter.charCodeAt(0) : 0;
  const { bytes: timeBytes, ends } = times;
  let timeStart = fromBar === 0 ? 0 : ends[fromBar - 1]!;
  for (let i = fromBar; i < toBar; i++) {
    const timeEnd = ends[i]!;
    for (let j = 0; j < series.length; j++) {
      const s = series[j]!;
      const symbol = symbols[j]!;
      out.reserve(timeEnd - timeStart + symbol.length + MEANREV_ROW_BYTES);
      if (ndjson) out.piece(TIME_KEY);
      out.copy(timeBytes, timeStart, timeEnd);
      out.copy(symbol, 0, symbol.length);
      const price = s.price[i]!;
      const mean = s.mean[i]!;
      const std = s.std[i]!;
      const z = zScore(price, mean, std);
      if (ndjson) {
        out.piece(PRICE_KEY);
        out.number(price);
        out.piece(MEAN_KEY);
        out.number(mean);
        out.piece(STD_KEY);
        out.number(std);
        out.piece(Z_KEY);
        out.number(z);
        out.piece(POSITION_KEY);
        position(out, s.position[i]!);
        out.byte(CLOSE);
      } else {
        delimitedNumber(out, separator, price);
        delimitedNumber(out, separator, mean);
        delimitedNumber(out, separator, std);
        delimitedNumber(out, separator, z);
        out.byte(separator);
        position(out, s.position[i]!);
      }
      out.byte(NEWLINE);
    }
    timeStart = timeEnd;
  }
}
