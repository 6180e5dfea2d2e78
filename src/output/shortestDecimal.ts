import { kernelModule } from "../numerics/wasm/kernelMemory.js";
import { SCHUBFACH_WASM_BASE64 } from "../numerics/wasm/generated/schubfachWasm.js";

/**
 * A double as JavaScript prints it (`String(x)`, `Number.prototype.toString`),
 * written as ASCII bytes straight into the caller's buffer: at millions of
 * numbers a second, making a string per number and copying it out costs
 * more than finding its digits.
 *
 * Text: the shortest decimal that reads back as the same double, the one
 * closest to it when several are as short (the even one on a tie); plain
 * notation for 1e-7 < |x| < 1e21 (`0.000001`, `123.45`, `1e+21`, `1e-7`),
 * `-0` as `0`, `NaN`, `Infinity`, `-Infinity` (ECMA-262 §6.1.6.1.20).
 *
 * Method: Schubfach (Giulietti 2020). For x = c·2^q, with the rounding
 * interval [(c − ½)·2^q, (c + ½)·2^q] (its lower half as narrow again below a
 * power of two), k = ⌊log10 2^q⌋ (⌊log10 ¾·2^q⌋ there) makes the interval,
 * scaled by 10^−k, between 1 and 10 wide: it holds at most one multiple of
 * 10, and when it holds none, one or two integers. So the shortest decimal
 * is that multiple of 10 if there is one, else the integer closest to x·10^−k.
 * The three scaled points (both ends and x, times 4 to keep two fraction
 * bits) are `⌊g·cp / 2^128⌋` rounded to odd, with g the 128-bit ceiling of
 * 10^−k·2^(127 − ⌊log2 10^−k⌋) from a table and cp = (4c + δ)·2^h, h ∈ 1..4:
 * the paper proves these two guard bits and the sticky bit decide every
 * comparison exactly.
 *
 * The text comes from a WebAssembly kernel (src/numerics/wasm/schubfach.wat): the
 * method is 64×128-bit integer arithmetic, which JavaScript could only do
 * in double-double products with a 24-bit-limb fallback, at about half of
 * `stream`'s time; the kernel also lays the digits out (point, exponent,
 * trailing zeros) and this module copies the bytes. Integers below 2^53
 * skip it: their digits are their shortest text; so do numbers of at most
 * four decimal places below 1e11 (prices, mostly: see `fourPlaces`). The tests check the text
 * against `String(x)` on millions of doubles.
 *
 * References:
 * - R. Giulietti (2020), "The Schubfach way to render doubles",
 *   https://drive.google.com/open?id=1luHhyQF9zKlM8yJ1nebU0OgVYhfC6CBN
 *   (the algorithm of Java 19's Double.toString; our comparisons follow
 *   A. Bolz's C++ rendering of it, with 128-bit g and round-to-odd on
 *   `y0 > 1`).
 * - ECMA-262, Number::toString, https://tc39.es/ecma262/#sec-numeric-types-number-tostring
 *
 * @example
 * const bytes = new Uint8Array(32);
 * const end = writeShortestDecimal(0.1 + 0.2, bytes, 0);
 * Buffer.from(bytes.subarray(0, end)).toString(); // => "0.30000000000000004"
 */

/** The most bytes one number takes (`-0.0000012345678901234567`). */
export const SHORTEST_DECIMAL_MAX_BYTES = 25;
/**
 * The most bytes `writeShortestDecimalWords` touches: its text, then up to
 * the end of its last 8-byte word (overwritten by whatever follows).
 */
export const SHORTEST_DECIMAL_WORD_BYTES = 33;

const TEN_8 = 100000000;
const TWO_53 = 9007199254740992;
/**
 * Below this, two decimals with at most four fraction digits are further
 * apart (1e-4) than a double's rounding interval is wide (ulp < 1.6e-5).
 */
const FOUR_PLACES_LIMIT = 1e11;

/** Range of e in the table of 10^e: −k over every exponent q of a double. */
const POWER_MIN = -292;

/** ⌊log2 10^e⌋ for |e| ≤ 1233. */
function floorLog2Pow10(e: number): number {
  return (e * 1741647) >> 19;
}

interface SchubfachExports {
  memory: WebAssembly.Memory;
  /**
   * Writes the text of finite x > 0 at TEXT_OFFSET and returns its length;
   * MISSING + index when the table of 10^e lacks entry `index`.
   */
  format(x: number): number;
}

/** What `format` returns, plus the entry's index, when the table lacks an entry. */
const MISSING = 100000;
const TABLE_OFFSET = 16;
const TEXT_OFFSET = 10240;

