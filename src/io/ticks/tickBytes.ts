/**
 * NDJSON ticks read straight from the input's bytes: where the time and
 * symbol are, the price and the sequence number, with no string made. The
 * stream engine copies the time's bytes to its output and finds the
 * symbol's state by its bytes. A feed lays out every line alike, so a
 * scanner remembers a line's layout and checks the next lines against it.
 *
 * This is the fast path of `parseNdjsonTick` for the lines a feed writes:
 * ASCII, flat, a numeric or string time, a string symbol without escapes, a
 * plain decimal price and an integer `seq`. Anything else — a malformed
 * line, an escape, a non-ASCII symbol or time, a nested value, an exponent —
 * makes the scanner give up on the line, and the caller hands its text to
 * `parseNdjsonTick`, so every tick reads the same and every malformed line
 * gets the same message (line, column) either way. The keys, whitespace
 * (space, tab, CR) and skipped values follow `parseNdjsonTick` exactly.
 */
import { parsePlainDecimalBytes } from "../delimited/numberText.js";
import { isIsoBytes, numberKey } from "../table/timeStamps.js";

/** Where a scanned tick's fields are in the buffer, and its numbers. */
export class TickBytes {
  /** The time value as written: a JSON string literal with its quotes, or the digits of an integer. */
  timeStart = 0;
  timeEnd = 0;
  timeQuoted = false;
  /** The symbol's bytes, without quotes. */
  symbolStart = 0;
  symbolEnd = 0;
  /** FNV-1a hash of the symbol's bytes. */
  symbolHash = 0;
  price = 0;
  /** NaN when the tick has none. */
  seq = Number.NaN;
}

const LF = 10;
const TAB = 9;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

const FIELD_OTHER = 0;
const FIELD_TIME = 1;
const FIELD_SYMBOL = 2;
const FIELD_PRICE = 3;
const FIELD_SEQ = 4;

/** Bytes that end an unquoted value: `,` `}`, whitespace and the line feed. */
const ENDS_VALUE = new Uint8Array(256);
for (const c of [COMMA, CLOSE_BRACE, SPACE, TAB, CR, LF]) ENDS_VALUE[c] = 1;
/** Bytes a string scan must stop at: the quote, a backslash, the line feed and non-ASCII bytes. */
const STOPS_STRING = new Uint8Array(256);
for (let c = 128; c < 256; c++) STOPS_STRING[c] = 1;
for (const c of [QUOTE, BACKSLASH, LF]) STOPS_STRING[c] = 1;

/** The largest integer `seq` read here: 15 digits are exact whatever they are. */
const SEQ_MAX_DIGITS = 15;

/** Which tick field the key bytes[start, end) names, as `parseNdjsonTick`'s keys (ts/time/timestamp/t/date, …). */
function keyField(bytes: Uint8Array, start: number, end: number): number {
  const b0 = bytes[start]!;
  switch (end - start) {
    case 1:
      return b0 === 116 ? FIELD_TIME : FIELD_OTHER; // t
    case 2:
      return b0 === 116 && bytes[start + 1] === 115 ? FIELD_TIME : FIELD_OTHER; // ts
    case 3:
      return b0 === 115 && bytes[start + 1] === 101 && bytes[start + 2] === 113 ? FIELD_SEQ : FIELD_OTHER; // seq
    case 4:
      return matches(bytes, start, "time") || matches(bytes, start, "date") ? FIELD_TIME : FIELD_OTHER;
    case 5:
      return matches(bytes, start, "price") ||
        matches(bytes, start, "close") ||
        matches(bytes, start, "value")
        ? FIELD_PRICE
        : FIELD_OTHER;
    case 6:
      return matches(bytes, start, "symbol") || matches(bytes, start, "ticker") ? FIELD_SYMBOL : FIELD_OTHER;
    case 8:
      return matches(bytes, start, "sequence") ? FIELD_SEQ : FIELD_OTHER;
    case 9:
      return matches(bytes, start, "timestamp") ? FIELD_TIME : FIELD_OTHER;
    default:
      return FIELD_OTHER;
  }
}

