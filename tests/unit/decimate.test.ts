import { describe, expect, it } from "vitest";
import { minMaxDecimate } from "../../src/output/html/decimate.js";

describe("minMaxDecimate", () => {
  it("keeps each column's lowest and highest point in time order, and the ends (the JSDoc example)", () => {
    expect(minMaxDecimate([0, 1, 2, 3, 4, 5, 6, 7], [1, 9, 2, 2, 3, -5, 4, 4], 2)).toEqual({
      x: [0, 1, 5, 6, 7],
      y: [1, 9, -5, 4, 4],
    });
  });

  it("returns a short series whole, less its NaN and infinite points", () => {
    expect(minMaxDecimate([0, 1, 2, 3], [Number.NaN, 2, Number.POSITIVE_INFINITY, 3], 10)).toEqual({
      x: [1, 3],
      y: [2, 3],
    });
  });

  it("keeps a one-bar spike of a 2M-point series in at most 2 points per column", () => {
    const n = 2_000_000;
    const x = new Float64Array(n).map((_, i) => i);
    const y = new Float64Array(n).map((_, i) => Math.sin(i / 50_000));
    y[1_234_567] = 40;
    y[1_500_001] = -40;
    const drawn = minMaxDecimate(x, y, 800);
    expect(drawn.x.length).toBeLessThanOrEqual(2 * 800 + 2);
    expect(Math.max(...drawn.y)).toBe(40);
    expect(Math.min(...drawn.y)).toBe(-40);
    expect(drawn.x[drawn.y.indexOf(40)]).toBe(1_234_567);
    expect(drawn.x).toEqual([...drawn.x].sort((a, b) => a - b));
    expect(drawn.x[0]).toBe(0);
    expect(drawn.x.at(-1)).toBe(n - 1);
  });
});
