import { describe, expect, it } from "vitest";
import { Prng } from "../../src/numerics/random/prng.js";
import { NdjsonBytes } from "../../src/output/ndjsonBytes.js";
import {
  SHORTEST_DECIMAL_MAX_BYTES,
  SHORTEST_DECIMAL_WORD_BYTES,
  shortestDecimalText,
  writeShortestDecimal,
  writeShortestDecimalWords,
} from "../../src/output/shortestDecimal.js";

// The truth is the engine's own Number.prototype.toString: String(x).
const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

function fromBits(high: number, low: number): number {
  WORDS[HIGH] = high;
  WORDS[1 - HIGH] = low;
  return BITS[0]!;
}

/** Formats every value of `xs` and returns the first few that differ from String(x). */
function mismatches(xs: Iterable<number>): { x: number; expected: string; got: string }[] {
  const bad: { x: number; expected: string; got: string }[] = [];
  for (const x of xs) {
    const got = shortestDecimalText(x);
    const expected = String(x);
    if (got !== expected && bad.length < 10) bad.push({ x, expected, got });
  }
  return bad;
}

function* randomBitPatterns(seed: number, count: number): Generator<number> {
  const prng = new Prng(seed);
  for (let i = 0; i < count; i++) {
    const x = fromBits((prng.nextFloat() * 2 ** 32) >>> 0, (prng.nextFloat() * 2 ** 32) >>> 0);
    if (!Number.isNaN(x)) yield x;
  }
}