/**
 * The kernel, compiled when this module loads (a few hundred bytes, well
 * under a millisecond): constants, not lazily filled variables, so that the
 * optimised callers hold them directly.
 */
const kernel = new WebAssembly.Instance(kernelModule(SCHUBFACH_WASM_BASE64))
  .exports as unknown as SchubfachExports;
/** Where the kernel writes a number's text, as bytes and as 8-byte words. */
const TEXT = new Uint8Array(kernel.memory.buffer, TEXT_OFFSET, SHORTEST_DECIMAL_MAX_BYTES);
const TEXT_WORDS = new Float64Array(kernel.memory.buffer, TEXT_OFFSET, 4);
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The kernel's table of 10^e, as (lo, hi) pairs of 64-bit words. */
const TABLE = new BigUint64Array(kernel.memory.buffer, TABLE_OFFSET, 2 * 617);

/**
 * Fills the table's entry `index` (e = index + POWER_MIN) with
 * g = ⌈10^e·2^(127 − ⌊log2 10^e⌋)⌉, 2^127 ≤ g < 2^128, computed with BigInt
 * the first time a number needs it (a few microseconds; all 617 at once
 * would add tens of milliseconds to every start).
 */
function fillPowerOfTen(index: number): void {
  const e = index + POWER_MIN;
  const r = floorLog2Pow10(e) - 127;
  let g: bigint;
  if (e >= 0) {
    const power = 10n ** BigInt(e);
    g = r >= 0 ? (power + (1n << BigInt(r)) - 1n) >> BigInt(r) : power << BigInt(-r);
  } else {
    const power = 10n ** BigInt(-e);
    g = ((1n << BigInt(-r)) + power - 1n) / power;
  }
  TABLE[2 * index] = g & 0xffffffffffffffffn;
  TABLE[2 * index + 1] = g >> 64n;
}

/** "00".."99" as ASCII pairs. */
const DIGIT_PAIRS = Uint8Array.from(
  { length: 200 },
  (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor(i / 20)),
);

/**
 * Writes `String(x)` as ASCII into `bytes` at `at` and returns the index
 * after it. `bytes` must have SHORTEST_DECIMAL_MAX_BYTES bytes of room there.
 */
export function writeShortestDecimal(x: number, bytes: Uint8Array, at: number): number {
  if (x === 0) {
    bytes[at] = 48;
    return at + 1;
  }
  if (x < 0) {
    bytes[at++] = 45;
    x = -x;
  }
  if (x < TWO_53) {
    if (Math.floor(x) === x) return writeInteger(x, bytes, at);
    const m = fourPlaces(x);
    if (m > 0) return writeFourPlaces(m, bytes, at);
  } else if (!(x < Number.POSITIVE_INFINITY)) {
    return writeNonFinite(x, bytes, at);
  }
  return writeSchubfach(x, bytes, at);
}

/**
 * m when x > 0 (not an integer) is the double nearest m/10^4 for an
 * integer m, else 0. Prices are mostly such numbers, and then their
 * shortest text is m/10^4 itself, trailing zeros dropped: below
 * FOUR_PLACES_LIMIT no other decimal of at most four places reads back as
 * x (the next is 1e-4 away, beyond x's rounding interval), and one of more
 * places, being within an ulp of m/10^4, has more than four of them and so
 * more digits than m/10^4. A handful of operations instead of Schubfach's.
 */
function fourPlaces(x: number): number {
  if (!(x < FOUR_PLACES_LIMIT)) return 0;
  const m = Math.round(x * 10000);
  return m / 10000 === x ? m : 0;
}

/** m/10^4 for 0 < m < 10^15, m not a multiple of 10^4: integer part, point, up to four places. */
function writeFourPlaces(m: number, bytes: Uint8Array, at: number): number {
  const integer = Math.floor(m / 10000);
  let fraction = m - integer * 10000;
  if (integer === 0) bytes[at++] = 48;
  else at = writeInteger(integer, bytes, at);
  bytes[at++] = 46;
  let places = 4;
  while (fraction % 10 === 0) {
    fraction /= 10;
    places--;
  }
  const end = at + places;
  for (let i = end - 1; i >= at; i--) {
    const q = (fraction / 10) | 0;
    bytes[i] = 48 + fraction - q * 10;
    fraction = q;
  }
  return end;
}

function writeNonFinite(x: number, bytes: Uint8Array, at: number): number {
  const text = x === Number.POSITIVE_INFINITY ? "Infinity" : "NaN";
  for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
  return at;
}

