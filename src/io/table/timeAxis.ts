/**
 * The time axis of a table: every stamp validated against one kind, an exact
 * comparator over rows, the order check and the stable `--sort`.
 *
 * Convention: time must be *strictly* increasing. A repeated stamp is an
 * input error in every layout and also with `--sort` (a second row for the
 * same instant is almost always a concatenation or export mistake, and
 * silently keeping either one would change results). Equality is by value,
 * so `2000-01-01T01:00+01:00` repeats `2000-01-01T00:00Z`.
 */
import { inputError } from "../../errors.js";
import type { TimeColumn } from "../frame.js";
import { compareDecimalText } from "../delimited/numberText.js";
import { type RawTable, rowError, rowLocation } from "./rawTable.js";
import {
  detectTimeKind,
  isoKey,
  isoLastParse,
  monthNameKey,
  numberKey,
  TIME_KIND_EXAMPLE,
  type TimeKind,
} from "./timeStamps.js";

export interface TimeAxis {
  kind: TimeKind;
  /** Exact comparison of the stamps of rows `a` and `b` (negative, 0, positive). */
  compare(a: number, b: number): number;
}

const PARSERS: Record<TimeKind, (text: string) => number | undefined> = {
  number: numberKey,
  iso: isoKey,
  monthName: monthNameKey,
};

/** Validates every stamp of the table and returns its exact comparator. */
export function buildTimeAxis(table: RawTable): TimeAxis {
  const { time, rows } = table;
  if (table.timeDigitsKey !== null) {
    return numberAxis(time, table.timeDigitsKey.subarray(0, rows));
  }
  const first = time.at(0);
  if (first === "") throw missingTime(table, 0);
  const kind = detectTimeKind(first);
  if (kind === undefined) {
    throw rowError(
      table,
      "bad_time",
      `unparseable time "${first}"`,
      0,
      table.timeField,
      "time stamps may be ISO dates (2000-01-03, 2000-01-03T09:30:00Z), dates like Jan 1 2000, epoch integers or plain numbers",
    );
  }
  const parse = PARSERS[kind];
  const primary = new Float64Array(rows);
  let tails: string[] | null = null;
  for (let row = 0; row < rows; row++) {
    const text = time.at(row);
    const key = parse(text);
    if (key === undefined) {
      if (text === "") throw missingTime(table, row);
      throw rowError(
        table,
        "bad_time",
        `unparseable time "${text}"`,
        row,
        table.timeField,
        `expected ${TIME_KIND_EXAMPLE[kind]}, like the first row's "${first}"`,
      );
    }
    primary[row] = key;
    if (kind === "iso" && isoLastParse.fractionTail !== "") {
      tails ??= new Array<string>(rows).fill("");
      tails[row] = isoLastParse.fractionTail;
    }
  }
  if (kind === "number") return numberAxis(time, primary);
  const fractionTails = tails;
  return {
    kind,
    compare(a, b) {
      const difference = primary[a]! - primary[b]!;
      if (difference !== 0 || fractionTails === null) return difference;
      const x = fractionTails[a]!;
      const y = fractionTails[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    },
  };
}

/** Numbers: the float key decides unless it ties, then the exact decimal text does. */
function numberAxis(time: TimeColumn, primary: Float64Array): TimeAxis {
  return {
    kind: "number",
    compare(a, b) {
      const difference = primary[a]! - primary[b]!;
      if (difference !== 0) return difference;
      const x = time.at(a);
      const y = time.at(b);
      return x === y ? 0 : compareDecimalText(x, y);
    },
  };
}

function missingTime(table: RawTable, row: number) {
  return rowError(table, "missing_time", "missing time stamp", row, table.timeField);
}

/**
 * The error for row `row` whose stamp is not after row `previous`'s. The
 * message names the line (or Arrow row) itself, so no suffix is added.
 */
export function orderError(table: RawTable, row: number, previous: number, order: number, context = "") {
  const unit = table.rowUnit;
  const here = table.lines[row];
  const stamp = table.time.at(row);
  const location = rowLocation(table, row, table.timeField);
  if (order === 0) {
    return inputError(
      "duplicate_time",
      `duplicate time ${stamp}${context} at ${unit} ${here} (first at ${unit} ${table.lines[previous]})`,
      location,
      "each time stamp may appear once; remove the repeated rows",
    );
  }
  return inputError(
    "unsorted_time",
    `time goes backwards${context} at ${unit} ${here}: ${stamp} after ${table.time.at(previous)}`,
    location,
    "pass --sort to sort the rows by time",
  );
}

/** Throws unless the rows are strictly increasing in time. */
export function checkIncreasing(table: RawTable, axis: TimeAxis): void {
  const compare = axis.compare;
  for (let row = 1; row < table.rows; row++) {
    const order = compare(row - 1, row);
    if (order >= 0) throw orderError(table, row, row - 1, order);
  }
}

/**
 * Row indices `0..n-1` (or the given subset) in stable time order, or null
 * when they already are in order (non-decreasing).
 */
export function sortedRows(axis: TimeAxis, rows: Uint32Array): Uint32Array | null {
  const compare = axis.compare;
  let sorted = true;
  for (let k = 1; k < rows.length && sorted; k++) sorted = compare(rows[k - 1]!, rows[k]!) <= 0;
  if (sorted) return null;
  // Typed-array sort is not guaranteed stable everywhere; the index tie-break makes it so.
  return rows.slice().sort((a, b) => compare(a, b) || a - b);
}

/** Throws on the first pair of equal stamps in an ordered list of rows. */
export function checkNoDuplicates(table: RawTable, axis: TimeAxis, ordered: Uint32Array): void {
  for (let k = 1; k < ordered.length; k++) {
    const previous = ordered[k - 1]!;
    const row = ordered[k]!;
    if (axis.compare(previous, row) === 0) {
      const [first, second] = previous < row ? [previous, row] : [row, previous];
      throw orderError(table, second, first, 0);
    }
  }
}

export function identityRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let k = 0; k < n; k++) rows[k] = k;
  return rows;
}
