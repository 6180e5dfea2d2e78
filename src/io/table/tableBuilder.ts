/**
 * A growable RawTable for the readers that see cells one at a time as
 * strings or typed values (the csv-parse fallback and Arrow).
 */
import { TimeColumn } from "../frame.js";
import type { Layout } from "./layout.js";
import type { RawTable } from "./rawTable.js";

export class TableBuilder {
  rows = 0;
  values: Float64Array[];
  lines: Uint32Array;
  readonly time: string[] = [];
  readonly symbol: string[] = [];
  anyMissing = false;
  private capacity: number;

  constructor(
    readonly file: string,
    private readonly rowUnit: "line" | "row",
    readonly header: string[],
    private readonly layout: Layout,
    capacity = 1 << 12,
  ) {
    this.capacity = Math.max(16, capacity);
    this.values = layout.valueFields.map(() => new Float64Array(this.capacity));
    this.lines = new Uint32Array(this.capacity);
  }

  /** Makes room for `extra` more rows. */
  reserve(extra: number): void {
    const needed = this.rows + extra;
    if (needed <= this.capacity) return;
    let capacity = this.capacity * 2;
    while (capacity < needed) capacity *= 2;
    this.values = this.values.map((column) => {
      const wider = new Float64Array(capacity);
      wider.set(column);
      return wider;
    });
    const lines = new Uint32Array(capacity);
    lines.set(this.lines);
    this.lines = lines;
    this.capacity = capacity;
  }

  finish(): RawTable {
    return {
      file: this.file,
      rowUnit: this.rowUnit,
      header: this.header,
      timeField: this.layout.timeField,
      symbolField: this.layout.symbolField,
      valueFields: this.layout.valueFields,
      symbols: this.layout.symbols,
      rows: this.rows,
      time: TimeColumn.fromStrings(this.time),
      symbol: this.layout.symbolField >= 0 ? this.symbol : null,
      values: this.values,
      lines: this.lines,
      anyMissing: this.anyMissing,
      timeDigitsKey: null,
    };
  }
}
