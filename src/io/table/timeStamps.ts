/**
 * Parsing of single time stamps into exact sort keys.
 *
 * Each kind maps a stamp to a *primary* key (a float64 that never reverses
 * the true order, though it may tie distinct stamps) and, where a tie can
 * hide a difference, an exact tie-breaker in `timeAxis.ts`. The text itself
 * is never changed: output echoes it as written (SPEC §1).
 *
 * Kinds:
 * - `number`: integers (epoch s/ms/ns, any length) and plain decimals such as
 *   decimal years (`1991.496154`); primary key = `Number(text)`.
 * - `iso`: `YYYY-MM-DD`, optionally `[T ]HH:MM[:SS[.fraction]]` and a zone
 *   `Z`/`±HH[:MM]`; primary key = epoch milliseconds in UTC (naive stamps are
 *   read as UTC), the sub-millisecond digits break ties.
 * - `monthName`: `Jan 1 2000`, `January 1, 2000`, `1 Jan 2000`,
 *   `01-Jan-2000`, optionally followed by `HH:MM[:SS]`; primary key = epoch
 *   milliseconds.
 */
import { isDecimalText } from "../delimited/numberText.js";

export type TimeKind = "number" | "iso" | "monthName";

const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date.
 *
 * Method: H. Hinnant, "chrono-compatible low-level date algorithms",
 * `days_from_civil` — exact integer arithmetic for every year, with none of
 * `Date.UTC`'s two-digit-year surprises.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let k = 0; k < count; k++) {
    const digit = text.charCodeAt(at + k) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Sub-millisecond digits of the last ISO stamp parsed (trailing zeros removed). */
export const isoLastParse = { fractionTail: "" };

/**
 * Epoch milliseconds (UTC) of an ISO 8601 date or date-time, or `undefined`
 * when the text is not one. Sets `isoLastParse.fractionTail`.
 *
 * @example isoKey("2000-01-03") // 946857600000
 * @example isoKey("2024-01-02T09:30:00.5+01:00") // 1704184200500
 */
