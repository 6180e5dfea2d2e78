import { readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { hftlab, ROOT } from "./run.js";

/**
 * Human output against the terminal's width (README "Terminal width"). The
 * binary runs without a TTY here, so the width is set as a user sets it for
 * a pipe: COLUMNS. COLUMNS="" is the same as no COLUMNS (the rule reads
 * digits only), and is how a case asks for no width whatever the test
 * runner's environment holds.
 */

interface Case {
  name: string;
  args: string[];
  /** Lines of the baseline the charts' legends and axes redrew (everything else must be kept). */
  redrawn?: RegExp;
  /** Lines of the output no report owns (a header printed outside src/commands/<x>/report.ts). */
  unowned?: RegExp;
}

const CASES: Case[] = [
  { name: "meanrev", args: ["meanrev", "fixtures/eustocks.csv"], redrawn: /^last 40 bars$/ },
  {
    name: "meanrev-pair",
    args: ["meanrev", "--pair", "DAX,CAC", "--log", "fixtures/eustocks.csv"],
    redrawn: /^last 40 bars$/,
  },
  {
    name: "optimize-frontier",
    args: ["optimize", "--method", "frontier", "--points", "20", "fixtures/eustocks.csv"],
    redrawn: /^20 frontier points/,
  },
  {
    name: "hmm",
    args: ["hmm", "--columns", "DAX,CAC", "--covariance", "diag", "--restarts", "2", "fixtures/eustocks.csv"],
    redrawn: /^Viterbi path/,
  },
  // The price line's dots and the strip's letters are drawn with regime glyphs now.
  {
    name: "regime",
    args: ["regime", "--restarts", "2", "fixtures/sp500-2000.csv"],
    redrawn: /┤| {11}[A-Z]+$/,
  },
  {
    name: "regime-2-states",
    args: ["regime", "--states", "2", "--restarts", "2", "--columns", "DAX", "fixtures/eustocks.csv"],
    redrawn: /┤| {11}[A-Z]+$/,
  },
  {
    name: "mcmc",
    args: ["mcmc", "--draws", "200", "--warmup", "200", "fixtures/sp500-2000.csv"],
    redrawn: /^trace of chain 1/,
  },
  {
    name: "mcmc-diagnose",
    args: [
      "mcmc",
      "--diagnose",
      "tests/unit/data/eight_schools/eight_schools_1.csv",
      "tests/unit/data/eight_schools/eight_schools_2.csv",
    ],
    // Its heading line is written by mcmc/diagnose.ts, which does not fit its prose yet.
    unowned: /^mcmc --diagnose · /,
  },
  { name: "sparse-lasso", args: ["sparse", "--target", "DAX", "--alpha", "1e-6", "fixtures/eustocks.csv"] },
  { name: "sparse-greedy", args: ["sparse", "--method", "greedy", "--k", "3", "fixtures/eustocks.csv"] },
  { name: "decompose-pcp", args: ["decompose", "fixtures/eustocks.csv"] },
  {
    name: "decompose-box-tiao",
    args: ["decompose", "--method", "box-tiao", "--missing", "ffill", "fixtures/stocks.csv"],
  },
  { name: "book", args: ["book", "fixtures/book-sample.csv"] },
  {
    name: "risk-stocks",
    args: ["risk", "--missing", "ffill", "--periods-per-year", "12", "fixtures/stocks.csv"],
  },
  {
    name: "risk-benchmark",
    args: ["risk", "--benchmark", "FTSE", "--var-backtest", "250", "fixtures/eustocks.csv"],
  },
  {
    name: "backtest",
    args: ["backtest", "--strategy", "meanrev", "--window", "20", "--cost-bps", "5", "fixtures/eustocks.csv"],
  },
];

/** Reports that draw no chart: with no width they are what they were, byte for byte. */
const TABLES_ONLY = new Set([
  "mcmc-diagnose",
  "sparse-lasso",
  "sparse-greedy",
  "decompose-pcp",
  "decompose-box-tiao",
]);

const WIDTHS = [40, 80, 120];

function run(args: string[], columns: string, env: Record<string, string> = {}) {
  const r = hftlab(args, { env: { COLUMNS: columns, ...env } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** Columns a line takes on a terminal: code points without colour codes (every glyph drawn is one wide). */
function columnsOf(line: string): number {
  return [...stripVTControlCharacters(line)].length;
}

function baseline(name: string): string {
  return readFileSync(`${ROOT}tests/cli/data/terminal-width/${name}.txt`, "utf8");
}

interface PrintedTable {
  headings: string[];
  /** The "hidden" line under the table (a chart's axis and legend may come between them). */
  footer: string | undefined;
}

/** Every cli-table3 table in a report: its headings and its "hidden" footer. */
function tablesIn(text: string): PrintedTable[] {
  const lines = text.split("\n");
  const tables: PrintedTable[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith("┌")) return;
    const headings = lines[i + 1]!.split("│")
      .slice(1, -1)
      .map((cell) => cell.trim());
    let end = i + 1;
    while (!lines[end]!.startsWith("└")) end++;
    const footer = lines.slice(end + 1, end + 4).find((after) => /^… \d+ columns? hidden/.test(after));
    tables.push({ headings, footer });
  });
  return tables;
}

/** The names a footer lists ("… 3 columns hidden: a, b, …"), without an elided tail, and its count. */
function footerNames(footer: string): { count: number; names: string[] } {
  const match = /^… (\d+) columns? hidden: (.*?)(; cells cut to fit)?$/.exec(footer);
  expect(match, footer).not.toBeNull();
  const names = match![2]!.split(", ").filter((name) => name !== "…" && !name.endsWith("…"));
  return { count: Number(match![1]), names };
}

describe("human output fitted to COLUMNS", () => {
  for (const c of CASES) {
    describe(c.name, () => {
      const whole = run(c.args, "");
      const fitted = new Map(WIDTHS.map((width) => [width, run(c.args, String(width))]));

      it.each(WIDTHS)("prints no line wider than %i columns", (width) => {
        const wide = fitted
          .get(width)!
          .split("\n")
          .filter((line) => columnsOf(line) > width && !(c.unowned?.test(line) ?? false));
        expect(wide).toEqual([]);
      });

      it.each(WIDTHS)("at %i columns, a footer names exactly the columns each table hid", (width) => {
        const full = tablesIn(whole);
        const narrow = tablesIn(fitted.get(width)!);
        expect(narrow.length).toBe(full.length);
        narrow.forEach((table, k) => {
          const hidden = full[k]!.headings.length - table.headings.length;
          if (hidden === 0) {
            expect(table.footer ?? "", table.headings.join("|")).not.toMatch(/hidden/);
            return;
          }
          expect(table.footer, `table ${k} lost ${hidden} columns`).toBeDefined();
          const { count, names } = footerNames(table.footer!);
          expect(count).toBe(hidden);
          for (const name of names) expect(table.headings).not.toContain(name);
          // The first column, which names the rows, is never hidden.
          expect(table.headings[0]).toBe(full[k]!.headings[0]);
        });
      });

      if (TABLES_ONLY.has(c.name)) {
        it("with no width is byte for byte what it was before output was fitted", () => {
          expect(whole).toBe(baseline(c.name));
        });
      } else {
        it("with no width keeps every line it printed before, tables included, and only adds the charts' legends and axes", () => {
          const kept = baseline(c.name)
            .split("\n")
            .filter((line) => !(c.redrawn?.test(line) ?? false));
          const lines = whole.split("\n");
          let at = 0;
          for (const line of kept) {
            const found = lines.indexOf(line, at);
            expect(found, `baseline line not kept in order: ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(
              at,
            );
            at = found + 1;
          }
          expect(tablesIn(whole)).toEqual(tablesIn(baseline(c.name)));
        });
      }
    });
  }

  it("drops meanrev's columns in its stated order, the test details before the signal", () => {
    const at80 = tablesIn(run(["meanrev", "fixtures/eustocks.csv"], "80"))[0]!;
    expect(at80.footer).toBe("… 3 columns hidden: hurst, ADF, lags");
    const at40 = tablesIn(run(["meanrev", "fixtures/eustocks.csv"], "40"))[0]!;
    expect(at40.headings).toEqual(["symbol", "price", "z", "pos."]);
  });

  it("leaves --json untouched by the width", () => {
    for (const args of [
      ["meanrev", "--json", "fixtures/eustocks.csv"],
      ["risk", "--json", "--benchmark", "FTSE", "fixtures/eustocks.csv"],
    ]) {
      expect(run(args, "40")).toBe(run(args, ""));
    }
  });
});

describe("charts: legends, time axes, and no colour that is still unambiguous", () => {
  const regimeArgs = ["regime", "--restarts", "2", "fixtures/sp500-2000.csv"];
  const data = JSON.parse(run([...regimeArgs, "--json"], "")).data;

  it("regime draws bear, sideways and bull as v, -, ^ without colour, says so in a legend, and dates the chart", () => {
    const lines = run(regimeArgs, "").split("\n");
    const legend = lines.find((line) => line.includes("price by regime:"));
    expect(legend).toMatch(/price by regime: v bear · - sideways · \^ bull$/);
    const chart = lines.filter((line) => line.includes("┤"));
    const strip = lines[lines.indexOf(chart.at(-1)!) + 1]!.trim();
    expect(strip).toMatch(/^[v\-^]+$/);
    expect(new Set(strip).size).toBe(3);
    for (const row of chart) expect(row.split("┤")[1]).toMatch(/^[ v\-^]*$/);
    const axis = lines[lines.indexOf(chart.at(-1)!) + 2]!.trim();
    expect(axis.startsWith(data.start)).toBe(true);
    expect(axis.endsWith(data.end)).toBe(true);
  });

  it("regime's two states have glyphs of their own, = calm and ~ turbulent", () => {
    const text = run(
      ["regime", "--states", "2", "--restarts", "2", "--columns", "DAX", "fixtures/eustocks.csv"],
      "",
    );
    expect(text).toContain("price by regime: = calm · ~ turbulent");
    const lines = text.split("\n");
    const last = lines.findLastIndex((line) => line.includes("┤"));
    expect(lines[last + 1]!.trim()).toMatch(/^[=~]+$/);
  });

  it("regime in colour keeps its coloured dots and strip", () => {
    const coloured = run(regimeArgs, "80", { FORCE_COLOR: "1" });
    expect(coloured).toContain("\u001b[31m•");
    expect(coloured).toContain("\u001b[32m^");
    const plain = stripVTControlCharacters(coloured).split("\n");
    for (const line of plain) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it("every sparkline chart has a legend and a time axis of the bars it draws", () => {
    const meanrev = run(["meanrev", "fixtures/eustocks.csv"], "");
    expect(meanrev).toMatch(/last 40 bars · ▁ lowest to █ highest of each line/);
    expect(meanrev).toMatch(/^ {12}1998\.496154 +1998\.646154 {4}1998\.496154 +1998\.646154$/m);
    const backtest = run(["backtest", "--strategy", "meanrev", "fixtures/eustocks.csv"], "");
    expect(backtest).toMatch(/equity: growth of 1 · drawdown: below its running high/);
    expect(backtest).toMatch(/^ {9}1991\.500000 +1998\.646154$/m);
    const risk = run(["risk", "fixtures/sp500-2000.csv"], "");
    expect(risk).toMatch(/wealth: growth of 1, log scale · drawdown: below the running high/);
    expect(risk).toMatch(/ 2000-01-04 +2020-04-17 +2000-01-04 +2020-04-17$/m);
    const mcmc = run(["mcmc", "--draws", "200", "--warmup", "200", "fixtures/sp500-2000.csv"], "");
    expect(mcmc).toMatch(/^density: /m);
    expect(mcmc).toMatch(/^ {9}draw 1 +draw 200$/m);
    const hmm = run(["hmm", "--restarts", "2", "fixtures/sp500-2000.csv"], "");
    expect(hmm).toMatch(/^Viterbi path, last 72 bars · each bar's state as its number$/m);
    expect(hmm).toMatch(/^\d{72}\n\S+ +2020-04-17$/m);
  });
});

describe("help", () => {
  const commands = [
    "",
    "meanrev",
    "optimize",
    "hmm",
    "regime",
    "sparse",
    "decompose",
    "mcmc",
    "book",
    "stream",
    "risk",
    "backtest",
  ];

  it.each(commands)("hftlab %s --help: only example commands run past 80 columns", (command) => {
    const text = run(command === "" ? ["--help"] : [command, "--help"], "");
    const lines = text.split("\n");
    const long = lines.filter((line, i) => {
      if (columnsOf(line) <= 80) return false;
      const exampleCommand = /(^|\s)hftlab\s/.test(line) || (lines[i - 1] ?? "").trimEnd().endsWith("\\");
      return !(line.startsWith("  ") && exampleCommand);
    });
    expect(long).toEqual([]);
  });
});
