import type { Frame } from "../../io/frame.js";
import { wealthPath } from "../../numerics/risk/drawdowns.js";
import type { ReturnKind } from "../../numerics/timeseries/returns.js";
import { formatValue } from "../../output/html/chartStyle.js";
import { type RegimeSeriesReport, regimeReportHtml as regimePage } from "../../output/html/regimeReport.js";
import type { InputKind } from "../shared/options.js";
import type { RegimeAnalysis } from "./results.js";

/**
 * `regime --report`: per symbol its price coloured by the Viterbi regime,
 * the smoothed regime probabilities and the transition matrix, in the
 * regime order and with the labels the JSON uses.
 */
export async function regimeReportHtml(
  frame: Frame,
  analyses: RegimeAnalysis[],
  options: { periodsPerYear: number; returns: ReturnKind; inputKind: InputKind; states: number },
  version: string,
): Promise<string> {
  const n = frame.time.length;
  const k = options.states;
  const series = analyses.map((a, j): RegimeSeriesReport => {
    const { report, json } = a;
    const probabilities = new Float64Array(n * k);
    for (let t = 0; t < n; t++)
      for (let r = 0; r < k; r++) probabilities[t * k + r] = a.posteriors![t * k + report.order[r]!]!;
    return {
      name: a.symbol,
      levels: [
        {
          name: a.symbol,
          level: a.prices ?? growthOfOne(frame.columns[j]!, options.returns),
          levelName: a.prices === null ? "growth of 1" : "price",
        },
      ],
      path: report.path,
      labels: json.regimes.map((r) => r.label),
      probabilities,
      transmat: json.transmat,
      table: {
        head: ["regime", "annual mean", "annual volatility", "share of bars", "expected duration (bars)"],
        rows: json.regimes.map((r) => [
          r.label,
          formatValue(r.mean, "percent", 2),
          formatValue(r.volatility, "percent", 2),
          formatValue(r.share, "percent", 1),
          formatValue(r.expectedDuration, "ratio", 1),
        ]),
      },
    };
  });
  const current = analyses
    .map(
      (a) =>
        `${a.symbol}: ${a.json.current.regime} since ${a.json.current.since} (${a.json.current.bars} bars)`,
    )
    .join("; ");
  return regimePage({
    term: "regime",
    title: `regime: ${frame.source}`,
    subtitle: [
      `${n} ${options.returns} returns, ${frame.time.at(0)} to ${frame.time.at(n - 1)}, ${k} regimes, ${options.periodsPerYear} periods a year`,
      `now: ${current}`,
    ],
    generator: `hftlab ${version}`,
    times: frame.time.toArray(),
    timeName: frame.timeName,
    series,
    notes: [
      "Regimes are the states of a Gaussian HMM fitted to each symbol's returns, named by their annualised mean (3 states) or volatility (2 states).",
      "Prices are drawn from a min/max decimation per pixel column, probabilities from the mean of each column.",
    ],
  });
}

/** The wealth index after each return, from W_0 = 1: what a returns file has instead of a price. */
export function growthOfOne(returns: Float64Array, kind: ReturnKind): Float64Array {
  const logWealth = new Float64Array(returns.length);
  wealthPath(returns, kind, logWealth, new Float64Array(returns.length));
  return logWealth.map(Math.exp);
}
