import { describe, expect, it } from "vitest";
import { firstNonFinite, firstNonPositive } from "../../src/numerics/stats/finite.js";
import { Prng } from "../../src/numerics/random/prng.js";

/** The first-index scans against the one-line definitions, on every length and every planted place. */
const prng = new Prng(5);

function positives(length: number): Float64Array {
  return Float64Array.from({ length }, () => 1e-300 + prng.nextFloat() * 1e3);
}

describe("firstNonPositive", () => {
  it("is the first index with !(x > 0), for zeros, negatives, NaN and -0 at every place of short arrays", () => {
    for (let length = 0; length <= 13; length++) {
      expect(firstNonPositive(positives(length))).toBe(-1);
      for (const bad of [0, -0, -1e-300, -5, Number.NaN, Number.NEGATIVE_INFINITY]) {
        for (let at = 0; at < length; at++) {
          const values = positives(length);
          values[at] = bad;
          // A second bad value later must not be the answer.
          if (at + 2 < length) values[at + 2] = -1;
          expect(firstNonPositive(values)).toBe(values.findIndex((x) => !(x > 0)));
        }
      }
    }
  });

  it("on long arrays with a planted value anywhere", () => {
    for (let trial = 0; trial < 200; trial++) {
      const values = positives(1000 + Math.floor(prng.nextFloat() * 5000));
      if (trial % 10 !== 0)
        values[Math.floor(prng.nextFloat() * values.length)] = trial % 3 === 0 ? Number.NaN : 0;
      expect(firstNonPositive(values)).toBe(values.findIndex((x) => !(x > 0)));
    }
    expect(firstNonPositive(Float64Array.of(Number.POSITIVE_INFINITY, 1))).toBe(-1);
  });
});

describe("firstNonFinite", () => {
  it("is the first index that is NaN or ±Infinity, at every place of short arrays", () => {
    for (let length = 0; length <= 13; length++) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        for (let at = 0; at < length; at++) {
          const values = positives(length);
          values[at] = bad;
          expect(firstNonFinite(values)).toBe(values.findIndex((x) => !Number.isFinite(x)));
        }
      }
      expect(firstNonFinite(positives(length))).toBe(-1);
    }
  });
});
