import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BacktestResult } from "../../src/commands/backtest/results.js";
import type { HmmResult } from "../../src/commands/hmm/results.js";
import type { OptimizeResult } from "../../src/commands/optimize/results.js";
import type { RegimeResult } from "../../src/commands/regime/results.js";
import type { RiskResult } from "../../src/commands/risk/results.js";
import { WARM_UP_FILL } from "../../src/output/html/timeSeriesChart.js";
import { temporaryFiles } from "./expectations.js";
import {
  expectSelfContained,
  figureSvg,
  filledBands,
  figures,
  lineStarts,
  percentAxes,
  percentAxisPixel,
  pointCentres,
  reportRunIn,
  verticalLines,
} from "./reportPages.js";
import { BIN, hftlab, ROOT } from "./run.js";

/**
 * `--report FILE.html` (SPEC §4), checked on the page's structure: each
 * chart is there, its data-* facts (written from the numbers it draws)
 * agree with the JSON result of the same run, the page fetches nothing
 * and runs no script, and two runs write the same bytes.
 */
const file = temporaryFiles("hftlab-report-");
const folder = file("x", "").replace(/x$/, "");
const reportRun = reportRunIn(folder);

const STOCKS = ["risk", "--missing", "ffill", "--periods-per-year", "12", "fixtures/stocks.csv"];

