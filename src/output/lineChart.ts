/**
 * A terminal line chart: `height` rows by up to `width` columns, each
 * column covering an equal run of bars and marked from the run's lowest to
 * its highest value (min/max, like the HTML reports' decimation), so a
 * one-bar spike shows at any width. Several series share the axes, each in
 * its own glyph and colour, later ones drawn over earlier ones. The left
 * margin labels the top, middle and bottom of the value axis.
 *
 * @example
 * lineChart([{ values: [0, 1, 2, 3], glyph: "•", paint: (s) => s }], 4, 2, String)
 * // => ["        3 ┤  ••", "        0 ┤••  "]
 */
export interface ChartLine {
  values: ArrayLike<number>;
  glyph: string;
  paint: (text: string) => string;
}

/** The value labels' width: nine columns, then " ┤". */
export const LINE_CHART_MARGIN = 11;

export function lineChart(
  lines: readonly ChartLine[],
  width: number,
  height: number,
  label: (value: number) => string,
): string[] {
  const n = Math.max(0, ...lines.map((line) => line.values.length));
  const columns = Math.min(width, n);
  if (columns === 0 || height < 2) return [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const ranges = lines.map((line) => {
    const low = new Float64Array(columns).fill(Number.NaN);
    const high = new Float64Array(columns).fill(Number.NaN);
    const m = line.values.length;
    for (let c = 0; c < columns; c++) {
      const from = Math.floor((c * m) / columns);
      const to = Math.floor(((c + 1) * m) / columns);
      for (let i = from; i < to; i++) {
        const v = line.values[i]!;
        if (!Number.isFinite(v)) continue;
        if (!(v >= low[c]!)) low[c] = v;
        if (!(v <= high[c]!)) high[c] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    return { low, high };
  });
  if (!(lo <= hi)) return [];
  const grid: string[][] = Array.from({ length: height }, () => new Array<string>(columns).fill(" "));
  const rowOf = (v: number) => (hi > lo ? Math.round(((v - lo) / (hi - lo)) * (height - 1)) : 0);
  lines.forEach((line, k) => {
    const { low, high } = ranges[k]!;
    const mark = line.paint(line.glyph);
    for (let c = 0; c < columns; c++) {
      if (Number.isNaN(low[c]!)) continue;
      for (let r = rowOf(low[c]!); r <= rowOf(high[c]!); r++) grid[height - 1 - r]![c] = mark;
    }
  });
  const middle = Math.floor((height - 1) / 2);
  return grid.map((row, i) => {
    const value =
      i === 0 ? hi : i === height - 1 ? lo : i === middle ? hi - ((hi - lo) * i) / (height - 1) : null;
    return `${(value === null ? "" : label(value)).padStart(LINE_CHART_MARGIN - 2)} ┤${row.join("")}`;
  });
}
