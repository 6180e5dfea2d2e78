/**
 * The fast path for plain delimited files: a byte scanner over blocks of
 * complete lines that splits fields, parses numbers without creating strings
 * and appends into Float64Arrays (growable, or fixed shared storage when a
 * worker thread scans part of the file). Time stamps are kept as bytes, or
 * only as their numeric keys while they are plain integers (a
 * {@link TimeColumn} makes strings on demand); only the symbol field of long
 * files becomes a string per row.
 *
 * Numbers use Clinger's fast path: when the decimal mantissa is an integer
 * below 2^53 and the power of ten is at most 22 in magnitude, one IEEE
 * multiplication or division of two exact operands is correctly rounded, so
 * the result equals `Number(text)`. Anything else (long mantissas, extreme
 * exponents) is handed to `Number()` on the field's text.
 * Reference: W. D. Clinger, "How to read floating point numbers accurately",
 * PLDI 1990, doi:10.1145/93542.93557.
 *
 * A quote character or a lone CR means a dialect this scanner does not
 * handle: it throws {@link FallbackNeeded} and the reader starts over with
 * csv-parse.
 */
import { inputError } from "../../errors.js";
import { TimeColumn, type TimePart } from "../frame.js";
import type { Layout } from "../table/layout.js";
import { POW10_EXACT, parseNumberText, TWO_POW_53 } from "./numberText.js";
import type { RawTable } from "../table/rawTable.js";

/** Thrown when the input needs the general CSV parser. */
export class FallbackNeeded extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "FallbackNeeded";
  }
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;

const SKIP = 0;
const TIME = 1;
const NUMBER = 2;
const SYMBOL = 3;
const TOO_MANY = 4;

interface Latin1Buffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}

/** Text of buf[start, end): `latin1Slice` (the fastest decoder) for ASCII, else UTF-8. */
export function bytesText(buf: Buffer, start: number, end: number, ascii: boolean): string {
  return ascii ? (buf as Latin1Buffer).latin1Slice(start, end) : buf.toString("utf8", start, end);
}

function fieldText(buf: Buffer, start: number, end: number, ascii: boolean): string {
  while (start < end && buf[start] === SPACE) start++;
  while (end > start && buf[end - 1] === SPACE) end--;
  return bytesText(buf, start, end, ascii);
}

/** Thrown by a scanner on fixed storage when a row does not fit. */
export class StorageFull extends Error {
  constructor() {
    super("scan storage full");
    this.name = "StorageFull";
  }
}

/** Where a scanner writes its rows. */
export interface ScanStorage {
  values: Float64Array[];
  lines: Uint32Array;
  timeDigitsKey: Float64Array;
  /** Index of the first row to write. */
  base: number;
  /** Fixed storage (shared with another thread): throw StorageFull rather than grow. */
  fixed: boolean;
}

export function growableStorage(valueCount: number, capacity: number): ScanStorage {
  const rows = Math.max(16, Math.ceil(capacity));
  return {
    values: Array.from({ length: valueCount }, () => new Float64Array(rows)),
    lines: new Uint32Array(rows),
    timeDigitsKey: new Float64Array(rows),
    base: 0,
    fixed: false,
  };
}

export class DelimitedScanner {
  private readonly kinds: Uint8Array;
  private readonly slots: Int32Array;
  private readonly fieldCount: number;
  private readonly delimiter: number;
  private readonly storage: ScanStorage;
  private capacity: number;
  private readonly symbol: string[] = [];
  /** Index of the next row to write. */
  private row: number;
  /** Line number of the next line to scan (header = 1). */
  private line: number;
  private timeDigitsOnly = true;
  private anyMissing = false;
  /** Where the slow number path stopped. */
  private cursor = 0;
  /**
   * True while every stamp is a canonical integer, which its numeric key
   * reproduces exactly (a "digits" {@link TimePart}): no bytes are kept.
   * The first other stamp switches to bytes for good.
   */
  private timeAsKeys = true;
  /** The stamps' bytes, and an end offset per row sized like the storage (untouched slack costs no memory). */
  private timeBytes = new Uint8Array(0);
  private timeEnds = new Uint32Array(0);
  private timeBytesUsed = 0;
  private timeAscii = true;

