import { describe, expect, it } from "vitest";
import {
  hysteresisPositions,
  nextPosition,
  type Position,
  zScores,
} from "../../src/numerics/timeseries/positions.js";
import { Prng } from "../../src/numerics/random/prng.js";

describe("zScores", () => {
  it("computes (x − mean)/std and gives NaN where std is 0 or NaN", () => {
    const out = new Float64Array(5);
    zScores(
      Float64Array.of(3, 5, 7, 1, 2),
      Float64Array.of(1, 5, 7, Number.NaN, 0),
      Float64Array.of(2, 1, 0, 1, Number.NaN),
      out,
    );
    expect(out[0]).toBe(1);
    expect(out[1]).toBe(0);
    expect(out[2]).toBeNaN(); // flat window
    expect(out[3]).toBeNaN(); // window not yet full
    expect(out[4]).toBeNaN();
  });

  it("refuses inputs shorter than x", () => {
    expect(() =>
      zScores(Float64Array.of(1, 2), Float64Array.of(1), Float64Array.of(1, 1), new Float64Array(2)),
    ).toThrow(RangeError);
  });
});

describe("hysteresis positions (entry 2, exit 0.5)", () => {
  it("follows a hand-worked sequence through every rule", () => {
    const steps: [number, Position, string][] = [
      [Number.NaN, 0, "no z yet: start flat"],
      [0.3, 0, "inside the exit band: flat"],
      [2.5, -1, "z > entry: short"],
      [1.0, -1, "between exit and entry: hold"],
      [2.0, -1, "exactly at entry: hold (strict >)"],
      [0.49, 0, "|z| < exit: flat"],
      [-0.5, 0, "exactly at −exit: hold (strict <)"],
      [-2.01, 1, "z < −entry: long"],
      [-1, 1, "hold"],
      [Number.NaN, 1, "NaN z: hold"],
      [0.2, 0, "back near the mean: flat"],
      [1.9, 0, "below entry: stay flat"],
      [2.2, -1, "short"],
      [-2.3, 1, "from z > entry to z < −entry: straight from −1 to +1"],
      [-0.1, 0, "flat"],
      [Number.POSITIVE_INFINITY, -1, "+∞: short"],
      [Number.NEGATIVE_INFINITY, 1, "−∞: long"],
    ];
    const z = Float64Array.from(steps.map((s) => s[0]));
    const out = new Int8Array(z.length);
    hysteresisPositions(z, 2, 0.5, out);
    let previous: Position = 0;
    steps.forEach(([value, expected, why], i) => {
      expect(out[i], `${i}: ${why}`).toBe(expected);
      expect(nextPosition(previous, value, 2, 0.5), `${i}: ${why}`).toBe(expected);
      previous = expected;
    });
  });

  it("agrees with nextPosition step by step on a long random z series", () => {
    const rng = new Prng(3);
    const n = 100_000;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = i % 97 === 0 ? Number.NaN : 2.5 * rng.normal();
    const out = new Int8Array(n);
    hysteresisPositions(z, 1.5, 0.3, out);
    let position: Position = 0;
    let changes = 0;
    for (let i = 0; i < n; i++) {
      const next = nextPosition(position, z[i]!, 1.5, 0.3);
      if (next !== position) changes++;
      position = next;
      if (out[i] !== position) throw new Error(`index ${i}: ${out[i]} vs ${position}`);
    }
    expect(changes).toBeGreaterThan(1000);
  });

  it("lets an entry win when the exit band is wider than the entry band", () => {
    expect(nextPosition(0, 1.5, 1, 2)).toBe(-1);
    expect(nextPosition(1, 0.5, 1, 2)).toBe(0);
  });

  it("handles an empty series", () => {
    expect(() => hysteresisPositions(new Float64Array(0), 2, 0.5, new Int8Array(0))).not.toThrow();
  });
});

describe("hysteresis positions with a non-positive entry", () => {
  it("still agrees with nextPosition (the short test comes first)", () => {
    const z = Float64Array.of(0.5, -0.5, 0, 0.1, Number.NaN);
    const out = new Int8Array(z.length);
    hysteresisPositions(z, -1, 0.2, out);
    let position: Position = 0;
    z.forEach((value, i) => {
      position = nextPosition(position, value, -1, 0.2);
      expect(out[i]).toBe(position);
    });
  });
});