/** A positive integer below 2^53: its own digits are its shortest text. */
function writeInteger(x: number, bytes: Uint8Array, at: number): number {
  if (x < TEN_8) {
    const end = at + decimalLength(x);
    writeBackward(x, bytes, end);
    return end;
  }
  let high = Math.floor(x / TEN_8);
  let low = x - high * TEN_8;
  if (low < 0) {
    high--;
    low += TEN_8;
  } else if (low >= TEN_8) {
    high++;
    low -= TEN_8;
  }
  const end = at + decimalLength(high) + 8;
  write8Backward(low, bytes, end);
  writeBackward(high, bytes, end - 8);
  return end;
}

/** x > 0 finite, not an integer below 2^53: the kernel's text, copied. */
function writeSchubfach(x: number, bytes: Uint8Array, at: number): number {
  const length = kernelText(x);
  for (let i = 0; i < length; i++) bytes[at + i] = TEXT[i]!;
  return at + length;
}

/** The kernel's text of x > 0 (finite, not an integer below 2^53) at TEXT; returns its length. */
function kernelText(x: number): number {
  let length = kernel.format(x);
  if (length >= MISSING) {
    fillPowerOfTen(length - MISSING);
    length = kernel.format(x);
  }
  return length;
}

/**
 * `writeShortestDecimal` for finite x into the memory of `view` (= `bytes`),
 * copying the kernel's text 8 bytes at a time: a byte loop was a fifth of
 * `stream`'s time. It may write up to SHORTEST_DECIMAL_WORD_BYTES bytes
 * from `at`; those past the returned end are left for what comes next.
 */
export function writeShortestDecimalWords(x: number, view: DataView, bytes: Uint8Array, at: number): number {
  const magnitude = x < 0 ? -x : x;
  let start = at;
  if (magnitude < TWO_53) {
    if (Math.floor(magnitude) === magnitude) return writeShortestDecimal(x, bytes, at);
    const m = fourPlaces(magnitude);
    if (m > 0) {
      if (x < 0) bytes[start++] = 45;
      return writeFourPlaces(m, bytes, start);
    }
  }
  if (x < 0) bytes[start++] = 45;
  const length = kernelText(magnitude);
  const words = TEXT_WORDS;
  for (let i = 0; i < length; i += 8) view.setFloat64(start + i, words[i >> 3]!, HOST_LITTLE_ENDIAN);
  return start + length;
}

/** The digits of 1 ≤ v < 2^31, no leading zeros, ending just before `end`. */
function writeBackward(v: number, bytes: Uint8Array, end: number): void {
  let n = v | 0;
  while (n >= 100) {
    const q = (n / 100) | 0;
    const pair = (n - q * 100) << 1;
    bytes[--end] = DIGIT_PAIRS[pair + 1]!;
    bytes[--end] = DIGIT_PAIRS[pair]!;
    n = q;
  }
  if (n >= 10) {
    bytes[--end] = DIGIT_PAIRS[(n << 1) + 1]!;
    bytes[end - 1] = DIGIT_PAIRS[n << 1]!;
  } else bytes[end - 1] = 48 + n;
}

/** Exactly 8 digits of 0 ≤ v < 10^8 (leading zeros kept), ending just before `end`. */
function write8Backward(v: number, bytes: Uint8Array, end: number): void {
  const n = v | 0;
  const high = (n / 10000) | 0;
  const low = n - high * 10000;
  const a = ((high / 100) | 0) << 1;
  const b = (high - ((high / 100) | 0) * 100) << 1;
  const c = ((low / 100) | 0) << 1;
  const d = (low - ((low / 100) | 0) * 100) << 1;
  bytes[end - 8] = DIGIT_PAIRS[a]!;
  bytes[end - 7] = DIGIT_PAIRS[a + 1]!;
  bytes[end - 6] = DIGIT_PAIRS[b]!;
  bytes[end - 5] = DIGIT_PAIRS[b + 1]!;
  bytes[end - 4] = DIGIT_PAIRS[c]!;
  bytes[end - 3] = DIGIT_PAIRS[c + 1]!;
  bytes[end - 2] = DIGIT_PAIRS[d]!;
  bytes[end - 1] = DIGIT_PAIRS[d + 1]!;
}

/** Number of decimal digits of 1 ≤ v < 10^10. */
function decimalLength(v: number): number {
  if (v < 10000) return v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : 4;
  if (v < 100000000) return v < 1000000 ? (v < 100000 ? 5 : 6) : v < 10000000 ? 7 : 8;
  return v < 1000000000 ? 9 : 10;
}

/** `String(x)` through the byte writer (for tests and one-off use). */
export function shortestDecimalText(x: number): string {
  const bytes = new Uint8Array(SHORTEST_DECIMAL_MAX_BYTES);
  const end = writeShortestDecimal(x, bytes, 0);
  return Buffer.from(bytes.buffer, 0, end).toString("latin1");
}
