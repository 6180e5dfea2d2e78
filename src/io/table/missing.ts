/**
 * `--missing drop|ffill|error` (SPEC §1) on a wide table whose missing cells
 * are NaN.
 *
 * - drop: a row with any missing cell is removed and counted.
 * - ffill: a missing cell takes the symbol's last value. Leading rows, where
 *   some symbol has no earlier value to carry, are removed and counted.
 * - error: the first missing cell (row-major) is an input error; the caller
 *   locates it.
 * - zero: a missing cell is 0 and every row stays (quantstats'
 *   `_prepare_returns`, `fillna(0)`; only `risk --compat quantstats` on a
 *   returns file asks for it, it is not a `--missing` choice).
 */
import { inputError } from "../../errors.js";
import { infoCommand } from "../infoHint.js";
import type { WideTable } from "./pivot.js";

export type MissingMode = "drop" | "ffill" | "error" | "zero";

export interface MissingOutcome {
  table: WideTable;
  droppedRows: number;
  warnings: string[];
}

/** The first missing cell in row-major order, or null. */
export function firstMissingCell(
  columns: Float64Array[],
  rows: number,
): { row: number; column: number } | null {
  let best: { row: number; column: number } | null = null;
  columns.forEach((values, column) => {
    const limit = best === null ? rows : best.row;
    for (let row = 0; row < limit; row++) {
      if (Number.isNaN(values[row])) {
        best = { row, column };
        return;
      }
    }
  });
  return best;
}

/**
 * Missing (NaN) cells of each column in rows [0, rows): what `hftlab info`
 * reports before any policy. Only called when asked for, so the ordinary
 * read path never pays for the pass.
 */
export function countMissingCells(columns: readonly Float64Array[], rows: number): number[] {
  return columns.map((values) => {
    let count = 0;
    for (let row = 0; row < rows; row++) if (Number.isNaN(values[row])) count++;
    return count;
  });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function keepRows(table: WideTable, keep: Uint8Array, kept: number): WideTable {
  const keptRows = new Int32Array(kept);
  const lines = new Uint32Array(kept);
  const columns = table.columns.map(() => new Float64Array(kept));
  for (let row = 0, out = 0; row < keep.length; row++) {
    if (keep[row] === 0) continue;
    keptRows[out] = row;
    lines[out] = table.lines[row]!;
    for (let j = 0; j < columns.length; j++) columns[j]![out] = table.columns[j]![row]!;
    out++;
  }
  return { time: table.time.select(keptRows), lines, symbols: table.symbols, columns };
}

function dropMissing(table: WideTable): MissingOutcome {
  const rows = table.time.length;
  const keep = new Uint8Array(rows).fill(1);
  for (const values of table.columns) {
    for (let row = 0; row < rows; row++) if (Number.isNaN(values[row])) keep[row] = 0;
  }
  let kept = 0;
  for (let row = 0; row < rows; row++) kept += keep[row]!;
  const dropped = rows - kept;
  if (dropped === 0) return { table, droppedRows: 0, warnings: [] };
  return {
    table: keepRows(table, keep, kept),
    droppedRows: dropped,
    warnings: [`dropped ${plural(dropped, "row")} with missing values`],
  };
}

function firstPresent(values: Float64Array, rows: number): number {
  let first = 0;
  while (first < rows && Number.isNaN(values[first])) first++;
  return first;
}

function forwardFill(table: WideTable): MissingOutcome {
  const rows = table.time.length;
  const leading = Math.max(0, ...table.columns.map((values) => firstPresent(values, rows)));
  let filled = 0;
  // Fill, then cut the leading rows: a value before the cut still carries
  // into the kept rows (pandas `ffill().dropna()`).
  const columns = table.columns.map((values) => {
    const out = values.slice(firstPresent(values, rows), rows);
    const offset = rows - out.length;
    for (let k = 1; k < out.length; k++) {
      if (Number.isNaN(out[k])) {
        out[k] = out[k - 1]!;
        if (k + offset >= leading) filled++;
      }
    }
    return out.subarray(leading - offset);
  });
  const warnings: string[] = [];
  if (leading > 0) {
    warnings.push(`dropped ${plural(leading, "leading row")} with missing values (nothing to carry forward)`);
  }
  if (filled > 0) warnings.push(`forward-filled ${plural(filled, "missing value")}`);
  return {
    table: {
      time: table.time.slice(leading),
      lines: table.lines.slice(leading),
      symbols: table.symbols,
      columns,
    },
    droppedRows: leading,
    warnings,
  };
}

function zeroFill(table: WideTable): MissingOutcome {
  const rows = table.time.length;
  let filled = 0;
  const columns = table.columns.map((values) => {
    const out = values.slice(0, rows);
    for (let row = 0; row < rows; row++) {
      if (Number.isNaN(out[row])) {
        out[row] = 0;
        filled++;
      }
    }
    return out;
  });
  const warnings = filled > 0 ? [`set ${plural(filled, "missing value")} to 0`] : [];
  return { table: { ...table, columns }, droppedRows: 0, warnings };
}

/**
 * Applies the missing-value policy. `error` mode must be handled by the
 * caller beforehand (it knows where cells came from); here it only checks.
 */
export function applyMissing(table: WideTable, mode: MissingMode, file: string): MissingOutcome {
  const outcome =
    mode === "ffill" ? forwardFill(table) : mode === "zero" ? zeroFill(table) : dropMissing(table);
  if (outcome.table.time.length === 0) {
    throw inputError(
      "no_rows_left",
      `no rows left: all ${table.time.length} rows have missing values`,
      { file },
      `${mode === "drop" ? "try --missing ffill, or select fewer symbols with --columns" : "select other symbols"}; ` +
        `${infoCommand(file)} counts the missing cells per symbol`,
    );
  }
  return outcome;
}
