/**
 * One tick from one line of text: NDJSON objects `{"ts","symbol","price"[,
 * "size"][,"seq"]}` or CSV rows under a header naming those columns.
 *
 * The NDJSON reader is a hand-written scanner for flat objects (any key
 * order, any whitespace, string or number values): at a million lines a
 * second JSON.parse per line, which builds an object only to read three
 * fields of it, costs more than everything else a tick does. Anything the
 * scanner does not expect (a nested value) goes to JSON.parse. Numbers are
 * converted by `Number()` (correctly rounded, SPEC §1); the time is kept as
 * written, JSON-encoded, so epoch nanoseconds are echoed exactly.
 */
import { POW10_EXACT, parseNumberText } from "../delimited/numberText.js";
import { isoKey, monthNameKey, numberKey } from "../table/timeStamps.js";

export interface Tick {
  /** The time exactly as written in the input, as a JSON string literal (with its quotes). */
  timeJson: string;
  symbol: string;
  price: number;
  /** The tick's sequence number, NaN when it has none. */
  seq: number;
}

/** Why a line is not a tick, and where on it (1-based column). */
export interface TickProblem {
  message: string;
  column: number;
}

const TIME_KEYS = new Set(["ts", "time", "timestamp", "t", "date"]);
const SYMBOL_KEYS = new Set(["symbol", "ticker"]);
const PRICE_KEYS = new Set(["price", "close", "value"]);
const SEQ_KEYS = new Set(["seq", "sequence"]);

const QUOTE = 34;
const BACKSLASH = 92;

const FIELD_OTHER = 0;
const FIELD_TIME = 1;
const FIELD_SYMBOL = 2;
const FIELD_PRICE = 3;
const FIELD_SEQ = 4;

