import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { hftlab } from "./run.js";

/** Reading a --report page in tests: its figures' data-* facts, and the checks every page must pass. */

export interface Figure {
  chart: string;
  facts: Record<string, string>;
}

export function figures(html: string): Figure[] {
  return [...html.matchAll(/<figure data-chart="([^"]+)"([^>]*)>/g)].map((match) => ({
    chart: match[1]!,
    facts: Object.fromEntries(
      [...match[2]!.matchAll(/ data-([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    ),
  }));
}

export interface ReportRun<R> {
  json: { params: Record<string, unknown>; data: { rows: number }; result: R };
  html: string;
  path: string;
}

/** Runs a command with --json and --report into `folder`; returns the JSON document and the page. */
export function reportRunIn(folder: string) {
  return <R>(args: string[], name: string): ReportRun<R> => {
    const path = join(folder, name);
    const r = hftlab([...args, "--json", "--quiet", "--report", path]);
    expect(r.status, r.stderr).toBe(0);
    return { json: JSON.parse(r.stdout), html: readFileSync(path, "utf8"), path };
  };
}

export function expectSelfContained(html: string): void {
  expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
  expect(html).not.toMatch(/https?:\/\//);
  expect(html).not.toMatch(/<script/i);
  // url(#clip) names a clip path of the page itself; anything else would be fetched.
  expect(html).not.toMatch(/@import|url\((?!#)|<link|<img|<iframe|<object|<embed/i);
}

/** The SVG of the k-th figure of a kind. */
export function figureSvg(html: string, chart: string, k = 0): string {
  const parts = html.split(`<figure data-chart="${chart}"`);
  const figure = parts[k + 1]!;
  return figure.slice(figure.indexOf("<svg"), figure.indexOf("</svg>"));
}

/**
 * Where a value sits on a chart's drawn x axis: the axis's own percent tick
 * labels ("-3%", "0%") and their positions give the pixel of any value, so a
 * test can check a mark against the number it stands for.
 */
export function percentAxisPixel(svg: string): (value: number) => number {
  const ticks = [...svg.matchAll(/transform="translate\(([\d.]+) [\d.]+\)"[^>]*>(-?[\d.]+)%<\/text>/g)].map(
    (m) => ({
      x: Number(m[1]),
      value: Number(m[2]) / 100,
    }),
  );
  const first = ticks[0]!;
  const last = ticks[ticks.length - 1]!;
  const scale = (last.x - first.x) / (last.value - first.value);
  return (value) => first.x + (value - first.value) * scale;
}

/** The x of every vertical line drawn in `color` (mark lines). */
export function verticalLines(svg: string, color: string): number[] {
  return [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)"([^>]*)>/g)]
    .filter((m) => m[1] === m[3] && m[2] !== m[4] && m[5]!.includes(`stroke="${color}"`))
    .map((m) => Number(m[1]));
}

/** The x span of each filled polygon in `fill` (an ECharts mark area). */
export function filledBands(svg: string, fill: string): { left: number; right: number }[] {
  return [...svg.matchAll(/<polygon points="([^"]+)" fill="([^"]+)"/g)]
    .filter((m) => m[2] === fill)
    .map((m) => {
      const xs = m[1]!
        .trim()
        .split(/\s+/)
        .filter((_, k) => k % 2 === 0)
        .map(Number);
      return { left: Math.min(...xs), right: Math.max(...xs) };
    });
}

/** The x where each drawn data line (a series' 1.4-pixel stroke, unfilled) begins. */
export function lineStarts(svg: string): number[] {
  return [
    ...svg.matchAll(
      /<path d="M([\d.]+) [\d.]+L[^"]*" fill="none" pointer-events="visible" stroke="#[0-9a-f]{6}" stroke-width="1.4"/g,
    ),
  ].map((m) => Number(m[1]));
}

/**
 * Both axes of a scatter chart from their percent tick labels: the x axis's
 * labels share one y, the y axis's one x; each maps a value to its pixel.
 */
export function percentAxes(svg: string): { x: (value: number) => number; y: (value: number) => number } {
  const ticks = [...svg.matchAll(/transform="translate\(([\d.]+) ([\d.]+)\)"[^>]*>(-?[\d.]+)%<\/text>/g)].map(
    (m) => ({
      x: Number(m[1]),
      y: Number(m[2]),
      value: Number(m[3]) / 100,
    }),
  );
  const line = (along: "x" | "y") => {
    const across = along === "x" ? "y" : "x";
    const counts = new Map<number, number>();
    for (const t of ticks) counts.set(t[across], (counts.get(t[across]) ?? 0) + 1);
    const shared = [...counts.entries()].filter(([, count]) => count >= 2).map(([at]) => at);
    // The x axis's labels sit below the plot (the largest shared y); the y axis's left of it (the smallest shared x).
    const at = along === "x" ? Math.max(...shared) : Math.min(...shared);
    const own = ticks.filter((t) => t[across] === at);
    const first = own[0]!;
    const last = own[own.length - 1]!;
    const scale = (last[along] - first[along]) / (last.value - first.value);
    return (value: number) => first[along] + (value - first.value) * scale;
  };
  return { x: line("x"), y: line("y") };
}

/** The centres of the drawn symbols of a line series in `color` (its white-filled points). */
export function pointCentres(svg: string, color: string): { x: number; y: number }[] {
  return [
    ...svg.matchAll(
      /transform="matrix\([\d.]+,0,0,[\d.]+,([\d.]+),([\d.]+)\)" fill="#fff" stroke="([^"]+)"/g,
    ),
  ]
    .filter((m) => m[3] === color)
    .map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
}
