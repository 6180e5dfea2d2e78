/**
 * The byte scanner of event files (see readEvents.ts): whole lines of
 * delimited text into the typed columns of an {@link EventBatch}, with the
 * fixed-point prices and sizes, exact stamp ordering and the per-line error
 * messages. A fast path takes the usual `ts,event,order_id,side,price,size`
 * layout; every other layout, LOBSTER included, goes field by field.
 */
import {
  ASK,
  BID,
  type EventBatch,
  EventColumns,
  EventKind,
  NO_SIDE,
  SCALE_DECIMALS,
} from "../../book/events.js";
import { LOBSTER_KINDS, LOBSTER_PRICE_DECIMALS } from "../../book/lobster.js";
import { inputError } from "../../errors.js";
import { bytesText } from "../delimited/scanner.js";
import { compareDecimalText, POW10_EXACT, TWO_POW_53 } from "../delimited/numberText.js";

const LF = 10;
const CR = 13;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;

const COMMA = 44;

/** What a column holds. */
export const SKIP = 0;
export const TIME = 1;
export const EVENT = 2;
export const ID = 3;
export const SIDE = 4;
export const PRICE = 5;
export const SIZE = 6;
export const LOBSTER_TYPE = 7;
export const DIRECTION = 8;

/**
 * Word → event kind, for the text of the event column (any letter case).
 * Maps, not object literals: a cell reading `constructor` or `__proto__`
 * would find Object.prototype's members in one.
 */
const EVENT_WORDS = new Map<string, number>([
  ["add", EventKind.add],
  ["cancel", EventKind.cancel],
  ["delete", EventKind.delete],
  ["modify", EventKind.modify],
  ["execute", EventKind.execute],
  ["trade", EventKind.trade],
  ["clear", EventKind.clear],
  ["limit", EventKind.limit],
  ["market", EventKind.market],
  ["ioc", EventKind.ioc],
  ["fok", EventKind.fok],
]);

/** The event words as lower-case bytes, grouped by first letter. */
const EVENT_BY_LETTER: Array<Array<[Uint8Array, number]>> = (() => {
  const table: Array<Array<[Uint8Array, number]>> = [];
  for (const [word, code] of EVENT_WORDS) {
    const letter = word.charCodeAt(0);
    if (table[letter] === undefined) table[letter] = [];
    table[letter]!.push([Buffer.from(word, "latin1"), code]);
  }
  return table;
})();

const SIDE_WORDS = new Map<string, number>([
  ["b", BID],
  ["buy", BID],
  ["bid", BID],
  ["s", ASK],
  ["sell", ASK],
  ["ask", ASK],
  ["a", ASK],
]);

/**
 * The event kind of a lower- or upper-case event word in buf[from, to), or 0
 * (the generic path then decides, and reports unknown words).
 */
function quickEventKind(buf: Buffer, from: number, to: number): number {
  const length = to - from;
  const first = buf[from]! | 0x20;
  let word: Uint8Array | undefined;
  let code = 0;
  if (first === 97 && length === 3) {
    word = ADD;
    code = EventKind.add;
  } else if (first === 100 && length === 6) {
    word = DELETE;
    code = EventKind.delete;
  } else if (first === 99 && length === 6) {
    word = CANCEL;
    code = EventKind.cancel;
  } else if (first === 109 && length === 6) {
    const modify = (buf[from + 1]! | 0x20) === 111;
    word = modify ? MODIFY : MARKET;
    code = modify ? EventKind.modify : EventKind.market;
  } else if (first === 101 && length === 7) {
    word = EXECUTE;
    code = EventKind.execute;
  } else if (first === 116 && length === 5) {
    word = TRADE;
    code = EventKind.trade;
  } else if (first === 99 && length === 5) {
    word = CLEAR;
    code = EventKind.clear;
  } else if (first === 108 && length === 5) {
    word = LIMIT;
    code = EventKind.limit;
  } else return 0;
  for (let k = 1; k < length; k++) if ((buf[from + k]! | 0x20) !== word![k]) return 0;
  return code;
}

