import type { Frame } from "../../io/frame.js";
import type { InputInspection } from "../../io/read.js";
import type { LayoutKind } from "../../io/table/layout.js";
import { type InferredFrequency, inferFrequency } from "../../io/table/frequency.js";
import { isoKey, monthNameKey, type TimeKind } from "../../io/table/timeStamps.js";

/**
 * The `result` of `hftlab info`: what the reader found in the input, before
 * and after the `--missing` policy. Kept apart from the command so that the
 * report reads it without importing the command back.
 */
export interface InfoResult {
  format: { name: "csv" | "tsv" | "arrow" | "parquet"; delimiter: string | null; gzip: boolean };
  layout: LayoutKind;
  /** Every column name of the input, in order (the columns a layout ignores included). */
  header: string[];
  timeColumn: InfoTimeColumn;
  symbolColumn: string | null;
  priceColumn: string | null;
  /** Of the stamps the commands see (after `--missing`); null for numbers, or fewer than two rows. */
  frequency: InferredFrequency | null;
  symbols: string[];
  /** Data rows of the input (a long file's records). */
  rows: number;
  /** Distinct time stamps, one per row of the wide table, before `--missing`. */
  timeStamps: number;
  /** Missing cells per symbol before `--missing` (a long file's absent (time, symbol) pairs count). */
  missing: { symbol: string; cells: number }[];
  /** Rows `--missing` removes (all of them when none is left). */
  droppedRows: number;
}

export interface InfoTimeColumn {
  name: string;
  kind: TimeKind;
  /** The earliest and latest stamps as written (before `--missing`). */
  first: string;
  last: string;
  /** The same instants as hftlab reads them, ISO 8601 in UTC (naive stamps are UTC); null for numbers. */
  firstUtc: string | null;
  lastUtc: string | null;
}

/** A date stamp as the instant hftlab compares it by, to the millisecond; null for numbers. */
function utcText(kind: TimeKind, text: string): string | null {
  const ms = kind === "iso" ? isoKey(text) : kind === "monthName" ? monthNameKey(text) : undefined;
  return ms === undefined ? null : new Date(ms).toISOString();
}

/**
 * The result from the reader's inspection and the Frame it read; `frame` is
 * null when `--missing` left no row.
 */
export function infoResult(inspection: InputInspection, frame: Frame | null): InfoResult {
  const { time, timeKind } = inspection;
  const first = time.at(0);
  const last = time.at(-1);
  const inferred = frame === null ? null : inferFrequency(frame.time);
  return {
    format: { name: inspection.format, delimiter: inspection.delimiter, gzip: inspection.gzip },
    layout: inspection.layout,
    header: inspection.header,
    timeColumn: {
      name: inspection.timeName,
      kind: timeKind,
      first,
      last,
      firstUtc: utcText(timeKind, first),
      lastUtc: utcText(timeKind, last),
    },
    symbolColumn: inspection.symbolColumn,
    priceColumn: inspection.priceColumn,
    frequency:
      inferred === null
        ? null
        : {
            frequency: inferred.frequency,
            periodsPerYear: inferred.periodsPerYear,
            medianStepSeconds: inferred.medianStepSeconds,
          },
    symbols: inspection.symbols,
    rows: inspection.rows,
    timeStamps: time.length,
    missing: inspection.symbols.map((symbol, j) => ({ symbol, cells: inspection.missingCells[j]! })),
    droppedRows: frame === null ? time.length : frame.droppedRows,
  };
}
