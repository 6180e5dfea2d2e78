import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import { hftlab } from "./run.js";

/**
 * --csv, --ndjson and --out of optimize, sparse and decompose are other
 * renderings of the --json result: every number they carry must be the
 * same double (a property of two outputs of one computation), and a format a
 * method has no series for is a usage error.
 */
const dir = mkdtempSync(join(tmpdir(), "hftlab-formats-"));
const EUSTOCKS = "fixtures/eustocks.csv";
const SYMBOLS = ["DAX", "SMI", "CAC", "FTSE"];

function run(args: string[]) {
  const r = hftlab(args);
  expect(r.status, `${args.join(" ")}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

function jsonResult(args: string[]) {
  return JSON.parse(run([...args, "--json"])).result;
}

/** A CSV on stdout or in a file (no quoted cells in these tables) as header and rows of cells. */
function csvTable(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trimEnd().split("\n");
  return { header: lines[0]!.split(","), rows: lines.slice(1).map((line) => line.split(",")) };
}

/** A CSV cell as the JSON value it renders: empty is null. */
function cellValue(cell: string): number | null {
  return cell === "" ? null : Number(cell);
}

/** Exit 2 and one error line (then the hint, and the JSON error under --json/--ndjson). */
function expectUsageError(args: string[], pattern: RegExp): void {
  const r = hftlab(args);
  expect(r.status, args.join(" ")).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines[0]).toMatch(/^hftlab: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines[1]).toMatch(/^hint: /);
  for (const line of lines.slice(2)) expect(JSON.parse(line).error.code).toBe("usage");
}

describe("optimize --method frontier: the frontier as a series", () => {
  const args = ["optimize", "--method", "frontier", "--points", "7", EUSTOCKS];
  const result = jsonResult(args);
  const columns = ["expectedReturn", "volatility", "sharpe", ...SYMBOLS];
  const rowOf = (point: { weights: Record<string, number> } & Record<string, number | null>) =>
    columns.map((name) => (SYMBOLS.includes(name) ? point.weights[name]! : point[name]));

  it("--ndjson prints one {expectedReturn, volatility, sharpe, weights} point per line, equal to --json", () => {
    const lines = run([...args, "--ndjson"])
      .trimEnd()
      .split("\n");
    expect(lines).toHaveLength(7);
    const points = lines.map((line) => JSON.parse(line));
    expect(Object.keys(points[0])).toEqual(["expectedReturn", "volatility", "sharpe", "weights"]);
    expect(Object.keys(points[0].weights)).toEqual(SYMBOLS);
    expect(points).toEqual(result.frontier);
  });

  it("--out .csv and .tsv write the points as rows: statistics, then one weight column per symbol", () => {
    for (const [name, delimiter] of [
      ["frontier.csv", ","],
      ["frontier.tsv", "\t"],
    ] as const) {
      const path = join(dir, name);
      run([...args, "--out", path, "--quiet"]);
      const lines = readFileSync(path, "utf8").trimEnd().split("\n");
      expect(lines[0]).toBe(columns.join(delimiter));
      const rows = lines.slice(1).map((line) => line.split(delimiter).map(cellValue));
      expect(rows).toEqual(result.frontier.map(rowOf));
    }
  });

  it("--out .arrow and .arrows write Float64 columns with the same doubles", () => {
    for (const name of ["frontier.arrow", "frontier.arrows"]) {
      const path = join(dir, name);
      run([...args, "--out", path]);
      const table = arrow.tableFromIPC(readFileSync(path));
      expect(table.schema.fields.map((f) => f.name)).toEqual(columns);
      expect(table.schema.fields.every((f) => f.type.typeId === arrow.Type.Float)).toBe(true);
      const rows = table.toArray().map((row) => columns.map((c) => row[c]));
      expect(rows).toEqual(result.frontier.map(rowOf));
    }
  });

  it("keeps stdout as asked while --out writes the file (--json here)", () => {
    const path = join(dir, "with-json.csv");
    const doc = JSON.parse(run([...args, "--json", "--out", path]));
    expect(doc.result).toEqual(result);
    expect(readFileSync(path, "utf8").split("\n")).toHaveLength(7 + 2);
  });

  it("--csv stays the weights table, here of the max-Sharpe portfolio the frontier reports", () => {
    const { header, rows } = csvTable(run([...args, "--csv"]));
    expect(header).toEqual(["symbol", "weight", "riskContribution"]);
    expect(rows.map((r) => r[0])).toEqual(SYMBOLS);
    expect(rows.map((r) => Number(r[1]))).toEqual(SYMBOLS.map((s) => result.weights[s]));
  });

  it("other methods have no series: --ndjson and --out are usage errors naming --method frontier", () => {
    expectUsageError(
      ["optimize", "--ndjson", EUSTOCKS],
      /--ndjson .*needs --method frontier, not min-variance/,
    );
    const path = join(dir, "never.csv");
    expectUsageError(
      ["optimize", "--method", "max-sharpe", "--out", path, EUSTOCKS],
      /--out .*needs --method frontier, not max-sharpe/,
    );
    expect(existsSync(path)).toBe(false);
    expectUsageError([...args, "--ndjson", "--csv"], /--ndjson and --csv cannot be combined/);
  });
});

describe("sparse --csv: the coefficients or weights table", () => {
  it("lasso: symbol,coefficient for every other column, zeros included, equal to --json", () => {
    const args = ["sparse", "--target", "DAX", "--alpha", "1e-4", EUSTOCKS];
    const result = jsonResult(args);
    const { header, rows } = csvTable(run([...args, "--csv"]));
    expect(header).toEqual(["symbol", "coefficient"]);
    expect(rows.map((r) => r[0])).toEqual(["SMI", "CAC", "FTSE"]);
    expect(rows.map((r) => Number(r[1]))).toEqual(["SMI", "CAC", "FTSE"].map((s) => result.coefficients[s]));
    expect(rows.some((r) => r[1] === "0")).toBe(true);
  });

  it("greedy: symbol,weight of the final portfolio, equal to --json", () => {
    const args = ["sparse", "--method", "greedy", "--k", "3", EUSTOCKS];
    const result = jsonResult(args);
    const { header, rows } = csvTable(run([...args, "--csv"]));
    expect(header).toEqual(["symbol", "weight"]);
    expect(rows.map((r) => r[0])).toEqual(SYMBOLS);
    expect(rows.map((r) => Number(r[1]))).toEqual(SYMBOLS.map((s) => result.weights[s]));
  });

  it("sparse-pca: symbol,weight for one component, symbol,weight1,weight2 for two", () => {
    const one = ["sparse", "--method", "sparse-pca", "--k", "2", EUSTOCKS];
    expect(csvTable(run([...one, "--csv"])).header).toEqual(["symbol", "weight"]);
    const args = ["sparse", "--method", "sparse-pca", "--k", "2", "--components", "2", EUSTOCKS];
    const result = jsonResult(args);
    const { header, rows } = csvTable(run([...args, "--csv"]));
    expect(header).toEqual(["symbol", "weight1", "weight2"]);
    expect(rows.map((r) => r[0])).toEqual(SYMBOLS);
    rows.forEach((r, i) => {
      expect(r.slice(1).map(Number)).toEqual(
        result.components.map((c: { weights: Record<string, number> }) => c.weights[SYMBOLS[i]!]),
      );
    });
  });
});

describe("sparse --ndjson: the cross-validation path", () => {
  it("prints one {alpha, mse, mseSe, nonzero} per alpha, equal to --json's cv.path", () => {
    const args = [
      "sparse",
      "--method",
      "elastic-net",
      "--target",
      "CAC",
      "--cv",
      "4",
      "--n-alphas",
      "12",
      EUSTOCKS,
    ];
    const path = jsonResult(args).cv.path;
    const lines = run([...args, "--ndjson"])
      .trimEnd()
      .split("\n");
    expect(lines).toHaveLength(12);
    const points = lines.map((line) => JSON.parse(line));
    expect(Object.keys(points[0])).toEqual(["alpha", "mse", "mseSe", "nonzero"]);
    expect(points).toEqual(path);
  });

  it("is a usage error without a cross-validation (a fixed --alpha, greedy, sparse-pca)", () => {
    expectUsageError(
      ["sparse", "--target", "DAX", "--alpha", "1e-6", "--ndjson", EUSTOCKS],
      /--ndjson prints the cross-validation path.*without --alpha/,
    );
    expectUsageError(["sparse", "--method", "greedy", "--ndjson", EUSTOCKS], /not greedy/);
    expectUsageError(["sparse", "--method", "sparse-pca", "--ndjson", EUSTOCKS], /not sparse-pca/);
  });
});

describe("decompose --csv", () => {
  it("pcp: the outliers as time,symbol,value, equal to --json (times as written)", () => {
    const args = ["decompose", "--top", "6", EUSTOCKS];
    const { outliers } = jsonResult(args);
    const { header, rows } = csvTable(run([...args, "--csv"]));
    expect(header).toEqual(["time", "symbol", "value"]);
    expect(rows).toHaveLength(6);
    expect(rows.map(([time, symbol, value]) => ({ time, symbol, value: Number(value) }))).toEqual(outliers);
    expect(rows[0]![0]).toBe("1991.630769");
  });

  it("box-tiao: one portfolio per row, predictability,halfLife then one weight per symbol; a null half-life is empty", () => {
    const args = ["decompose", "--method", "box-tiao", EUSTOCKS];
    const { portfolios } = jsonResult(args);
    const { header, rows } = csvTable(run([...args, "--csv"]));
    expect(header).toEqual(["predictability", "halfLife", ...SYMBOLS]);
    expect(rows.map((r) => r.map(cellValue))).toEqual(
      portfolios.map(
        (p: { predictability: number; halfLife: number | null; weights: Record<string, number> }) => [
          p.predictability,
          p.halfLife,
          ...SYMBOLS.map((s) => p.weights[s]),
        ],
      ),
    );
    // eustocks' most predictable portfolio has predictability above 1 and no OU half-life
    expect(portfolios.at(-1).halfLife).toBeNull();
    expect(rows.at(-1)![1]).toBe("");
  });

  it("rejects --csv with --json (exit 2)", () => {
    expectUsageError(["decompose", "--csv", "--json", EUSTOCKS], /--json and --csv cannot be combined/);
  });
});

describe("a symbol named like a fixed column of a table with one column per symbol", () => {
  /** Eight rows of wide prices with symbols A, `name`, C: enough for a frontier and a VAR(1). */
  function pricesWith(name: string): string {
    const path = join(dir, `prices-${name}.csv`);
    const rows = [
      [10, 20, 30],
      [11, 19, 31],
      [12, 21, 29],
      [11, 22, 30],
      [13, 20, 32],
      [12, 21, 31],
      [14, 23, 30],
      [13, 22, 33],
    ];
    writeFileSync(path, `time,A,${name},C\n${rows.map((r, t) => `${t + 1},${r.join(",")}`).join("\n")}\n`);
    return path;
  }

  /** Exit 3, nothing on stdout, and exactly this error line (the input named), then a hint. */
  function expectClash(args: string[], message: string, input: string): void {
    const r = hftlab(args);
    expect(r.status, args.join(" ")).toBe(3);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(`hftlab: error: ${message} (${input})`);
    expect(lines[1]).toMatch(/^hint: rename the symbol in the input or leave it out with --columns/);
  }

  it("optimize --out refuses a symbol called expectedReturn, volatility or sharpe (exit 3) and writes nothing", () => {
    for (const name of ["expectedReturn", "volatility", "sharpe"]) {
      const input = pricesWith(name);
      const out = join(dir, `frontier-${name}.csv`);
      expectClash(
        ["optimize", "--method", "frontier", "--out", out, input],
        `symbol "${name}" would share its column name with the ${name} column of --out ${out}`,
        input,
      );
      expect(existsSync(out)).toBe(false);
      // --json and --ndjson key the weights by symbol: no clash there.
      expect(Object.keys(jsonResult(["optimize", "--method", "frontier", input]).weights)).toEqual([
        "A",
        name,
        "C",
      ]);
    }
  });

  it("decompose --method box-tiao --csv refuses a symbol called predictability or halfLife (exit 3)", () => {
    for (const name of ["predictability", "halfLife"]) {
      const input = pricesWith(name);
      expectClash(
        ["decompose", "--method", "box-tiao", "--csv", input],
        `symbol "${name}" would share its column name with the ${name} column of --csv`,
        input,
      );
      const { portfolios } = jsonResult(["decompose", "--method", "box-tiao", input]);
      expect(Object.keys(portfolios[0].weights)).toEqual(["A", name, "C"]);
    }
  });

  it("decompose --out-low-rank and --out-sparse refuse a symbol named like the time column (exit 3)", () => {
    // Only a long file can name a symbol like its time column (a wide header cannot repeat a name).
    const input = join(dir, "long-date.csv");
    const prices = [10, 11, 12, 11, 13, 12];
    writeFileSync(
      input,
      `date,symbol,price\n${prices.map((p, t) => `${t + 1},A,${p}\n${t + 1},date,${40 - p}`).join("\n")}\n`,
    );
    for (const flag of ["--out-low-rank", "--out-sparse"]) {
      const out = join(dir, `wide-${flag.slice(2)}.csv`);
      expectClash(
        ["decompose", flag, out, input],
        `symbol "date" would share its column name with the date column of ${flag} ${out}`,
        input,
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it("meanrev --out and hmm --out refuse a time column named like one of their fixed columns (exit 3)", () => {
    const prices = [10, 11, 12, 11, 13, 12, 14, 13];
    const meanrevInput = join(dir, "time-named-price.csv");
    writeFileSync(meanrevInput, `price,A\n${prices.map((p, t) => `${t + 1},${p}`).join("\n")}\n`);
    const meanrevOut = join(dir, "meanrev-rows.csv");
    const meanrev = hftlab([
      "meanrev",
      "--window",
      "2",
      "--time-col",
      "price",
      "--out",
      meanrevOut,
      meanrevInput,
    ]);
    expect(meanrev.status).toBe(3);
    expect(meanrev.stdout).toBe("");
    expect(meanrev.stderr.split("\n")[0]).toBe(
      `hftlab: error: the time column "price" would share its name with the price column of --out ${meanrevOut} (${meanrevInput})`,
    );
    expect(existsSync(meanrevOut)).toBe(false);

    const returns = Array.from({ length: 60 }, (_, t) => ((t * 7919) % 13) / 1000 - 0.006);
    const hmmInput = join(dir, "time-named-p1.csv");
    writeFileSync(hmmInput, `p1,A\n${returns.map((r, t) => `${t + 1},${r}`).join("\n")}\n`);
    const hmmOut = join(dir, "hmm-rows.csv");
    const hmm = hftlab(["hmm", "--input-kind", "returns", "--time-col", "p1", "--out", hmmOut, hmmInput]);
    expect(hmm.status).toBe(3);
    expect(hmm.stderr.split("\n")[0]).toBe(
      `hftlab: error: the time column "p1" would share its name with the p1 column of --out ${hmmOut} (${hmmInput})`,
    );
    expect(existsSync(hmmOut)).toBe(false);
    // --ndjson keys its own fields: the same input is fine there
    expect(hftlab(["hmm", "--input-kind", "returns", "--time-col", "p1", "--ndjson", hmmInput]).status).toBe(
      0,
    );
  });
});
