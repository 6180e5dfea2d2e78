import type { McmcAnalysis, McmcResult, ParameterJson } from "./results.js";
import { ESS_MINIMUM, parameterChains, RHAT_LIMIT } from "./results.js";
import { makeChalk } from "../../output/color.js";
import { fitReport } from "../../output/fitLines.js";
import { formatFixed, formatNumber } from "../../output/format.js";
import { sparkline } from "../../output/sparkline.js";
import { compactTable, type TableColumn } from "../../output/table.js";
import { outputWidth } from "../../output/terminalWidth.js";
import { timeAxis } from "../../output/timeAxis.js";

/** Width of the density sketch (histogram bins) and of the trace of chain 1. */
const DENSITY_WIDTH = 24;
const TRACE_WIDTH = 60;
/** "  mu     " before a trace. */
const TRACE_MARGIN = 9;

/** Histogram counts of the draws in `bins` equal bins between their min and max. */
function histogram(values: Float64Array, bins: number): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const counts = new Float64Array(bins);
  const width = (hi - lo) / bins;
  for (const v of values) counts[width > 0 ? Math.min(bins - 1, Math.floor((v - lo) / width)) : 0]! += 1;
  return counts;
}

/**
 * The summary table's columns, as Stan prints them; `mcmc --diagnose` uses
 * them too. Too wide for the terminal, they go in `drop` order (the report's
 * density sketch before them all): MCSE, the median, tail ESS, the 5% and
 * 95% quantiles, bulk ESS, R-hat, sd; the mean stays.
 */
export const SUMMARY_HEADER: readonly (string | TableColumn)[] = [
  "parameter",
  "mean",
  { head: "mcse", drop: 2 },
  { head: "sd", drop: 9 },
  { head: "5%", drop: 5 },
  { head: "50%", drop: 3 },
  { head: "95%", drop: 6 },
  { head: "ess_bulk", drop: 7 },
  { head: "ess_tail", drop: 4 },
  { head: "r_hat", drop: 8 },
];
export const SUMMARY_ALIGN: ("left" | "right")[] = ["left", ...Array<"right">(9).fill("right")];

/** One parameter's row of the summary table: ESS below 400 in yellow, R-hat above 1.01 in red. */
export function summaryRow(name: string, p: ParameterJson, c: ReturnType<typeof makeChalk>): string[] {
  const ess = (x: number | null) => {
    const text = formatFixed(x, 0);
    return x !== null && x < ESS_MINIMUM ? c.yellow(text) : text;
  };
  const rhat = formatFixed(p.rhat, 3);
  return [
    name,
    formatNumber(p.mean, 4),
    formatNumber(p.mcse, 2),
    formatNumber(p.sd, 3),
    formatNumber(p.q05, 4),
    formatNumber(p.q50, 4),
    formatNumber(p.q95, 4),
    ess(p.essBulk),
    ess(p.essTail),
    p.rhat !== null && p.rhat > RHAT_LIMIT ? c.red(rhat) : rhat,
  ];
}

/**
 * The human report of `mcmc`: a summary table like Stan's (mean, MCSE, sd,
 * quantiles, bulk/tail ESS, R-hat) with a density sketch of each parameter,
 * the sampler's statistics, and a trace of chain 1 per parameter.
 */
export function renderMcmcReport(
  analysis: McmcAnalysis,
  result: McmcResult,
  color: boolean,
  width: number | undefined = outputWidth(),
): string {
  const c = makeChalk(color);
  const frame = analysis.frame;
  const rows = frame.time.length;
  const out: string[] = [];
  const settings = analysis.settings;
  out.push(
    `${c.bold("mcmc")} ${result.model} · ${result.series} · ${frame.source} · ${rows} rows · ` +
      `${rows > 0 ? `${frame.time.at(0)} → ${frame.time.at(rows - 1)}` : ""}`,
  );
  const table = compactTable(
    [...SUMMARY_HEADER, { head: "density", drop: 1 }],
    [...SUMMARY_ALIGN, "left"],
    color,
    width,
  );
  const traceWidth =
    width === undefined ? TRACE_WIDTH : Math.max(10, Math.min(TRACE_WIDTH, width - TRACE_MARGIN));
  const d = analysis.names.length;
  const traces: string[] = [];
  analysis.names.forEach((name, j) => {
    const p = result.params[name]!;
    const chains = parameterChains(analysis.chainResults, j, d);
    const pooled = new Float64Array(chains.reduce((n, ch) => n + ch.length, 0));
    let at = 0;
    for (const ch of chains) {
      pooled.set(ch, at);
      at += ch.length;
    }
    table.push([
      ...summaryRow(name, p, c),
      c.cyan(sparkline(histogram(pooled, DENSITY_WIDTH), DENSITY_WIDTH)),
    ]);
    traces.push(`  ${name.padEnd(6)} ${c.cyan(sparkline(chains[0]!, traceWidth))}`);
  });
  const { table: summary, footer: hidden } = table.render();
  out.push(summary);
  if (table.columnAt("density") !== undefined)
    out.push(c.dim("density: every chain's draws in bins from their lowest to their highest"));
  if (hidden !== "") out.push(hidden);
  const samplerLine =
    result.sampler === "nuts"
      ? `NUTS · step size ${formatNumber(result.stepSize, 3)} · mean accept_stat ${formatFixed(result.acceptanceRate, 3)}`
      : `adaptive random-walk Metropolis · acceptance rate ${formatFixed(result.acceptanceRate, 3)}`;
  const divergences = result.divergences > 0 ? c.red(`${result.divergences} divergences`) : "0 divergences";
  out.push(
    `${samplerLine} · ${divergences} · ${result.chains.length} chains × ${settings.draws} draws ` +
      `(${settings.warmup} warm-up discarded)`,
  );
  out.push(`trace of chain 1, ${settings.draws} draws · ▁ lowest to █ highest of each line`);
  out.push(...traces);
  const drawn = Math.min(traceWidth, settings.draws);
  out.push(c.dim(`${" ".repeat(TRACE_MARGIN)}${timeAxis("draw 1", `draw ${settings.draws}`, drawn)}`));
  return fitReport(out, width);
}
