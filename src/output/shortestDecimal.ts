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
 * JavaScript has no 64×128-bit product. The fast path computes the three
 * points in double-double arithmetic instead: c times the table's 10^−k·2^−r
 * (held as a high and a low double, ~106 bits) by Dekker's exact product,
 * which leaves each point with an error below 2^−44. Where no point lies
 * within 2^−40 of an integer, that error cannot move a floor, and every
 * point is not an integer (its sticky bit is set), so the comparisons come
 * out as with exact arithmetic. Otherwise (about 1% of stream values, mostly
 * short dyadic decimals such as 0.5) and for subnormals, the exact path
 * does the paper's computation on limbs: g·2^16 as six 24-bit limbs and
 * 4c + δ as three, every partial product below 2^48 and a column of three
 * below 2^53, exact in doubles; the ends share the middle point's products
 * (g·(4c + δ) = g·4c + δ·g). Integers below 2^53 skip all that: their digits
 * are their shortest text. The tests check both paths against `String(x)`
 * on millions of doubles.
 *
 * References:
 * - R. Giulietti (2020), "The Schubfach way to render doubles",
 *   https://drive.google.com/open?id=1luHhyQF9zKlM8yJ1nebU0OgVYhfC6CBN
 *   (the algorithm of Java 19's Double.toString; our comparisons follow
 *   A. Bolz's C++ rendering of it, with 128-bit g and round-to-odd on
 *   `y0 > 1`).
 * - T. J. Dekker (1971), "A floating-point technique for extending the
 *   available precision", Numerische Mathematik 18, 224–242.
 *   doi:10.1007/BF01397083
 * - ECMA-262, Number::toString, https://tc39.es/ecma262/#sec-numeric-types-number-tostring
 *
 * @example
 * const bytes = new Uint8Array(32);
 * const end = writeShortestDecimal(0.1 + 0.2, bytes, 0);
 * Buffer.from(bytes.subarray(0, end)).toString(); // => "0.30000000000000004"
 */

/** The most bytes one number takes (`-0.0000012345678901234567`). */
export const SHORTEST_DECIMAL_MAX_BYTES = 25;

const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HIGH_WORD = LITTLE_ENDIAN ? 1 : 0;
const LOW_WORD = LITTLE_ENDIAN ? 0 : 1;

const TWO_24 = 16777216;
const TWO_32 = 4294967296;
const TWO_48 = 281474976710656;
const TWO_52 = 4503599627370496;
const TWO_53 = 9007199254740992;
const INVERSE_TWO_24 = 1 / TWO_24;
const INVERSE_TWO_48 = 1 / TWO_48;
const TEN_8 = 100000000;
/** Veltkamp's splitter 2^27 + 1: cuts a double into two halves whose products are exact. */
const SPLITTER = 134217729;
/**
 * How close to an integer a scaled point computed in double-double may be
 * before the exact path decides: its error is below 2^−44.
 */
const NEAR_INTEGER = 2 ** -40;

/** Range of e in the tables of 10^e: −k over every exponent q of a double. */
const POWER_MIN = -292;
const POWER_MAX = 324;
const G_LIMBS = 6;

/** ⌊log2 10^e⌋ for |e| ≤ 1233. */
function floorLog2Pow10(e: number): number {
  return (e * 1741647) >> 19;
}

/**
 * For e in [POWER_MIN, POWER_MAX], with 10^e = β·2^r, 2^127 ≤ β < 2^128 and
 * g = ⌈β⌉: g·2^16 as six 24-bit limbs (least significant first, for the
 * exact path), and g/2^127 ≈ 10^e·2^−⌊log2 10^e⌋ as a double-double (high
 * part also split in halves, for the fast path). Each entry is computed with
 * BigInt the first time a number needs it (a few microseconds; all 617 at
 * once would add tens of milliseconds to every start).
 */
