/**
 * readFrame: any supported input into the wide Frame every command uses
 * (SPEC §1 "Input formats").
 *
 * Stages: open (file or stdin, gzip, format) → format reader (byte scanner,
 * csv-parse fallback, Arrow or Parquet) producing a RawTable of only the columns the
 * layout uses → `--missing error` check → time validation and order (or
 * `--sort`) → pivot of long files → (the inspection `hftlab info` asks for)
 * → missing-value policy.
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
import type { Frame, TimeColumn } from "./frame.js";
import { infoCommand } from "./infoHint.js";
import { type InputFormat, type InputSource, openInput } from "./inputSource.js";
import { type LayoutKind, type LayoutOptions, resolveLayout } from "./table/layout.js";
import { applyMissing, countMissingCells, firstMissingCell, type MissingMode } from "./table/missing.js";
import { pivotLong, type WideTable } from "./table/pivot.js";
import { type RawTable, rowError, trimColumn } from "./table/rawTable.js";
import { readArrow } from "./arrow/readArrow.js";
import { readParquet } from "./parquet/readParquet.js";
import { readDelimited } from "./delimited/readDelimited.js";
import {
  buildTimeAxis,
  checkIncreasing,
  checkNoDuplicates,
  identityRows,
  sortedRows,
} from "./table/timeAxis.js";
import { detectTimeKind, type TimeKind } from "./table/timeStamps.js";

export interface ReadOptions {
  /** `--input-format`; else by extension (.csv .tsv .txt .arrow .feather .arrows .parquet, optionally .gz), else sniffed. */
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
  /**
   * Receives what was found before the missing-value policy (`hftlab info`).
   * Missing cells are counted only when this is set, so other reads pay nothing.
   */
  onInspection?: (inspection: InputInspection) => void;
}

/** The input as found, before `--missing` applies: the facts `hftlab info` reports. */
export interface InputInspection {
  /** "tsv" for tab-delimited text, "csv" for any other delimiter, "arrow" or "parquet". */
  format: "csv" | "tsv" | "arrow" | "parquet";
  /** The delimiter of text input (forced or sniffed); null for Arrow and Parquet. */
  delimiter: string | null;
  gzip: boolean;
  layout: LayoutKind;
  /** Every column name, in input order. */
  header: string[];
  timeName: string;
  timeKind: TimeKind;
  /** The symbol column of a long file, else null. */
  symbolColumn: string | null;
  /** The price column of a long, OHLCV or single-series file; null for wide. */
  priceColumn: string | null;
  /** Data rows of the input (a long file's records, before pivoting). */
  rows: number;
  /** The stamps in time order, one per wide row (after pivoting), before the policy. */
  time: TimeColumn;
  symbols: string[];
  /** Missing cells per symbol before the policy; a (time, symbol) absent from a long file is one. */
  missingCells: number[];
}

function inspect(
  input: InputSource,
  table: RawTable,
  wide: WideTable,
  anyMissing: boolean,
  layoutOptions: LayoutOptions,
): InputInspection {
  // The readers keep no layout kind; the header decides it, cheaply and as it did for them.
  const layout = resolveLayout(table.header, layoutOptions, input.file, input.singleName).kind;
  const rows = wide.time.length;
  return {
    format: input.format !== "delimited" ? input.format : table.delimiter === "\t" ? "tsv" : "csv",
    delimiter: table.delimiter ?? null,
    gzip: input.gzip,
    layout,
    header: table.header,
    timeName: table.header[table.timeField]!,
    // Every stamp was validated against the first one's kind.
    timeKind: detectTimeKind(table.time.at(0))!,
    symbolColumn: table.symbolField >= 0 ? table.header[table.symbolField]! : null,
    priceColumn: layout === "wide" ? null : table.header[table.valueFields[0]!]!,
    rows: table.rows,
    time: wide.time,
    symbols: wide.symbols,
    missingCells: anyMissing ? countMissingCells(wide.columns, rows) : wide.symbols.map(() => 0),
  };
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
    `choose --missing drop or --missing ffill to accept missing values (${infoCommand(table.file)} counts them)`,
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
      : input.format === "parquet"
        ? await readParquet(input, layoutOptions)
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
          `choose --missing drop or --missing ffill to accept missing values (${infoCommand(input.file)} counts them)`,
        );
      }
    }
  } else {
    wide = orderWide(table, table.symbols, options.sort ?? false);
  }

  if (options.onInspection !== undefined) {
    options.onInspection(inspect(input, table, wide, anyMissing, layoutOptions));
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
