import type { RegimeAnalysis, RegimeResult } from "./results.js";
import type { Frame } from "../../io/frame.js";
import { makeChalk } from "../../output/color.js";
import { fitReport } from "../../output/fitLines.js";
import { formatFixed, formatNumber } from "../../output/format.js";
import { compactTable } from "../../output/table.js";
import { outputWidth } from "../../output/terminalWidth.js";
import { timeAxis } from "../../output/timeAxis.js";

const CHART_WIDTH = 72;
/** The chart's price axis labels take nine columns, then " ┤". */
const CHART_MARGIN = 11;
const CHART_HEIGHT = 10;
/** Colours by regime label; unknown labels cycle through the rest. */
const LABEL_COLOURS: Record<string, "green" | "yellow" | "red" | "cyan" | "magenta" | "blue"> = {
  bull: "green",
  sideways: "yellow",
  bear: "red",
  calm: "green",
  turbulent: "red",
};
const CYCLE = ["cyan", "magenta", "blue", "green", "yellow", "red"] as const;
/**
 * One glyph per regime, distinct without colour: the direction of a
 * 3-state regime's mean, the sea state of a 2-state one; other labels
 * (regime1..K) their number.
 */
const LABEL_GLYPHS: Record<string, string> = {
  bear: "v",
  sideways: "-",
  bull: "^",
  calm: "=",
  turbulent: "~",
};

function glyphOf(label: string, index: number): string {
  return LABEL_GLYPHS[label] ?? String((index + 1) % 10);
}

interface ReportOptions {
  periodsPerYear: number;
}

/** The human report: per symbol a regime table, the transition matrix, recent segments and a price chart coloured by regime. */
export function renderRegimeReport(
  frame: Frame,
  analyses: RegimeAnalysis[],
  result: RegimeResult,
  options: ReportOptions,
  color: boolean,
  width: number | undefined = outputWidth(),
): string {
  const c = makeChalk(color);
  const out: string[] = [];
  for (const a of analyses) {
    const s = a.json;
    const paint = (label: string, text: string) => {
      const index = s.regimes.findIndex((r) => r.label === label);
      return c[LABEL_COLOURS[label] ?? CYCLE[index % CYCLE.length]!](text);
    };
    out.push(
      `${c.bold(s.symbol)} is ${c.bold(paint(s.current.regime, s.current.regime))} ` +
        `(p = ${formatFixed(s.current.probability, 3)}) since ${s.current.since}, ${s.current.bars} bars` +
        (result.changed?.includes(s.symbol) ? c.bold.yellow(" · CHANGED since the last run") : ""),
    );
    // Too wide for the terminal: the shorter headings, then expected duration, share and the transitions go.
    const table = compactTable(
      [
        "regime",
        { head: "mean (ann.)", short: "mean", drop: 3 + s.regimes.length },
        { head: "volatility (ann.)", short: "vol", drop: 4 + s.regimes.length },
        { head: "share", drop: 2 },
        { head: "expected duration", short: "duration", drop: 1 },
        ...s.regimes.map((r, i) => ({ head: `→ ${r.label}`, drop: 2 + s.regimes.length - i })),
      ],
      ["left", "right", "right", "right", "right", ...s.regimes.map(() => "right" as const)],
      color,
      width,
    );
    s.regimes.forEach((r, i) => {
      table.push([
        paint(r.label, `● ${r.label}`),
        `${formatFixed((r.mean ?? Number.NaN) * 100, 1)}%`,
        `${formatFixed((r.volatility ?? Number.NaN) * 100, 1)}%`,
        `${formatFixed(r.share * 100, 1)}%`,
        `${formatNumber(r.expectedDuration, 3)} bars`,
        ...s.transmat[i]!.map((p) => formatFixed(p, 3)),
      ]);
    });
    out.push(table.toString());
    if (a.prices !== null) out.push(...priceChart(frame, a, c, paint, chartWidth(width)));
    if (s.segments.length > 0) {
      out.push(
        `recent segments: ${s.segments.map((g) => `${paint(g.regime, g.regime)} ${g.start} → ${g.end} (${g.bars})`).join(" · ")}`,
      );
    }
    out.push("");
  }
  out.push(
    c.dim(
      `${frame.source} · ${frame.time.length} returns · annualised with ${options.periodsPerYear} periods/year`,
    ),
  );
  return fitReport(out, width);
}

function chartWidth(width: number | undefined): number {
  return width === undefined ? CHART_WIDTH : Math.max(10, Math.min(CHART_WIDTH, width - CHART_MARGIN));
}

/**
 * The price as a line of points, each column the regime of its last bar:
 * with colour a dot in the regime's colour, without it the regime's glyph;
 * under it a strip of the glyphs, the time axis and the legend.
 */
function priceChart(
  frame: Frame,
  a: RegimeAnalysis,
  c: ReturnType<typeof makeChalk>,
  paint: (label: string, text: string) => string,
  chartWidth: number,
): string[] {
  const prices = a.prices!;
  const n = prices.length;
  const width = Math.min(chartWidth, n);
  const column = new Float64Array(width);
  const regime = new Int32Array(width);
  for (let b = 0; b < width; b++) {
    const to = Math.floor(((b + 1) * n) / width) - 1;
    column[b] = prices[to]!;
    regime[b] = a.report.path[to]!;
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of column) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const labels = a.json.regimes.map((r) => r.label);
  const glyph = (r: number) => paint(labels[r]!, glyphOf(labels[r]!, r));
  const point = c.level > 0 ? (r: number) => paint(labels[r]!, "•") : glyph;
  const height = CHART_HEIGHT;
  const grid: string[][] = Array.from({ length: height }, () => new Array(width).fill(" "));
  for (let b = 0; b < width; b++) {
    const level = hi > lo ? Math.round(((column[b]! - lo) / (hi - lo)) * (height - 1)) : 0;
    grid[height - 1 - level]![b] = point(regime[b]!);
  }
  const lines = grid.map((row, i) => {
    const axis = i === 0 ? formatNumber(hi, 5) : i === height - 1 ? formatNumber(lo, 5) : "";
    return `${axis.padStart(9)} ┤${row.join("")}`;
  });
  lines.push(`${"".padStart(9)}  ${Array.from(regime, glyph).join("")}${c.reset("")}`);
  const time = (row: number) => frame.time.at(row);
  lines.push(`${"".padStart(9)}  ${c.dim(timeAxis(time(0), time(n - 1), width, time(Math.floor(n / 2))))}`);
  const legend = labels.map((label, r) => `${glyph(r)} ${label}`).join(" · ");
  lines.push(`${"".padStart(9)}  ${c.dim("price by regime:")} ${legend}`);
  return lines;
}
