import type { Frame } from "../../io/frame.js";
import type { ReturnKind } from "../../numerics/timeseries/returns.js";
import { formatValue } from "../../output/html/chartStyle.js";
import { type RegimeLevelSeries, regimeReportHtml } from "../../output/html/regimeReport.js";
import { growthOfOne } from "../regime/htmlReport.js";
import type { InputKind } from "../shared/options.js";
import type { HmmAnalysis, HmmResult } from "./results.js";

/**
 * `hmm --report`: each feature's price coloured by the Viterbi state, the
 * smoothed state probabilities and the transition matrix of the one model,
 * with the states numbered as the JSON's `path` numbers them.
 */
export async function hmmReportHtml(
  prices: Frame,
  analysis: HmmAnalysis,
  result: HmmResult,
  options: { returns: ReturnKind; inputKind: InputKind },
  version: string,
): Promise<string> {
  const { frame, decoding } = analysis;
  const k = result.states;
  const n = frame.time.length;
  const labels = Array.from({ length: k }, (_, s) => `state ${s}`);
  const levels: RegimeLevelSeries[] = frame.symbols.map((symbol, j) =>
    options.inputKind === "prices"
      ? {
          name: symbol,
          level: prices.columns[prices.symbols.indexOf(symbol)]!.subarray(1),
          levelName: "price",
        }
      : { name: symbol, level: growthOfOne(frame.columns[j]!, options.returns), levelName: "growth of 1" },
  );
  const shown = result.features;
  const table = {
    head: [
      "state",
      "stationary share",
      "expected duration (bars)",
      ...shown.flatMap((f) => [`${f} mean`, `${f} sd`]),
    ],
    rows: labels.map((label, s) => [
      label,
      formatValue(result.stationary[s] ?? null, "percent", 1),
      formatValue(result.expectedDurations[s] ?? null, "ratio", 1),
      ...shown.flatMap((_, f) => [
        formatValue(result.means[s]![f]!, "percent", 3),
        formatValue(Math.sqrt(result.covars[s]![f]![f]!), "percent", 3),
      ]),
    ]),
  };
  return regimeReportHtml({
    term: "state",
    title: `hmm: ${frame.source}`,
    subtitle: [
      `${n} ${options.inputKind === "prices" ? `${options.returns} returns` : "rows"} of ${result.features.join(", ")}, ` +
        `${frame.time.at(0)} to ${frame.time.at(n - 1)}; ${k} states, ${result.covariance} covariance`,
      `log-likelihood ${formatValue(result.logLikelihood, "ratio", 2)}, BIC ${formatValue(result.bic, "ratio", 2)}, ` +
        `${result.iterations} iterations${result.converged === false ? " (not converged)" : ""}`,
    ],
    generator: `hftlab ${version}`,
    times: frame.time.toArray(),
    timeName: frame.timeName,
    series: [
      {
        name: `${k}-state model`,
        levels,
        path: decoding.path,
        labels,
        probabilities: decoding.posteriors,
        transmat: result.transmat,
        table,
      },
    ],
    notes: [
      "States are numbered as the JSON's path numbers them; means and standard deviations are per period, in the units of the features.",
      "Prices are drawn from a min/max decimation per pixel column, probabilities from the mean of each column.",
    ],
  });
}