  constructor(
    private readonly file: string,
    private readonly header: string[],
    private readonly layout: Layout,
    delimiter: string,
    firstLine: number,
    storage: ScanStorage,
  ) {
    this.fieldCount = header.length;
    this.delimiter = delimiter.charCodeAt(0);
    this.line = firstLine;
    this.kinds = new Uint8Array(this.fieldCount + 1).fill(SKIP);
    this.kinds[this.fieldCount] = TOO_MANY;
    this.slots = new Int32Array(this.fieldCount + 1).fill(-1);
    this.kinds[layout.timeField] = TIME;
    if (layout.symbolField >= 0) this.kinds[layout.symbolField] = SYMBOL;
    layout.valueFields.forEach((field, slot) => {
      this.kinds[field] = NUMBER;
      this.slots[field] = slot;
    });
    this.storage = storage;
    this.capacity = storage.lines.length;
    this.row = storage.base;
  }

  private grow(): void {
    const storage = this.storage;
    if (storage.fixed) throw new StorageFull();
    const capacity = this.capacity * 2;
    const widen = <T extends Float64Array | Uint32Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    storage.values = storage.values.map((column) => widen(column, new Float64Array(capacity)));
    storage.lines = widen(storage.lines, new Uint32Array(capacity));
    storage.timeDigitsKey = widen(storage.timeDigitsKey, new Float64Array(capacity));
    if (!this.timeAsKeys) this.timeEnds = widen(this.timeEnds, new Uint32Array(capacity - storage.base));
    this.capacity = capacity;
  }

  private growTimeBytes(needed: number): void {
    // Offsets are Uint32: 4 GiB of stamps (~300M rows) is far past what the columns could hold anyway.
    const limit = 0xffff_ffff;
    if (needed > limit) throw new Error("time column over 4 GiB");
    const bigger = new Uint8Array(Math.min(limit, Math.max(this.timeBytes.length * 2, needed)));
    bigger.set(this.timeBytes.subarray(0, this.timeBytesUsed));
    this.timeBytes = bigger;
  }

  /**
   * Switches from keys to bytes before row `row`: the earlier rows' stamps
   * are written from their keys (exact, as they were canonical integers).
   */
  private leaveTimeKeys(row: number): void {
    const base = this.storage.base;
    const rowCapacity = this.capacity - base;
    this.timeEnds = new Uint32Array(rowCapacity);
    // 16 bytes a stamp fits epoch ms and ISO dates; longer stamps grow it.
    this.timeBytes = new Uint8Array(Math.max(1 << 16, rowCapacity * 16, (row - base) * 16));
    const keys = this.storage.timeDigitsKey;
    const bytes = this.timeBytes;
    let used = 0;
    for (let r = base; r < row; r++) {
      const text = String(keys[r]!);
      for (let k = 0; k < text.length; k++) bytes[used++] = text.charCodeAt(k);
      this.timeEnds[r - base] = used;
    }
    this.timeBytesUsed = used;
    this.timeAsKeys = false;
  }

  /** Appends row `row`'s stamp, buf[from, to) with spaces trimmed. */
  private pushTime(buf: Buffer, from: number, to: number, row: number, ascii: boolean): void {
    while (from < to && buf[from] === SPACE) from++;
    while (to > from && buf[to - 1] === SPACE) to--;
    let used = this.timeBytesUsed;
    if (used + (to - from) > this.timeBytes.length) this.growTimeBytes(used + (to - from));
    const bytes = this.timeBytes;
    for (let k = from; k < to; k++) bytes[used++] = buf[k]!;
    this.timeBytesUsed = used;
    this.timeEnds[row - this.storage.base] = used;
    if (!ascii) this.timeAscii = false;
  }

