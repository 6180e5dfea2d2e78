/**
 * One column of one row group (a "piece") into the columns of the RawTable:
 * prices into Float64Arrays (nulls and NaN as missing cells, ±Infinity an
 * input error), time stamps as numbers or text, symbols as text.
 */
import { inputError } from "../../errors.js";
import { TimeColumn } from "../frame.js";
import type { FlatValues } from "./flatChunk.js";
import { type TimeText, timeValueText } from "./parquetColumns.js";

/** One column of one row group: the fast decoder's typed values, or hyparquet's (null or undefined = missing). */
export type Piece = ({ kind: "flat" } & FlatValues) | { kind: "array"; values: ArrayLike<unknown> };

/** Writes a piece's numbers to out[at..]; returns whether any was missing (null or NaN). */
export function appendNumbers(
  piece: Piece,
  out: Float64Array,
  at: number,
  name: string,
  file: string,
): boolean {
  const count = piece.values.length;
  if (piece.kind === "flat" && piece.valid === null && piece.values instanceof Float64Array) {
    const decodedInPlace =
      piece.values.buffer === out.buffer && piece.values.byteOffset === out.byteOffset + at * 8;
    if (!decodedInPlace) out.set(piece.values, at);
  } else if (piece.kind === "flat") {
    const { values, valid } = piece;
    for (let k = 0; k < count; k++)
      out[at + k] = valid !== null && valid[k] === 0 ? Number.NaN : Number(values[k]!);
  } else {
    const values = piece.values;
    for (let k = 0; k < count; k++) {
      const value = values[k];
      out[at + k] = value === null || value === undefined ? Number.NaN : Number(value);
    }
  }
  const firstNonFinite = nonFiniteAt(out, at, at + count);
  if (firstNonFinite < 0) return false;
  for (let k = firstNonFinite; k < at + count; k++) {
    const value = out[k]!;
    if (value === Infinity || value === -Infinity) {
      throw inputError("non_finite", `non-finite value ${value} in column ${name} (row ${k + 1})`, { file });
    }
  }
  return true;
}

/** The first row in [from, to) that is NaN or ±Infinity, or -1: a monomorphic loop, kept apart to stay fast. */
function nonFiniteAt(column: Float64Array, from: number, to: number): number {
  for (let k = from; k < to; k++) {
    const value = column[k]!;
    // x − x is 0 for every finite x and NaN for NaN and ±Infinity.
    if (value - value !== 0) return k;
  }
  return -1;
}

function isPresent(piece: Piece, k: number): boolean {
  if (piece.kind === "flat") return piece.valid === null || piece.valid[k] === 1;
  const value = piece.values[k];
  return value !== null && value !== undefined;
}

/**
 * Collects the time stamps. While every one is a canonical integer below
 * 10^15 (epoch seconds, milliseconds, plain counters) they are kept as
 * numbers, as the CSV scanner keeps digit stamps, and no string is made;
 * else (negative, epoch micro/nanoseconds, dates, timestamps, text) as text.
 */
export class TimeSink {
  private digits: Float64Array | null;
  private strings: string[] | null = null;
  private rows = 0;

  constructor(
    private readonly text: TimeText,
    capacity: number,
  ) {
    this.digits = text.kind === "integer" ? new Float64Array(capacity) : null;
    if (this.digits === null) this.strings = new Array<string>(capacity);
  }

  append(piece: Piece): void {
    const count = piece.values.length;
    let k = 0;
    const digits = this.digits;
    if (digits !== null) {
      k =
        piece.kind === "flat" && piece.valid === null && piece.values instanceof BigInt64Array
          ? int64Digits(piece.values, digits, this.rows)
          : 0;
      const values = piece.values as ArrayLike<number | bigint>;
      for (; k < count; k++) {
        if (!isPresent(piece, k)) break;
        const value = Number(values[k]!);
        if (!(value >= 0 && value < 1e15)) break;
        digits[this.rows + k] = value;
      }
      if (k === count) {
        this.rows += count;
        return;
      }
      this.toStrings(this.rows + k);
    }
    const strings = this.strings!;
    for (; k < count; k++) {
      strings[this.rows + k] = isPresent(piece, k) ? timeValueText(this.text, piece.values[k]) : "";
    }
    this.rows += count;
  }

  /** From digits to text, for the first `rows` rows (their text is `String(value)`, exact below 10^15). */
  private toStrings(rows: number): void {
    const digits = this.digits!;
    const strings = new Array<string>(digits.length);
    for (let k = 0; k < rows; k++) strings[k] = String(digits[k]!);
    this.strings = strings;
    this.digits = null;
  }

  finish(): { time: TimeColumn; digitsKey: Float64Array | null } {
    if (this.digits !== null) {
      return {
        time: TimeColumn.fromParts([{ kind: "digits", values: this.digits }]),
        digitsKey: this.digits,
      };
    }
    return { time: TimeColumn.fromStrings(this.strings!), digitsKey: null };
  }
}

/**
 * Copies INT64 values below 10^15 and not negative to `digits[at..]` as
 * numbers, up to the first that is not; returns how many were copied.
 * Reads each value as two 32-bit words: BigInt-to-Number conversion costs
 * ~50 ns a value, more than the rest of the column's decoding.
 */
function int64Digits(values: BigInt64Array, digits: Float64Array, at: number): number {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  // 10^15 / 2^32 ≈ 232830.6: a high word above it is past 10^15.
  const HIGH_LIMIT = 232_831;
  for (let k = 0; k < values.length; k++) {
    const high = words[2 * k + 1]!;
    if (high < 0 || high >= HIGH_LIMIT) return k;
    const value = high * 4_294_967_296 + (words[2 * k]! >>> 0);
    if (value >= 1e15) return k;
    digits[at + k] = value;
  }
  return values.length;
}

export function appendSymbols(piece: Piece, out: string[], at: number): void {
  for (let k = 0; k < piece.values.length; k++) {
    out[at + k] = isPresent(piece, k) ? String(piece.values[k]) : "";
  }
}