const POWER_ENTRIES = POWER_MAX - POWER_MIN + 1;
const G_TABLE = new Float64Array(POWER_ENTRIES * G_LIMBS);
const P_HIGH = new Float64Array(POWER_ENTRIES);
const P_TOP = new Float64Array(POWER_ENTRIES);
const P_BOTTOM = new Float64Array(POWER_ENTRIES);
const P_LOW = new Float64Array(POWER_ENTRIES);

/** Fills the tables' entry `index` (for e = index + POWER_MIN); callers test P_HIGH[index] === 0 first. */
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
  const shifted = g << 16n;
  for (let i = 0; i < G_LIMBS; i++) {
    G_TABLE[index * G_LIMBS + i] = Number((shifted >> BigInt(24 * i)) & 0xffffffn);
  }
  const top = g >> 75n;
  const high = Number(top) / TWO_52;
  const split = high * SPLITTER;
  P_TOP[index] = split - (split - high);
  P_BOTTOM[index] = high - P_TOP[index]!;
  P_LOW[index] = Number(g - (top << 75n)) * 2 ** -127;
  P_HIGH[index] = high;
}

/** 2^n mod 40 for n = 24 + h, h in 0..4 (the weight of the high part of an exactly scaled point). */
const HIGH_WEIGHT_MOD_40 = [16, 32, 24, 8, 16];

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
  } else if (!(x < Number.POSITIVE_INFINITY)) {
    return writeNonFinite(x, bytes, at);
  }
  return writeSchubfach(x, bytes, at);
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

/**
 * x > 0 finite, not an integer below 2^53. The fast path computes the three
 * scaled points x·4·10^−k and its interval ends in double-double arithmetic
 * (Dekker's exact product of c and the table's 10^−k), which decides
 * whenever no point lies within 2^−40 of an integer; otherwise, and for
 * subnormals, the exact path does.
 */