describe("writeShortestDecimal equals String(x)", () => {
  it("on the special values and the layout thresholds (1e21, 1e-7)", () => {
    const specials = [
      0,
      -0,
      1,
      -1,
      0.1,
      0.2,
      0.30000000000000004,
      1e21,
      1e-7,
      1e-6,
      9.999999999999999e20,
      1e20,
      123e18,
      1.5e-7,
      0.0000015,
      5e-324,
      -5e-324,
      2.2250738585072014e-308,
      2.225073858507201e-308,
      1.7976931348623157e308,
      -1.7976931348623157e308,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2 ** 53,
      2 ** 53 + 2,
      2 ** 60,
      2 ** 63,
      2 ** 64,
      2 ** -1074,
      2 ** 1023,
      Number.EPSILON,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      4.35,
      0.000001234,
      1234.5678,
    ];
    expect(mismatches(specials)).toEqual([]);
    expect(shortestDecimalText(-0)).toBe("0");
    expect(shortestDecimalText(Number.NaN)).toBe("NaN");
    expect(shortestDecimalText(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
  });

  it("on two million random bit patterns (every exponent, subnormals included)", () => {
    expect(mismatches(randomBitPatterns(1, 2_000_000))).toEqual([]);
  });

  it("on a million random decimals of 1 to 17 significant digits, of either sign", () => {
    const prng = new Prng(2);
    function* decimals(): Generator<number> {
      for (let i = 0; i < 1_000_000; i++) {
        const digits = 1 + Math.floor(prng.nextFloat() * 17);
        let mantissa = "";
        for (let d = 0; d < digits; d++) mantissa += Math.floor(prng.nextFloat() * 10);
        const exponent = Math.floor(prng.nextFloat() * 60) - 30;
        const x = Number(`${mantissa}e${exponent}`);
        yield prng.nextFloat() < 0.5 ? x : -x;
      }
    }
    expect(mismatches(decimals())).toEqual([]);
  });

  it("on stream-like values: prices with two decimals and their means, standard deviations, z-scores", () => {
    const prng = new Prng(3);
    function* values(): Generator<number> {
      for (let i = 0; i < 500_000; i++) {
        const price = Math.round(10000 + prng.nextFloat() * 50000) / 100;
        yield price;
        yield (price + Math.round(prng.nextFloat() * 1000) / 100) / 20;
        yield prng.nextFloat() * 2;
        yield (prng.nextFloat() - 0.5) * 6;
        yield prng.nextFloat() * 1e-3;
      }
    }
    expect(mismatches(values())).toEqual([]);
  });

  it("on numbers of at most four decimal places (the fast path), their neighbours an ulp away, and around its 1e11 limit", () => {
    const prng = new Prng(11);
    function* values(): Generator<number> {
      for (let i = 0; i < 400_000; i++) {
        // m/10^4 for m of 1 to 16 digits: below and above the fast path's limit (m < 10^15).
        const digits = 1 + Math.floor(prng.nextFloat() * 16);
        const m = Math.floor(prng.nextFloat() * 10 ** digits);
        const x = m / 10000;
        const sign = prng.nextFloat() < 0.5 ? 1 : -1;
        yield sign * x;
        yield sign * x * (1 + Number.EPSILON);
        yield sign * x * (1 - Number.EPSILON / 2);
      }
      for (const m of [1, 5, 9, 10, 99, 10001, 99999999999999, 999999999999999, 1000000000000001]) {
        yield m / 10000;
        yield -m / 10000;
      }
      for (let k = -200; k <= 200; k++) yield 1e11 + k / 10000;
    }
    expect(mismatches(values())).toEqual([]);
  });

  it("on every power of ten and its neighbours a few ulps away", () => {
    function* powers(): Generator<number> {
      for (let e = -323; e <= 308; e++) {
        const x = Number(`1e${e}`);
        BITS[0] = x;
        const high = WORDS[HIGH]!;
        const low = WORDS[1 - HIGH]!;
        for (let d = -4; d <= 4; d++) {
          const l = low + d;
          if (l < 0) yield fromBits(high - 1, l + 2 ** 32);
          else if (l >= 2 ** 32) yield fromBits(high + 1, l - 2 ** 32);
          else yield fromBits(high, l);
        }
      }
    }
    expect(mismatches(powers())).toEqual([]);
  });

  it("on every power of two and its neighbours (where the lower neighbour is closer)", () => {
    function* powers(): Generator<number> {
      for (let e = -1074; e <= 1023; e++) {
        const x = 2 ** e;
        yield x;
        yield x * (1 + Number.EPSILON);
        yield x * (1 - Number.EPSILON / 2);
        yield x * (1 - Number.EPSILON);
      }
    }
    expect(mismatches(powers())).toEqual([]);
  });

  it("on subnormals: the first 200 000 and random ones", () => {
    function* subnormals(): Generator<number> {
      for (let t = 1; t <= 200_000; t++) yield t * 5e-324;
      const prng = new Prng(4);
      for (let i = 0; i < 200_000; i++) {
        yield fromBits((prng.nextFloat() * 2 ** 20) >>> 0, (prng.nextFloat() * 2 ** 32) >>> 0);
      }
    }
    expect(mismatches(subnormals())).toEqual([]);
  });

  it("on the lowest normal binade and on dyadic fractions (whose scaled points are integers: the exact path)", () => {
    function* values(): Generator<number> {
      const prng = new Prng(7);
      for (let i = 0; i < 100_000; i++) yield fromBits(0x00100000 + ((prng.nextFloat() * 2 ** 20) >>> 0), i);
      for (let j = 1; j <= 60; j++) for (let m = 1; m < 2000; m += 2) yield m / 2 ** j;
      for (let i = 0; i < 100_000; i++) yield Math.floor(prng.nextFloat() * 2 ** 40) / 2 ** 20;
    }
    expect(mismatches(values())).toEqual([]);
  });

  it("on integers near 2^53 and 10^21, and halves near 2^52", () => {
    function* integers(): Generator<number> {
      for (let d = -20_000; d <= 20_000; d++) {
        yield 2 ** 53 + 2 * d;
        yield 2 ** 52 + d + 0.5;
        yield 1e21 + 131072 * d;
        yield 123456789012 + d;
      }
    }
    expect(mismatches(integers())).toEqual([]);
  });

  it("equals String(x) near the edges of Schubfach's interval logic: every binade's ends and dyadic points", () => {
    // the rounding interval's ends are exactly representable here, so the
    // open/closed interval rule (odd/even c) and ties decide the digits
    const values: number[] = [];
    for (let e = -1074; e <= 1023; e++) {
      const p = 2 ** e;
      values.push(p, p * (1 + 2 ** -52), p * (2 - 2 ** -52), p * 1.5, p * 1.25);
    }
    for (let t = 1; t < 1000; t++) values.push(t * 5e-324);
    const bad = values.filter((x) => Number.isFinite(x) && x > 0 && shortestDecimalText(x) !== String(x));
    expect(bad).toEqual([]);
  });

  it("writes at any offset and never past SHORTEST_DECIMAL_MAX_BYTES", () => {
    const bytes = new Uint8Array(64).fill(120);
    const end = writeShortestDecimal(-1.2345678901234566e-7, bytes, 3);
    expect(Buffer.from(bytes.subarray(3, end)).toString("latin1")).toBe("-1.2345678901234566e-7");
    expect(bytes[2]).toBe(120);
    for (const x of [-0.0000012345678901234567, -1.7976931348623157e308, -123456789012345680000]) {
      expect(shortestDecimalText(x).length).toBeLessThanOrEqual(SHORTEST_DECIMAL_MAX_BYTES);
    }
  });
});

describe("writeShortestDecimalWords (the 8-byte-word copy NdjsonBytes uses)", () => {
  it("writes String(x) at every offset, and nothing before it or past SHORTEST_DECIMAL_WORD_BYTES", () => {
    const prng = new Prng(21);
    const memory = new Uint8Array(96);
    const view = new DataView(memory.buffer);
    const values = [...randomBitPatterns(22, 20_000)].filter(Number.isFinite);
    for (let i = 0; i < 2000; i++)
      values.push((prng.nextFloat() - 0.5) * 10 ** Math.floor(prng.nextFloat() * 40 - 20));
    values.push(0, -0, 5, -5, 2 ** 53, -(2 ** 60), 1e21, -1e-7, 123.45, -0.000001);
    // Four places or fewer (the fast path), either sign.
    for (let i = 0; i < 2000; i++) values.push((Math.floor(prng.nextFloat() * 1e10) - 5e9) / 10000);
    const bad: { x: number; got: string }[] = [];
    values.forEach((x, i) => {
      const at = 8 + (i % 23);
      memory.fill(120);
      const end = writeShortestDecimalWords(x, view, memory, at);
      const got = Buffer.from(memory.subarray(at, end)).toString("latin1");
      const untouched =
        memory.subarray(0, at).every((b) => b === 120) &&
        memory.subarray(at + SHORTEST_DECIMAL_WORD_BYTES).every((b) => b === 120);
      if ((got !== String(x) || !untouched) && bad.length < 10) bad.push({ x, got });
    });
    expect(bad).toEqual([]);
  });
});

describe("NdjsonBytes.number", () => {
  it("writes what JSON.stringify writes: null for NaN and ±Infinity, 0 for -0", () => {
    const out = new NdjsonBytes(16);
    const values = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0.1, -2.5e-8, 1e21];
    for (const x of values) {
      out.reserve(SHORTEST_DECIMAL_WORD_BYTES + 1);
      out.number(x);
      out.byte(44);
    }
    expect(out.take().toString("latin1")).toBe(`${values.map((x) => JSON.stringify(x)).join(",")},`);
  });
});
