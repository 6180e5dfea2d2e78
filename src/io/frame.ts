/**
 * The Frame: what every command receives from the readers. Wide layout,
 * one row per time stamp, one Float64Array per symbol, all the same length.
 * Time values are kept exactly as written in the input (SPEC §1: echoed as
 * text, compared exactly).
 */
export type SymbolName = string;

export interface Frame {
  /** The path given on the command line, or "-" for standard input. */
  source: string;
  /** Name of the time column as written in the header. */
  timeName: string;
  /** Time stamps as written in the input, one per row. */
  time: string[];
  /** Symbols in input column order (after --columns selection). */
  symbols: SymbolName[];
  /** columns[j][i] is symbol j's value at row i. */
  columns: Float64Array[];
  /** Rows removed by `--missing drop` (or by taking returns of dropped rows). */
  droppedRows: number;
  /** Input line number (header = line 1) of each row, for error messages; optional. */
  lines?: Uint32Array;
}

export function frameRows(frame: Frame): number {
  return frame.time.length;
}