function writeSchubfach(x: number, bytes: Uint8Array, at: number): number {
  BITS[0] = x;
  const highWord = WORDS[HIGH_WORD]!;
  const biased = highWord >>> 20;
  const fraction = (highWord & 0xfffff) * TWO_32 + WORDS[LOW_WORD]!;
  if (biased === 0) return writeExact(fraction, -1074, false, bytes, at);
  const c = fraction + TWO_52;
  const q = biased - 1075;
  // Below a power of two (not the smallest normal) the next double down is half as far.
  const lowerCloser = fraction === 0 && biased > 1;
  const k = (q * 1262611 - (lowerCloser ? 524031 : 0)) >> 22;
  const h = q + floorLog2Pow10(-k) + 1;
  const index = -k - POWER_MIN;
  if (P_HIGH[index] === 0) fillPowerOfTen(index);
  const powerHigh = P_HIGH[index]!;
  const powerLow = P_LOW[index]!;
  // c·powerHigh = product + error exactly (Dekker 1971); product is an integer, as c ≥ 2^52.
  const product = c * powerHigh;
  const split = c * SPLITTER;
  const cTop = split - (split - c);
  const cBottom = c - cTop;
  const top = P_TOP[index]!;
  const bottom = P_BOTTOM[index]!;
  const error = cTop * top - product + cTop * bottom + cBottom * top + cBottom * bottom;
  // vb = 4·x·10^−k = product·2^(h+1) + middle; the interval ends are 2 (or 1) units of 2^(h−1)·10^−k·… away.
  const scale = 1 << (h + 1);
  const middle = (error + c * powerLow) * scale;
  const unit = 1 << (h - 1);
  const lowerWidth = lowerCloser ? 1 : 2;
  const lower = middle - lowerWidth * unit * powerHigh - lowerWidth * unit * powerLow;
  const upper = middle + 2 * unit * powerHigh + 2 * unit * powerLow;
  const middleFloor = Math.floor(middle);
  const lowerFloor = Math.floor(lower);
  const upperFloor = Math.floor(upper);
  const middleFraction = middle - middleFloor;
  const lowerFraction = lower - lowerFloor;
  const upperFraction = upper - upperFloor;
  if (
    middleFraction < NEAR_INTEGER ||
    middleFraction > 1 - NEAR_INTEGER ||
    lowerFraction < NEAR_INTEGER ||
    lowerFraction > 1 - NEAR_INTEGER ||
    upperFraction < NEAR_INTEGER ||
    upperFraction > 1 - NEAR_INTEGER
  ) {
    return writeExact(c, q, lowerCloser, bytes, at);
  }
  // No point is an integer, so each rounds to odd as ⌊·⌋ | 1; product·2^(h+1) is a multiple of 4.
  const vbSmall = middleFloor | 1;
  const odd = WORDS[LOW_WORD]! & 1;
  const lowerOffset = (lowerFloor | 1) - vbSmall + odd;
  const upperOffset = (upperFloor | 1) - vbSmall - odd;
  // vb = 4·digitsTop + vbSmall with digitsTop = product·2^(h−1) = high·10^8 + lowTop; vb mod 40 from lowTop mod 10.
  // Multiplying by 1e-8 (a hair above 10^−8) may floor one too low or high; the loops settle it.
  const digitsTop = product * unit;
  let high = Math.floor(digitsTop * 1e-8);
  let lowTop = digitsTop - high * TEN_8;
  const lastDigit = lowTop - Math.floor(lowTop * 0.1) * 10;
  let r40 = 4 * lastDigit + vbSmall;
  while (r40 < 0) r40 += 40;
  while (r40 >= 40) r40 -= 40;
  const r4 = vbSmall & 3;
  let remainder = r4;
  let add: number;
  const shorterBelow = lowerOffset <= -r40;
  const shorterAbove = 40 - r40 <= upperOffset;
  if (shorterBelow !== shorterAbove) {
    remainder = r40;
    add = shorterAbove ? 10 : 0;
  } else {
    const below = lowerOffset <= -r4;
    const above = 4 - r4 <= upperOffset;
    if (below !== above) add = above ? 1 : 0;
    else add = r4 > 2 || (r4 === 2 && (vbSmall & 4) !== 0) ? 1 : 0;
  }
  // The digits: (vb − remainder)/4 + add = digitsTop + (vbSmall − remainder)/4 + add.
  lowTop += (vbSmall - remainder) / 4 + add;
  while (lowTop < 0) {
    lowTop += TEN_8;
    high--;
  }
  while (lowTop >= TEN_8) {
    lowTop -= TEN_8;
    high++;
  }
  return writeDecimal(high, lowTop, k, bytes, at);
}

// The scaled point of the last `roundToOdd` call: value = pointLow + pointHigh·2^(24 + h), pointLow < 2^29.
const POINT = new Float64Array(2);

/**
 * ⌊P / 2^(144 − h)⌋ rounded to odd, where P = Σ column_i·2^(24 i) (columns
 * exact, possibly negative) is g·2^16·(4c + δ); into POINT. The sticky bit
 * is Bolz's `y0 > 1` on P/2^16: P mod 2^(144 − h) ≥ 2^(81 − h).
 */
function roundToOdd(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  c4: number,
  c5: number,
  c6: number,
  c7: number,
  h: number,
): void {
  let carry = Math.floor(c0 * INVERSE_TWO_24);
  c1 += carry;
  carry = Math.floor(c1 * INVERSE_TWO_24);
  c2 += carry;
  carry = Math.floor(c2 * INVERSE_TWO_24);
  c3 += carry;
  carry = Math.floor(c3 * INVERSE_TWO_24);
  const limb3 = c3 - carry * TWO_24;
  c4 += carry;
  carry = Math.floor(c4 * INVERSE_TWO_24);
  const limb4 = c4 - carry * TWO_24;
  c5 += carry;
  carry = Math.floor(c5 * INVERSE_TWO_24);
  const limb5 = c5 - carry * TWO_24;
  c6 += carry;
  carry = Math.floor(c6 * INVERSE_TWO_24);
  const limb6 = c6 - carry * TWO_24;
  c7 += carry;
  carry = Math.floor(c7 * INVERSE_TWO_24);
  const limb7 = c7 - carry * TWO_24;
  const split = 1 << (24 - h);
  const limb5High = Math.floor(limb5 / split);
  let low = limb6 * (1 << h) + limb5High;
  if ((low & 1) === 0 && (limb5 !== limb5High * split || limb4 !== 0 || limb3 >= 1 << (9 - h))) low++;
  POINT[0] = low;
  POINT[1] = limb7 + carry * TWO_24;
}