describe("risk --report", () => {
  const { json, html } = reportRun<RiskResult>(STOCKS, "stocks.html");
  const series = json.result.series;
  const all = figures(html);
  const of = (chart: string) => all.filter((f) => f.chart === chart);

  it("is one self-contained page: no network reference, no script, no external resource", () => {
    expectSelfContained(html);
    expect(html.match(/<svg /g)?.length).toBe(all.length);
  });

  it("draws the equity curve, underwater, rolling Sharpe and volatility of every series", () => {
    for (const chart of ["equity", "underwater", "rolling-sharpe", "rolling-volatility"]) {
      expect(of(chart), chart).toHaveLength(1);
      expect(Number(of(chart)[0]!.facts.series)).toBe(series.length);
      expect(Number(of(chart)[0]!.facts.rows)).toBe(json.data.rows);
    }
  });

  it("the equity curve ends at 1 + the total return, and the underwater chart bottoms at the deepest drawdown", () => {
    const equity = of("equity")[0]!.facts;
    expect(Number(equity["y-max"])).toBeCloseTo(Math.max(...series.map((s) => 1 + s.totalReturn!)), 10);
    const underwater = of("underwater")[0]!.facts;
    expect(Number(underwater["y-min"])).toBeCloseTo(
      Math.min(...series.map((s) => s.maxDrawdown!.depth!)),
      12,
    );
    expect(Number(underwater["y-max"])).toBe(0);
  });

  it("one monthly heatmap and one histogram per series, from the result's calendar and historical VaR", () => {
    const monthly = of("monthly");
    const histograms = of("histogram");
    expect(monthly).toHaveLength(series.length);
    expect(histograms).toHaveLength(series.length);
    series.forEach((s, k) => {
      const returns = s.calendar!.map((m) => m.return!);
      expect(Number(monthly[k]!.facts.cells)).toBe(s.calendar!.length);
      expect(Number(monthly[k]!.facts["value-min"])).toBe(Math.min(...returns));
      expect(Number(monthly[k]!.facts["value-max"])).toBe(Math.max(...returns));
      const h = histograms[k]!.facts;
      expect(Number(h.observations)).toBe(s.observations);
      expect(h["var-lines"]!.split(" ").map(Number)).toEqual([
        -s.var.historical["0.95"],
        -s.var.historical["0.99"],
      ]);
    });
  });

  it("each VaR line is drawn where −VaR sits on the histogram's own axis (within a pixel)", () => {
    series.forEach((s, k) => {
      const svg = figureSvg(html, "histogram", k);
      const pixel = percentAxisPixel(svg);
      for (const [level, color] of [
        ["0.95", "#e15759"],
        ["0.99", "#b07aa1"],
      ] as const) {
        const drawn = verticalLines(svg, color);
        expect(drawn, `${s.symbol} VaR ${level}`).toHaveLength(1);
        expect(
          Math.abs(drawn[0]! - pixel(-s.var.historical[level]!)),
          `${s.symbol} VaR ${level}`,
        ).toBeLessThan(1);
      }
    });
  });

  it("the statistics table has one row per series, with its Sharpe ratio as the JSON has it", () => {
    const table = html.slice(html.indexOf('data-table="statistics"'));
    const rows = [
      ...table.slice(0, table.indexOf("</table>")).matchAll(/<tr><th scope="row">([^<]*)<\/th>(.*?)<\/tr>/g),
    ];
    expect(rows.map((r) => r[1])).toEqual(series.map((s) => s.symbol));
    rows.forEach((row, k) => {
      const cells = [...row[2]!.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
      expect(cells[3]).toBe(series[k]!.sharpe!.toFixed(2));
    });
  });

  it("two runs write the same bytes, and the terminal report is unchanged beside it", () => {
    const a = join(folder, "a.html");
    const b = join(folder, "b.html");
    expect(hftlab([...STOCKS, "--quiet", "--report", a]).status).toBe(0);
    const withReport = hftlab([...STOCKS, "--quiet", "--report", b]);
    expect(withReport.status).toBe(0);
    expect(withReport.stdout).toBe(hftlab([...STOCKS, "--quiet"]).stdout);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it("the rolling charts shade the warm-up, the bars --rolling's rows leave null, and their lines begin where it ends", () => {
    // Independent count: the bars risk --rolling 6 --ndjson prints with a null Sharpe ratio for the first series.
    const rows = hftlab([...STOCKS, "--rolling", "6", "--ndjson"])
      .stdout.trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { symbol: string; sharpe: number | null });
    const first = rows.filter((r) => r.symbol === series[0]!.symbol);
    const blank = first.findIndex((r) => r.sharpe !== null);
    expect(blank).toBe(5);
    expect(html).toContain("Rolling Sharpe ratio (6 bars, annualised)");
    for (const chart of ["rolling-sharpe", "rolling-volatility"]) {
      expect(Number(of(chart)[0]!.facts["warm-up-bars"]), chart).toBe(blank);
      const svg = figureSvg(html, chart);
      expect(svg).toContain(">window filling: first 5 bars</text>");
      const bands = filledBands(svg, WARM_UP_FILL);
      expect(bands, chart).toHaveLength(1);
      const starts = lineStarts(svg);
      expect(starts, chart).toHaveLength(series.length);
      for (const start of starts) expect(Math.abs(start - bands[0]!.right), chart).toBeLessThan(0.2);
      // And the band starts where the equity curve does: the charts share the time axis.
      expect(Math.abs(bands[0]!.left - Math.min(...lineStarts(figureSvg(html, "equity"))))).toBeLessThan(0.2);
    }
    expect(of("equity")[0]!.facts["warm-up-bars"]).toBeUndefined();
  });

  it("--rolling N sets the report's window", () => {
    const path = join(folder, "rolling.html");
    expect(hftlab([...STOCKS, "--quiet", "--rolling", "6", "--report", path]).status).toBe(0);
    expect(readFileSync(path, "utf8")).toContain("Rolling Sharpe ratio (6 bars, annualised)");
  });
});

describe("a 2,000,000-row series", () => {
  it("is drawn from a min/max decimation: the one-bar crash stays, and the page stays small", () => {
    const rows = 2_000_000;
    const lines = ["t,A"];
    let seed = 7;
    for (let i = 0; i < rows; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      lines.push(`${i},${i === 1_234_567 ? "-0.3" : ((seed / 2147483648 - 0.5) / 200).toFixed(6)}`);
    }
    const input = file("long.csv", `${lines.join("\n")}\n`);
    const { json, html } = reportRun<RiskResult>(["risk", "--input-kind", "returns", input], "long.html");
    const [series] = json.result.series;
    expect(series!.observations).toBe(rows);
    expect(Buffer.byteLength(html)).toBeLessThan(200_000);
    const all = figures(html);
    for (const f of all.filter((g) => g.facts.points !== undefined)) {
      expect(Number(f.facts.rows)).toBe(rows);
      expect(Number(f.facts.points), f.chart).toBeLessThanOrEqual(2 * 820 + 2);
    }
    const histogram = all.find((f) => f.chart === "histogram")!;
    expect(Number(histogram.facts["x-min"])).toBe(-0.3);
    // The crash is 120 times the day-to-day spread: it is counted in the low edge bin, not binned with the rest.
    expect(Number(histogram.facts.below)).toBe(1);
    expect(Number(histogram.facts["range-low"])).toBeGreaterThan(-0.01);
    const underwater = all.find((f) => f.chart === "underwater")!;
    expect(Number(underwater.facts["y-min"])).toBeCloseTo(series!.maxDrawdown!.depth!, 12);
  }, 60_000);
});

describe("backtest --report", () => {
  const { json, html } = reportRun<BacktestResult>(["backtest", "fixtures/sp500-2000.csv"], "backtest.html");
  const { stats, benchmark } = json.result;
  const all = figures(html);
  const of = (chart: string) => all.filter((f) => f.chart === chart);

  it("is self-contained and draws the strategy beside its benchmark", () => {
    expectSelfContained(html);
    for (const chart of ["equity", "underwater", "rolling-sharpe", "rolling-volatility"]) {
      expect(of(chart), chart).toHaveLength(1);
      expect(of(chart)[0]!.facts.series).toBe("2");
      expect(Number(of(chart)[0]!.facts.rows)).toBe(stats.observations);
    }
    expect(of("monthly")).toHaveLength(2);
    expect(of("histogram")).toHaveLength(2);
  });

  it("its drawdown and VaR lines are the result's", () => {
    expect(Number(of("underwater")[0]!.facts["y-min"])).toBeCloseTo(
      Math.min(stats.maxDrawdown!.depth!, benchmark.stats.maxDrawdown!.depth!),
      12,
    );
    const [strategy, held] = of("histogram");
    expect(strategy!.facts["var-lines"]).toBe(
      `${-stats.var.historical["0.95"]!} ${-stats.var.historical["0.99"]!}`,
    );
    expect(held!.facts["var-lines"]).toBe(
      `${-benchmark.stats.var.historical["0.95"]!} ${-benchmark.stats.var.historical["0.99"]!}`,
    );
    expect(Number(strategy!.facts.observations)).toBe(stats.observations);
  });

  it("its rolling window is half of --periods-per-year by default, stated in the titles, with that warm-up", () => {
    expect(json.params.reportWindow).toBeNull();
    for (const chart of ["rolling-sharpe", "rolling-volatility"]) {
      expect(Number(of(chart)[0]!.facts["warm-up-bars"]), chart).toBe(252 / 2 - 1);
    }
    expect(html).toContain("Rolling Sharpe ratio (126 bars, annualised)");
    expect(html).toContain("Rolling volatility (126 bars, annualised)");
  });

  it("--report-window N sets it: the titles, the warm-up, and the highest N-bar volatility", () => {
    const args = ["backtest", "--report-window", "40", "fixtures/sp500-2000.csv"];
    const run = reportRun<BacktestResult>(args, "backtest-40.html");
    expect(run.json.params.reportWindow).toBe(40);
    // The statistics do not depend on the report's window.
    expect(run.json.result).toEqual(json.result);
    expect(run.html).toContain("Rolling Sharpe ratio (40 bars, annualised)");
    expect(run.html).toContain("Rolling volatility (40 bars, annualised)");
    const drawn = figures(run.html).filter((f) => f.chart.startsWith("rolling-"));
    expect(drawn.map((f) => f.facts["warm-up-bars"])).toEqual(["39", "39"]);
    const svg = figureSvg(run.html, "rolling-volatility");
    expect(svg).toContain(">window filling: first 39 bars</text>");
    // Independent: the highest 40-bar volatility (sample sd, × sqrt 252) of the strategy's net returns
    // (--ndjson) and of buy-and-hold's (the fixture's adjclose, simple returns) is the chart's top.
    const highest = (r: number[]) => {
      let top = 0;
      for (let t = 39; t < r.length; t++) {
        const w = r.slice(t - 39, t + 1);
        const mean = w.reduce((a, b) => a + b, 0) / 40;
        top = Math.max(top, Math.sqrt((252 * w.reduce((a, b) => a + (b - mean) ** 2, 0)) / 39));
      }
      return top;
    };
    const strategy = hftlab(["backtest", "--ndjson", "fixtures/sp500-2000.csv"])
      .stdout.trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { return: number }).return);
    const prices = readFileSync(join(ROOT, "fixtures/sp500-2000.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => Number(line.split(",")[5]));
    const held = prices.slice(1).map((p, t) => p / prices[t]! - 1);
    expect(Number(drawn[1]!.facts["y-max"])).toBeCloseTo(Math.max(highest(strategy), highest(held)), 12);
  });

  it("--report-window without --report is a usage error (exit 2), and --help names it", () => {
    const r = hftlab(["backtest", "--report-window", "40", "fixtures/sp500-2000.csv"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--report-window .* needs --report FILE\.html/);
    expect(r.stdout).toBe("");
    expect(hftlab(["backtest", "--help"]).stdout).toContain("--report-window <N>");
    expect(
      hftlab([
        "backtest",
        "--report-window",
        "1",
        "--report",
        join(folder, "x.html"),
        "fixtures/sp500-2000.csv",
      ]).status,
    ).toBe(2);
  });

  it("two runs write the same bytes", () => {
    const again = reportRun<BacktestResult>(["backtest", "fixtures/sp500-2000.csv"], "backtest-2.html");
    expect(again.html).toBe(html);
  });
});

describe("regime --report", () => {
  const { json, html } = reportRun<RegimeResult>(["regime", "fixtures/sp500-2000.csv"], "regime.html");
  const [series] = json.result.series;
  const all = figures(html);
  const of = (chart: string) => all.filter((f) => f.chart === chart);

  it("draws the price coloured by regime, the probabilities and the transition matrix", () => {
    expectSelfContained(html);
    expect(all.map((f) => f.chart)).toEqual(["regime-price", "regime-probabilities", "transition-matrix"]);
    for (const f of all.slice(0, 2)) expect(Number(f.facts.series)).toBe(series!.regimes.length);
    expect(Number(of("regime-price")[0]!.facts.rows)).toBe(json.data.rows);
  });

  it("each regime's colour covers the bars the JSON gives it, and the matrix holds the JSON's transitions", () => {
    const bars = of("regime-price")[0]!.facts["regime-bars"]!.split(" ").map(Number);
    expect(bars.map((b) => b / json.data.rows)).toEqual(series!.regimes.map((r) => r.share));
    const matrix = of("transition-matrix")[0]!.facts;
    const cells = series!.transmat.flat();
    expect(Number(matrix.cells)).toBe(cells.length);
    expect(Number(matrix["value-min"])).toBe(Math.min(...cells));
    expect(Number(matrix["value-max"])).toBe(Math.max(...cells));
    for (const r of series!.regimes) expect(html).toContain(`>from ${r.label}<`);
  });
});

describe("hmm --report", () => {
  const args = ["hmm", "--columns", "DAX,CAC", "--states", "2", "fixtures/eustocks.csv"];
  const { json, html } = reportRun<HmmResult>(args, "hmm.html");
  const all = figures(html);

  it("draws each feature's price by state, the state probabilities and the transition matrix", () => {
    expectSelfContained(html);
    expect(all.map((f) => f.chart)).toEqual([
      "regime-price",
      "regime-price",
      "regime-probabilities",
      "transition-matrix",
    ]);
    const counts = [0, 1].map((s) => json.result.path.filter((state) => state === s).length);
    expect(all[0]!.facts["regime-bars"]).toBe(counts.join(" "));
    expect(Number(all[3]!.facts["value-max"])).toBe(Math.max(...json.result.transmat.flat()));
  });

  it("two runs write the same bytes", () => {
    expect(reportRun<HmmResult>(args, "hmm-2.html").html).toBe(html);
  });
});

describe("optimize --report", () => {
  /** The page's frontier is the JSON's: the same numbers in its facts, and each point drawn where they put it. */
  const expectFrontierOfJson = (html: string, frontierJson: NonNullable<OptimizeResult["frontier"]>) => {
    const frontier = figures(html).find((f) => f.chart === "frontier")!;
    expect(Number(frontier.facts.points)).toBe(frontierJson.length);
    expect(frontier.facts["frontier-volatility"]!.split(" ").map(Number)).toEqual(
      frontierJson.map((p) => p.volatility),
    );
    expect(frontier.facts["frontier-return"]!.split(" ").map(Number)).toEqual(
      frontierJson.map((p) => p.expectedReturn),
    );
    const svg = figureSvg(html, "frontier");
    const axes = percentAxes(svg);
    const drawn = pointCentres(svg, "#4e79a7");
    expect(drawn).toHaveLength(frontierJson.length);
    drawn.forEach((centre, k) => {
      expect(Math.abs(centre.x - axes.x(frontierJson[k]!.volatility!)), `point ${k}`).toBeLessThan(1);
      expect(Math.abs(centre.y - axes.y(frontierJson[k]!.expectedReturn!)), `point ${k}`).toBeLessThan(1);
    });
  };

  it("--method frontier: the weights and risk contributions, and the frontier the JSON lists with the chosen portfolio marked", () => {
    const args = ["optimize", "--method", "frontier", "--points", "25", "fixtures/eustocks.csv"];
    const { json, html } = reportRun<OptimizeResult>(args, "frontier.html");
    const result = json.result;
    expectSelfContained(html);
    const [weights, frontier] = figures(html);
    expect(weights!.chart).toBe("weights");
    expect(weights!.facts.categories).toBe("4");
    const shares = [...Object.values(result.weights), ...Object.values(result.riskContributions)] as number[];
    expect(Number(weights!.facts["value-max"])).toBe(Math.max(...shares));
    expect(Number(weights!.facts["value-min"])).toBe(Math.min(...shares));
    expect(frontier!.chart).toBe("frontier");
    expect(result.frontier).toHaveLength(25);
    expectFrontierOfJson(html, result.frontier!);
    expect(Number(frontier!.facts["chosen-volatility"])).toBe(result.volatility);
    expect(Number(frontier!.facts["chosen-return"])).toBe(result.expectedReturn);
    // --method frontier chooses the maximum-Sharpe portfolio: one mark, named for both.
    expect(result.maxSharpe!.volatility).toBe(result.volatility);
    expect(frontier!.facts.marked).toBe("chosen (frontier) = maximum Sharpe, minimum variance");
  });

  it("--method frontier's JSON is the same with and without --report", () => {
    const args = ["optimize", "--method", "frontier", "--points", "25", "fixtures/eustocks.csv"];
    const { json } = reportRun<OptimizeResult>(args, "frontier-again.html");
    expect(JSON.parse(hftlab([...args, "--json"]).stdout)).toEqual(json);
  });

  it("another method: the JSON carries the frontier the page draws, traced under the same bounds with --points", () => {
    const args = [
      "optimize",
      "--method",
      "max-sharpe",
      "--points",
      "15",
      "--max-weight",
      "0.4",
      "fixtures/eustocks.csv",
    ];
    const { json, html } = reportRun<OptimizeResult>(args, "max-sharpe-bounded.html");
    const result = json.result;
    expect(result.frontier).toHaveLength(15);
    expectFrontierOfJson(html, result.frontier!);
    // The points are --method frontier's under the same bounds, and its min-variance and max-Sharpe portfolios.
    const traced = JSON.parse(
      hftlab([
        "optimize",
        "--method",
        "frontier",
        "--points",
        "15",
        "--max-weight",
        "0.4",
        "--json",
        "fixtures/eustocks.csv",
      ]).stdout,
    ).result as OptimizeResult;
    expect(result.frontier).toEqual(traced.frontier);
    expect(result.minVariance).toEqual(traced.minVariance);
    expect(result.maxSharpe).toEqual(traced.maxSharpe);
    expect(result.corners).toBe(traced.corners);
    for (const p of result.frontier!)
      expect(Math.max(...Object.values(p.weights))).toBeLessThanOrEqual(0.4 + 1e-12);
    const frontier = figures(html).find((f) => f.chart === "frontier")!;
    expect(Number(frontier.facts["chosen-volatility"])).toBe(result.volatility);
    expect(html).toContain("traced under the same bounds");
    // Without --report the JSON keeps its contract: no frontier for max-sharpe.
    const plain = JSON.parse(hftlab([...args, "--json"]).stdout).result as OptimizeResult;
    expect(plain.frontier).toBeUndefined();
    const { frontier: _f, minVariance: _m, maxSharpe: _s, corners: _c, ...rest } = result;
    expect(rest).toEqual(plain);
  });
});

describe("the chart library is loaded only for --report", () => {
  // A resolve hook (it runs on the loader thread, so it writes to fd 2 directly) that records every import of echarts.
  const hooks = file(
    "hooks.mjs",
    `import { writeSync } from "node:fs";
export async function resolve(specifier, context, next) {
  if (specifier === "echarts" || specifier.startsWith("echarts/")) writeSync(2, "[echarts loaded]\\n");
  return next(specifier, context);
}`,
  );
  const register = file(
    "register.mjs",
    `import { register } from "node:module";\nimport { pathToFileURL } from "node:url";\nregister(pathToFileURL(${JSON.stringify(hooks)}));\n`,
  );
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["--import", register, BIN, ...args], { cwd: ROOT, encoding: "utf8" });

  it("--version and a plain risk run never load it", () => {
    for (const args of [
      ["--version"],
      ["risk", "fixtures/eustocks.csv"],
      ["risk", "--json", "fixtures/eustocks.csv"],
    ]) {
      const r = run(args);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain("[echarts loaded]");
    }
  });

  it("--report loads it", () => {
    const r = run(["risk", "--quiet", "--report", join(folder, "loaded.html"), "fixtures/eustocks.csv"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("[echarts loaded]");
  });
});