const ADD = Buffer.from("add");
const DELETE = Buffer.from("delete");
const CANCEL = Buffer.from("cancel");
const MODIFY = Buffer.from("modify");
const MARKET = Buffer.from("market");
const EXECUTE = Buffer.from("execute");
const TRADE = Buffer.from("trade");
const CLEAR = Buffer.from("clear");
const LIMIT = Buffer.from("limit");

/** Largest fixed-point value kept exact. */
const FIXED_LIMIT = TWO_POW_53;

/** The columns of a LOBSTER message file, in order. */
export function lobsterKinds(): Uint8Array {
  return Uint8Array.from([TIME, LOBSTER_TYPE, ID, SIZE, PRICE, DIRECTION]);
}

/** The block scanner: fields to typed columns, one line at a time. */
export class EventScanner {
  readonly columns = new EventColumns();
  priceDecimals = 0;
  sizeDecimals = 0;
  timeBackwards = 0;
  firstBackwardsLine = 0;
  private stampStart = new Int32Array(this.columns.capacity);
  private stampEnd = new Int32Array(this.columns.capacity);
  private readonly delimiter: number;
  private readonly fieldCount: number;
  private readonly lobster: boolean;
  /** Decimal places a price's text is shifted by (4 for LOBSTER's 1/10000 units). */
  private readonly priceShift: number;
  private line: number;
  private previousTime = Number.NEGATIVE_INFINITY;
  /** Text of the previous stamp when its number may not be exact, else null. */
  private previousText: string | null = null;
  private currentBuf: Buffer = Buffer.alloc(0);
  /** The columns are exactly ts,event,order_id,side,price,size, comma-separated. */
  private readonly standard: boolean;

  constructor(
    private readonly file: string,
    private readonly kinds: Uint8Array,
    delimiter: string,
    firstLine: number,
    private readonly lenient: boolean,
    /** Kind given to every row when the file has no event column (L2). */
    private readonly fixedKind = 0,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
    this.fieldCount = kinds.length;
    this.line = firstLine;
    this.lobster = kinds.includes(LOBSTER_TYPE);
    this.priceShift = this.lobster ? LOBSTER_PRICE_DECIMALS : 0;
    this.standard = delimiter === "," && kinds.join(",") === [TIME, EVENT, ID, SIDE, PRICE, SIZE].join(",");
  }

  batch(buf: Buffer): EventBatch {
    this.currentBuf = buf;
    const c = this.columns;
    const starts = this.stampStart;
    const ends = this.stampEnd;
    return {
      count: c.count,
      kind: c.kind,
      side: c.side,
      orderId: c.orderId,
      price: c.price,
      size: c.size,
      time: c.time,
      line: c.line,
      stampText: (index: number) => bytesText(this.currentBuf, starts[index]!, ends[index]!, false).trim(),
    };
  }

  /** Scans buf[start, end) (whole lines; buf[end - 1] is LF) into `columns`, replacing what was there. */
  scan(buf: Buffer, start: number, end: number, maxRows = Number.POSITIVE_INFINITY): number {
    this.columns.count = 0;
    return this.standard
      ? this.scanStandard(buf, start, end, maxRows)
      : this.scanGeneric(buf, start, end, maxRows);
  }

