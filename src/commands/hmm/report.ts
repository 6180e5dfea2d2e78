import type { HmmAnalysis, HmmResult } from "./results.js";
import { makeChalk } from "../../output/color.js";
import { formatFixed, formatNumber } from "../../output/format.js";
import { compactTable } from "../../output/table.js";

/** Width of the Viterbi path strip (its last bars). */
const PATH_WIDTH = 72;
const STATE_COLOURS = ["green", "yellow", "red", "cyan", "magenta", "blue"] as const;

/** The human report of `hmm`: states with their moments, the transition matrix, fit statistics and the recent path. */
export function renderHmmReport(analysis: HmmAnalysis, result: HmmResult, color: boolean): string {
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
  const head = [
    "state",
    ...result.features.map((f) => `mean ${f}`),
    ...result.features.map((f) => `sd ${f}`),
  ];
  const table = compactTable(
    [...head, "stationary", "share", "duration"],
    head.map((_, i) => (i === 0 ? "left" : "right")).concat(["right", "right", "right"]) as (
      | "left"
      | "right"
    )[],
    color,
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
  const transitions = compactTable(
    ["from \\ to", ...Array.from({ length: k }, (_, s) => String(s))],
    ["left", ...Array.from({ length: k }, () => "right" as const)],
    color,
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
  const recent = result.path.slice(-PATH_WIDTH);
  out.push(
    `Viterbi path, last ${recent.length} bars: ${recent.map((s) => paint(s, color ? "█" : String(s))).join("")}`,
  );
  return `${out.join("\n")}\n`;
}
