import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab, ROOT } from "./run.js";

/**
 * `hftlab info` on the built binary. The truth of every fact is computed
 * here from the file's own text (or, for Arrow, from the arrays written),
 * never from another hftlab command: row and cell counts by splitting
 * lines, stamps by a parser of this test's own, the frequency from the
 * median step of those stamps (xts's thresholds, as SPEC and the README
 * state them).
 */
const file = temporaryFiles("hftlab-info-");
const DAY = 86_400;

function info(args: string[], input?: string | Buffer) {
  const r = hftlab(["info", ...args, "--json"], input === undefined ? {} : { input });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** A comma-separated file without quotes, as header and rows of cells. */
function cells(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(join(ROOT, path), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  return { header: lines[0]!.split(","), rows: lines.slice(1).map((line) => line.split(",")) };
}

const MISSING_MARKERS = new Set(["", "na", "n/a", "nan", "null"]);
const isMissing = (cell: string) => MISSING_MARKERS.has(cell.trim().toLowerCase());

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Epoch seconds of "Jan 1 2000" (this test's own parser, for the one format stocks.csv uses). */
function monthNameSeconds(text: string): number {
  const [month, day, year] = text.split(" ");
  const index = MONTHS.indexOf(month!);
  expect(index, text).toBeGreaterThanOrEqual(0);
  return Date.UTC(Number(year), index, Number(day)) / 1000;
}

/** Epoch seconds of "2000-01-03". */
function isoDateSeconds(text: string): number {
  const [year, month, day] = text.split("-").map(Number);
  return Date.UTC(year!, month! - 1, day!) / 1000;
}

function medianStep(seconds: number[]): number {
  const steps = seconds.slice(1).map((s, k) => s - seconds[k]!);
  steps.sort((a, b) => a - b);
  const n = steps.length;
  return n % 2 === 1 ? steps[(n - 1) / 2]! : (steps[n / 2 - 1]! + steps[n / 2]!) / 2;
}

describe("hftlab info on the fixtures", () => {
  it("eustocks.csv is a wide CSV with numeric stamps, no frequency and no missing cell", () => {
    const { header, rows } = cells("fixtures/eustocks.csv");
    const doc = info(["fixtures/eustocks.csv"]);
    const result = doc.result;
    expect(result.format).toEqual({ name: "csv", delimiter: ",", gzip: false });
    expect(result.layout).toBe("wide");
    expect(result.header).toEqual(header);
    expect(result.timeColumn).toEqual({
      name: header[0],
      kind: "number",
      first: rows[0]![0],
      last: rows.at(-1)![0],
      firstUtc: null,
      lastUtc: null,
    });
    expect(rows.every((row) => /^\d+\.\d+$/.test(row[0]!))).toBe(true);
    expect(result.frequency).toBeNull();
    expect(result.symbols).toEqual(header.slice(1));
    expect(result.symbolColumn).toBeNull();
    expect(result.priceColumn).toBeNull();
    expect(result.rows).toBe(rows.length);
    expect(result.timeStamps).toBe(rows.length);
    expect(result.missing).toEqual(
      header.slice(1).map((symbol, j) => ({
        symbol,
        cells: rows.filter((row) => isMissing(row[j + 1]!)).length,
      })),
    );
    expect(result.missing.every((m: { cells: number }) => m.cells === 0)).toBe(true);
    expect(result.droppedRows).toBe(0);
    expect(doc.data).toMatchObject({ source: "fixtures/eustocks.csv", rows: rows.length, droppedRows: 0 });
  });

  it("sp500-2000.csv is OHLCV with daily ISO dates (252 a year), its series named after the file", () => {
    const { header, rows } = cells("fixtures/sp500-2000.csv");
    const result = info(["fixtures/sp500-2000.csv"]).result;
    expect(result.format).toEqual({ name: "csv", delimiter: ",", gzip: false });
    expect(result.layout).toBe("ohlcv");
    expect(result.header).toEqual(header);
    expect(result.priceColumn).toBe("adjclose");
    expect(result.symbols).toEqual(["sp500-2000"]);
    const first = rows[0]![0]!;
    const last = rows.at(-1)![0]!;
    expect(rows.every((row) => /^\d{4}-\d{2}-\d{2}$/.test(row[0]!))).toBe(true);
    expect(result.timeColumn).toEqual({
      name: "date",
      kind: "iso",
      first,
      last,
      firstUtc: `${first}T00:00:00.000Z`,
      lastUtc: `${last}T00:00:00.000Z`,
    });
    const step = medianStep(rows.map((row) => isoDateSeconds(row[0]!)));
    expect(step).toBe(DAY);
    expect(result.frequency).toEqual({ frequency: "daily", periodsPerYear: 252, medianStepSeconds: step });
    expect(result.rows).toBe(rows.length);
    const price = header.indexOf("adjclose");
    expect(result.missing).toEqual([
      { symbol: "sp500-2000", cells: rows.filter((row) => isMissing(row[price]!)).length },
    ]);
    expect(result.droppedRows).toBe(0);
  });

  it("stocks.csv is long with month-name dates: symbols, stamps, absent pairs and drops from the text", () => {
    const { header, rows } = cells("fixtures/stocks.csv");
    const symbolAt = header.indexOf("symbol");
    const dateAt = header.indexOf("date");
    const symbols = [...new Set(rows.map((row) => row[symbolAt]!))];
    const stamps = [...new Set(rows.map((row) => row[dateAt]!))].sort(
      (a, b) => monthNameSeconds(a) - monthNameSeconds(b),
    );
    const has = new Set(rows.map((row) => `${row[symbolAt]}|${row[dateAt]}`));
    const complete = stamps.filter((stamp) => symbols.every((symbol) => has.has(`${symbol}|${stamp}`)));

    const doc = info(["fixtures/stocks.csv"]);
    const result = doc.result;
    expect(result.layout).toBe("long");
    expect(result.symbolColumn).toBe("symbol");
    expect(result.priceColumn).toBe("price");
    expect(result.symbols).toEqual(symbols);
    expect(result.rows).toBe(rows.length);
    expect(result.timeStamps).toBe(stamps.length);
    expect(result.timeColumn).toMatchObject({
      name: "date",
      kind: "monthName",
      first: stamps[0],
      last: stamps.at(-1),
      firstUtc: new Date(monthNameSeconds(stamps[0]!) * 1000).toISOString(),
      lastUtc: new Date(monthNameSeconds(stamps.at(-1)!) * 1000).toISOString(),
    });
    // A (time, symbol) the file never gives is a missing cell, as is an empty price.
    expect(result.missing).toEqual(
      symbols.map((symbol) => ({
        symbol,
        cells:
          stamps.filter((stamp) => !has.has(`${symbol}|${stamp}`)).length +
          rows.filter((row) => row[symbolAt] === symbol && isMissing(row[header.indexOf("price")]!)).length,
      })),
    );
    expect(result.missing.some((m: { cells: number }) => m.cells > 0)).toBe(true);
    expect(result.droppedRows).toBe(stamps.length - complete.length);
    expect(doc.data.rows).toBe(complete.length);
    // The frequency of the stamps the commands see, after --missing drop.
    const step = medianStep(complete.map(monthNameSeconds));
    expect(step).toBeGreaterThan(7 * DAY);
    expect(step).toBeLessThanOrEqual(31 * DAY);
    expect(result.frequency).toEqual({ frequency: "monthly", periodsPerYear: 12, medianStepSeconds: step });
  });

  it("--missing ffill drops only the leading stamps before every symbol has a value", () => {
    const { header, rows } = cells("fixtures/stocks.csv");
    const symbolAt = header.indexOf("symbol");
    const dateAt = header.indexOf("date");
    const symbols = [...new Set(rows.map((row) => row[symbolAt]!))];
    const stamps = [...new Set(rows.map((row) => row[dateAt]!))].sort(
      (a, b) => monthNameSeconds(a) - monthNameSeconds(b),
    );
    const firstOf = (symbol: string) =>
      Math.min(
        ...rows.filter((row) => row[symbolAt] === symbol).map((row) => monthNameSeconds(row[dateAt]!)),
      );
    const start = Math.max(...symbols.map(firstOf));
    const leading = stamps.filter((stamp) => monthNameSeconds(stamp) < start).length;
    const doc = info(["--missing", "ffill", "fixtures/stocks.csv"]);
    expect(doc.result.droppedRows).toBe(leading);
    expect(doc.data.rows).toBe(stamps.length - leading);
    expect(doc.params.missing).toBe("ffill");
  });
});

describe("hftlab info on other inputs", () => {
  it("counts missing cells per column as the empty and NA-like cells of the text", () => {
    const text = [
      "date,A,B,C",
      "2024-01-01,1,,3",
      "2024-01-02,NA,2,3",
      "2024-01-03,1,NaN,",
      "2024-01-04,1,2,3",
      "2024-01-05,null,2,3",
      "2024-01-06,1,2,3",
    ].join("\n");
    const path = file("holes.csv", `${text}\n`);
    const lines = text.split("\n").map((line) => line.split(","));
    const header = lines[0]!;
    const body = lines.slice(1);
    const result = info([path]).result;
    expect(result.missing).toEqual(
      header.slice(1).map((symbol, j) => ({
        symbol,
        cells: body.filter((row) => isMissing(row[j + 1]!)).length,
      })),
    );
    expect(result.missing.map((m: { cells: number }) => m.cells)).toEqual([2, 2, 1]);
    expect(result.droppedRows).toBe(body.filter((row) => row.slice(1).some(isMissing)).length);
    // The counts are the input's, whatever the policy.
    expect(info(["--missing", "ffill", path]).result.missing).toEqual(result.missing);
  });

  it("describes a file --missing leaves without rows (a warning, exit 0), where other commands stop", () => {
    const path = file("empty-column.csv", "date,A,B\n2024-01-01,1,\n2024-01-02,2,\n2024-01-03,3,\n");
    const r = hftlab(["info", "--json", path]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.result.missing).toEqual([
      { symbol: "A", cells: 0 },
      { symbol: "B", cells: 3 },
    ]);
    expect(doc.result.droppedRows).toBe(3);
    expect(doc.result.frequency).toBeNull();
    expect(doc.data).toMatchObject({ rows: 0, start: null, end: null, droppedRows: 3 });
    expect(doc.warnings).toEqual([
      expect.stringMatching(/^no rows left: .*other commands stop here \(exit 3\)$/),
    ]);
    const meanrev = hftlab(["meanrev", path]);
    expect(meanrev.status).toBe(3);
    expectOneLineError(meanrev.stderr, /no rows left/);
    expect(meanrev.stderr).toContain(`hftlab info ${path} counts the missing cells per symbol`);
  });

  it("reads an Arrow file and an Arrow stream: format arrow, nulls and NaN as missing cells", () => {
    const dates = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"];
    const a = [1, null, 3, 4];
    const b = [1, 2, Number.NaN, null];
    const table = new arrow.Table({
      date: arrow.vectorFromArray(dates, new arrow.Utf8()),
      A: arrow.vectorFromArray(a, new arrow.Float64()),
      B: arrow.vectorFromArray(b, new arrow.Float64()),
    });
    const missingIn = (values: (number | null)[]) =>
      values.filter((x) => x === null || Number.isNaN(x)).length;
    for (const [name, format] of [
      ["prices.arrow", "file"],
      ["prices.arrows", "stream"],
    ] as const) {
      const path = file(name, "");
      writeFileSync(path, arrow.tableToIPC(table, format));
      const result = info([path]).result;
      expect(result.format, name).toEqual({ name: "arrow", delimiter: null, gzip: false });
      expect(result.layout).toBe("wide");
      expect(result.timeColumn).toMatchObject({
        name: "date",
        kind: "iso",
        first: dates[0],
        last: dates.at(-1),
      });
      expect(result.symbols).toEqual(["A", "B"]);
      expect(result.rows).toBe(dates.length);
      expect(result.missing).toEqual([
        { symbol: "A", cells: missingIn(a) },
        { symbol: "B", cells: missingIn(b) },
      ]);
      expect(result.droppedRows).toBe(dates.filter((_, i) => missingIn([a[i]!, b[i]!]) > 0).length);
    }
  });

  it("reads standard input (- or no path) and gzip, reporting what it found", () => {
    const text = readFileSync(join(ROOT, "fixtures/eustocks.csv"));
    const fromFile = info(["fixtures/eustocks.csv"]);
    for (const args of [["-"], []]) {
      const doc = info(args, text);
      expect(doc.data.source).toBe("-");
      expect(doc.result).toEqual(fromFile.result);
    }
    const gzipped = gzipSync(text);
    expect(info(["-"], gzipped).result.format).toEqual({ name: "csv", delimiter: ",", gzip: true });
    const path = file("eustocks.csv.gz", "");
    writeFileSync(path, gzipped);
    expect(info([path]).result).toEqual({
      ...fromFile.result,
      format: { name: "csv", delimiter: ",", gzip: true },
    });
    // On stdin an OHLCV series is named after its price column (there is no file name).
    const sp = info(["-"], readFileSync(join(ROOT, "fixtures/sp500-2000.csv")));
    expect([sp.result.layout, sp.result.symbols]).toEqual(["ohlcv", ["adjclose"]]);
  });

  it("names a tab-delimited file tsv", () => {
    const path = file("prices.tsv", "date\tA\n2024-01-01\t1\n2024-01-02\t2\n");
    expect(info([path]).result.format).toEqual({ name: "tsv", delimiter: "\t", gzip: false });
  });

  it("prints a human report by default", () => {
    const r = hftlab(["info", "fixtures/stocks.csv"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('long, symbols in "symbol", prices in "price"');
    expect(r.stdout).toContain("Jan 1 2000 … Mar 1 2010");
    expect(r.stdout).toContain("monthly, 12 periods a year");
    expect(r.stdout).toMatch(/GOOG\s+│\s+55\s+│/);
  });

  it("documents its keys in --help", () => {
    const r = hftlab(["info", "--help"]);
    expect(r.status).toBe(0);
    for (const key of [
      "format",
      "layout",
      "timeColumn",
      "frequency",
      "symbols",
      "rows",
      "missing",
      "droppedRows",
    ]) {
      expect(r.stdout).toContain(key);
    }
    expect(hftlab(["--help"]).stdout).toMatch(/\binfo\b/);
  });
});

describe("hftlab info on bad input", () => {
  it("an empty file is one input error (exit 3)", () => {
    const r = hftlab(["info", file("empty.csv", "")]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /no data rows/);
  });

  it("binary junk, in a file or on stdin, is one input error (exit 3)", () => {
    // Fixed bytes: a PNG signature and a spread of every byte value (no LF for a while, then some).
    const junk = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)),
    ]);
    const path = file("junk.csv", "");
    writeFileSync(path, junk);
    for (const r of [hftlab(["info", path]), hftlab(["info", "-"], { input: junk.subarray(8) })]) {
      expect(r.status, r.stderr).toBe(3);
      expectOneLineError(r.stderr, /.+/);
      expect(r.stdout).toBe("");
    }
    const asArrow = file("junk.arrow", "");
    writeFileSync(asArrow, junk);
    const r = hftlab(["info", "--json", asArrow]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/"code":"bad_arrow"/);
  });

  it("a missing file is exit 3; an unknown --columns name is exit 3 with a hint naming info", () => {
    const absent = `${file("x.csv", "")}.absent`;
    const gone = hftlab(["info", absent]);
    expect(gone.status).toBe(3);
    expectOneLineError(gone.stderr, /no such file/);
    const r = hftlab(["info", "--columns", "NOPE", "fixtures/eustocks.csv"]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /unknown symbol "NOPE"/);
    expect(r.stderr).toContain(
      "hint: pick symbols from the list above (hftlab info fixtures/eustocks.csv lists every one)",
    );
  });
});
