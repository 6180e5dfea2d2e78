import { makeChalk } from "../../output/color.js";
import { fitReport } from "../../output/fitLines.js";
import { formatFixed, formatNumber, formatPValue } from "../../output/format.js";
import type { DataSummary } from "../../output/json.js";
import { compactTable } from "../../output/table.js";
import { outputWidth } from "../../output/terminalWidth.js";
import type { PairFilters } from "./options.js";
import type { PairsResult } from "./results.js";

/**
 * The table's columns; when it is too wide for the terminal they go in
 * `drop` order: the fit's details first, the test and its q-value last.
 */
const COLUMNS = [
  "#",
  "pair",
  { head: "hedge", drop: 3 },
  { head: "stat", drop: 5 },
  { head: "p", drop: 7 },
  { head: "q", drop: 8 },
  { head: "lags", drop: 1 },
  { head: "half-life", short: "h-life", drop: 6 },
  { head: "hurst", drop: 4 },
  { head: "corr", drop: 2 },
];

/** What the filters were, for the header ("p ≤ 0.05, q ≤ 0.1, half-life 5–60 bars"). */
function filterText(filters: PairFilters): string {
  const parts = [`p ≤ ${filters.maxPvalue}`];
  if (filters.fdr !== null) parts.push(`q ≤ ${filters.fdr}`);
  if (filters.minHalfLife !== null || filters.maxHalfLife !== null) {
    parts.push(`half-life ${filters.minHalfLife ?? 0}–${filters.maxHalfLife ?? "∞"} bars`);
  }
  if (filters.maxHurst !== null) parts.push(`Hurst ≤ ${filters.maxHurst}`);
  return parts.join(", ");
}

/** The human report: what was tested and what passed, then the listed pairs. */
export function renderPairsReport(
  data: DataSummary,
  result: PairsResult,
  filters: PairFilters,
  log: boolean,
  color: boolean,
  width: number | undefined = outputWidth(),
): string {
  const c = makeChalk(color);
  const count = (n: number) => n.toLocaleString("en-US");
  const out: string[] = [];
  out.push(
    `${c.bold("pairs")} ${data.source} · ${data.rows} rows · ${data.columns.length} symbols · ` +
      `${count(result.tested)} pairs tested${log ? " on log prices" : ""}`,
  );
  out.push(
    `${count(result.passed)} pass ${filterText(filters)} · q: Benjamini–Hochberg over all ${count(result.tested)} tests` +
      (result.passed > result.pairs.length ? ` · showing the best ${result.pairs.length} by p-value` : ""),
  );
  if (result.pairs.length === 0) {
    out.push(c.dim("no pair passes"));
    return fitReport(out, width);
  }
  const ranked = filters.top > 0;
  const table = compactTable(
    COLUMNS,
    ["right", "left", "right", "right", "right", "right", "right", "right", "right", "right"],
    color,
    width,
  );
  result.pairs.forEach((pair, i) => {
    const q = pair.qValue ?? Number.NaN;
    table.push([
      String(i + 1),
      `${pair.a} ~ ${pair.b}`,
      formatNumber(pair.hedgeRatio, 4),
      formatFixed(pair.stat, 3),
      formatPValue(pair.pValue),
      q <= 0.05 ? c.green(formatPValue(q)) : formatPValue(q),
      pair.lags === null ? "–" : String(pair.lags),
      pair.halfLife === null ? "–" : `${formatNumber(pair.halfLife, 4)} bars`,
      formatFixed(pair.hurst, 3),
      formatFixed(pair.correlation, 3),
    ]);
  });
  out.push(table.toString());
  out.push(
    c.dim(
      `${ranked ? "ranked by p-value" : "in pair order"} · spread = a − c − hedge·b · ` +
        "half-life: AR(1) of the spread · hurst: R/S of its increments · corr: simple returns",
    ),
  );
  return fitReport(out, width);
}
