import { formatValue } from "../../output/html/chartStyle.js";
import { portfolioReportHtml } from "../../output/html/portfolioReport.js";
import type { OptimizeOptions } from "./options.js";
import { type OptimizeAnalysis, type OptimizeResult, type PortfolioJson, portfolioJson } from "./results.js";

/**
 * `optimize --report`: the weights and risk contributions of the result,
 * and the result's frontier (the run's own, or with another method the one
 * traced under the same bounds, which the result then carries too) with
 * the chosen, minimum-variance and maximum-Sharpe portfolios marked: the
 * page draws the JSON's numbers, point for point.
 */
export async function optimizeReportHtml(
  analysis: OptimizeAnalysis,
  result: OptimizeResult,
  options: OptimizeOptions,
  version: string,
): Promise<string> {
  const { symbols, frame } = analysis;
  const point = (p: PortfolioJson) => ({
    volatility: p.volatility ?? Number.NaN,
    expectedReturn: p.expectedReturn ?? Number.NaN,
  });
  const alone = (i: number) => {
    const w = new Float64Array(symbols.length);
    w[i] = 1;
    return { name: symbols[i]!, ...point(portfolioJson(w, analysis, options)) };
  };
  const marked = [{ name: `chosen (${options.method})`, ...point(result) }];
  // A marked portfolio at the chosen one's place would hide under it: the chosen one's name says it instead.
  const mark = (name: string, p: PortfolioJson) => {
    const at = point(p);
    if (at.volatility === marked[0]!.volatility && at.expectedReturn === marked[0]!.expectedReturn)
      marked[0]!.name += ` = ${name}`;
    else marked.push({ name, ...at });
  };
  if (result.minVariance !== undefined) mark("minimum variance", result.minVariance);
  if (result.maxSharpe !== undefined && result.maxSharpe !== null) mark("maximum Sharpe", result.maxSharpe);
  const pct = (x: number | null) => formatValue(x, "percent", 2);
  return portfolioReportHtml({
    title: `optimize: ${options.method} on ${frame.source}`,
    subtitle: [
      `${symbols.length} assets, ${frame.time.length} ${options.inputKind === "returns" ? "" : `${options.returns} `}returns, ` +
        `${frame.time.at(0)} to ${frame.time.at(frame.time.length - 1)}; mu ${options.mu}, cov ${options.cov}, ` +
        `${options.allowShort ? "shorts allowed" : "long only"}`,
      `expected return ${pct(result.expectedReturn)} a year, volatility ${pct(result.volatility)}, Sharpe ${formatValue(result.sharpe, "ratio", 2)}`,
    ],
    generator: `hftlab ${version}`,
    symbols,
    weights: symbols.map((s) => result.weights[s]!),
    riskContributions: symbols.map((s) => result.riskContributions[s] ?? Number.NaN),
    table: {
      head: ["asset", "weight", "risk contribution", "annual return alone", "annual volatility alone"],
      rows: symbols.map((s, i) => {
        const own = alone(i);
        return [
          s,
          pct(result.weights[s]!),
          pct(result.riskContributions[s] ?? null),
          pct(own.expectedReturn),
          pct(own.volatility),
        ];
      }),
    },
    frontier:
      result.frontier === undefined
        ? null
        : {
            frontier: result.frontier.map(point),
            assets: symbols.map((_, i) => alone(i)),
            marked,
          },
    notes: [
      `Annualised with ${options.periodsPerYear} periods a year${options.riskFree === 0 ? "" : `, risk-free rate ${options.riskFree}`}.`,
      ...(result.frontier === undefined ? ["No frontier could be traced under these bounds."] : []),
      ...(options.method === "frontier" || result.frontier === undefined
        ? []
        : [
            `The frontier (${options.points} points, --points) is traced under the same bounds for comparison; with --report the JSON result carries it too (frontier, minVariance, maxSharpe, corners), the same points.`,
          ]),
    ],
  });
}
