import { describe, expect, it } from "vitest";
import { Prng } from "../../src/numerics/random/prng.js";
import { CompensatedSum, neumaierSum } from "../../src/numerics/stats/summation.js";

describe("neumaierSum", () => {
  it("returns 0 for an empty range and the value itself for one term", () => {
    expect(neumaierSum([])).toBe(0);
    expect(neumaierSum(new Float64Array([3.5]))).toBe(3.5);
    expect(neumaierSum([1, 2, 3], 1, 1)).toBe(0);
  });

  it("sums 0.1 + 0.2 + 0.3 to the correctly rounded 0.6, as Python's math.fsum does", () => {
    // Python 3: math.fsum([0.1, 0.2, 0.3]) = 0.6; sum([0.1, 0.2, 0.3]) = 0.6000000000000001
    expect(neumaierSum([0.1, 0.2, 0.3])).toBe(0.6);
  });

  it("keeps the small terms when a huge term comes and goes (where Kahan's form gives 0)", () => {
    // Neumaier (1974): the exact sum of [1, 1e100, 1, -1e100] is 2
    expect(neumaierSum([1, 1e100, 1, -1e100])).toBe(2);
  });

  it("adds a sub-range [start, end) of the input", () => {
    expect(neumaierSum(new Float64Array([100, 1, 2, 3, 100]), 1, 4)).toBe(6);
  });

  it("is exact for a million copies of 0.1 to within one rounding of the exact total", () => {
    // exact Σ of 1e6 copies of the double 0.1 (0.1000000000000000055511151231257827…) is
    // 100000.0000000000055511151231257827…, which rounds to 100000 (math.fsum agrees)
    const x = new Float64Array(1_000_000).fill(0.1);
    expect(neumaierSum(x)).toBe(100000);
  });

  it("propagates NaN and gives NaN for an infinite term", () => {
    expect(neumaierSum([1, Number.NaN, 2])).toBeNaN();
    expect(neumaierSum([1, Number.POSITIVE_INFINITY])).toBeNaN();
  });
});

describe("CompensatedSum", () => {
  it("accumulates exactly as neumaierSum does", () => {
    const values = [1e16, 1, -1e16, 3.25, 1e-3, 7e15, -7e15];
    const running = new CompensatedSum();
    for (const v of values) running.add(v);
    expect(running.value()).toBe(neumaierSum(values));
    // Python: math.fsum(values) = 4.251 (exact); Neumaier's bound 2ε|Σ| + O(nε²)Σ|x| allows ~1e-15 here
    expect(Math.abs(running.value() - 4.251)).toBeLessThan(2e-15);
  });
});

describe("neumaierSum's branch-free form", () => {
  /** Neumaier's algorithm as published: the compensation chosen by comparing magnitudes. */
  function branching(x: ArrayLike<number>): number {
    let sum = 0;
    let compensation = 0;
    for (let i = 0; i < x.length; i++) {
      const term = x[i]!;
      const next = sum + term;
      if (Math.abs(sum) >= Math.abs(term)) compensation += sum - next + term;
      else compensation += term - next + sum;
      sum = next;
    }
    return sum + compensation;
  }

  it("gives bit for bit what the branch gives, on terms of every sign and magnitude", () => {
    const rng = new Prng(7);
    for (let trial = 0; trial < 2000; trial++) {
      const length = 1 + Math.floor(rng.nextFloat() * 60);
      const x = Float64Array.from({ length }, () => {
        const kind = rng.nextFloat();
        const sign = rng.nextFloat() < 0.5 ? -1 : 1;
        if (kind < 0.1) return sign * 0;
        if (kind < 0.2) return sign * 2 ** Math.floor(rng.nextFloat() * 200 - 100); // exact powers
        if (kind < 0.3) return sign * rng.nextFloat() * 1e300; // near overflow
        if (kind < 0.4) return sign * rng.nextFloat() * 5e-324 * 1e10; // subnormal
        return sign * rng.nextFloat() * 10 ** Math.floor(rng.nextFloat() * 40 - 20);
      });
      const reference = branching(x);
      const value = neumaierSum(x);
      expect(Object.is(value, reference) || (Number.isNaN(value) && Number.isNaN(reference))).toBe(true);
      const running = new CompensatedSum();
      for (const v of x) running.add(v);
      expect(Object.is(running.value(), value) || Number.isNaN(value)).toBe(true);
    }
  });

  it("agrees on the hard cases: a huge term that comes and goes, ±0, infinities", () => {
    for (const x of [
      [1, 1e100, 1, -1e100],
      [-0, -0],
      [0, -0],
      [1e308, 1e308, -1e308],
      [Number.POSITIVE_INFINITY, 1],
      [Number.MAX_VALUE, Number.MAX_VALUE / 2 ** 53],
    ]) {
      const value = neumaierSum(x);
      const reference = branching(x);
      expect(Object.is(value, reference) || (Number.isNaN(value) && Number.isNaN(reference))).toBe(true);
    }
  });
});
