/**
 * The RawTable: what a format reader (delimited text or Arrow) hands to the
 * layout stage, before time ordering, pivoting and missing-value handling.
 * Only the columns the layout uses are materialised.
 */
import { type ErrorLocation, inputError } from "../../errors.js";
import type { TimeColumn } from "../frame.js";

export interface RawTable {
  /** The input as named in error messages: the path as given, or "<stdin>". */
  file: string;
  /** The delimiter of delimited text, as forced or sniffed (set by readDelimited); undefined for Arrow. */
  delimiter?: string;
  /** "line" for text input (header = line 1); "row" for Arrow (data rows from 1). */
  rowUnit: "line" | "row";
  /** Every column name, in input order. */
  header: string[];
  timeField: number;
  /** The symbol column of a long file, else -1. */
  symbolField: number;
  /** Header indices of the numeric columns read, parallel to `values`. */
  valueFields: number[];
  /** Symbol names parallel to valueFields (wide and single layouts); empty for long. */
  symbols: string[];
  rows: number;
  /** Time stamps as written, one per row. */
  time: TimeColumn;
  /** Symbol text per row (long layout only). */
  symbol: string[] | null;
  /** values[k][i]: column valueFields[k] at row i; NaN marks a missing cell. Length ≥ rows. */
  values: Float64Array[];
  /** Line (text) or row number (Arrow) of each row. Length ≥ rows. */
  lines: Uint32Array;
  /** False when no value cell was missing (lets the missing-value pass be skipped). */
  anyMissing: boolean;
  /**
   * When every stamp is a run of plain digits, the scanner's float value of
   * it: order-preserving (never reversed), exact up to 15 digits.
   */
  timeDigitsKey: Float64Array | null;
}

/** Where row `row` (and optionally header field `field`) sits, for an error. */
export function rowLocation(table: RawTable, row: number, field?: number): ErrorLocation {
  if (table.rowUnit === "row") return { file: table.file };
  const location: ErrorLocation = { file: table.file, line: table.lines[row]! };
  if (field !== undefined) location.column = field + 1;
  return location;
}

/** " (row N, column NAME)" for Arrow input, where the location has no line. */
export function rowSuffix(table: RawTable, row: number, field?: number): string {
  if (table.rowUnit === "line") return "";
  const column = field === undefined ? "" : `, column ${table.header[field]}`;
  return ` (row ${table.lines[row]}${column})`;
}

/** An input error (exit 3) placed at a row and field of the table. */
export function rowError(
  table: RawTable,
  code: string,
  message: string,
  row: number,
  field?: number,
  hint?: string,
) {
  return inputError(code, message + rowSuffix(table, row, field), rowLocation(table, row, field), hint);
}

/**
 * A column cut to `length`. Always a view: the slack past `length` was
 * never written, so its pages were never faulted in and cost no memory,
 * while a copy would fault in the whole column again.
 */
export function trimColumn<T extends Float64Array | Uint32Array>(column: T, length: number): T {
  return column.length === length ? column : (column.subarray(0, length) as T);
}
