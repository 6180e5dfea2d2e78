import { barChart } from "./barChart.js";
import { loadChartRenderer } from "./chartRenderer.js";
import { type FrontierChart, frontierChart } from "./frontierChart.js";
import { htmlPage, tableHtml } from "./htmlPage.js";

/**
 * The report of `optimize` (SPEC §4): the chosen portfolio's weights beside
 * each asset's share of its risk, its statistics, and the efficient
 * frontier with the chosen portfolio marked.
 */
export interface PortfolioReport {
  title: string;
  subtitle: string[];
  generator: string;
  symbols: string[];
  weights: number[];
  riskContributions: number[];
  table: { head: string[]; rows: string[][] };
  /** Null when no frontier could be traced under the bounds (the note says why). */
  frontier: Omit<FrontierChart, "heading" | "caption"> | null;
  notes: string[];
}

export async function portfolioReportHtml(report: PortfolioReport): Promise<string> {
  const render = await loadChartRenderer();
  const sections = [
    {
      heading: "Portfolio",
      body: [
        barChart(render, {
          kind: "weights",
          heading: "Weights and risk contributions",
          caption:
            "Weight of each asset, and its share of the portfolio's variance, w_i (Σw)_i / wᵀΣw (the shares sum to 100 %).",
          categories: report.symbols,
          series: [
            { name: "weight", values: report.weights },
            { name: "risk contribution", values: report.riskContributions },
          ],
          unit: "percent",
          xName: "share",
        }),
        tableHtml("portfolio", report.table.head, report.table.rows),
      ].join("\n"),
    },
  ];
  if (report.frontier !== null) {
    sections.push({
      heading: "Efficient frontier",
      body: frontierChart(render, {
        heading: "Efficient frontier",
        caption:
          "Annualised expected return against volatility of the frontier's portfolios under the same bounds; grey dots are the assets alone.",
        ...report.frontier,
      }),
    });
  }
  return htmlPage({
    title: report.title,
    subtitle: report.subtitle,
    sections,
    notes: report.notes,
    generator: report.generator,
  });
}