/** Schubfach in exact integer arithmetic on limbs: any c·2^q, the reference for the fast path. */
function writeExact(c: number, q: number, lowerCloser: boolean, bytes: Uint8Array, at: number): number {
  const k = (q * 1262611 - (lowerCloser ? 524031 : 0)) >> 22;
  const h = q + floorLog2Pow10(-k) + 1;
  if (P_HIGH[-k - POWER_MIN] === 0) fillPowerOfTen(-k - POWER_MIN);
  const t = (-k - POWER_MIN) * G_LIMBS;
  const g0 = G_TABLE[t]!;
  const g1 = G_TABLE[t + 1]!;
  const g2 = G_TABLE[t + 2]!;
  const g3 = G_TABLE[t + 3]!;
  const g4 = G_TABLE[t + 4]!;
  const g5 = G_TABLE[t + 5]!;
  const m = 4 * c;
  const m2 = Math.floor(m * INVERSE_TWO_48);
  const rest = m - m2 * TWO_48;
  const m1 = Math.floor(rest * INVERSE_TWO_24);
  const m0 = rest - m1 * TWO_24;
  const c0 = g0 * m0;
  const c1 = g1 * m0 + g0 * m1;
  const c2 = g2 * m0 + g1 * m1 + g0 * m2;
  const c3 = g3 * m0 + g2 * m1 + g1 * m2;
  const c4 = g4 * m0 + g3 * m1 + g2 * m2;
  const c5 = g5 * m0 + g4 * m1 + g3 * m2;
  const c6 = g5 * m1 + g4 * m2;
  const c7 = g5 * m2;
  roundToOdd(c0, c1, c2, c3, c4, c5, c6, c7, h);
  const vbLow = POINT[0]!;
  const vbHigh = POINT[1]!;
  const highWeight = 1 << (24 + h);
  const dl = lowerCloser ? 1 : 2;
  roundToOdd(c0 - dl * g0, c1 - dl * g1, c2 - dl * g2, c3 - dl * g3, c4 - dl * g4, c5 - dl * g5, c6, c7, h);
  // lower − vb and upper − vb: a few units (the interval is 4 to 40 wide here).
  const odd = c % 2;
  const lowerOffset = POINT[0]! - vbLow + (POINT[1]! - vbHigh) * highWeight + odd;
  roundToOdd(c0 + 2 * g0, c1 + 2 * g1, c2 + 2 * g2, c3 + 2 * g3, c4 + 2 * g4, c5 + 2 * g5, c6, c7, h);
  const upperOffset = POINT[0]! - vbLow + (POINT[1]! - vbHigh) * highWeight - odd;

  // vb = vbLow + vbHigh·2^(24 + h); the candidates are multiples of 40 or of 4 near it.
  const highMod40 = vbHigh - Math.floor(vbHigh / 40) * 40;
  const r40 = ((vbLow + highMod40 * HIGH_WEIGHT_MOD_40[h]!) | 0) % 40;
  const r4 = vbLow & 3;
  let remainder = r4;
  let add = 0;
  let decided = false;
  if (vbHigh > 0 || vbLow >= 40) {
    const shorterBelow = lowerOffset <= -r40;
    const shorterAbove = 40 - r40 <= upperOffset;
    if (shorterBelow !== shorterAbove) {
      remainder = r40;
      add = shorterAbove ? 10 : 0;
      decided = true;
    }
  }
  if (!decided) {
    const below = lowerOffset <= -r4;
    const above = 4 - r4 <= upperOffset;
    if (below !== above) add = above ? 1 : 0;
    else add = r4 > 2 || (r4 === 2 && (vbLow & 4) !== 0) ? 1 : 0;
  }
  // The digits: (vb − remainder)/4 + add = vbHigh·2^(22 + h) + (vbLow − remainder)/4 + add.
  const digitsTop = vbHigh * (1 << (22 + h));
  let high = Math.floor(digitsTop / TEN_8);
  let low = digitsTop - high * TEN_8 + (vbLow - remainder) / 4 + add;
  while (low < 0) {
    low += TEN_8;
    high--;
  }
  while (low >= TEN_8) {
    low -= TEN_8;
    high++;
  }
  return writeDecimal(high, low, k, bytes, at);
}

