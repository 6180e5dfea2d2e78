import { describe, expect, it } from "vitest";
import type { HmmResult } from "../../src/commands/hmm/results.js";
import type { RiskResult } from "../../src/commands/risk/results.js";
import { temporaryFiles } from "./expectations.js";
import { figureSvg, figures, percentAxisPixel, reportRunIn, verticalLines } from "./reportPages.js";

/**
 * `--report` pages of awkward data, checked on their structure against
 * numbers computed here: a return histogram with far outliers (edge bins,
 * counted by brute force; VaR lines inside the plot), and pages of 20, 55
 * and 12 series (every series charted, ten to a chart, or a stated
 * selection past 50).
 */
const file = temporaryFiles("hftlab-report-scale-");
const folder = file("x", "").replace(/x$/, "");
const reportRun = reportRunIn(folder);

describe("the return histogram of a series with two far outliers", () => {
  // 2,000 returns of a seeded generator within ±1 %, and a −35 % crash and a +25 % jump.
  let seed = 5;
  const returns = Array.from({ length: 2000 }, (_, i) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return i === 1500 ? -0.35 : i === 700 ? 0.25 : Number(((seed / 2147483648 - 0.5) / 50).toFixed(6));
  });
  const input = file("outliers.csv", `t,A\n${returns.map((r, i) => `${i},${r}`).join("\n")}\n`);
  const { json, html } = reportRun<RiskResult>(["risk", "--input-kind", "returns", input], "outliers.html");
  const [series] = json.result.series;
  const histogram = figures(html).find((f) => f.chart === "histogram")!.facts;
  const low = Number(histogram["range-low"]);
  const high = Number(histogram["range-high"]);

  it("bins the bulk only, and counts the outliers in labelled edge bins: every return is counted once", () => {
    expect(low).toBeGreaterThan(-0.02);
    expect(high).toBeLessThan(0.02);
    expect(Number(histogram.below)).toBe(returns.filter((r) => r < low).length);
    expect(Number(histogram.above)).toBe(returns.filter((r) => r > high).length);
    expect(Number(histogram.below)).toBe(1);
    expect(Number(histogram.above)).toBe(1);
    const counts = histogram.counts!.split(" ").map(Number);
    expect(counts).toHaveLength(Number(histogram.bins));
    // Brute force: each bin's count from the returns themselves (the last bin closed on the right).
    const width = (high - low) / counts.length;
    counts.forEach((count, k) => {
      const left = low + k * width;
      const last = k === counts.length - 1;
      const right = last ? high : low + (k + 1) * width;
      expect(count, `bin ${k}`).toBe(
        returns.filter((r) => r >= left && (last ? r <= right : r < right)).length,
      );
    });
    expect(Number(histogram.below) + counts.reduce((a, b) => a + b, 0) + Number(histogram.above)).toBe(
      series!.observations,
    );
    expect(Number(histogram.observations)).toBe(series!.observations);
    const svg = figureSvg(html, "histogram");
    // Bounds to 3 decimals of a percent on a range under 1 % wide, so the label says where the bin starts.
    expect(high - low).toBeLessThan(0.04);
    const digits = high - low < 0.01 ? 3 : 2;
    expect(svg).toContain(`&lt; ${(low * 100).toFixed(digits)}%: 1</text>`);
    expect(svg).toContain(`&gt; ${(high * 100).toFixed(digits)}%: 1</text>`);
  });

  it("the VaR lines lie inside the binned range and inside the drawn plot", () => {
    const svg = figureSvg(html, "histogram");
    const pixel = percentAxisPixel(svg);
    for (const [level, color] of [
      ["0.95", "#e15759"],
      ["0.99", "#b07aa1"],
    ] as const) {
      const at = -series!.var.historical[level]!;
      expect(at).toBeGreaterThanOrEqual(low);
      expect(at).toBeLessThanOrEqual(high);
      const [drawn] = verticalLines(svg, color);
      expect(Math.abs(drawn! - pixel(at))).toBeLessThan(1);
      // The plot spans x = 72 … 872 of the 900-pixel chart (GRID's margins).
      expect(drawn!).toBeGreaterThan(72);
      expect(drawn!).toBeLessThan(872);
    }
  });

  it("a VaR line beyond the bulk widens the binned range to take it in", () => {
    // 2,000 quiet returns within ±0.3 % and three crashes near −30 %: the 99.9 % VaR is a crash, the bulk is not.
    const few = [...Array.from({ length: 2000 }, (_, i) => ((i % 7) - 3) / 1000), -0.3, -0.28, -0.25];
    const path = file("tail.csv", `t,A\n${few.map((r, i) => `${i},${r}`).join("\n")}\n`);
    const run = reportRun<RiskResult>(
      ["risk", "--input-kind", "returns", "--confidence", "0.95,0.999", path],
      "tail.html",
    );
    const facts = figures(run.html).find((f) => f.chart === "histogram")!.facts;
    const varLine = -run.json.result.series[0]!.var.historical["0.999"]!;
    expect(varLine).toBeLessThan(-0.2);
    expect(Number(facts["range-low"])).toBeLessThanOrEqual(varLine);
    expect(
      Number(facts.below) +
        facts
          .counts!.split(" ")
          .map(Number)
          .reduce((a, b) => a + b, 0) +
        Number(facts.above),
    ).toBe(few.length);
  });
});

