import type { RegimeAnalysis, RegimeResult } from "./results.js";
import type { Frame } from "../../io/frame.js";
import { makeChalk } from "../../output/color.js";
import { formatFixed, formatNumber } from "../../output/format.js";
import { compactTable } from "../../output/table.js";

const CHART_WIDTH = 72;
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
    const table = compactTable(
      [
        "regime",
        "mean (ann.)",
        "volatility (ann.)",
        "share",
        "expected duration",
        ...s.regimes.map((r) => `→ ${r.label}`),
      ],
      ["left", "right", "right", "right", "right", ...s.regimes.map(() => "right" as const)],
      color,
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
    if (a.prices !== null) out.push(priceChart(a, c, paint));
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
  return `${out.join("\n")}\n`;
}

/** The price as a line of dots, each column coloured by the regime of its last bar; a strip of regime blocks below. */
function priceChart(
  a: RegimeAnalysis,
  c: ReturnType<typeof makeChalk>,
  paint: (label: string, text: string) => string,
): string {
  const prices = a.prices!;
  const n = prices.length;
  const width = Math.min(CHART_WIDTH, n);
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
  const grid: string[][] = Array.from({ length: CHART_HEIGHT }, () => new Array(width).fill(" "));
  const labels = a.json.regimes.map((r) => r.label);
  for (let b = 0; b < width; b++) {
    const level = hi > lo ? Math.round(((column[b]! - lo) / (hi - lo)) * (CHART_HEIGHT - 1)) : 0;
    grid[CHART_HEIGHT - 1 - level]![b] = paint(labels[regime[b]!]!, "•");
  }
  const lines = grid.map((row, i) => {
    const axis = i === 0 ? formatNumber(hi, 5) : i === CHART_HEIGHT - 1 ? formatNumber(lo, 5) : "";
    return `${axis.padStart(9)} ┤${row.join("")}`;
  });
  const strip = Array.from(regime, (r) => paint(labels[r]!, labels[r]![0]!.toUpperCase())).join("");
  lines.push(`${"".padStart(9)}  ${strip}`);
  return lines.join("\n") + c.reset("");
}