  /**
   * The fast path for the usual L3 layout, `ts,event,order_id,side,price,size`
   * with integer stamps and plain decimals: one pass over the bytes per line
   * with no field dispatch. A line it does not expect (signs, exponents, CR,
   * long stamps, odd spacing) is handed whole to {@link scanGeneric}, which
   * owns every error message.
   */
  private scanStandard(buf: Buffer, start: number, end: number, maxRows: number): number {
    const columns = this.columns;
    const pow10 = POW10_EXACT;
    let { kind, side, orderId, price, size, time, line: lines } = columns;
    let stampStart = this.stampStart;
    let stampEnd = this.stampEnd;
    let previousTime = this.previousTime;
    // Decimals seen, kept locally: a store to `this` that only the first priced line makes would
    // reach V8's optimised code without type feedback, and throw it away (see book/warmUp.ts).
    let priceDecimals = this.priceDecimals;
    let sizeDecimals = this.sizeDecimals;
    let row = 0;
    let line = this.line;
    let p = start;
    while (p < end && row < maxRows) {
      const lineStart = p;
      let c = buf[p]!;
      if (row === columns.capacity) {
        columns.count = row;
        columns.reserve(row * 2);
        ({ kind, side, orderId, price, size, time, line: lines } = columns);
        this.growStamps(columns.capacity);
        stampStart = this.stampStart;
        stampEnd = this.stampEnd;
      }
      // biome-ignore lint/suspicious/noConfusingLabels: leaving a labelled block is the cheapest exit from the fast path.
      fast: {
        // ts: 1 to 15 digits (exact as a double), not before the previous stamp.
        let key = 0;
        let digit = c - 48;
        while (digit >>> 0 < 10) {
          key = key * 10 + digit;
          digit = buf[++p]! - 48;
        }
        if (
          digit !== COMMA - 48 ||
          p === lineStart ||
          p - lineStart > 15 ||
          !(key >= previousTime) ||
          this.previousText !== null
        )
          break fast;
        const stampEndAt = p;
        // event: a known word. Its first letter gives its length (clear and cancel: where the comma
        // is), so the comma is looked for at one place, not searched for.
        const eventFrom = ++p;
        const first = buf[p]! | 0x20;
        p += first === 97 ? 3 : first === 116 || first === 108 ? 5 : first === 101 ? 7 : 6;
        if (p >= end) break fast;
        if (first === 99 && buf[p - 1] === COMMA) p--;
        if (buf[p] !== COMMA) break fast;
        const eventKind = quickEventKind(buf, eventFrom, p);
        if (eventKind === 0) break fast;
        // order id: digits or empty.
        let id = Number.NaN;
        c = buf[++p]!;
        if (c !== COMMA) {
          id = 0;
          digit = c - 48;
          const idFrom = p;
          while (digit >>> 0 < 10) {
            id = id * 10 + digit;
            digit = buf[++p]! - 48;
          }
          if (digit !== COMMA - 48 || p - idFrom > 15) break fast;
        }
        // side: B or S (any case), or empty.
        c = buf[++p]!;
        let sideCode = NO_SIDE;
        if (c !== COMMA) {
          const letter = c | 0x20;
          if (letter === 98) sideCode = BID;
          else if (letter === 115) sideCode = ASK;
          else break fast;
          if (buf[++p] !== COMMA) break fast;
        }
        // price: digits[.digits] or empty.
        let priceValue = Number.NaN;
        c = buf[++p]!;
        if (c !== COMMA) {
          let mantissa = 0;
          digit = c - 48;
          const from = p;
          while (digit >>> 0 < 10) {
            mantissa = mantissa * 10 + digit;
            digit = buf[++p]! - 48;
          }
          let fraction = 0;
          if (digit === DOT - 48) {
            const fractionFrom = ++p;
            digit = buf[p]! - 48;
            while (digit >>> 0 < 10) {
              mantissa = mantissa * 10 + digit;
              digit = buf[++p]! - 48;
            }
            fraction = p - fractionFrom;
          }
          if (digit !== COMMA - 48 || p === from || p - from > 16 || fraction > SCALE_DECIMALS) break fast;
          if (fraction > priceDecimals) priceDecimals = fraction;
          priceValue = mantissa * pow10[SCALE_DECIMALS - fraction]!;
        }
        // size: digits[.digits] or empty, then the end of the line.
        let sizeValue = Number.NaN;
        c = buf[++p]!;
        if (c !== LF) {
          let mantissa = 0;
          digit = c - 48;
          const from = p;
          while (digit >>> 0 < 10) {
            mantissa = mantissa * 10 + digit;
            digit = buf[++p]! - 48;
          }
          let fraction = 0;
          if (digit === DOT - 48) {
            const fractionFrom = ++p;
            digit = buf[p]! - 48;
            while (digit >>> 0 < 10) {
              mantissa = mantissa * 10 + digit;
              digit = buf[++p]! - 48;
            }
            fraction = p - fractionFrom;
          }
          if (digit !== LF - 48 || p === from || p - from > 16 || fraction > SCALE_DECIMALS) break fast;
          if (fraction > sizeDecimals) sizeDecimals = fraction;
          sizeValue = mantissa * pow10[SCALE_DECIMALS - fraction]!;
        }
        p++;
        previousTime = key;
        time[row] = key;
        stampStart[row] = lineStart;
        stampEnd[row] = stampEndAt;
        kind[row] = eventKind;
        orderId[row] = id;
        side[row] = sideCode;
        price[row] = priceValue;
        size[row] = sizeValue;
        lines[row] = line;
        line++;
        row++;
        continue;
      }
      // Not the expected shape: the generic scanner takes the whole line (or an empty one).
      const lineEnd = buf.indexOf(LF, lineStart) + 1;
      this.line = line;
      this.previousTime = previousTime;
      columns.count = row;
      this.priceDecimals = priceDecimals;
      this.sizeDecimals = sizeDecimals;
      this.scanGeneric(buf, lineStart, lineEnd);
      ({ kind, side, orderId, price, size, time, line: lines } = columns);
      stampStart = this.stampStart;
      stampEnd = this.stampEnd;
      previousTime = this.previousTime;
      priceDecimals = this.priceDecimals;
      sizeDecimals = this.sizeDecimals;
      line = this.line;
      row = columns.count;
      p = lineEnd;
    }
    this.line = line;
    this.previousTime = previousTime;
    columns.count = row;
    this.priceDecimals = priceDecimals;
    this.sizeDecimals = sizeDecimals;
    return p;
  }

