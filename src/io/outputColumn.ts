/** One named column of a result table, as writeTable and the Arrow writer take it. */
export interface OutputColumn {
  name: string;
  values: Float64Array | Int8Array | Int32Array | string[] | Utf8Column;
}

/** A column of a table written in blocks: its name, type and whether it may hold nulls (NaN). */
export interface ColumnHeader {
  name: string;
  type: "float64" | "int8" | "int32" | "utf8";
  nullable: boolean;
}

/**
 * A text column already encoded as Arrow lays it out: row k's UTF-8 is
 * bytes[offsets[k], offsets[k + 1]). Built straight from bytes (a time stamp
 * repeated per symbol), it reaches an Arrow file without a string per row.
 */
export class Utf8Column {
  constructor(
    readonly bytes: Uint8Array,
    readonly offsets: Int32Array,
  ) {}

  /** `texts` in order, the whole run repeated `times` times (a bar's symbols, a series' one symbol). */
  static repeating(texts: readonly Uint8Array[], times: number): Utf8Column {
    const perRun = texts.reduce((total, text) => total + text.length, 0);
    const bytes = new Uint8Array(perRun * times);
    const offsets = new Int32Array(texts.length * times + 1);
    let at = 0;
    let k = 0;
    for (let i = 0; i < times; i++) {
      for (const text of texts) {
        // A symbol is a few bytes: a loop beats a native copy per row.
        for (let b = 0; b < text.length; b++) bytes[at++] = text[b]!;
        offsets[++k] = at;
      }
    }
    return new Utf8Column(bytes, offsets);
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  /** Rows [from, to), sharing this column's bytes. */
  slice(from: number, to: number): Utf8Column {
    return new Utf8Column(this.bytes, this.offsets.subarray(from, to + 1));
  }

  /** Row k's text. */
  at(k: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString(
      "utf8",
      this.offsets[k]!,
      this.offsets[k + 1]!,
    );
  }
}
