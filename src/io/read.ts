/**
 * readFrame: any supported input into the wide Frame every command uses
 * (SPEC §1 "Input formats").
 *
 * Stages: open (file or stdin, gzip, format) → format reader (byte scanner,
 * csv-parse fallback, or Arrow) producing a RawTable of only the columns the
 * layout uses → `--missing error` check → time validation and order (or
 * `--sort`) → pivot of long files → missing-value policy.
 *
 * Behaviour where SPEC §1 is silent:
 * - Time must be strictly increasing; a repeated stamp is an error, also
 *   with `--sort` (see `timeAxis.ts`).
 * - Only the columns the layout uses are parsed and validated; a bad cell in
 *   an unused column (say OHLCV `volume`) is ignored.
 * - Blank lines anywhere are skipped; line numbers still count them.
 * - Cells are trimmed of spaces; missing markers are empty, NA, N/A, NaN and
 *   null in any case; `inf`/`Infinity` and overflowing numbers are
 *   non-finite input errors.
 * - A single-series (OHLCV) file's symbol is its base name without
 *   extensions (`sp500-2000.csv.gz` → `sp500-2000`); on stdin, the price
 *   column's name.
 */
import { inputError } from "../errors.js";
import type { Frame } from "./frame.js";
import { type InputFormat, openInput } from "./inputSource.js";
import type { LayoutOptions } from "./table/layout.js";
import { applyMissing, firstMissingCell, type MissingMode } from "./table/missing.js";
import { pivotLong, type WideTable } from "./table/pivot.js";
import { type RawTable, rowError, trimColumn } from "./table/rawTable.js";
import { readArrow } from "./arrow/readArrow.js";
import { readDelimited } from "./delimited/readDelimited.js";
import {
  buildTimeAxis,
  checkIncreasing,
  checkNoDuplicates,
  identityRows,
  sortedRows,
} from "./table/timeAxis.js";

export interface ReadOptions {
  /** `--input-format`; else by extension (.csv .tsv .txt .arrow .feather .arrows, optionally .gz), else sniffed. */
  inputFormat?: InputFormat;
  /** `--time-col`: the time column's name. */
  timeCol?: string;
  /** `--price-col`: the price column of a long or OHLCV file. */
  priceCol?: string;
  /** `--columns`: the symbols to keep, in this order. */
  columns?: string[];
  /** `--missing`, default "drop". */
  missing?: MissingMode;
  /** `--sort`: sort rows by time (stable) instead of rejecting unsorted input. */
  sort?: boolean;
  /** Receives human-readable notes (dropped rows, …) for stderr and the JSON `warnings`. */
  onWarning?: (message: string) => void;
  /** Standard input, for tests; default process.stdin. */
  stdin?: NodeJS.ReadableStream;
}

/** Throws at the first missing cell of the table, for `--missing error`. */
function rejectMissingCells(table: RawTable): void {
  if (!table.anyMissing) return;
  const cell = firstMissingCell(table.values, table.rows);
  if (cell === null) return;
  const field = table.valueFields[cell.column]!;
  throw rowError(
    table,
    "missing_value",
    `missing value in column ${table.header[field]}`,
    cell.row,
    field,
    "choose --missing drop or --missing ffill to accept missing values",
  );
}

/** Wide and single layouts: check or establish time order, then the final columns. */
function orderWide(table: RawTable, symbols: string[], sort: boolean): WideTable {
  const axis = buildTimeAxis(table);
  const rows = table.rows;
  const columns = table.values.map((column) => trimColumn(column, rows));
  const lines = trimColumn(table.lines, rows);
  if (!sort) {
    checkIncreasing(table, axis);
    return { time: table.time, lines, symbols, columns };
  }
  const order = sortedRows(axis, identityRows(rows));
  if (order === null) {
    checkIncreasing(table, axis);
    return { time: table.time, lines, symbols, columns };
  }
  checkNoDuplicates(table, axis, order);
  return {
    time: table.time.select(order),
    lines: order.map((row) => lines[row]!),
    symbols,
    columns: columns.map((column) => Float64Array.from(order, (row) => column[row]!)),
  };
}

/**
 * Reads a price (or returns) table from `source`, a path or "-" for standard
 * input, into a wide Frame.
 *
 * @throws HftlabError (exit 3) for every problem with the input, located at
 *   file:line:column where possible; never returns a partial result.
 */
export async function readFrame(source: string, options: ReadOptions = {}): Promise<Frame> {
  const input = await openInput(source, options.inputFormat, options.stdin ?? process.stdin);
  const layoutOptions: LayoutOptions = {
    timeCol: options.timeCol,
    priceCol: options.priceCol,
    columns: options.columns,
  };
  const table =
    input.format === "arrow"
      ? await readArrow(input, layoutOptions)
      : await readDelimited(input, layoutOptions);
  const mode = options.missing ?? "drop";
  if (mode === "error") rejectMissingCells(table);

  let wide: WideTable;
  // Pivoting can leave holes even when no cell was missing in the input.
  let anyMissing = table.anyMissing;
  if (table.symbol !== null) {
    anyMissing = true;
    wide = pivotLong(table, buildTimeAxis(table), options.columns, options.sort ?? false);
    if (mode === "error") {
      const cell = firstMissingCell(wide.columns, wide.time.length);
      if (cell !== null) {
        throw inputError(
          "missing_value",
          `no ${wide.symbols[cell.column]} value at time ${wide.time.at(cell.row)}`,
          { file: input.file },
          "choose --missing drop or --missing ffill to accept missing values",
        );
      }
    }
  } else {
    wide = orderWide(table, table.symbols, options.sort ?? false);
  }

  const outcome = anyMissing
    ? applyMissing(wide, mode, input.file)
    : { table: wide, droppedRows: 0, warnings: [] };
  for (const warning of outcome.warnings) options.onWarning?.(warning);
  const frame: Frame = {
    source,
    timeName: table.header[table.timeField]!,
    time: outcome.table.time,
    symbols: outcome.table.symbols,
    columns: outcome.table.columns,
    droppedRows: outcome.droppedRows,
  };
  if (table.rowUnit === "line") frame.lines = outcome.table.lines;
  return frame;
}
