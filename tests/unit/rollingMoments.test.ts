import { describe, expect, it } from "vitest";
import { Prng } from "../../src/numerics/random/prng.js";
import { RollingMoments, rollingMeanStd } from "../../src/numerics/timeseries/rollingMoments.js";
import { exactMoments } from "./exactMoments.js";

function batch(x: Float64Array, window: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(x.length);
  const std = new Float64Array(x.length);
  rollingMeanStd(x, window, mean, std);
  return { mean, std };
}

/** The uniform random walk of the Python reference: x0 = start, x_i = x_{i−1} + (u_i − ½), u from Prng(seed).nextFloat(). */
function uniformWalk(seed: number, n: number, start: number): Float64Array {
  const rng = new Prng(seed);
  const x = new Float64Array(n);
  let v = start;
  for (let i = 0; i < n; i++) {
    if (i > 0) v += rng.nextFloat() - 0.5;
    x[i] = v;
  }
  return x;
}

describe("rollingMeanStd (pandas rolling(window) conventions)", () => {
  it("matches pandas on a four-value series, NaN until the window is full", () => {
    const { mean, std } = batch(Float64Array.of(1, 2, 4, 8), 3);
    // pandas 1.5.3: s.rolling(3).mean() = [nan, nan, 2.3333333333333335, 4.666666666666667]
    //               s.rolling(3).std()  = [nan, nan, 1.5275252316519465, 3.055050463303893]
    // exact: 7/3, 14/3, sqrt(7/3) = 1.52752523165194666…, sqrt(28/3) = 3.05505046330388…
    expect(mean[0]).toBeNaN();
    expect(mean[1]).toBeNaN();
    expect(std[1]).toBeNaN();
    expect(mean[2]).toBe(2.3333333333333335);
    expect(Math.abs(mean[3]! - 14 / 3)).toBeLessThanOrEqual(8.9e-16); // within one ulp of 14/3
    expect(Math.abs(std[2]! - Math.sqrt(7 / 3))).toBeLessThanOrEqual(4.5e-16); // within two ulps, as pandas
    expect(std[3]).toBe(3.055050463303893);
  });

  it("matches exact rolling moments, and pandas, on a 1000-value random walk", () => {
    // x = uniform_walk(21, 1000, 100.0), the same xoshiro256** uniforms in Python. Exact: Python
    // fractions.Fraction over the window's doubles (Decimal sqrt, 40 digits), rounded to double.
    // pandas 1.5.3 w.rolling(win).mean()/.std(), whose add/remove updates drift by up to 3.5e-12 here.
    const reference: [number, number, number, number, number][] = [
      // window, index, exact mean, exact std, pandas std
      [20, 19, 100.16453977339829, 0.33719037377645505, 0.33719037377645517],
      [20, 500, 98.37015209358414, 0.5038830185464478, 0.5038830185467896],
      [20, 999, 97.77051462549123, 0.55638334468493, 0.5563833446848808],
      [7, 6, 99.85083723744413, 0.2114090348792622, 0.2114090348792622],
      [7, 500, 97.86816221095275, 0.2722251026990466, 0.2722251026987833],
      [7, 999, 98.29493228600347, 0.2662941716262831, 0.26629417162534874],
    ];
    const x = uniformWalk(21, 1000, 100);
    for (const [window, i, exactMean, exactStd, pandasStd] of reference) {
      const { mean, std } = batch(x, window);
      expect(Math.abs(mean[i]! - exactMean) / exactMean).toBeLessThan(3e-16);
      expect(Math.abs(std[i]! - exactStd) / exactStd).toBeLessThan(1e-15);
      expect(Math.abs(std[i]! - pandasStd) / pandasStd).toBeLessThan(1e-11);
    }
  });

  it("reproduces NIST StRD NumAcc4 (mean 10000000.2, sd 0.1) to the precision of its binary inputs", () => {
    // NumAcc4: 1001 values, 10000000.2 then 10000000.1, 10000000.3 alternating 500 times.
    // Certified: mean 10000000.2, sd 0.1. The doubles nearest those decimals have, exactly
    // (Python fractions.Fraction over the doubles), mean 10000000.2 and sd 0.10000000055879354.
    const values = [10000000.2];
    for (let i = 0; i < 1000; i++) values.push(i % 2 === 0 ? 10000000.1 : 10000000.3);
    const x = Float64Array.from(values);
    const { mean, std } = batch(x, 1001);
    expect(mean[1000]).toBe(10000000.2);
    expect(Math.abs(std[1000]! - 0.10000000055879354) / 0.1).toBeLessThan(1e-14);
    expect(Math.abs(std[1000]! - 0.1) / 0.1).toBeLessThan(1e-8); // log relative error ≥ 8 digits
  });

  it("keeps full precision over two million updates of 1e7 + 0.1·noise", () => {
    const rng = new Prng(5);
    const n = 2_000_000;
    const window = 20;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = 1e7 + 0.1 * rng.normal();
    const { mean, std } = batch(x, window);
    // Reference: two passes over x − 1e7, which is exact (Sterbenz) and small.
    for (let i = window - 1; i < n; i += 9973) {
      let sum = 0;
      for (let j = i - window + 1; j <= i; j++) sum += x[j]! - 1e7;
      const meanOffset = sum / window;
      let squares = 0;
      for (let j = i - window + 1; j <= i; j++) squares += (x[j]! - 1e7 - meanOffset) ** 2;
      const exactStd = Math.sqrt(squares / (window - 1));
      expect(Math.abs(std[i]! - exactStd) / exactStd).toBeLessThan(1e-12);
      expect(Math.abs(mean[i]! - (1e7 + meanOffset))).toBeLessThanOrEqual(2e-9); // one ulp of 1e7 is 1.86e-9
    }
  });

  it("gives exactly 0 std and the value itself as mean over a constant window", () => {
    const x = Float64Array.of(5, 1.1, 1.1, 1.1, 1.1, 2, 0.3, 0.3, 0.3);
    const { mean, std } = batch(x, 3);
    expect([mean[3], mean[4], mean[8]]).toEqual([1.1, 1.1, 0.3]);
    expect([std[3], std[4], std[8]]).toEqual([0, 0, 0]);
    expect(std[5]).toBeGreaterThan(0);
  });

  it("gives mean x and NaN std for a window of 1 (ddof = 1 needs two values)", () => {
    const { mean, std } = batch(Float64Array.of(3, 4, 5), 1);
    expect(Array.from(mean)).toEqual([3, 4, 5]);
    expect(Array.from(std).every(Number.isNaN)).toBe(true);
  });

  it("gives all NaN when the series is shorter than the window, and handles an empty series", () => {
    const { mean, std } = batch(Float64Array.of(1, 2), 5);
    expect(Array.from(mean).every(Number.isNaN)).toBe(true);
    expect(Array.from(std).every(Number.isNaN)).toBe(true);
    expect(() => batch(new Float64Array(0), 5)).not.toThrow();
  });

  it("rejects windows that are not positive integers and outputs that are too short", () => {
    expect(() => batch(Float64Array.of(1, 2), 0)).toThrow(RangeError);
    expect(() => batch(Float64Array.of(1, 2), 2.5)).toThrow(RangeError);
    expect(() => rollingMeanStd(Float64Array.of(1, 2), 2, new Float64Array(1), new Float64Array(2))).toThrow(
      RangeError,
    );
    expect(() => new RollingMoments(0)).toThrow(RangeError);
  });
});