export function isoKey(text: string): number | undefined {
  isoLastParse.fractionTail = "";
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  let ms = daysFromCivil(year, month, day) * MS_PER_DAY;
  if (text.length === 10) return ms;
  const separator = text.charCodeAt(10);
  if (separator !== 84 && separator !== 32 && separator !== 116) return undefined; // "T", " ", "t"
  const hour = digitsAt(text, 11, 2);
  const minute = text.charCodeAt(13) === 58 ? digitsAt(text, 14, 2) : -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  ms += hour * 3_600_000 + minute * 60_000;
  let at = 16;
  if (text.charCodeAt(at) === 58) {
    const second = digitsAt(text, at + 1, 2);
    if (second < 0 || second > 60) return undefined; // 60: a leap second
    ms += second * 1000;
    at += 3;
    const mark = text.charCodeAt(at);
    if (mark === 46 || mark === 44) {
      const from = ++at;
      while (at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at++;
      if (at === from) return undefined;
      const fraction = text.slice(from, at);
      ms += Number(`${fraction}00`.slice(0, 3));
      isoLastParse.fractionTail = fraction.slice(3).replace(/0+$/, "");
    }
  }
  if (at === text.length) return ms;
  const zone = text.charCodeAt(at);
  if ((zone === 90 || zone === 122) && at + 1 === text.length) return ms; // "Z"
  if (zone !== 43 && zone !== 45) return undefined;
  const offsetHours = digitsAt(text, at + 1, 2);
  let offsetMinutes = 0;
  const rest = text.length - (at + 3);
  if (rest === 3 && text.charCodeAt(at + 3) === 58) offsetMinutes = digitsAt(text, at + 4, 2);
  else if (rest === 2) offsetMinutes = digitsAt(text, at + 3, 2);
  else if (rest !== 0) return undefined;
  if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return undefined;
  const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000;
  return zone === 43 ? ms - offsetMs : ms + offsetMs;
}

function digitsIn(bytes: Uint8Array, at: number, count: number, end: number): number {
  if (at + count > end) return -1;
  let value = 0;
  for (let k = 0; k < count; k++) {
    const digit = bytes[at + k]! - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Whether the ASCII bytes[start, end) are a stamp `isoKey` accepts (the same
 * grammar and ranges, checked without making a string): the stream's byte
 * path asks it of every quoted stamp, where a string and a parse per tick
 * cost more than the rest of the tick.
 */
export function isIsoBytes(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < 10 || bytes[start + 4] !== 45 || bytes[start + 7] !== 45) return false;
  const year = digitsIn(bytes, start, 4, end);
  const month = digitsIn(bytes, start + 5, 2, end);
  const day = digitsIn(bytes, start + 8, 2, end);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (end - start === 10) return true;
  const separator = bytes[start + 10];
  if (separator !== 84 && separator !== 32 && separator !== 116) return false;
  const hour = digitsIn(bytes, start + 11, 2, end);
  const minute = start + 13 < end && bytes[start + 13] === 58 ? digitsIn(bytes, start + 14, 2, end) : -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  let at = start + 16;
  if (at < end && bytes[at] === 58) {
    const second = digitsIn(bytes, at + 1, 2, end);
    if (second < 0 || second > 60) return false;
    at += 3;
    if (at < end && (bytes[at] === 46 || bytes[at] === 44)) {
      const from = ++at;
      while (at < end && bytes[at]! >= 48 && bytes[at]! <= 57) at++;
      if (at === from) return false;
    }
  }
  if (at === end) return true;
  const zone = bytes[at];
  if ((zone === 90 || zone === 122) && at + 1 === end) return true;
  if (zone !== 43 && zone !== 45) return false;
  const offsetHours = digitsIn(bytes, at + 1, 2, end);
  let offsetMinutes = 0;
  const rest = end - (at + 3);
  if (rest === 3 && bytes[at + 3] === 58) offsetMinutes = digitsIn(bytes, at + 4, 2, end);
  else if (rest === 2) offsetMinutes = digitsIn(bytes, at + 3, 2, end);
  else if (rest !== 0) return false;
  return offsetHours >= 0 && offsetHours <= 23 && offsetMinutes >= 0 && offsetMinutes <= 59;
}

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

function monthNumber(word: string): number {
  const lower = word.toLowerCase().replace(/\.$/, "");
  if (lower.length < 3) return -1;
  for (let m = 0; m < 12; m++) {
    const name = MONTHS[m]!;
    if (name.startsWith(lower) || (m === 8 && lower === "sept")) return m + 1;
  }
  return -1;
}

const MONTH_NAME_DATE =
  /^(?:([A-Za-z]{3,9}\.?)[ -](\d{1,2}),?|(\d{1,2})[ -]([A-Za-z]{3,9}\.?),?)[ -](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Epoch milliseconds of a month-name date such as `Jan 1 2000`, or
 * `undefined` when the text is not one.
 *
 * @example monthNameKey("Jan 1 2000") // 946684800000
 */
export function monthNameKey(text: string): number | undefined {
  const match = MONTH_NAME_DATE.exec(text);
  if (match === null) return undefined;
  const month = monthNumber(match[1] ?? match[4]!);
  const day = Number(match[2] ?? match[3]);
  const year = Number(match[5]);
  if (month < 0 || day < 1 || day > daysInMonth(year, month)) return undefined;
  let ms = daysFromCivil(year, month, day) * MS_PER_DAY;
  if (match[6] !== undefined) {
    const hour = Number(match[6]);
    const minute = Number(match[7]);
    const second = match[8] === undefined ? 0 : Number(match[8]);
    if (hour > 23 || minute > 59 || second > 60) return undefined;
    ms += hour * 3_600_000 + minute * 60_000 + second * 1000;
  }
  return ms;
}

/** `Number(text)` for a finite plain decimal, else `undefined`. */
export function numberKey(text: string): number | undefined {
  if (!isDecimalText(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** The kind of a stamp, tried in the order ISO, number, month name. */
export function detectTimeKind(text: string): TimeKind | undefined {
  if (isoKey(text) !== undefined) return "iso";
  if (numberKey(text) !== undefined) return "number";
  if (monthNameKey(text) !== undefined) return "monthName";
  return undefined;
}

export const TIME_KIND_EXAMPLE: Record<TimeKind, string> = {
  number: "a number such as 1704205800000 or 1991.496154",
  iso: "an ISO date such as 2000-01-03 or 2000-01-03T09:30:00Z",
  monthName: "a date such as Jan 1 2000",
};

/**
 * The calendar month of a date stamp as year·12 + (month − 1), or
 * `undefined` for a stamp that is no date (a number, epoch time). ISO
 * stamps give the month as written (a `±HH:MM` offset does not move it: a
 * trading day belongs to its local date); month-name dates likewise.
 *
 * @example calendarMonth("2000-01-03") // 24000
 * @example calendarMonth("Feb 1 2000") // 24001
 * @example calendarMonth("946857600000") // undefined
 */
export function calendarMonth(text: string): number | undefined {
  if (isoKey(text) !== undefined) return digitsAt(text, 0, 4) * 12 + digitsAt(text, 5, 2) - 1;
  const ms = monthNameKey(text);
  if (ms === undefined) return undefined;
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}