  /** Any layout and grammar: fields dispatched by kind; appends to `columns`. */
  private scanGeneric(buf: Buffer, start: number, end: number, maxRows = Number.POSITIVE_INFINITY): number {
    const columns = this.columns;
    const delimiter = this.delimiter;
    const kinds = this.kinds;
    const fieldCount = this.fieldCount;
    const pow10 = POW10_EXACT;
    const fixedKind = this.fixedKind;
    let { kind, side, orderId, price, size, time, line: lines } = columns;
    let stampStart = this.stampStart;
    let stampEnd = this.stampEnd;
    let previousTime = this.previousTime;
    let row = columns.count;
    let line = this.line;
    let p = start;
    while (p < end && row < maxRows) {
      let c = buf[p]!;
      if (c === LF || (c === CR && buf[p + 1] === LF)) {
        p += c === LF ? 1 : 2;
        this.line = ++line;
        continue;
      }
      if (row === columns.capacity) {
        columns.reserve(row * 2);
        ({ kind, side, orderId, price, size, time, line: lines } = columns);
        this.growStamps(columns.capacity);
        stampStart = this.stampStart;
        stampEnd = this.stampEnd;
      }
      kind[row] = fixedKind;
      side[row] = NO_SIDE;
      for (let field = 0; ; field++) {
        const fieldKind = kinds[field]!;
        const from = p;
        if (fieldKind === EVENT || fieldKind === SIDE || fieldKind === SKIP) {
          while (c !== delimiter && c !== LF && c !== CR) c = buf[++p]!;
          if (fieldKind === EVENT) kind[row] = this.eventKind(buf, from, p, line, field);
          else if (fieldKind === SIDE) side[row] = this.sideCode(buf, from, p, line, field);
        } else {
          // Readable version: value = Number(text) (scaled for prices and
          // sizes). The loop builds the decimal mantissa and counts its
          // fraction digits without making a string.
          let negative = false;
          if (c === MINUS || c === PLUS) {
            negative = c === MINUS;
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
          let fraction = 0;
          if (digit === DOT - 48) {
            const fractionFrom = ++p;
            digit = buf[p]! - 48;
            while (digit >>> 0 < 10) {
              mantissa = mantissa * 10 + digit;
              digit = buf[++p]! - 48;
            }
            fraction = p - fractionFrom;
            digitCount += fraction;
          }
          c = digit + 48;
          const clean = c === delimiter || c === LF || c === CR;
          if (negative) mantissa = -mantissa;
          if (fieldKind === TIME) {
            stampStart[row] = from;
            stampEnd[row] = p;
            let key: number;
            let exact = clean && digitCount > 0 && digitCount <= 15;
            if (exact) {
              key = fraction === 0 ? mantissa : mantissa / pow10[fraction]!;
            } else {
              while (c !== delimiter && c !== LF && c !== CR) c = buf[++p]!;
              stampEnd[row] = p;
              key = this.slowTime(buf, from, p, line, field);
              exact = false;
            }
            time[row] = key;
            if (key > previousTime && exact && this.previousText === null) {
              previousTime = key;
            } else {
              this.previousTime = previousTime;
              this.checkOrder(buf, from, p, key, exact, line);
              previousTime = this.previousTime;
            }
          } else if (digitCount === 0 && p === from && clean) {
            // An empty field: the value is missing.
            if (fieldKind === PRICE) price[row] = Number.NaN;
            else if (fieldKind === SIZE) size[row] = Number.NaN;
            else if (fieldKind === ID) orderId[row] = Number.NaN;
            else this.badNumber(buf, from, p, line, field);
          } else {
            if (!clean || digitCount === 0 || digitCount > 17) this.badNumber(buf, from, p, line, field);
            if (fieldKind === PRICE) {
              const decimals = fraction + this.priceShift;
              if (decimals > this.priceDecimals)
                this.priceDecimals = this.decimalsOk(decimals, buf, from, p, line, field);
              const value = mantissa * pow10[SCALE_DECIMALS - decimals]!;
              if (!(Math.abs(value) < FIXED_LIMIT)) this.badNumber(buf, from, p, line, field);
              price[row] = value;
            } else if (fieldKind === SIZE) {
              if (fraction > this.sizeDecimals)
                this.sizeDecimals = this.decimalsOk(fraction, buf, from, p, line, field);
              const value = mantissa * pow10[SCALE_DECIMALS - fraction]!;
              if (!(Math.abs(value) < FIXED_LIMIT)) this.badNumber(buf, from, p, line, field);
              size[row] = value;
            } else if (fieldKind === ID) {
              if (fraction > 0 || !(Math.abs(mantissa) < FIXED_LIMIT))
                this.badNumber(buf, from, p, line, field);
              orderId[row] = mantissa;
            } else if (fieldKind === LOBSTER_TYPE) {
              const code = fraction === 0 && mantissa > 0 && mantissa < 8 ? LOBSTER_KINDS[mantissa]! : 0;
              if (code === 0) this.badEvent(buf, from, p, line, field);
              kind[row] = code;
            } else {
              side[row] =
                mantissa === 1 && fraction === 0
                  ? BID
                  : mantissa === -1 && fraction === 0
                    ? ASK
                    : this.badDirection(buf, from, p, line, field);
            }
          }
        }
        if (c === delimiter) {
          if (field + 1 === fieldCount) throw this.fieldCountError(buf, p, line, field + 2);
          c = buf[++p]!;
          continue;
        }
        if (field + 1 !== fieldCount) throw this.fieldCountError(buf, p, line, field + 1);
        if (c === CR) p++;
        p++;
        break;
      }
      lines[row] = line;
      this.line = ++line;
      this.previousTime = previousTime;
      columns.count = ++row;
    }
    return p;
  }

  private growStamps(capacity: number): void {
    const starts = new Int32Array(capacity);
    starts.set(this.stampStart);
    this.stampStart = starts;
    const ends = new Int32Array(capacity);
    ends.set(this.stampEnd);
    this.stampEnd = ends;
  }

  /** A stamp that is not a short plain decimal: a long integer (epoch ns), or ISO text. */
  private slowTime(buf: Buffer, from: number, to: number, line: number, field: number): number {
    const text = bytesText(buf, from, to, false).trim();
    const numeric = /^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(text);
    const key = numeric ? Number(text) : Date.parse(text);
    if (text === "" || Number.isNaN(key)) {
      throw inputError(
        "bad_time",
        `unreadable time stamp "${text}"`,
        { file: this.file, line, column: field + 1 },
        "stamps are numbers (e.g. nanoseconds since midnight) or ISO 8601 date-times",
      );
    }
    return key;
  }

  /** Time order where the numbers alone cannot decide, or the stamp went back. */
  private checkOrder(buf: Buffer, from: number, to: number, key: number, exact: boolean, line: number): void {
    const text = exact ? null : bytesText(buf, from, to, false).trim();
    let backwards = key < this.previousTime;
    if (!backwards && key === this.previousTime && (text !== null || this.previousText !== null)) {
      const before = this.previousText ?? String(this.previousTime);
      const now = text ?? String(key);
      const numeric = /^[+-]?[\d.]+$/;
      backwards =
        numeric.test(before) && numeric.test(now) ? compareDecimalText(now, before) < 0 : now < before;
    }
    if (backwards) {
      if (!this.lenient) {
        throw inputError(
          "time_backwards",
          `time goes backwards: ${text ?? String(key)} after ${this.previousText ?? String(this.previousTime)}`,
          { file: this.file, line },
          "events must be in time order; --lenient counts such rows instead",
        );
      }
      if (this.timeBackwards++ === 0) this.firstBackwardsLine = line;
      return;
    }
    this.previousTime = key;
    this.previousText = text;
  }

  private decimalsOk(
    decimals: number,
    buf: Buffer,
    from: number,
    to: number,
    line: number,
    field: number,
  ): number {
    if (decimals > SCALE_DECIMALS) {
      throw inputError(
        "too_many_decimals",
        `"${bytesText(buf, from, to, false)}" has more than ${SCALE_DECIMALS} decimals`,
        { file: this.file, line, column: field + 1 },
        "prices and sizes are kept exact as integers of 10^-8",
      );
    }
    return decimals;
  }

  private eventKind(buf: Buffer, from: number, to: number, line: number, field: number): number {
    // Readable version: EVENT_WORDS.get(text.toLowerCase()). Dispatching on the
    // first letter and the length, then checking the bytes, makes no string.
    const candidates = EVENT_BY_LETTER[buf[from]! | 0x20];
    if (candidates !== undefined) {
      for (const [word, code] of candidates) {
        if (word.length !== to - from) continue;
        let k = 1;
        while (k < word.length && (buf[from + k]! | 0x20) === word[k]) k++;
        if (k === word.length) return code;
      }
    }
    const code = EVENT_WORDS.get(bytesText(buf, from, to, false).trim().toLowerCase());
    if (code !== undefined) return code;
    return this.badEvent(buf, from, to, line, field);
  }

  private sideCode(buf: Buffer, from: number, to: number, line: number, field: number): number {
    const length = to - from;
    if (length === 1) {
      const c = buf[from]! | 0x20;
      if (c === 98) return BID;
      if (c === 115 || c === 97) return ASK;
    }
    const text = bytesText(buf, from, to, false).trim().toLowerCase();
    if (text === "") return NO_SIDE;
    const code = SIDE_WORDS.get(text);
    if (code !== undefined) return code;
    throw inputError(
      "bad_side",
      `unknown side "${text}"`,
      { file: this.file, line, column: field + 1 },
      "sides are B/S, buy/sell or bid/ask (any case)",
    );
  }

  private badEvent(buf: Buffer, from: number, to: number, line: number, field: number): never {
    const text = bytesText(buf, from, to, false).trim();
    throw inputError(
      "bad_event",
      `unknown event "${text}"`,
      { file: this.file, line, column: field + 1 },
      this.lobster
        ? "LOBSTER message types are 1 to 7"
        : "events are add, cancel, delete, modify, execute, trade, clear (and limit, market, ioc, fok with --match)",
    );
  }

  private badDirection(buf: Buffer, from: number, to: number, line: number, field: number): never {
    throw inputError(
      "bad_side",
      `LOBSTER direction must be 1 or -1, found "${bytesText(buf, from, to, false).trim()}"`,
      { file: this.file, line, column: field + 1 },
    );
  }

  private badNumber(buf: Buffer, from: number, to: number, line: number, field: number): never {
    let end = to;
    while (buf[end] !== this.delimiter && buf[end] !== LF && buf[end] !== CR) end++;
    const text = bytesText(buf, from, end, false).trim();
    throw inputError(
      "bad_number",
      `unreadable number "${text}" in column ${field + 1}`,
      { file: this.file, line, column: field + 1 },
      "order ids are integers; prices and sizes plain decimals such as 100.25",
    );
  }

  private fieldCountError(buf: Buffer, p: number, line: number, found: number) {
    let count = found;
    if (found > this.fieldCount)
      for (let c = buf[++p]!; c !== LF; c = buf[++p]!) if (c === this.delimiter) count++;
    return inputError(
      "field_count",
      `expected ${this.fieldCount} fields, found ${count}`,
      { file: this.file, line },
      count < this.fieldCount
        ? "the row is short: a truncated or malformed file"
        : "the row has extra fields",
    );
  }
}