  /**
   * Scans the complete lines in buf[start, end); buf[end - 1] must be LF,
   * which is what lets every inner loop run without a bounds check.
   */
  scan(buf: Buffer, start: number, end: number): void {
    const delimiter = this.delimiter;
    const kinds = this.kinds;
    const slots = this.slots;
    const fieldCount = this.fieldCount;
    const symbol = this.symbol;
    const pow10 = POW10_EXACT;
    let values = this.storage.values;
    let lines = this.storage.lines;
    let timeKey = this.storage.timeDigitsKey;
    let capacity = this.capacity;
    let row = this.row;
    let line = this.line;
    let p = start;
    while (p < end) {
      let c = buf[p]!;
      if (c === LF) {
        this.line = ++line;
        p++;
        continue;
      }
      if (c === CR && buf[p + 1] === LF) {
        this.line = ++line;
        p += 2;
        continue;
      }
      if (row === capacity) {
        this.grow();
        values = this.storage.values;
        lines = this.storage.lines;
        timeKey = this.storage.timeDigitsKey;
        capacity = this.capacity;
      }
      // Invariant: c === buf[p] at the start of every field.
      let field = 0;
      for (;;) {
        const kind = kinds[field]!;
        if (kind === NUMBER) {
          // Readable version: value = Number(fieldText). The loop computes the
          // same correctly rounded double (Clinger's fast path) without
          // building the string; anything unusual goes to the slow path.
          const from = p;
          let negative = false;
          if (c === MINUS) {
            negative = true;
            c = buf[++p]!;
          } else if (c === PLUS) {
            c = buf[++p]!;
          }
          const digitsFrom = p;
          let mantissa = 0;
          let digit = c - 48;
          while (digit >>> 0 < 10) {
            mantissa = mantissa * 10 + digit;
            digit = buf[++p]! - 48;
          }
          let digitCount = p - digitsFrom;
          let power = 0;
          if (digit === DOT - 48) {
            const fractionFrom = ++p;
            digit = buf[p]! - 48;
            while (digit >>> 0 < 10) {
              mantissa = mantissa * 10 + digit;
              digit = buf[++p]! - 48;
            }
            digitCount += p - fractionFrom;
            power = fractionFrom - p;
          }
          c = digit + 48;
          if (c === 101 || c === 69) {
            // "e"/"E": an exponent; one without digits sends the field to the slow path.
            c = buf[++p]!;
            let exponentSign = 1;
            if (c === MINUS || c === PLUS) {
              if (c === MINUS) exponentSign = -1;
              c = buf[++p]!;
            }
            const exponentFrom = p;
            let exponent = 0;
            digit = c - 48;
            while (digit >>> 0 < 10) {
              if (exponent < 100_000) exponent = exponent * 10 + digit;
              digit = buf[++p]! - 48;
            }
            c = digit + 48;
            power += exponentSign * exponent;
            if (p === exponentFrom) digitCount = 0;
          }
          let value: number;
          if ((c === delimiter || c === LF || c === CR) && digitCount > 0) {
            if (mantissa < TWO_POW_53 && power >= -22 && power <= 22) {
              value = power >= 0 ? mantissa * pow10[power]! : mantissa / pow10[-power]!;
              if (negative) value = -value;
            } else {
              value = this.exactNumber(buf, from, p, field, line);
            }
          } else {
            value = this.slowNumber(buf, from, field, line);
            p = this.cursor;
            c = buf[p]!;
          }
          values[slots[field]!]![row] = value;
        } else if (kind === TIME) {
          const from = p;
          let key = 0;
          let ascii = true;
          let digitsOnly = true;
          for (;;) {
            const digit = c - 48;
            if (digit >>> 0 < 10) {
              key = key * 10 + digit;
            } else if (c === delimiter || c === LF || c === CR) {
              break;
            } else {
              if (c === QUOTE) throw new FallbackNeeded("quoted field");
              if (c >= 0x80) ascii = false;
              digitsOnly = false;
            }
            c = buf[++p]!;
          }
          const length = p - from;
          if (!digitsOnly || length === 0) this.timeDigitsOnly = false;
          timeKey[row] = key;
          if (this.timeAsKeys) {
            // Canonical: String(key) gives the text back (exact below 10^15 < 2^53).
            const canonical = digitsOnly && length > 0 && length <= 15 && (length === 1 || buf[from] !== 48);
            if (!canonical) this.leaveTimeKeys(row);
          }
          if (!this.timeAsKeys) this.pushTime(buf, from, p, row, ascii);
        } else if (kind === SKIP) {
          while (c !== delimiter && c !== LF && c !== CR) {
            if (c === QUOTE) throw new FallbackNeeded("quoted field");
            c = buf[++p]!;
          }
        } else if (kind === SYMBOL) {
          const from = p;
          let ascii = true;
          while (c !== delimiter && c !== LF && c !== CR) {
            if (c === QUOTE) throw new FallbackNeeded("quoted field");
            if (c >= 0x80) ascii = false;
            c = buf[++p]!;
          }
          symbol.push(fieldText(buf, from, p, ascii));
        } else {
          throw this.fieldCountError(buf, p, line, field);
        }
        if (c === delimiter) {
          c = buf[++p]!;
          field++;
          continue;
        }
        if (c === CR) {
          if (buf[p + 1] !== LF) throw new FallbackNeeded("CR line ending");
          p++;
        }
        p++;
        break;
      }
      if (field + 1 !== fieldCount) throw this.fieldCountError(buf, p, line, field);
      lines[row] = line;
      // State is stored inside the loop, never after it: code after a loop
      // that V8 optimized on-stack has no type feedback and would
      // deoptimize at the end of every block.
      this.row = ++row;
      this.line = ++line;
    }
  }

