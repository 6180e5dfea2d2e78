/**
 * What every chart shares: the size it is drawn at (it scales with the
 * page; 900 × 300 reads at a laptop's width and still at 800 px), the
 * palette (Tableau 10: distinct in print and for the common colour
 * blindnesses), the plot margins, and the tick labels of each unit.
 */
export const CHART_WIDTH = 900;
export const CHART_HEIGHT = 300;
export const GRID = { left: 72, right: 28, top: 36, bottom: 44 };
/** The pixel columns of a time series' plot: its decimation width. */
export const PLOT_COLUMNS = CHART_WIDTH - GRID.left - GRID.right;

export const PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#59a14f",
  "#e15759",
  "#76b7b2",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];

export const AXIS_LINE = { lineStyle: { color: "#8c959f" } };
export const SPLIT_LINE = { lineStyle: { color: "#e6e9ed" } };

export type ValueUnit = "percent" | "ratio" | "number";

/** Tick labels for values spanning `span`: percent with as many decimals as the span needs. */
export function tickFormatter(unit: ValueUnit, span: number): (value: number) => string {
  if (unit === "percent") {
    const digits = span * 100 >= 10 ? 0 : span * 100 >= 1 ? 1 : 2;
    return (value) => `${(value * 100).toFixed(digits)}%`;
  }
  const digits = span >= 10 ? 0 : span >= 1 ? 1 : span >= 0.1 ? 2 : 3;
  return (value) => value.toFixed(digits);
}

/** A value for a caption or a cell: a percent with `digits` decimals, or a plain number. */
export function formatValue(value: number | null, unit: ValueUnit, digits = 2): string {
  if (value === null || !Number.isFinite(value)) return "—";
  // A tiny loss rounds to zero: "0.0%", not "-0.0%".
  const text = (unit === "percent" ? value * 100 : value).toFixed(digits).replace(/^-(0\.?0*)$/, "$1");
  return unit === "percent" ? `${text}%` : text;
}

/** Smallest and largest finite value of some arrays (NaN when there is none): what a chart can draw. */
export function extent(arrays: readonly ArrayLike<number>[]): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  return low <= high ? [low, high] : [Number.NaN, Number.NaN];
}
