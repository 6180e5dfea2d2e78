import type { RenderChart } from "./chartRenderer.js";
import { CHART_WIDTH, formatValue, type ValueUnit } from "./chartStyle.js";
import { figureHtml } from "./htmlPage.js";

/**
 * A matrix of values as coloured cells with the value written in each
 * (a monthly returns table, a transition matrix): rows top to bottom in
 * the order given. `diverging` colours negatives red and positives green
 * on a scale symmetric about zero; otherwise white to blue from 0 to the
 * largest value. A missing cell (null) is left blank.
 */

export interface Heatmap {
  kind: string;
  heading: string;
  caption: string;
  columns: string[];
  rows: string[];
  /** values[row][column] */
  values: (number | null)[][];
  unit: ValueUnit;
  digits: number;
  diverging: boolean;
  xName?: string;
  yName?: string;
}

const ROW_HEIGHT = 24;

export function heatmapChart(render: RenderChart, map: Heatmap): string {
  let largest = 0;
  const data: [number, number, number][] = [];
  map.values.forEach((row, r) => {
    row.forEach((value, c) => {
      if (value === null || !Number.isFinite(value)) return;
      largest = Math.max(largest, Math.abs(value));
      data.push([c, r, value]);
    });
  });
  const scale = largest > 0 ? largest : 1;
  const top = 12;
  const bottom = map.xName === undefined ? 28 : 48;
  const height = top + bottom + ROW_HEIGHT * map.rows.length;
  const option = {
    // Room for the longest row label ("from turbulent", a year) at about 7 px a character.
    grid: {
      left: Math.max(56, 16 + 7 * Math.max(...map.rows.map((row) => row.length))),
      right: 28,
      top,
      bottom,
    },
    xAxis: {
      type: "category",
      data: map.columns,
      name: map.xName,
      nameLocation: "middle",
      nameGap: 28,
      splitArea: { show: false },
      axisTick: { show: false },
    },
    yAxis: {
      type: "category",
      data: map.rows,
      inverse: true,
      name: map.yName,
      nameLocation: "middle",
      nameGap: 56,
      axisTick: { show: false },
    },
    visualMap: {
      show: false,
      min: map.diverging ? -scale : 0,
      max: scale,
      dimension: 2,
      inRange: { color: map.diverging ? ["#c0392b", "#f7f7f7", "#1e8449"] : ["#f7fbff", "#2b6cb0"] },
    },
    series: [
      {
        type: "heatmap",
        // White text on the darkest cells, dark elsewhere: legible on every colour of the scale.
        data: data.map((value) => ({
          value,
          label: { color: Math.abs(value[2]) / scale > 0.6 ? "#fff" : "#1f2328" },
        })),
        itemStyle: { borderColor: "#fff", borderWidth: 1 },
        label: {
          show: true,
          fontSize: 11,
          color: "#1f2328",
          formatter: (cell: { value: [number, number, number] }) =>
            formatValue(cell.value[2], map.unit, map.digits),
        },
      },
    ],
  };
  const svg = render(option, { width: CHART_WIDTH, height }, map.heading);
  const values = data.map((d) => d[2]);
  return figureHtml(map.kind, map.heading, svg, map.caption, {
    rows: map.rows.length,
    columns: map.columns.length,
    cells: data.length,
    "value-min": values.length === 0 ? "" : Math.min(...values),
    "value-max": values.length === 0 ? "" : Math.max(...values),
  });
}
