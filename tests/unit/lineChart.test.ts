import { describe, expect, it } from "vitest";
import { lineChart } from "../../src/output/lineChart.js";

const plain = (text: string) => text;

describe("lineChart", () => {
  it("draws a ramp from the bottom left to the top right (the JSDoc example)", () => {
    expect(lineChart([{ values: [0, 1, 2, 3], glyph: "•", paint: plain }], 4, 2, String)).toEqual([
      "        3 ┤  ••",
      "        0 ┤••  ",
    ]);
  });

  it("keeps a one-bar spike of a long series: its column spans to the top", () => {
    const values = new Float64Array(100_000);
    values[54_321] = 10;
    const rows = lineChart([{ values, glyph: "x", paint: plain }], 50, 5, String);
    expect(rows).toHaveLength(5);
    const column = rows[0]!.indexOf("x");
    expect(column).toBeGreaterThan(0);
    for (const row of rows) expect(row[column]).toBe("x");
    expect(rows[0]!.replace(/^.*┤/, "").replaceAll(" ", "")).toBe("x");
  });

  it("overlays several series on shared axes, the later on top, and skips NaN", () => {
    const rows = lineChart(
      [
        { values: [0, 0, 0, 0], glyph: "a", paint: plain },
        { values: [Number.NaN, 1, 1, 0], glyph: "b", paint: plain },
      ],
      4,
      2,
      String,
    );
    expect(rows).toEqual(["        1 ┤ bb ", "        0 ┤aaab"]);
  });

  it("draws nothing for an empty or all-NaN input", () => {
    expect(lineChart([{ values: [], glyph: "•", paint: plain }], 10, 4, String)).toEqual([]);
    expect(lineChart([{ values: [Number.NaN], glyph: "•", paint: plain }], 10, 4, String)).toEqual([]);
  });
});
