import { formatValue } from "../../output/html/chartStyle.js";
import { portfolioReportHtml } from "../../output/html/portfolioReport.js";
import { reportFrontier } from "./analysis.js";
import type { OptimizeOptions } from "./options.js";
import { type OptimizeAnalysis, type OptimizeResult, type PortfolioJson, portfolioJson } from "./results.js";

/**
 * `optimize --report`: the weights and risk contributions of the result,
 * and the frontier (the run's own, or one traced under the same bounds)
 * with the chosen portfolio marked; every point's moments come from the
 * `portfolioJson` the JSON result is made of.
 */
export async function optimizeReportHtml(
  analysis: OptimizeAnalysis,
  result: OptimizeResult,
  options: OptimizeOptions,
  bounds: { lower: Float64Array; upper: Float64Array },
  version: string,
): Promise<string> {
  const { symbols, frame } = analysis;
  const frontier = reportFrontier(analysis, options, bounds);
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
  if (frontier !== null && frontier !== undefined) {
    marked.push({
      name: "minimum variance",
      ...point(portfolioJson(frontier.minimumVariance, analysis, options)),
    });
    if (frontier.maximumSharpe !== null)
      marked.push({
        name: "maximum Sharpe",
        ...point(portfolioJson(frontier.maximumSharpe, analysis, options)),
      });
  }
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
      frontier === null || frontier === undefined
        ? null
        : {
            frontier: frontier.points.map((w) => point(portfolioJson(w, analysis, options))),
            assets: symbols.map((_, i) => alone(i)),
            marked,
          },
    notes: [
      `Annualised with ${options.periodsPerYear} periods a year${options.riskFree === 0 ? "" : `, risk-free rate ${options.riskFree}`}.`,
      ...(frontier === null ? ["No frontier could be traced under these bounds."] : []),
      ...(options.method === "frontier"
        ? []
        : [
            `The frontier (${options.points} points, --points) is traced under the same bounds for comparison; the JSON has it only with --method frontier.`,
          ]),
    ],
  });
}