/** A random walk about 100 with 1–3 spikes of ±10^U(6, 300) at random places. */
function spikedWalk(rng: Prng, n: number): { x: Float64Array; spikes: number[] } {
  const x = new Float64Array(n);
  let level = 100;
  for (let i = 0; i < n; i++) {
    level += rng.normal() * (i % 400 < 200 ? 1 : 0.01);
    x[i] = level;
  }
  const spikes: number[] = [];
  const count = 1 + Math.floor(rng.nextFloat() * 3);
  for (let k = 0; k < count; k++) {
    const at = Math.floor(rng.nextFloat() * n);
    spikes.push(at);
    x[at] = (rng.nextFloat() < 0.5 ? -1 : 1) * 10 ** (6 + rng.nextFloat() * 294);
  }
  return { x, spikes };
}

describe("rolling moments after a huge value leaves the window", () => {
  it("has an exact reference that rounds the true rationals (the tests' yardstick)", () => {
    // 2, 4, 8: mean 14/3 = 4.666…7 (nearest double 4.666666666666667), std √(28/3) = 3.0550504633038933…
    expect(exactMoments(Float64Array.of(1, 2, 4, 8), 1, 4)).toEqual({ mean: 14 / 3, std: Math.sqrt(28 / 3) });
    // the doubles 0.1 and 0.2 have mean 10808639105689191 / 2^56 exactly, a tie that rounds to even
    expect(exactMoments(Float64Array.of(0.1, 0.2), 0, 2).mean).toBe(0.15000000000000002);
    expect(exactMoments(Float64Array.of(5e-324, 5e-324, 1e308), 0, 3).mean).toBe(1e308 / 3);
    expect(exactMoments(Float64Array.of(7, 7, 7), 0, 3)).toEqual({ mean: 7, std: 0 });
  });

  it("gives pandas' GH 37051 values on 99999999999999999, 1, 2, 2, 3, 1, 1 (window 2)", () => {
    // closed forms: [1, 2] → 1.5, √½; [2, 2] → 2, 0; [2, 3] → 2.5, √½; [3, 1] → 2, √2; [1, 1] → 1, 0
    const x = Float64Array.of(Number("99999999999999999"), 1, 2, 2, 3, 1, 1); // the double 1e17
    const { mean, std } = batch(x, 2);
    expect(Array.from(mean.subarray(2))).toEqual([1.5, 2, 2.5, 2, 1]);
    expect(Array.from(std.subarray(2))).toEqual([Math.SQRT1_2, 0, Math.SQRT1_2, Math.SQRT2, 0]);
    const rolling = new RollingMoments(2);
    const streamed: number[][] = [];
    for (const v of x) {
      rolling.push(v);
      streamed.push([rolling.mean(), rolling.std()]);
    }
    expect(streamed.slice(2)).toEqual(Array.from(mean.subarray(2), (m, k) => [m, std[k + 2]]));
  });

  it("gives finite moments with a 1e300 spike inside the window and exact ones after it", () => {
    const x = Float64Array.of(1, 2, 1e300, 3, 4, 5, 6, 7, 8);
    const { mean, std } = batch(x, 4);
    // window [1, 2, 1e300, 3]: mean 2.5e299, std 5e299 (by hand; exactMoments rounds the exact rationals)
    expect(mean[3]).toBe(exactMoments(x, 0, 4).mean);
    expect(std[3]).toBe(exactMoments(x, 0, 4).std);
    // [4, 5, 6, 7]: mean 5.5, std √(5/3)
    expect(mean[7]).toBe(5.5);
    expect(Math.abs(std[7]! - Math.sqrt(5 / 3))).toBeLessThanOrEqual(2.3e-16);
  });

  it("stays within its error bound of the exact moments, spikes of 1e6 to 1e300, windows 2 to 500 (batch and stream)", () => {
    // Exact: rational arithmetic over the window's doubles (tests/unit/exactMoments.ts). The bound is
    // the kernel's own: (4w + 16) rounding errors relative to the std and to |mean| + std, the order
    // of a two-pass computation's bound; a plain two-pass in double reaches ~60 ulps on these series.
    const rng = new Prng(37051);
    const epsilon = 2 ** -52;
    let checked = 0;
    for (let trial = 0; trial < 40; trial++) {
      const w = 2 + Math.floor(rng.nextFloat() ** 2 * 499);
      const n = w + 50 + Math.floor(rng.nextFloat() * 1000);
      const { x, spikes } = spikedWalk(rng, n);
      const { mean, std } = batch(x, w);
      const rolling = new RollingMoments(w);
      for (let i = 0; i < n; i++) {
        rolling.push(x[i]!);
        if (!Object.is(rolling.mean(), mean[i]) || !Object.is(rolling.std(), std[i]))
          throw new Error(
            `w ${w}, index ${i}: stream ${rolling.mean()}/${rolling.std()}, batch ${mean[i]}/${std[i]}`,
          );
      }
      // every window from a spike's arrival until w + 5 rows after it has left, and 50 more at random
      const windows = new Set<number>();
      for (const at of spikes)
        for (let i = Math.max(at, w - 1); i < Math.min(n, at + w + 5); i++) windows.add(i);
      for (let k = 0; k < 50; k++) windows.add(w - 1 + Math.floor(rng.nextFloat() * (n - w + 1)));
      const tolerance = (4 * w + 16) * 4 * epsilon;
      for (const i of windows) {
        const exact = exactMoments(x, i - w + 1, i + 1);
        const meanError = Math.abs(mean[i]! - exact.mean) / (Math.abs(exact.mean) + exact.std);
        const stdError = exact.std === 0 ? std[i]! : Math.abs(std[i]! - exact.std) / exact.std;
        if (!(meanError <= tolerance && stdError <= tolerance))
          throw new Error(
            `w ${w}, index ${i}: mean ${mean[i]} vs ${exact.mean}, std ${std[i]} vs ${exact.std} (spikes at ${spikes})`,
          );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
});

describe("RollingMoments (the streaming form)", () => {
  it("gives bit-identical numbers to rollingMeanStd, push by push", () => {
    const rng = new Prng(99);
    const n = 5000;
    const x = new Float64Array(n);
    let level = 1000;
    for (let i = 0; i < n; i++) {
      // a random walk with constant stretches and jumps, to exercise every branch
      if (i % 500 < 30) x[i] = Math.round(level);
      else {
        level += rng.normal() * (i % 1000 < 500 ? 0.01 : 5);
        x[i] = level;
      }
    }
    for (const window of [1, 2, 3, 7, 20, 64, 999]) {
      const { mean, std } = batch(x, window);
      const rolling = new RollingMoments(window);
      for (let i = 0; i < n; i++) {
        rolling.push(x[i]!);
        expect(rolling.count).toBe(Math.min(i + 1, window));
        if (!Object.is(rolling.mean(), mean[i]) || !Object.is(rolling.std(), std[i])) {
          throw new Error(
            `window ${window}, index ${i}: ${rolling.mean()}/${rolling.std()} vs ${mean[i]}/${std[i]}`,
          );
        }
      }
    }
  });

  it("recovers from a NaN once it has left the window", () => {
    const rolling = new RollingMoments(3);
    for (const v of [1, 2, Number.NaN, 4, 5, 6, 7, 8, 9]) rolling.push(v);
    expect(rolling.mean()).toBe(8);
    expect(rolling.std()).toBe(1);
  });
});
