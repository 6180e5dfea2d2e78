import { displayWidth } from "./terminalWidth.js";

/**
 * The time axis under a chart `width` columns wide: the first time at its
 * left edge, the last ending at its right edge, and, when there is room for
 * it with a gap of two either side, the middle one centred.
 * When even the two ends do not fit, "first → last", which may be wider
 * than the chart (the caller leaves room for it).
 *
 * @example timeAxis("2000", "2020", 16) // "2000        2020"
 * @example timeAxis("2000", "2020", 16, "2010") // "2000  2010  2020"
 */
export function timeAxis(first: string, last: string, width: number, middle?: string): string {
  const ends = displayWidth(first) + displayWidth(last);
  if (ends + 1 > width) return `${first} → ${last}`;
  const gap = width - ends;
  if (middle !== undefined && gap >= displayWidth(middle) + 4) {
    const centre = Math.floor((width - displayWidth(middle)) / 2);
    const spaces = gap - displayWidth(middle);
    const left = Math.min(Math.max(2, centre - displayWidth(first)), spaces - 2);
    const right = spaces - left;
    return `${first}${" ".repeat(left)}${middle}${" ".repeat(right)}${last}`;
  }
  return `${first}${" ".repeat(gap)}${last}`;
}
