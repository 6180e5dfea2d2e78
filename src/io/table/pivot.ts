/**
 * Long layout (time, symbol, price rows) to wide (one row per time stamp,
 * one column per symbol).
 *
 * Conventions: symbols keep their order of first appearance (or the
 * `--columns` order); output rows are the distinct stamps in time order,
 * each echoing the text and line of its first appearance in the file.
 * Without `--sort` each symbol's own rows must be strictly increasing in
 * time (the file may be grouped by symbol or interleaved); with `--sort`
 * row order is free. A (time, symbol) pair given twice is an error either
 * way; one given never is a missing cell, handled by `--missing`.
 */
import { inputError } from "../../errors.js";
import type { TimeColumn } from "../frame.js";
import { unknownSymbolCheck } from "./layout.js";
import { type RawTable, rowError, rowLocation } from "./rawTable.js";
import { orderError, sortedRows, type TimeAxis } from "./timeAxis.js";

export interface WideTable {
  time: TimeColumn;
  lines: Uint32Array;
  symbols: string[];
  columns: Float64Array[];
}

/** Symbol index per row (-1 when not selected) and the symbols, in output order. */
function symbolIndex(table: RawTable, selection: string[] | undefined) {
  const names = table.symbol!;
  const firstSeen = new Map<string, number>();
  for (let row = 0; row < table.rows; row++) {
    const name = names[row]!;
    if (name === "") {
      throw rowError(table, "missing_symbol", "missing symbol", row, table.symbolField);
    }
    if (!firstSeen.has(name)) firstSeen.set(name, firstSeen.size);
  }
  const available = [...firstSeen.keys()];
  if (selection !== undefined) unknownSymbolCheck(selection, available, table.file);
  const symbols = selection ?? available;
  const position = new Map(symbols.map((name, index) => [name, index]));
  const ofRow = new Int32Array(table.rows);
  for (let row = 0; row < table.rows; row++) ofRow[row] = position.get(names[row]!) ?? -1;
  return { symbols, ofRow };
}

export function pivotLong(
  table: RawTable,
  axis: TimeAxis,
  selection: string[] | undefined,
  sort: boolean,
): WideTable {
  const { symbols, ofRow } = symbolIndex(table, selection);
  const compare = axis.compare;
  let selectedCount = 0;
  for (let row = 0; row < table.rows; row++) if (ofRow[row]! >= 0) selectedCount++;
  const selected = new Uint32Array(selectedCount);
  for (let row = 0, k = 0; row < table.rows; row++) if (ofRow[row]! >= 0) selected[k++] = row;

  if (!sort) {
    const lastRow = new Int32Array(symbols.length).fill(-1);
    for (const row of selected) {
      const symbol = ofRow[row]!;
      const previous = lastRow[symbol]!;
      if (previous >= 0) {
        const order = compare(previous, row);
        if (order >= 0) throw orderError(table, row, previous, order, ` for ${symbols[symbol]}`);
      }
      lastRow[symbol] = row;
    }
  }

  const ordered = sortedRows(axis, selected) ?? selected;
  const timeOfRow = new Int32Array(table.rows);
  const firstRows: number[] = [];
  let previous = -1;
  for (const row of ordered) {
    if (previous < 0 || compare(previous, row) !== 0) firstRows.push(row);
    timeOfRow[row] = firstRows.length - 1;
    previous = row;
  }

  const rows = firstRows.length;
  const price = table.values[0]!;
  const columns = symbols.map(() => new Float64Array(rows).fill(Number.NaN));
  const filledBy = new Int32Array(rows * symbols.length).fill(-1);
  for (const row of selected) {
    const symbol = ofRow[row]!;
    const at = timeOfRow[row]!;
    const cell = at * symbols.length + symbol;
    const earlier = filledBy[cell]!;
    if (earlier >= 0) {
      throw inputError(
        "duplicate_time",
        `duplicate time ${table.time.at(row)} for ${symbols[symbol]} at ${table.rowUnit} ${table.lines[row]} (first at ${table.rowUnit} ${table.lines[earlier]})`,
        rowLocation(table, row, table.timeField),
        "each (time, symbol) pair may appear once",
      );
    }
    filledBy[cell] = row;
    columns[symbol]![at] = price[row]!;
  }
  return {
    time: table.time.select(firstRows),
    lines: Uint32Array.from(firstRows, (row) => table.lines[row]!),
    symbols,
    columns,
  };
}