function matches(bytes: Uint8Array, start: number, key: string): boolean {
  for (let i = 0; i < key.length; i++) if (bytes[start + i] !== key.charCodeAt(i)) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

// What a value is, by its key and its first byte; the reader for each is shared by both scans.
const VALUE_TIME_DIGITS = 0;
const VALUE_TIME_STRING = 1;
const VALUE_SYMBOL = 2;
const VALUE_PRICE = 3;
const VALUE_SEQ = 4;
const VALUE_SKIP_STRING = 5;
const VALUE_SKIP_SCALAR = 6;
/** The tick field (bit 1 time, 2 symbol, 4 price) each kind of value fills. */
const VALUE_FIELD = [1, 1, 2, 4, 0, 0, 0];

/** The kind of the value that starts with byte `c` under a key naming `field`; −1 for the text path. */
function valueKind(field: number, c: number): number {
  if (c === QUOTE) {
    if (field === FIELD_TIME) return VALUE_TIME_STRING;
    if (field === FIELD_SYMBOL) return VALUE_SYMBOL;
    return field === FIELD_OTHER ? VALUE_SKIP_STRING : -1; // a quoted price or seq: the text path reads it
  }
  if (c === OPEN_BRACE || c === 91) return -1;
  if (field === FIELD_TIME) return VALUE_TIME_DIGITS;
  if (field === FIELD_PRICE) return VALUE_PRICE;
  if (field === FIELD_SEQ) return VALUE_SEQ;
  return field === FIELD_OTHER ? VALUE_SKIP_SCALAR : -1; // "symbol must be a string"
}

/**
 * The end of the string literal opening at bytes[start]: the index after its
 * closing quote, negated when it has escapes or non-ASCII bytes; 0 when the
 * line ends first.
 */
function stringEnd(bytes: Uint8Array, start: number): number {
  let i = start + 1;
  let c = bytes[i]!;
  let plain = true;
  for (;;) {
    while (STOPS_STRING[c] === 0) c = bytes[++i]!;
    if (c === QUOTE) return plain ? i + 1 : -(i + 1);
    if (c === LF) return 0;
    plain = false;
    if (c === BACKSLASH) {
      c = bytes[++i]!;
      if (c === LF) return 0;
    }
    c = bytes[++i]!;
  }
}

/** The end of the unquoted value at bytes[start] (the first byte ending a value), or −1 when it is empty. */
function scalarEnd(bytes: Uint8Array, start: number): number {
  let i = start;
  while (ENDS_VALUE[bytes[i]!] === 0) i++;
  return i === start ? -1 : i;
}

/**
 * Whether the quoted stamp bytes[start, end) (ASCII, starting with a digit)
 * is a time the readers parse: digits with at most one point (epoch text) at
 * once, else as the text path checks it (a number or an ISO date-time), so a
 * stamp like "2024-13-02" is refused here as it is there, not echoed.
 */
function isQuotedTime(bytes: Uint8Array, start: number, end: number): boolean {
  let points = 0;
  let i = start;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c === 46) points++;
    else if ((c - 48) >>> 0 >= 10) break;
  }
  if (i === end && points <= 1 && bytes[end - 1] !== 46) return true;
  if (isIsoBytes(bytes, start, end)) return true;
  // Rare on a feed (an exponent, a trailing point): decoded and checked as the text path does.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");
  return numberKey(text) !== undefined;
}

