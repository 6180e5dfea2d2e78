/**
 * The Frame: what every command receives from the readers. Wide layout,
 * one row per time stamp, one Float64Array per symbol, all the same length.
 * Time values are kept exactly as written in the input (SPEC §1: echoed as
 * text, compared exactly), in a {@link TimeColumn}.
 */
export type SymbolName = string;

/**
 * A run of time stamps the way the byte scanner keeps them.
 *
 * - "bytes": the field bytes, spaces trimmed: row k's stamp is
 *   bytes[ends[k - 1], ends[k]) (from 0 for k = 0); `ascii` false means
 *   some stamp needs UTF-8 decoding.
 * - "digits": every stamp is a canonical integer (1 to 15 digits, no
 *   leading zero, no sign or spaces, as epoch seconds and milliseconds
 *   are), so `String(values[k])` is exactly its text: the scanner's
 *   numeric key of the stamp is the whole record, and no byte is kept.
 */
export type TimePart =
  | { kind: "bytes"; bytes: Uint8Array; ends: Uint32Array; ascii: boolean }
  | { kind: "digits"; values: Float64Array };

interface Latin1Buffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}

/** One run of rows of a byte store, from row `firstRow` (of the whole store) on. */
type Segment =
  | { kind: "bytes"; firstRow: number; bytes: Latin1Buffer; ends: Uint32Array; ascii: boolean }
  | { kind: "digits"; firstRow: number; values: Float64Array };

/** Where the stamps live: strings already made, or scanner parts decoded on demand. */
type TimeStore = { kind: "strings"; strings: readonly string[] } | { kind: "parts"; segments: Segment[] };

function segmentText(segment: Segment, k: number): string {
  if (segment.kind === "digits") return String(segment.values[k]!);
  const start = k === 0 ? 0 : segment.ends[k - 1]!;
  const end = segment.ends[k]!;
  // latin1Slice is the fastest decoder, and exact for ASCII.
  return segment.ascii ? segment.bytes.latin1Slice(start, end) : segment.bytes.toString("utf8", start, end);
}

function storeText(store: TimeStore, row: number): string {
  if (store.kind === "strings") return store.strings[row]!;
  const segments = store.segments;
  // Segments are few (one per scanning thread): a linear search from the end is enough.
  let s = segments.length - 1;
  while (segments[s]!.firstRow > row) s--;
  const segment = segments[s]!;
  return segmentText(segment, row - segment.firstRow);
}

/**
 * The time column of a Frame: every stamp exactly as written, made into a
 * JavaScript string only when asked for.
 *
 * Why: most commands read only the first and last stamp, while one string
 * per row costs ~300 ns and ~30 bytes of heap (0.3–0.6 s and ~60 MB for a
 * 2M-row file, on the main thread, which is the only one that can create
 * them). The byte scanner keeps the trimmed field bytes plus one end offset
 * per row instead, or nothing beyond its numeric key while every stamp is a
 * plain integer (see {@link TimePart}); readers that already hold strings
 * (Arrow, csv-parse) wrap them with {@link TimeColumn.fromStrings}.
 *
 * `slice` and `select` never copy stamps: they share the store and keep an
 * offset or a row index.
 */
export class TimeColumn {
  private constructor(
    private readonly store: TimeStore,
    /** Store row of each of this column's rows, or null for store rows offset..offset+length. */
    private readonly rows: Int32Array | null,
    private readonly offset: number,
    readonly length: number,
  ) {}

  /** A column over strings the caller already has (the array is used, not copied). */
  static fromStrings(strings: readonly string[]): TimeColumn {
    return new TimeColumn({ kind: "strings", strings }, null, 0, strings.length);
  }

  /** A column over the byte scanner's parts, their rows one after another (nothing is copied). */
  static fromParts(parts: readonly TimePart[]): TimeColumn {
    const segments: Segment[] = [];
    let firstRow = 0;
    for (const part of parts) {
      if (part.kind === "digits") {
        if (part.values.length === 0) continue;
        segments.push({ kind: "digits", firstRow, values: part.values });
        firstRow += part.values.length;
      } else {
        if (part.ends.length === 0) continue;
        const bytes = Buffer.from(part.bytes.buffer, part.bytes.byteOffset, part.bytes.byteLength);
        segments.push({
          kind: "bytes",
          firstRow,
          bytes: bytes as Latin1Buffer,
          ends: part.ends,
          ascii: part.ascii,
        });
        firstRow += part.ends.length;
      }
    }
    return new TimeColumn({ kind: "parts", segments }, null, 0, firstRow);
  }

  private storeRow(i: number): number {
    return this.rows === null ? this.offset + i : this.rows[this.offset + i]!;
  }

  /**
   * Row i's stamp; a negative i counts from the end, as in `Array.prototype.at`.
   * @throws RangeError outside the column (an array would give undefined)
   */
  at(i: number): string {
    const index = i < 0 ? this.length + i : i;
    if (!(index >= 0 && index < this.length)) {
      throw new RangeError(`time row ${i} outside 0..${this.length - 1}`);
    }
    return storeText(this.store, this.storeRow(index));
  }

  /** Rows [from, to), with `Array.prototype.slice` conventions (negative from the end, clamped). */
  slice(from = 0, to = this.length): TimeColumn {
    const clamp = (k: number) => Math.min(this.length, Math.max(0, k < 0 ? this.length + k : k));
    const start = clamp(from);
    const end = Math.max(start, clamp(to));
    return new TimeColumn(this.store, this.rows, this.offset + start, end - start);
  }

  /** The given rows of this column, in the given order (for row drops, sorting, pivoting). */
  select(rows: Int32Array | Uint32Array | readonly number[]): TimeColumn {
    const picked = new Int32Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k]!;
      if (!(row >= 0 && row < this.length))
        throw new RangeError(`time row ${row} outside 0..${this.length - 1}`);
      picked[k] = this.storeRow(row);
    }
    return new TimeColumn(this.store, picked, 0, picked.length);
  }

  /** Every stamp as a string (costs one string per row: for writers of every row). */
  toArray(): string[] {
    const store = this.store;
    if (store.kind === "strings" && this.rows === null)
      return store.strings.slice(this.offset, this.offset + this.length);
    const out = new Array<string>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = storeText(this.store, this.storeRow(i));
    return out;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.length; i++) yield storeText(this.store, this.storeRow(i));
  }
}

export interface Frame {
  /** The path given on the command line, or "-" for standard input. */
  source: string;
  /** Name of the time column as written in the header. */
  timeName: string;
  /** Time stamps as written in the input, one per row. */
  time: TimeColumn;
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