/** A wide price file of `columns` seeded random walks over 300 days, symbols S01, S02, … */
function widePrices(columns: number, name: string): string {
  let seed = columns;
  const symbols = Array.from({ length: columns }, (_, k) => `S${String(k + 1).padStart(2, "0")}`);
  const prices = symbols.map(() => 100);
  const lines = [`date,${symbols.join(",")}`];
  for (let day = 0; day < 300; day++) {
    const date = new Date(Date.UTC(2020, 0, 1 + day)).toISOString().slice(0, 10);
    lines.push(`${date},${prices.map((p) => p.toFixed(4)).join(",")}`);
    prices.forEach((p, k) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      prices[k] = p * (1 + (seed / 2147483648 - 0.5) * 0.02 * (1 + k / columns));
    });
  }
  return file(name, `${lines.join("\n")}\n`);
}

describe("risk --report on 20 series", () => {
  const { json, html } = reportRun<RiskResult>(["risk", widePrices(20, "wide20.csv")], "wide20.html");
  const symbols = json.result.series.map((s) => s.symbol);
  const all = figures(html);

  it("charts every series: each line chart kind in two charts of ten, every name in their legends", () => {
    expect(symbols).toHaveLength(20);
    for (const chart of ["equity", "underwater", "rolling-sharpe", "rolling-volatility"]) {
      const drawn = all.filter((f) => f.chart === chart);
      expect(
        drawn.map((f) => f.facts.series),
        chart,
      ).toEqual(["10", "10"]);
      const legends = [0, 1].map((k) =>
        [...figureSvg(html, chart, k).matchAll(/>(S\d\d)<\/text>/g)].map((m) => m[1]),
      );
      expect(legends[0], chart).toEqual(symbols.slice(0, 10));
      expect(legends[1], chart).toEqual(symbols.slice(10));
    }
    expect(html).toContain("<h3>Equity curve: series 1–10 of 20</h3>");
    expect(html).toContain("<h3>Equity curve: series 11–20 of 20</h3>");
  });

  it("a histogram for each of the 20, the table lists all, and the page says how they are drawn", () => {
    const histograms = all.filter((f) => f.chart === "histogram");
    expect(histograms).toHaveLength(20);
    expect(histograms.map((h) => Number(h.facts.observations))).toEqual(
      json.result.series.map((s) => s.observations),
    );
    const table = html.slice(html.indexOf('data-table="statistics"'));
    expect([...table.matchAll(/<tr><th scope="row">([^<]*)<\/th>/g)].map((m) => m[1])).toEqual(symbols);
    expect(html).toMatch(/<p class="callout" role="note">The 20 series are drawn 10 to a chart/);
    expect(html).not.toContain("The charts draw the first");
  });
});

describe("risk --report on 55 series", () => {
  it("charts the first 50, says so at the top of the page, and tables all 55", () => {
    const { json, html } = reportRun<RiskResult>(["risk", widePrices(55, "wide55.csv")], "wide55.html");
    const all = figures(html);
    expect(all.filter((f) => f.chart === "equity").map((f) => f.facts.series)).toEqual([
      "10",
      "10",
      "10",
      "10",
      "10",
    ]);
    const histograms = all.filter((f) => f.chart === "histogram");
    expect(histograms).toHaveLength(50);
    expect(html).toContain("<h3>Distribution of returns: S50</h3>");
    expect(html).not.toContain("<h3>Distribution of returns: S51</h3>");
    const header = html.slice(html.indexOf("<header>"), html.indexOf("</header>"));
    expect(header).toContain(
      '<p class="callout" role="note">The charts draw the first 50 of the 55 series, in input order (S01 to S50); the statistics table at the end lists all 55.</p>',
    );
    const table = html.slice(html.indexOf('data-table="statistics"'));
    expect([...table.matchAll(/<tr><th scope="row">([^<]*)<\/th>/g)]).toHaveLength(json.result.series.length);
    expect(json.result.series).toHaveLength(55);
  });
});

describe("hmm --report on 12 features", () => {
  it("draws each feature's price by state, all twelve, and tables each feature's mean and sd", () => {
    const input = widePrices(12, "wide12.csv");
    const { json, html } = reportRun<HmmResult>(
      ["hmm", "--states", "2", "--restarts", "2", input],
      "hmm12.html",
    );
    expect(json.result.features).toHaveLength(12);
    expect(figures(html).filter((f) => f.chart === "regime-price")).toHaveLength(12);
    for (const feature of json.result.features)
      expect(html).toContain(`<th scope="col">${feature} mean</th>`);
  });
});
