import { describe, expect, it } from "vitest";
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