/** Reads the value of `kind` at bytes[start] into `tick`; returns the index after it, or −1. */
function readValue(kind: number, bytes: Uint8Array, start: number, tick: TickBytes): number {
  switch (kind) {
    case VALUE_TIME_DIGITS: {
      // Only digits: an integer stamp is echoed as a string of its digits.
      let i = start;
      while ((bytes[i]! - 48) >>> 0 < 10) i++;
      if (i === start || ENDS_VALUE[bytes[i]!] === 0) return -1;
      tick.timeStart = start;
      tick.timeEnd = i;
      tick.timeQuoted = false;
      return i;
    }
    case VALUE_TIME_STRING: {
      // A stamp that starts with a digit (ISO, epoch text) is taken here; any other (a month name,
      // or not a time at all) goes to the text path, which parses it.
      if (bytes[start] !== QUOTE || (bytes[start + 1]! - 48) >>> 0 >= 10) return -1;
      const end = stringEnd(bytes, start);
      if (end <= 0 || !isQuotedTime(bytes, start + 1, end - 1)) return -1;
      tick.timeStart = start;
      tick.timeEnd = end;
      tick.timeQuoted = true;
      return end;
    }
    case VALUE_SYMBOL: {
      if (bytes[start] !== QUOTE) return -1;
      const end = stringEnd(bytes, start);
      if (end <= 0 || end - start === 2) return -1;
      let hash = 0x811c9dc5;
      for (let j = start + 1; j < end - 1; j++) hash = Math.imul(hash ^ bytes[j]!, 0x01000193);
      tick.symbolStart = start + 1;
      tick.symbolEnd = end - 1;
      tick.symbolHash = hash >>> 0;
      return end;
    }
    case VALUE_PRICE: {
      const end = scalarEnd(bytes, start);
      if (end < 0) return -1;
      const price = parsePlainDecimalBytes(bytes, start, end);
      if (!(price > 0)) return -1;
      tick.price = price;
      return end;
    }
    case VALUE_SEQ: {
      const end = scalarEnd(bytes, start);
      if (end < 0 || end - start > SEQ_MAX_DIGITS) return -1;
      let seq = 0;
      for (let j = start; j < end; j++) {
        const digit = bytes[j]! - 48;
        if (digit >>> 0 >= 10) return -1;
        seq = seq * 10 + digit;
      }
      tick.seq = seq;
      return end;
    }
    case VALUE_SKIP_STRING: {
      if (bytes[start] !== QUOTE) return -1;
      const end = stringEnd(bytes, start);
      return end === 0 ? -1 : Math.abs(end);
    }
    default: {
      // The kind says scalar; in a line checked against a shape, the byte may say otherwise.
      const c = bytes[start];
      return c === QUOTE || c === OPEN_BRACE || c === 91 ? -1 : scalarEnd(bytes, start);
    }
  }
}

/** At most this many values per line are remembered in a shape. */
const SHAPE_MAX_VALUES = 16;

/**
 * Scans the NDJSON tick that starts at bytes[start] into `tick`. Returns the
 * index of the line feed that ends it, or −1 when the line is not a plain
 * tick (then `tick` is partly overwritten and the caller reads the line as
 * text). The line must end with a line feed within `bytes`: every loop stops
 * at one, so none needs a bounds check. With `spans`, records each value's
 * kind, start and end (count in spans[0]; 0 when there were too many).
 */
export function scanNdjsonTick(
  bytes: Uint8Array,
  start: number,
  tick: TickBytes,
  spans: Int32Array | null = null,
): number {
  let i = start;
  let c = bytes[i]!;
  while (isSpace(c)) c = bytes[++i]!;
  if (c !== OPEN_BRACE) return -1;
  let fields = 0;
  let values = 0;
  tick.seq = Number.NaN;
  c = bytes[++i]!;
  for (;;) {
    while (isSpace(c)) c = bytes[++i]!;
    if (c !== QUOTE) return -1;
    const keyStart = i + 1;
    c = bytes[++i]!;
    while (STOPS_STRING[c] === 0) c = bytes[++i]!;
    if (c !== QUOTE) return -1;
    const field = keyField(bytes, keyStart, i);
    c = bytes[++i]!;
    while (isSpace(c)) c = bytes[++i]!;
    if (c !== COLON) return -1;
    c = bytes[++i]!;
    while (isSpace(c)) c = bytes[++i]!;
    const kind = valueKind(field, c);
    if (kind < 0) return -1;
    const valueStart = i;
    i = readValue(kind, bytes, i, tick);
    if (i < 0) return -1;
    fields |= VALUE_FIELD[kind]!;
    if (spans !== null && values < SHAPE_MAX_VALUES) {
      spans[1 + 3 * values] = kind;
      spans[2 + 3 * values] = valueStart;
      spans[3 + 3 * values] = i;
    }
    values++;
    c = bytes[i]!;
    while (isSpace(c)) c = bytes[++i]!;
    if (c === COMMA) {
      c = bytes[++i]!;
      continue;
    }
    if (c !== CLOSE_BRACE) return -1;
    c = bytes[++i]!;
    break;
  }
  while (isSpace(c)) c = bytes[++i]!;
  if (c !== LF || fields !== 7) return -1;
  if (spans !== null) spans[0] = values <= SHAPE_MAX_VALUES ? values : 0;
  return i;
}