  /** `Number()` of the field text: the slow but exact path for long mantissas. */
  private exactNumber(buf: Buffer, from: number, to: number, field: number, line: number): number {
    const text = (buf as Latin1Buffer).latin1Slice(from, to);
    const value = Number(text);
    if (!Number.isFinite(value)) {
      throw inputError("non_finite", `non-finite value "${text}"`, {
        file: this.file,
        line,
        column: field + 1,
      });
    }
    return value;
  }

  /** A field that is not a plain number: padded, missing, infinite or garbage. */
  private slowNumber(buf: Buffer, from: number, field: number, line: number): number {
    let p = from;
    let c = buf[p]!;
    let ascii = true;
    while (c !== this.delimiter && c !== LF && c !== CR) {
      if (c === QUOTE) throw new FallbackNeeded("quoted field");
      if (c >= 0x80) ascii = false;
      c = buf[++p]!;
    }
    this.cursor = p;
    const text = fieldText(buf, from, p, ascii);
    const value = parseNumberText(text);
    const location = { file: this.file, line, column: field + 1 };
    if (value === undefined) {
      throw inputError(
        "bad_number",
        `unparseable number "${text}" in column ${this.header[field]}`,
        location,
        "numeric cells are decimals such as 12.5 or 1e-3; missing values are empty, NA, NaN or null",
      );
    }
    if (Number.isNaN(value)) {
      this.anyMissing = true;
    } else if (value === Infinity || value === -Infinity) {
      throw inputError(
        "non_finite",
        `non-finite value "${text}" in column ${this.header[field]}`,
        location,
        "infinite prices are not data; write a missing value (empty or NA) instead",
      );
    }
    return value;
  }

  private fieldCountError(buf: Buffer, p: number, line: number, field: number) {
    // p is just past the line (too few fields) or at the first surplus field.
    let found = field + 1;
    if (field === this.fieldCount) {
      for (let c = buf[p]!; c !== LF; c = buf[++p]!) if (c === this.delimiter) found++;
    }
    return inputError(
      "field_count",
      `expected ${this.fieldCount} fields, found ${found}`,
      { file: this.file, line },
      found < this.fieldCount
        ? "the row is short: a truncated or malformed file"
        : "the row has extra fields: check the delimiter and quoting",
    );
  }

  /** Rows scanned so far. */
  get rows(): number {
    return this.row - this.storage.base;
  }

  /** The stamps of the rows scanned so far (views, not copies). */
  timePart(): TimePart {
    if (this.timeAsKeys) {
      const base = this.storage.base;
      return { kind: "digits", values: this.storage.timeDigitsKey.subarray(base, this.row) };
    }
    return {
      kind: "bytes",
      bytes: this.timeBytes.subarray(0, this.timeBytesUsed),
      ends: this.timeEnds.subarray(0, this.rows),
      ascii: this.timeAscii,
    };
  }

  get flags(): { timeDigitsOnly: boolean; anyMissing: boolean } {
    return { timeDigitsOnly: this.timeDigitsOnly && this.rows > 0, anyMissing: this.anyMissing };
  }

  /** The scanned table. The scanner must not be used afterwards. */
  finish(): RawTable {
    return {
      file: this.file,
      rowUnit: "line",
      header: this.header,
      timeField: this.layout.timeField,
      symbolField: this.layout.symbolField,
      valueFields: this.layout.valueFields,
      symbols: this.layout.symbols,
      rows: this.rows,
      time: TimeColumn.fromParts([this.timePart()]),
      symbol: this.layout.symbolField >= 0 ? this.symbol : null,
      values: this.storage.values,
      lines: this.storage.lines,
      anyMissing: this.anyMissing,
      timeDigitsKey: this.flags.timeDigitsOnly ? this.storage.timeDigitsKey : null,
    };
  }
}
