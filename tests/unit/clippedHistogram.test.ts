import { describe, expect, it } from "vitest";
import { clippedHistogram, histogramRange } from "../../src/numerics/stats/clippedHistogram.js";

describe("histogramRange", () => {
  it("stops a quarter of the central 99 % spread past it, so a far outlier falls outside (the JSDoc example)", () => {
    const values = Float64Array.from([...Array.from({ length: 1000 }, (_, i) => i / 1000), 100]);
    // numpy.quantile(x, [0.005, 0.995]) = [0.005, 0.995]; 0.995 + 0.25 × 0.99 = 1.2425; the low side is cut at min 0.
    const [low, high] = histogramRange(values);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(1.2425, 12);
  });

  it("keeps the full range of a sample without far values (a few dozen, or a uniform thousand)", () => {
    const uniform = Float64Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    // numpy: quantiles [-0.496005, 0.494005]: the margin reaches past both extremes (−0.5, 0.499).
    expect(histogramRange(uniform)).toEqual([-0.5, 0.499]);
    const short = Float64Array.of(0.03, -0.2, 0.01, 0.5, -0.04, 0.02, 0.0, 0.01, -0.01, 0.02);
    expect(histogramRange(short)).toEqual([-0.2, 0.5]);
  });

  it("skips non-finite values, gives NaN for none, and keeps the full range when the central range is a point", () => {
    expect(histogramRange(Float64Array.of(Number.NaN, 1, Number.POSITIVE_INFINITY, 3, 2))).toEqual([1, 3]);
    expect(histogramRange(Float64Array.of(Number.NaN))).toEqual([Number.NaN, Number.NaN]);
    const flat = new Float64Array(1000);
    flat[10] = -0.2;
    flat[500] = 0.1;
    expect(histogramRange(flat)).toEqual([-0.2, 0.1]);
  });
});

describe("clippedHistogram", () => {
  it("counts inside [low, high] in equal bins, the rest in the edge counts (the JSDoc example)", () => {
    const h = clippedHistogram(Float64Array.of(-9, 0, 1, 1, 2, 4, 50), 2, 0, 4);
    expect([...h.edges]).toEqual([0, 2, 4]);
    expect([...h.counts]).toEqual([3, 2]);
    expect([h.below, h.above]).toEqual([1, 1]);
  });

  it("counts every finite value exactly once, by brute force on a seeded sample", () => {
    let seed = 11;
    const values = Float64Array.from({ length: 5000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed / 2147483648 - 0.5) ** 3;
    });
    values[7] = Number.NaN;
    const low = -0.05;
    const high = 0.04;
    const bins = 37;
    const h = clippedHistogram(values, bins, low, high);
    const finite = [...values].filter(Number.isFinite);
    expect(h.below).toBe(finite.filter((v) => v < low).length);
    expect(h.above).toBe(finite.filter((v) => v > high).length);
    const width = (high - low) / bins;
    for (let k = 0; k < bins; k++) {
      const left = low + k * width;
      const right = k === bins - 1 ? high : low + (k + 1) * width;
      const inBin = finite.filter((v) => v >= left && (k === bins - 1 ? v <= right : v < right)).length;
      expect(h.counts[k], `bin ${k}`).toBe(inBin);
    }
    expect(h.below + h.counts.reduce((a, b) => a + b, 0) + h.above).toBe(finite.length);
  });

  it("refuses an empty range", () => {
    expect(() => clippedHistogram(Float64Array.of(1), 3, 1, 1)).toThrow(RangeError);
  });
});
