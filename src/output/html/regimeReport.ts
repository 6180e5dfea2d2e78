import { loadChartRenderer } from "./chartRenderer.js";
import { PALETTE } from "./chartStyle.js";
import { heatmapChart } from "./heatmapChart.js";
import { htmlPage, type PageSection, tableHtml } from "./htmlPage.js";
import { probabilityChart } from "./probabilityChart.js";
import { regimeLevelChart } from "./regimeLevelChart.js";
import { xAxisValues } from "./xAxisValues.js";

/**
 * The report of `regime` and `hmm` (SPEC §4): per series, the price
 * coloured by regime, the regime probabilities over time, the transition
 * matrix and a table of the regimes, all from the command's fit and
 * decoding (the Viterbi path and the smoothed posteriors the JSON has).
 */

/** A line to colour by regime: a price, or for a returns file the wealth index ("growth of 1"). */
export interface RegimeLevelSeries {
  name: string;
  level: Float64Array;
  levelName: "price" | "growth of 1";
}

/** One model's section: `regime` has one per symbol, `hmm` one for all its features. */
export interface RegimeSeriesReport {
  name: string;
  levels: RegimeLevelSeries[];
  /** Regime index of each bar (the Viterbi path). */
  path: Int32Array;
  labels: string[];
  /** probabilities[t·K + r], regime order. */
  probabilities: Float64Array;
  /** transmat[from][to], regime order. */
  transmat: number[][];
  table: { head: string[]; rows: string[][] };
}

export interface RegimeReportPage {
  /** What a state is called on the page: "regime" (regime, labelled states) or "state" (hmm, numbered ones). */
  term: "regime" | "state";
  title: string;
  subtitle: string[];
  generator: string;
  times: string[];
  timeName: string;
  series: RegimeSeriesReport[];
  notes: string[];
}

/** Colours by regime label, as the terminal report paints them; other labels take the palette in turn. */
const LABEL_COLORS: Record<string, string> = {
  bull: "#59a14f",
  sideways: "#edc948",
  bear: "#e15759",
  calm: "#59a14f",
  turbulent: "#e15759",
};

export function regimeColors(labels: readonly string[]): string[] {
  return labels.map((label, r) => LABEL_COLORS[label] ?? PALETTE[r % PALETTE.length]!);
}

export async function regimeReportHtml(page: RegimeReportPage): Promise<string> {
  const render = await loadChartRenderer();
  const x = xAxisValues(page.times, page.timeName);
  const term = page.term;
  const Term = term === "regime" ? "Regime" : "State";
  const sections: PageSection[] = page.series.map((s) => {
    const colors = regimeColors(s.labels);
    return {
      heading: s.name,
      body: [
        ...s.levels.map((line) =>
          regimeLevelChart(render, {
            heading: `${line.levelName === "price" ? "Price" : "Growth of 1"} coloured by ${term}: ${line.name}`,
            caption: `Each stretch of the line takes the colour of the ${term} the Viterbi path assigns to its bar.`,
            x,
            level: line.level,
            levelName: line.levelName,
            path: s.path,
            labels: s.labels,
            colors,
          }),
        ),
        probabilityChart(render, {
          heading: `${Term} probabilities: ${s.name}`,
          caption: `Smoothed (forward-backward) probability of each ${term} at each bar, stacked to 100 %.`,
          x,
          probabilities: s.probabilities,
          labels: s.labels,
          colors,
        }),
        heatmapChart(render, {
          kind: "transition-matrix",
          heading: `Transition matrix: ${s.name}`,
          caption: `Probability of moving from the ${term} of the row to the ${term} of the column at the next bar.`,
          columns: s.labels.map((label) => `to ${label}`),
          rows: s.labels.map((label) => `from ${label}`),
          values: s.transmat,
          unit: "ratio",
          digits: 3,
          diverging: false,
        }),
        tableHtml("regimes", s.table.head, s.table.rows),
      ].join("\n"),
    };
  });
  return htmlPage({
    title: page.title,
    subtitle: page.subtitle,
    sections,
    notes: page.notes,
    generator: page.generator,
  });
}