/**
 * Lays out the decimal (high·10^8 + low)·10^exponent (high < 10^9) as
 * ECMAScript's Number::toString does: plain for 1e−7 < value < 1e21, else
 * d.ddde±n; trailing zeros dropped. The digits are written once, where
 * they end up, except that the integer digits of `ddd.ddd` move one place
 * left to make room for the point.
 */
function writeDecimal(high: number, low: number, exponent: number, bytes: Uint8Array, at: number): number {
  const count = high > 0 ? decimalLength(high) + 8 : decimalLength(low);
  const point = count + exponent;
  if (point > 21 || point <= -6) return writeExponential(high, low, count, point, bytes, at);
  let start = at + 1;
  if (point <= 0) {
    bytes[at] = 48;
    bytes[at + 1] = 46;
    for (let i = 2; i < 2 - point; i++) bytes[at + i] = 48;
    start = at + 2 - point;
  }
  let end = writeDigits(high, low, count, bytes, start);
  if (point <= 0) return end;
  // The integer digits move one place left, for the point (or for nothing, when there is no fraction).
  const significant = end - start;
  if (point < significant) {
    for (let i = 0; i < point; i++) bytes[at + i] = bytes[at + 1 + i]!;
    bytes[at + point] = 46;
    return end;
  }
  for (let i = 0; i < significant; i++) bytes[at + i] = bytes[at + 1 + i]!;
  for (end = at + significant; end < at + point; end++) bytes[end] = 48;
  return end;
}

/** d.ddde±n: below 1e−6 or from 1e21 on. */
function writeExponential(
  high: number,
  low: number,
  count: number,
  point: number,
  bytes: Uint8Array,
  at: number,
): number {
  let end = writeDigits(high, low, count, bytes, at + 1);
  bytes[at] = bytes[at + 1]!;
  if (end - at > 2) bytes[at + 1] = 46;
  else end = at + 1;
  bytes[end++] = 101;
  let e = point - 1;
  if (e < 0) {
    bytes[end++] = 45;
    e = -e;
  } else bytes[end++] = 43;
  end += decimalLength(e);
  writeBackward(e, bytes, end);
  return end;
}

/** The `count` digits of high·10^8 + low from bytes[start], trailing zeros dropped; returns their end. */
function writeDigits(high: number, low: number, count: number, bytes: Uint8Array, start: number): number {
  let end = start + count;
  if (high > 0) {
    write8Backward(low, bytes, end);
    writeBackward(high, bytes, end - 8);
  } else writeBackward(low, bytes, end);
  while (bytes[end - 1] === 48) end--;
  return end;
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

/**
 * `String(x)` for x > 0 finite, not an integer below 2^53, by the exact
 * path alone: a test hook that checks the reference the fast path falls
 * back to on any double, not only on those it falls back for.
 */
export function exactShortestDecimalText(x: number): string {
  BITS[0] = x;
  const highWord = WORDS[HIGH_WORD]!;
  const biased = highWord >>> 20;
  const fraction = (highWord & 0xfffff) * TWO_32 + WORDS[LOW_WORD]!;
  const q = biased === 0 ? -1074 : biased - 1075;
  const bytes = new Uint8Array(SHORTEST_DECIMAL_MAX_BYTES);
  const c = biased === 0 ? fraction : fraction + TWO_52;
  const end = writeExact(c, q, fraction === 0 && biased > 1, bytes, 0);
  return Buffer.from(bytes.buffer, 0, end).toString("latin1");
}