/**
 * The layout of one tick line: its literal bytes (keys, punctuation,
 * whitespace) around values of known kinds. A line with the same literals
 * and values of the same kinds reads exactly as `scanNdjsonTick` reads it —
 * same keys in the same order, each value through the same reader — so it
 * is checked literal by literal instead of key by key.
 */
class LineShape {
  constructor(
    /** literals[v] precedes value v; the last one ends the line (before its line feed). */
    private readonly literals: Literal[],
    private readonly kinds: Int8Array,
  ) {}

  /** As scanNdjsonTick, for a line of this shape (`view` over `bytes`); −1 for any other line. */
  scan(bytes: Uint8Array, view: DataView, start: number, tick: TickBytes): number {
    const literals = this.literals;
    const kinds = this.kinds;
    tick.seq = Number.NaN;
    let i = start;
    for (let v = 0; v <= kinds.length; v++) {
      const literal = literals[v]!;
      if (!literal.matches(bytes, view, i)) return -1;
      i += literal.length;
      if (v === kinds.length) break;
      i = readValue(kinds[v]!, bytes, i, tick);
      if (i < 0) return -1;
    }
    return bytes[i] === LF ? i : -1;
  }

  /** The shape of the line at bytes[start..end) (end at its line feed) from the spans scanNdjsonTick recorded. */
  static of(bytes: Uint8Array, start: number, end: number, spans: Int32Array): LineShape {
    const count = spans[0]!;
    const literals: Literal[] = [];
    const kinds = new Int8Array(count);
    let from = start;
    for (let v = 0; v < count; v++) {
      kinds[v] = spans[1 + 3 * v]!;
      literals.push(new Literal(bytes.subarray(from, spans[2 + 3 * v]!)));
      from = spans[3 + 3 * v]!;
    }
    literals.push(new Literal(bytes.subarray(from, end)));
    return new LineShape(literals, kinds);
  }
}

/** Fixed bytes of a line shape, compared four at a time. */
class Literal {
  readonly length: number;
  private readonly bytes: Uint8Array;
  /** The bytes as little-endian 32-bit words (the last partial word not included). */
  private readonly words: Int32Array;

  constructor(bytes: Uint8Array) {
    this.length = bytes.length;
    this.bytes = Uint8Array.from(bytes);
    const view = new DataView(this.bytes.buffer);
    this.words = Int32Array.from({ length: bytes.length >> 2 }, (_, w) => view.getInt32(4 * w, true));
  }

  /** Whether bytes[at..] starts with this literal (never true across a line feed: a literal holds none). */
  matches(bytes: Uint8Array, view: DataView, at: number): boolean {
    const length = this.length;
    if (at + length > bytes.length) return false;
    const words = this.words;
    let k = 0;
    for (let w = 0; w < words.length; w++, k += 4) if (view.getInt32(at + k, true) !== words[w]) return false;
    const tail = this.bytes;
    for (; k < length; k++) if (bytes[at + k] !== tail[k]) return false;
    return true;
  }
}

/** How many line shapes a scanner keeps, most recent first. */
const SHAPES_KEPT = 4;

/**
 * `scanNdjsonTick` for a stream of lines: it remembers the layout of the
 * last few lines it read and checks each new line against them first, which
 * for a feed (every line laid out alike) skips most of the key-by-key work.
 */
export class NdjsonTickScanner {
  private shapes: LineShape[] = [];
  private readonly spans = new Int32Array(1 + 3 * SHAPE_MAX_VALUES);
  private viewed: Uint8Array | null = null;
  private view: DataView = new DataView(new ArrayBuffer(0));

  /** As scanNdjsonTick. */
  scan(bytes: Uint8Array, start: number, tick: TickBytes): number {
    if (bytes !== this.viewed) {
      this.viewed = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const shapes = this.shapes;
    for (let s = 0; s < shapes.length; s++) {
      const end = shapes[s]!.scan(bytes, this.view, start, tick);
      if (end >= 0) return end;
    }
    const end = scanNdjsonTick(bytes, start, tick, this.spans);
    if (end >= 0 && this.spans[0]! > 0) {
      shapes.unshift(LineShape.of(bytes, start, end, this.spans));
      if (shapes.length > SHAPES_KEPT) shapes.pop();
    }
    return end;
  }
}