/** Which tick field the key line[start, end) names, compared in place (no string is cut). */
function keyField(line: string, start: number, end: number): number {
  switch (end - start) {
    case 1:
      return line.charCodeAt(start) === 116 ? FIELD_TIME : FIELD_OTHER; // "t"
    case 2:
      return line.startsWith("ts", start) ? FIELD_TIME : FIELD_OTHER;
    case 3:
      return line.startsWith("seq", start) ? FIELD_SEQ : FIELD_OTHER;
    case 4:
      return line.startsWith("time", start) || line.startsWith("date", start) ? FIELD_TIME : FIELD_OTHER;
    case 5:
      return line.startsWith("price", start) ||
        line.startsWith("close", start) ||
        line.startsWith("value", start)
        ? FIELD_PRICE
        : FIELD_OTHER;
    case 6:
      return line.startsWith("symbol", start)
        ? FIELD_SYMBOL
        : line.startsWith("ticker", start)
          ? FIELD_SYMBOL
          : FIELD_OTHER;
    case 8:
      return line.startsWith("sequence", start) ? FIELD_SEQ : FIELD_OTHER;
    case 9:
      return line.startsWith("timestamp", start) ? FIELD_TIME : FIELD_OTHER;
    default:
      return FIELD_OTHER;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

function problem(message: string, index: number): TickProblem {
  return { message, column: index + 1 };
}

/**
 * Parses an NDJSON line into `tick` (reused by the caller: no allocation
 * besides the strings it must keep). Returns null when the line is a tick,
 * else what is wrong with it.
 */
export function parseNdjsonTick(line: string, tick: Tick): TickProblem | null {
  const n = line.length;
  let i = 0;
  while (i < n && isSpace(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== 123) return problem("expected a JSON object", i);
  i++;
  let timeJson: string | undefined;
  let symbol: string | undefined;
  let priceText: string | undefined;
  let price = Number.NaN;
  let priceIsString = false;
  let priceColumn = 0;
  let seqText: string | undefined;
  let seqColumn = 0;
  let first = true;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (first && line.charCodeAt(i) === 125) {
      i++;
      break;
    }
    first = false;
    if (line.charCodeAt(i) !== QUOTE) return problem("expected a key", i);
    const keyEnd = stringEnd(line, i);
    if (keyEnd < 0) return problem("unterminated string", i);
    const field = keyField(line, i + 1, keyEnd);
    i = keyEnd + 1;
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (line.charCodeAt(i) !== 58) return problem("expected ':'", i);
    i++;
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    const valueStart = i;
    const c = line.charCodeAt(i);
    let valueEnd: number;
    let isString = false;
    if (c === QUOTE) {
      const end = stringEnd(line, i);
      if (end < 0) return problem("unterminated string", i);
      valueEnd = end + 1;
      isString = true;
    } else if (c === 123 || c === 91) {
      return parseWithJson(line, tick);
    } else {
      valueEnd = i;
      while (valueEnd < n) {
        const d = line.charCodeAt(valueEnd);
        if (d === 44 || d === 125 || isSpace(d)) break;
        valueEnd++;
      }
      if (valueEnd === valueStart) return problem("expected a value", valueStart);
    }
    i = valueEnd;
    // Only the fields a tick needs are cut out of the line; other values are skipped unread.
    if (field === FIELD_TIME) {
      const text = line.slice(valueStart, valueEnd);
      if (isString) {
        if (!isTimeText(decodeString(text))) return problem(`bad time value ${text}`, valueStart);
        timeJson = text;
      } else if (text === "null") timeJson = undefined;
      else if (isDigits(text) || isJsonNumber(text)) timeJson = `"${text}"`;
      else return problem(`bad time value ${text}`, valueStart);
    } else if (field === FIELD_SYMBOL) {
      if (!isString) return problem("symbol must be a string", valueStart);
      symbol = decodeString(line.slice(valueStart, valueEnd));
    } else if (field === FIELD_PRICE) {
      price = isString ? Number.NaN : plainDecimal(line, valueStart, valueEnd);
      priceText = Number.isNaN(price) ? line.slice(valueStart, valueEnd) : "";
      priceIsString = isString;
      priceColumn = valueStart;
    } else if (field === FIELD_SEQ) {
      const text = line.slice(valueStart, valueEnd);
      seqText = isString ? decodeString(text) : text;
      seqColumn = valueStart;
    }
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    const separator = line.charCodeAt(i);
    i++;
    if (separator === 44) continue;
    if (separator === 125) break;
    return problem("expected ',' or '}'", i - 1);
  }
  while (i < n && isSpace(line.charCodeAt(i))) i++;
  if (i < n) return problem("unexpected text after the object", i);
  if (timeJson === undefined) return problem('no "ts"', 0);
  if (symbol === undefined || symbol.length === 0) return problem('no "symbol"', 0);
  if (priceText === undefined) return problem('no "price"', 0);
  if (priceText.length > 0) {
    // A bare value must be a JSON number: Number() alone would take 0x10 as 16.
    price =
      (priceIsString
        ? parseNumberText(decodeString(priceText))
        : isJsonNumber(priceText)
          ? Number(priceText)
          : undefined) ?? Number.NaN;
  }
  if (!(price > 0) || price === Number.POSITIVE_INFINITY) {
    return problem(`price must be a positive finite number, got ${priceText}`, priceColumn);
  }
  let seq = Number.NaN;
  if (seqText !== undefined && seqText !== "null") {
    seq = Number(seqText);
    if (!Number.isFinite(seq) || seqText.trim() === "") return problem(`bad seq ${seqText}`, seqColumn);
  }
  tick.timeJson = timeJson;
  tick.symbol = symbol;
  tick.price = price;
  tick.seq = seq;
  return null;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** RFC 8259's number grammar (no hex, no leading +, no Infinity). */
function isJsonNumber(text: string): boolean {
  return JSON_NUMBER.test(text);
}

/** A time stamp as text: a number, an ISO date-time or a month-name date (the kinds the readers parse). */
function isTimeText(text: string): boolean {
  return numberKey(text) !== undefined || isoKey(text) !== undefined || monthNameKey(text) !== undefined;
}

/** True when `text` is a non-empty run of decimal digits (an integer time stamp). */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The value of a plain decimal `ddd.ddd` in line[start, end) with at most 15
 * significant digits, else NaN (the caller then uses Number()). With the
 * digits as an integer m < 10^15 and k ≤ 15 decimals, m and 10^k are exact
 * doubles and m / 10^k is one correctly rounded division: the same double as
 * Number() (Clinger 1990, "How to read floating point numbers accurately",
 * PLDI '90, doi:10.1145/93542.93557).
 */
function plainDecimal(line: string, start: number, end: number): number {
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && decimals < 0) decimals = 0;
    else return Number.NaN;
  }
  if (digits === 0 || digits > 15 || decimals === 0) return Number.NaN;
  return decimals < 0 ? mantissa : mantissa / POW10_EXACT[decimals]!;
}

/** Index of the quote closing the string that opens at `start`, or −1. */
function stringEnd(line: string, start: number): number {
  const n = line.length;
  for (let i = start + 1; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** The value of a JSON string literal (quotes included); JSON.parse only when it has escapes. */
function decodeString(literal: string): string {
  if (literal.charCodeAt(0) !== QUOTE) return literal;
  const inner = literal.slice(1, -1);
  return inner.includes("\\") ? (JSON.parse(literal) as string) : inner;
}

/** The slow path, for lines the scanner does not expect (nested values). */
function parseWithJson(line: string, tick: Tick): TickProblem | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return problem(`not JSON: ${(error as Error).message}`, 0);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return problem("expected a JSON object", 0);
  }
  return tickFromObject(value as Record<string, unknown>, tick);
}

function pick(object: Record<string, unknown>, keys: Set<string>): unknown {
  for (const key of keys) if (Object.hasOwn(object, key)) return object[key];
  return undefined;
}

/** A tick from an already parsed object with the NDJSON tick keys (numbers or numeric strings). */
export function tickFromObject(object: Record<string, unknown>, tick: Tick): TickProblem | null {
  const time = pick(object, TIME_KEYS);
  const symbol = pick(object, SYMBOL_KEYS);
  const price = numberValue(pick(object, PRICE_KEYS));
  const seqValue = pick(object, SEQ_KEYS);
  if (typeof time !== "string" && typeof time !== "number") return problem('no "ts"', 0);
  if (typeof time === "string" && !isTimeText(time))
    return problem(`bad time value ${JSON.stringify(time)}`, 0);
  if (typeof symbol !== "string" || symbol.length === 0) return problem('no "symbol"', 0);
  if (price === undefined || !(price > 0) || price === Number.POSITIVE_INFINITY) {
    return problem("price must be a positive finite number", 0);
  }
  const seq = seqValue === undefined || seqValue === null ? Number.NaN : numberValue(seqValue);
  if (seq === undefined || (seqValue !== undefined && seqValue !== null && !Number.isFinite(seq))) {
    return problem("bad seq", 0);
  }
  tick.timeJson = JSON.stringify(String(time));
  tick.symbol = symbol;
  tick.price = price;
  tick.seq = seq;
  return null;
}

function numberValue(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") return parseNumberText(value);
  return undefined;
}

/** Where the tick fields are in a CSV tick file, from its header. */
export interface CsvTickLayout {
  delimiter: string;
  time: number;
  symbol: number;
  price: number;
  seq: number;
  columns: number;
}

/**
 * Reads a CSV/TSV tick header: a time column (ts/time/timestamp/date/t), a
 * symbol column (symbol/ticker) and a price column (price/close/value, or
 * `priceColumn`); `seq`/`sequence` optional. Tab-delimited when the header
 * has tabs and no commas.
 */
export function parseCsvTickHeader(line: string, priceColumn?: string): CsvTickLayout | TickProblem {
  const delimiter =
    line.includes("\t") && !line.includes(",") ? "\t" : line.includes(";") && !line.includes(",") ? ";" : ",";
  const names = splitCsv(line, delimiter).map((name) => name.trim().toLowerCase());
  const find = (keys: Set<string>): number => names.findIndex((name) => keys.has(name));
  const time = find(TIME_KEYS);
  const symbol = find(SYMBOL_KEYS);
  const price = priceColumn === undefined ? find(PRICE_KEYS) : names.indexOf(priceColumn.toLowerCase());
  if (time < 0) return problem("the header has no time column (ts, time, timestamp, date or t)", 0);
  if (symbol < 0) return problem("the header has no symbol column (symbol or ticker)", 0);
  if (price < 0) {
    return problem(`the header has no price column (${priceColumn ?? "price, close or value"})`, 0);
  }
  return { delimiter, time, symbol, price, seq: find(SEQ_KEYS), columns: names.length };
}

/** Parses a CSV tick row laid out as `layout` into `tick`; null when it is a tick. */
export function parseCsvTick(line: string, layout: CsvTickLayout, tick: Tick): TickProblem | null {
  const cells = splitCsv(line, layout.delimiter);
  if (cells.length < layout.columns) {
    return problem(`expected ${layout.columns} fields, found ${cells.length}`, line.length);
  }
  const column = (index: number): number => {
    let offset = 0;
    for (let j = 0; j < index; j++) offset += cells[j]!.length + 1;
    return offset;
  };
  const time = cells[layout.time]!.trim();
  const symbol = cells[layout.symbol]!.trim();
  if (time.length === 0) return problem("empty time", column(layout.time));
  if (symbol.length === 0) return problem("empty symbol", column(layout.symbol));
  const price = parseNumberText(cells[layout.price]!);
  if (price === undefined || !(price > 0) || price === Number.POSITIVE_INFINITY) {
    return problem(
      `price must be a positive finite number, got "${cells[layout.price]}"`,
      column(layout.price),
    );
  }
  let seq = Number.NaN;
  if (layout.seq >= 0) {
    const text = cells[layout.seq]!.trim();
    if (text.length > 0) {
      seq = Number(text);
      if (!Number.isFinite(seq)) return problem(`bad seq "${text}"`, column(layout.seq));
    }
  }
  tick.timeJson = JSON.stringify(time);
  tick.symbol = symbol;
  tick.price = price;
  tick.seq = seq;
  return null;
}

/** Splits one delimited line; double-quoted fields may hold the delimiter and "" for a quote. */
function splitCsv(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}
