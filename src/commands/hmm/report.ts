import type { HmmAnalysis, HmmResult } from "./results.js";
import { makeChalk } from "../../output/color.js";
import { fitReport } from "../../output/fitLines.js";
import { formatFixed, formatNumber } from "../../output/format.js";
import { compactTable, type TableColumn } from "../../output/table.js";
import { outputWidth } from "../../output/terminalWidth.js";
import { timeAxis } from "../../output/timeAxis.js";

/** Width of the Viterbi path strip (its last bars; fewer on a narrow terminal). */
const PATH_WIDTH = 72;
const NARROWEST_PATH = 10;
const STATE_COLOURS = ["green", "yellow", "red", "cyan", "magenta", "blue"] as const;

/** The human report of `hmm`: states with their moments, the transition matrix, fit statistics and the recent path. */
export function renderHmmReport(
  analysis: HmmAnalysis,
  result: HmmResult,
  color: boolean,
  width: number | undefined = outputWidth(),
): string {
  const c = makeChalk(color);
  const frame = analysis.frame;
  const rows = frame.time.length;
  const k = result.states;
  const paint = (s: number, text: string) => c[STATE_COLOURS[s % STATE_COLOURS.length]!](text);
  const out: string[] = [];
  // A model applied by position or through --features reads columns named otherwise: show which.
  const features = result.features
    .map((feature, j) => (frame.symbols[j] === feature ? feature : `${feature} ← ${frame.symbols[j]}`))
    .join(", ");
  out.push(
    `${c.bold("hmm")} ${k} states · ${result.covariance} covariance · ${features} · ${frame.source} · ` +
      `${rows} rows · ${frame.time.at(0)} → ${frame.time.at(rows - 1)}`,
  );
  const share = new Float64Array(k);
  for (const s of result.path) share[s] = share[s]! + 1 / rows;
  const table = compactTable(
    stateColumns(result.features),
    ["left", ...result.features.flatMap(() => ["right", "right"] as const), "right", "right", "right"],
    color,
    width,
  );
  for (let s = 0; s < k; s++) {
    const sds = result.covars[s]!.map((row, j) => Math.sqrt(row[j]!));
    table.push([
      paint(s, `● ${s}`),
      ...result.means[s]!.map((m) => formatNumber(m, 4)),
      ...sds.map((v) => formatNumber(v, 4)),
      formatFixed(result.stationary[s], 3),
      `${formatFixed(share[s]! * 100, 1)}%`,
      `${formatNumber(result.expectedDurations[s], 4)} bars`,
    ]);
  }
  out.push(table.toString());
  // Too wide for the terminal: the columns of the last states go first; state 0's stays.
  const transitions = compactTable(
    [
      "from \\ to",
      ...Array.from({ length: k }, (_, s) => (s === 0 ? "0" : { head: String(s), drop: k - s })),
    ],
    ["left", ...Array.from({ length: k }, () => "right" as const)],
    color,
    width,
  );
  result.transmat.forEach((row, i) => {
    transitions.push([paint(i, String(i)), ...row.map((a) => formatFixed(a, 4))]);
  });
  out.push(transitions.toString());
  const fit =
    result.converged === null
      ? "decoded with a saved model"
      : `${result.iterations} EM iterations, ${result.converged ? "converged" : c.yellow("not converged")}` +
        (result.restarts
          ? `, best of ${result.restarts.logLikelihoods.length} restarts (#${result.restarts.best})`
          : "");
  out.push(
    `log-likelihood ${formatNumber(result.logLikelihood, 10)} · AIC ${formatNumber(result.aic, 8)} · ` +
      `BIC ${formatNumber(result.bic, 8)} · ${fit}`,
  );
  if (result.selection !== undefined) {
    out.push(
      `BIC by states: ${result.selection.map((s) => `${s.states}: ${formatNumber(s.bic, 8)}`).join(" · ")} → ${k}`,
    );
  }
  out.push(...viterbiStrip(analysis, result, paint, color, width));
  return fitReport(out, width);
}

/**
 * The state table's columns. Too wide for the terminal, they go in `drop`
 * order: stationary probability, duration, the sd then the mean of every
 * feature after the first (the last first), share, the first feature's sd;
 * its mean stays.
 */
function stateColumns(features: string[]): TableColumn[] {
  const d = features.length;
  return [
    { head: "state" },
    ...features.map((f, j) => (j === 0 ? { head: `mean ${f}` } : { head: `mean ${f}`, drop: 2 * d + 1 - j })),
    ...features.map((f, j) => ({ head: `sd ${f}`, drop: j === 0 ? 2 * d + 2 : d + 2 - j })),
    { head: "stationary", short: "stat.", drop: 1 },
    { head: "share", drop: 2 * d + 1 },
    { head: "duration", drop: 2 },
  ];
}

/** The Viterbi path of the last bars, one character a bar, with its legend and time axis. */
function viterbiStrip(
  analysis: HmmAnalysis,
  result: HmmResult,
  paint: (state: number, text: string) => string,
  color: boolean,
  width: number | undefined,
): string[] {
  const rows = analysis.frame.time.length;
  const shown = width === undefined ? PATH_WIDTH : Math.max(NARROWEST_PATH, Math.min(PATH_WIDTH, width));
  const recent = result.path.slice(-shown);
  if (recent.length === 0) return [];
  const legend = color
    ? Array.from({ length: result.states }, (_, s) => paint(s, `█ ${s}`)).join(" ")
    : "each bar's state as its number";
  const time = (row: number) => analysis.frame.time.at(row);
  return [
    `Viterbi path, last ${recent.length} bars · ${legend}`,
    recent.map((s) => paint(s, color ? "█" : String(s))).join(""),
    makeChalk(color).dim(timeAxis(time(rows - recent.length), time(rows - 1), recent.length)),
  ];
}
