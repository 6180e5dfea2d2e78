import { isoKey, monthNameKey, numberKey } from "../../io/table/timeStamps.js";

/**
 * The x positions of a report's time series: epoch milliseconds (UTC) when
 * every stamp is a date or date-time, so the axis shows dates; the numbers
 * themselves when every stamp is a number (epoch seconds, decimal years:
 * their unit is the file's, so the axis is named after the time column);
 * else the bar's position. A null stamp (the start of a returns file's
 * wealth index) is left out by the caller.
 */
export interface XAxisValues {
  type: "time" | "value";
  values: Float64Array;
  /** The axis title: "" for dates (the labels say it), else the time column or "bar". */
  name: string;
}

export function xAxisValues(times: readonly string[], timeName: string): XAxisValues {
  const n = times.length;
  const values = new Float64Array(n);
  if (fill(times, values, (text) => isoKey(text) ?? monthNameKey(text)))
    return { type: "time", values, name: "" };
  if (fill(times, values, numberKey)) return { type: "value", values, name: timeName };
  for (let i = 0; i < n; i++) values[i] = i;
  return { type: "value", values, name: "bar" };
}

function fill(
  times: readonly string[],
  out: Float64Array,
  parse: (text: string) => number | undefined,
): boolean {
  for (let i = 0; i < times.length; i++) {
    const value = parse(times[i]!);
    if (value === undefined) return false;
    out[i] = value;
  }
  return true;
}

/** The ECharts x axis of a time series: dates, or numbers as written (no thousands separators). */
export function timeAxis(x: XAxisValues): Record<string, unknown> {
  return {
    type: x.type,
    name: x.name,
    nameLocation: "middle",
    nameGap: 28,
    // The stamps' own span, not the drawn points': a rolling chart, blank while its window fills,
    // keeps the equity chart's axis, and its warm-up band shows where the blank is.
    min: x.values.length === 0 ? "dataMin" : x.values[0],
    max: x.values.length === 0 ? "dataMax" : x.values[x.values.length - 1],
    axisLine: { lineStyle: { color: "#8c959f" } },
    splitLine: { show: false },
    // The ends are the data's first and last stamps: labelled, they would crowd the round ticks.
    axisLabel: {
      hideOverlap: true,
      showMinLabel: false,
      showMaxLabel: false,
      ...(x.type === "value" ? { formatter: (value: number) => String(Number(value.toPrecision(12))) } : {}),
    },
  };
}
