/**
 * Numbers written as text: the cell grammar shared by every reader, the
 * missing-value markers, and an exact comparison of decimal strings.
 *
 * Cell values are correctly rounded exactly as JavaScript's `Number()` rounds
 * them (SPEC §1). The byte scanner has its own inline Clinger fast path; this
 * module is the reference it falls back to.
 */

/** Exact powers of ten: 10^k is representable in binary64 for k ≤ 22. */
export const POW10_EXACT: Float64Array = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** 2^53: every integer below it is exactly representable. */
export const TWO_POW_53 = 9007199254740992;

const DECIMAL_GRAMMAR = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY_WORDS = /^[+-]?(?:inf|infinity)$/i;

/**
 * True for the texts that mean "no value": empty, `NA`, `N/A`, `NaN`, `null`
 * (any letter case), after trimming spaces.
 */
export function isMissingText(text: string): boolean {
  switch (text.length) {
    case 0:
      return true;
    case 2:
      return text.toLowerCase() === "na";
    case 3: {
      const lower = text.toLowerCase();
      return lower === "nan" || lower === "n/a";
    }
    case 4:
      return text.toLowerCase() === "null";
    default:
      return false;
  }
}

/**
 * Parses one numeric cell.
 *
 * Returns the correctly rounded value; `NaN` when the cell is a missing
 * marker; `±Infinity` when the text is an infinity word or overflows binary64
 * (the caller reports it as a non-finite input); `undefined` when the text is
 * not a decimal number at all (`abc`, `1.2.3`, `0x10`).
 *
 * @example parseNumberText(" 0.1 ") // 0.1
 * @example parseNumberText("NA")    // NaN
 * @example parseNumberText("1e999") // Infinity
 */
export function parseNumberText(raw: string): number | undefined {
  const text = raw.trim();
  if (isMissingText(text)) return Number.NaN;
  if (DECIMAL_GRAMMAR.test(text)) return Number(text);
  if (INFINITY_WORDS.test(text)) return text.charCodeAt(0) === 45 ? -Infinity : Infinity;
  return undefined;
}

/**
 * The value of the plain decimal `ddd`, `ddd.ddd` or `.ddd` in
 * bytes[start, end) (ASCII digits, at most one point, no sign or exponent),
 * or NaN when the text is anything else or falls outside Clinger's fast
 * path: with the digits as an integer m < 2^53 and k ≤ 22 decimals, m and
 * 10^k are exact doubles and m / 10^k is one correctly rounded division, the
 * same double as `Number(text)` (Clinger 1990, doi:10.1145/93542.93557). A
 * caller seeing NaN goes to `Number()` on the text.
 *
 * @example parsePlainDecimalBytes(Buffer.from("143.06"), 0, 6) // 143.06
 * @example parsePlainDecimalBytes(Buffer.from("1e2"), 0, 3)    // NaN
 */
export function parsePlainDecimalBytes(bytes: Uint8Array, start: number, end: number): number {
  let mantissa = 0;
  let point = -1;
  for (let i = start; i < end; i++) {
    const digit = bytes[i]! - 48;
    if (digit >>> 0 < 10) mantissa = mantissa * 10 + digit;
    else if (digit === -2 && point < 0) point = i;
    else return Number.NaN;
  }
  const decimals = point < 0 ? 0 : end - point - 1;
  const digitCount = end - start - (point < 0 ? 0 : 1);
  if (digitCount === 0 || mantissa >= TWO_POW_53 || decimals > 22) return Number.NaN;
  return decimals === 0 ? mantissa : mantissa / POW10_EXACT[decimals]!;
}

/** True when `text` is a plain decimal number (the grammar of numeric cells). */
export function isDecimalText(text: string): boolean {
  return DECIMAL_GRAMMAR.test(text);
}

interface NormalizedDecimal {
  /** -1, 0 or 1. */
  sign: number;
  /** Significant digits without leading or trailing zeros ("" for zero). */
  digits: string;
  /** Value = 0.digits × 10^pointExponent. */
  pointExponent: number;
}

function normalizeDecimal(text: string): NormalizedDecimal {
  let index = 0;
  let sign = 1;
  if (text[0] === "-" || text[0] === "+") {
    if (text[0] === "-") sign = -1;
    index = 1;
  }
  const expAt = text.search(/[eE]/);
  const mantissa = text.slice(index, expAt < 0 ? text.length : expAt);
  const exponent = expAt < 0 ? 0 : Number.parseInt(text.slice(expAt + 1), 10);
  const dot = mantissa.indexOf(".");
  const integerPart = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const fractionPart = dot < 0 ? "" : mantissa.slice(dot + 1);
  let digits = integerPart + fractionPart;
  let pointExponent = integerPart.length + exponent;
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 48) lead++;
  pointExponent -= lead;
  let trail = digits.length;
  while (trail > lead && digits.charCodeAt(trail - 1) === 48) trail--;
  digits = digits.slice(lead, trail);
  if (digits.length === 0) return { sign: 0, digits, pointExponent: 0 };
  return { sign, digits, pointExponent };
}

/**
 * Compares two decimal strings by their exact value, with no rounding: the
 * tie-breaker behind time stamps such as epoch nanoseconds, where
 * `1700000000000000001` and `1700000000000000000` are one binary64 apart from
 * nothing. Both arguments must satisfy {@link isDecimalText}.
 *
 * @returns negative, zero or positive, like a sort comparator.
 * @example compareDecimalText("1700000000000000001", "1700000000000000000") // 1
 * @example compareDecimalText("1.50", "1.5e0") // 0
 */
export function compareDecimalText(a: string, b: string): number {
  const x = normalizeDecimal(a);
  const y = normalizeDecimal(b);
  if (x.sign !== y.sign) return x.sign - y.sign;
  if (x.sign === 0) return 0;
  let magnitude: number;
  if (x.pointExponent !== y.pointExponent) {
    magnitude = x.pointExponent - y.pointExponent;
  } else {
    // Digits carry no leading zeros, so text order is numeric order here
    // (a proper prefix is the smaller value).
    magnitude = x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0;
  }
  return x.sign * Math.sign(magnitude);
}
