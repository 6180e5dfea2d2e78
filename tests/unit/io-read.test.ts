import { chmodSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { setParallelMinBytes } from "../../src/io/delimited/parallelScan.js";
import { readFrame } from "../../src/io/read.js";
import { failure, fixture, stdinOf, tempDir, tempFile } from "./io-helpers.js";

const csv = (name: string, lines: string[], ending = "\n") =>
  tempFile(name, `${lines.join(ending)}${ending}`);

describe("layouts on the shipped fixtures", () => {
  it("reads the wide eustocks file: 1860 rows, 4 symbols, decimal-year time", async () => {
    const frame = await readFrame(fixture("eustocks.csv"));
    expect(frame.timeName).toBe("t");
    expect(frame.symbols).toEqual(["DAX", "SMI", "CAC", "FTSE"]);
    expect(frame.time.length).toBe(1860);
    expect(frame.time.at(0)).toBe("1991.496154");
    expect(frame.time.at(-1)).toBe("1998.646154");
    expect(Array.from(frame.columns, (column) => column[0])).toEqual([1628.75, 1678.1, 1772.8, 2443.6]);
    expect(Array.from(frame.columns, (column) => column[1859])).toEqual([5473.72, 7676.3, 3995, 5455]);
    expect(frame.droppedRows).toBe(0);
    expect(frame.lines![0]).toBe(2);
  });

  it("reads the OHLCV sp500 file as one series named after the file, priced by adjclose", async () => {
    const frame = await readFrame(fixture("sp500-2000.csv"));
    const dataRows = readFileSync(fixture("sp500-2000.csv"), "utf8").trim().split("\n").length - 1;
    expect(frame.time.length).toBe(dataRows);
    expect(dataRows).toBe(5105);
    expect(frame.symbols).toEqual(["sp500-2000"]);
    expect(frame.timeName).toBe("date");
    expect(frame.time.at(0)).toBe("2000-01-03");
    expect(frame.columns[0]![0]).toBe(1455.219971);
    expect(frame.columns[0]!.at(-1)).toBe(2874.560059);
    const close = await readFrame(fixture("sp500-2000.csv"), { priceCol: "open" });
    expect(close.columns[0]![0]).toBe(1469.25);
    expect(close.symbols).toEqual(["sp500-2000"]);
  });

  it("pivots the long stocks file; --missing drop keeps the dates where all 5 symbols trade", async () => {
    const warnings: string[] = [];
    const frame = await readFrame(fixture("stocks.csv"), { onWarning: (message) => warnings.push(message) });
    expect(frame.symbols).toEqual(["MSFT", "AMZN", "IBM", "GOOG", "AAPL"]);
    // GOOG starts in Aug 2004: the 55 monthly rows before it are dropped.
    expect(frame.droppedRows).toBe(55);
    expect(warnings).toEqual(["dropped 55 rows with missing values"]);
    expect(frame.time.length).toBe(123 - 55);
    expect(frame.time.at(0)).toBe("Aug 1 2004");
    expect(frame.time.at(-1)).toBe("Mar 1 2010");
    expect(Array.from(frame.columns, (column) => column[0])).toEqual([22.47, 38.14, 78.17, 102.37, 17.25]);
  });

  it("selects symbols of a long file with --columns, before the missing-value policy", async () => {
    const frame = await readFrame(fixture("stocks.csv"), { columns: ["AAPL", "MSFT"] });
    expect(frame.symbols).toEqual(["AAPL", "MSFT"]);
    expect(frame.droppedRows).toBe(0);
    expect(frame.time.length).toBe(123);
    expect(frame.time.at(0)).toBe("Jan 1 2000");
    expect(frame.columns[1]![0]).toBe(39.81);
    expect(frame.columns[0]![0]).toBe(25.94);
  });

  it("forward-fills and drops only the leading rows with --missing ffill", async () => {
    const warnings: string[] = [];
    const frame = await readFrame(fixture("stocks.csv"), {
      missing: "ffill",
      onWarning: (message) => warnings.push(message),
    });
    expect(frame.droppedRows).toBe(55);
    expect(warnings[0]).toBe("dropped 55 leading rows with missing values (nothing to carry forward)");
  });

  it("names the first pivot hole with --missing error", async () => {
    const error = await failure(readFrame(fixture("stocks.csv"), { missing: "error" }));
    expect(error.code).toBe("missing_value");
    expect(error.message).toBe("no GOOG value at time Jan 1 2000");
  });
});

describe("missing cells", () => {
  const lines = ["time,a,b", "1,1,NA", "2,,2", "3,3,3", "4,NaN,4", "5,5,null", "6,6,6"];

  it("drop: removes the rows and counts them", async () => {
    const warnings: string[] = [];
    const frame = await readFrame(csv("m.csv", lines), { onWarning: (message) => warnings.push(message) });
    expect(frame.time.toArray()).toEqual(["3", "6"]);
    expect(frame.droppedRows).toBe(4);
    expect(Array.from(frame.lines!)).toEqual([4, 7]);
    expect(warnings).toEqual(["dropped 4 rows with missing values"]);
  });

  it("ffill: carries values forward and drops the leading row with nothing to carry", async () => {
    const frame = await readFrame(csv("m.csv", lines), { missing: "ffill" });
    expect(frame.time.toArray()).toEqual(["2", "3", "4", "5", "6"]);
    expect(frame.droppedRows).toBe(1);
    expect(Array.from(frame.columns[0]!)).toEqual([1, 3, 3, 5, 6]);
    expect(Array.from(frame.columns[1]!)).toEqual([2, 3, 4, 4, 6]);
    expect(frame.columns[0]!.length).toBe(5);
  });

  it("error: names the first missing cell by line and column", async () => {
    const error = await failure(readFrame(csv("m.csv", lines), { missing: "error" }));
    expect(error.code).toBe("missing_value");
    expect(error.message).toBe("missing value in column b");
    expect(error.location).toMatchObject({ line: 2, column: 3 });
  });

  it("fails when every row has a missing value", async () => {
    const error = await failure(readFrame(csv("allmissing.csv", ["time,a", "1,NA", "2,"])));
    expect(error.code).toBe("no_rows_left");
  });

  it("ignores unparseable cells in columns that are not read", async () => {
    const frame = await readFrame(csv("unused.csv", ["time,a,b", "1,1,x", "2,2,y"]), { columns: ["a"] });
    expect(Array.from(frame.columns[0]!)).toEqual([1, 2]);
  });
});

describe("column selection and layout options", () => {
  it("keeps --columns in the given order", async () => {
    const frame = await readFrame(fixture("eustocks.csv"), { columns: ["FTSE", "DAX"] });
    expect(frame.symbols).toEqual(["FTSE", "DAX"]);
    expect(frame.columns[0]![0]).toBe(2443.6);
  });

  it("rejects an unknown symbol, listing the available ones", async () => {
    const error = await failure(readFrame(fixture("eustocks.csv"), { columns: ["DAX", "NIKKEI"] }));
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe("unknown_column");
    expect(error.message).toContain('"NIKKEI"');
    expect(error.message).toContain("DAX, SMI, CAC, FTSE");
    const long = await failure(readFrame(fixture("stocks.csv"), { columns: ["TSLA"] }));
    expect(long.message).toContain("MSFT, AMZN, IBM, GOOG, AAPL");
  });

  it("finds the time column by --time-col, and explains when there is none", async () => {
    const path = csv("when.csv", ["when,a", "1,1", "2,2"]);
    const error = await failure(readFrame(path));
    expect(error.code).toBe("no_time_column");
    expect(error.hint).toContain("--time-col");
    const frame = await readFrame(path, { timeCol: "when" });
    expect(frame.timeName).toBe("when");
    expect(frame.symbols).toEqual(["a"]);
  });

  it("takes an unnamed first column (a pandas index) as the time", async () => {
    const frame = await readFrame(csv("index.csv", [",A,B", "2000-01-03,1,2", "2000-01-04,3,4"]));
    expect(frame.symbols).toEqual(["A", "B"]);
    expect(frame.time.toArray()).toEqual(["2000-01-03", "2000-01-04"]);
  });

  it("pivots a long file with a ticker column and --price-col, interleaved by time", async () => {
    const frame = await readFrame(
      csv("long.csv", [
        "Date,Ticker,Open,Last",
        "2000-01-03,B,1,10",
        "2000-01-03,A,2,20",
        "2000-01-04,A,3,30",
        "2000-01-04,B,4,40",
      ]),
      { priceCol: "Last" },
    );
    expect(frame.symbols).toEqual(["B", "A"]);
    expect(Array.from(frame.columns[0]!)).toEqual([10, 40]);
    expect(Array.from(frame.columns[1]!)).toEqual([20, 30]);
  });

  it("rejects a long file whose symbol goes back in time, unless --sort", async () => {
    const lines = [
      "date,symbol,price",
      "2000-01-04,A,2",
      "2000-01-03,A,1",
      "2000-01-03,B,5",
      "2000-01-04,B,6",
    ];
    const error = await failure(readFrame(csv("longback.csv", lines)));
    expect(error.code).toBe("unsorted_time");
    expect(error.message).toBe("time goes backwards for A at line 3: 2000-01-03 after 2000-01-04");
    const frame = await readFrame(csv("longback.csv", lines), { sort: true });
    expect(frame.time.toArray()).toEqual(["2000-01-03", "2000-01-04"]);
    expect(Array.from(frame.columns[0]!)).toEqual([1, 2]);
    const dup = await failure(readFrame(csv("longdup.csv", [...lines, "2000-01-04,A,9"]), { sort: true }));
    expect(dup.code).toBe("duplicate_time");
    expect(dup.message).toContain("for A at line 6 (first at line 2)");
  });

  it("rejects duplicate column names", async () => {
    const error = await failure(readFrame(csv("dupcol.csv", ["time,a,b,a", "1,1,2,3"])));
    expect(error.code).toBe("duplicate_column");
    expect(error.message).toBe('duplicate column name "a" (columns 2 and 4)');
  });
});

describe("delimited text dialects", () => {
  it("reads CRLF line endings and a missing final newline", async () => {
    const frame = await readFrame(tempFile("crlf.csv", "time,a,b\r\n1,1.5,2\r\n2,3,4.25"));
    expect(frame.time.toArray()).toEqual(["1", "2"]);
    expect(Array.from(frame.columns[1]!)).toEqual([2, 4.25]);
  });

  it("sniffs semicolon, tab and pipe delimiters, and uses tab for .tsv", async () => {
    for (const [name, delimiter] of [
      ["semi.csv", ";"],
      ["tab.txt", "\t"],
      ["pipe.csv", "|"],
      ["forced.tsv", "\t"],
    ] as const) {
      const frame = await readFrame(csv(name, [`time${delimiter}a`, `1${delimiter}2.5`]));
      expect(frame.columns[0]![0]).toBe(2.5);
    }
  });

  it("falls back to csv-parse for quoted fields, with the same result", async () => {
    const frame = await readFrame(
      csv("quoted.csv", ['"time","A ""x""","B"', '"2000-01-03","1.5",2', '2000-01-04,"2.5","3"']),
    );
    expect(frame.symbols).toEqual(['A "x"', "B"]);
    expect(frame.time.toArray()).toEqual(["2000-01-03", "2000-01-04"]);
    expect(Array.from(frame.columns[0]!)).toEqual([1.5, 2.5]);
    expect(Array.from(frame.lines!)).toEqual([2, 3]);
  });

  it("gives fallback errors their line and column", async () => {
    const error = await failure(readFrame(csv("quoted-bad.csv", ["time,a", '1,"2"', '2,"abc"'])));
    expect(error.code).toBe("bad_number");
    expect(error.location).toMatchObject({ line: 3, column: 2 });
    const open = await failure(readFrame(csv("quoted-open.csv", ["time,a", '1,"2'])));
    expect(open.code).toBe("bad_csv");
  });

  it("reads a quoted header on the fast path", async () => {
    const frame = await readFrame(csv("qheader.csv", ['"time","a b"', "1,2"]));
    expect(frame.symbols).toEqual(["a b"]);
  });

  it("skips blank lines and a BOM, keeping line numbers true", async () => {
    const path = tempFile("blank.csv", "\ufefftime,a\n1,1\n\n2,2\n\n\n");
    const frame = await readFrame(path);
    expect(frame.time.toArray()).toEqual(["1", "2"]);
    expect(Array.from(frame.lines!)).toEqual([2, 4]);
    const error = await failure(readFrame(tempFile("blank-bad.csv", "time,a\n1,1\n\n2,x\n")));
    expect(error.location.line).toBe(4);
  });
});

describe("malformed input never yields a partial result", () => {
  it("reports a short row (a truncated file) with its line", async () => {
    const text = readFileSync(fixture("eustocks.csv"), "utf8");
    const truncated = text.slice(0, text.length - 10);
    const error = await failure(readFrame(tempFile("trunc.csv", truncated)));
    expect(error.code).toBe("field_count");
    expect(error.message).toBe("expected 5 fields, found 4");
    expect(error.location.line).toBe(1861);
  });

  it("reports a row with extra fields", async () => {
    const error = await failure(readFrame(csv("extra.csv", ["time,a", "1,2", "2,3,4,5"])));
    expect(error.message).toBe("expected 2 fields, found 4");
    expect(error.location.line).toBe(3);
  });

  it("rejects an empty file and a header without rows", async () => {
    for (const content of ["", "\n\n", "time,a\n", "time,a"]) {
      const error = await failure(readFrame(tempFile("empty.csv", content)));
      expect(error.code).toBe("no_data_rows");
      expect(error.exitCode).toBe(3);
    }
  });

  it("turns file-system failures into input errors", async () => {
    const missing = await failure(readFrame("/nonexistent/prices.csv"));
    expect(missing.code).toBe("file_not_found");
    expect(missing.message).toBe("no such file: /nonexistent/prices.csv");
    expect(missing.exitCode).toBe(3);
    const directory = await failure(readFrame(tempDir()));
    expect(directory.code).toBe("not_a_file");
    if (process.getuid?.() !== 0) {
      const path = csv("locked.csv", ["time,a", "1,1"]);
      chmodSync(path, 0);
      expect((await failure(readFrame(path))).code).toBe("permission_denied");
    }
  });

  it("rejects corrupt or truncated gzip data", async () => {
    const zipped = gzipSync(Buffer.from(readFileSync(fixture("eustocks.csv"))));
    const error = await failure(readFrame(tempFile("cut.csv.gz", zipped.subarray(0, zipped.length - 100))));
    expect(error.code).toBe("bad_gzip");
  });
});

describe("compressed input and standard input", () => {
  it("reads gzip transparently, by magic bytes", async () => {
    const zipped = gzipSync(readFileSync(fixture("eustocks.csv")));
    const frame = await readFrame(tempFile("eu.csv.gz", zipped));
    expect(frame.time.length).toBe(1860);
    expect(frame.symbols).toEqual(["DAX", "SMI", "CAC", "FTSE"]);
  });

  it("reads standard input (text and gzip); a single series is named after its column", async () => {
    const text = readFileSync(fixture("sp500-2000.csv"));
    const frame = await readFrame("-", { stdin: stdinOf(text, 4096) });
    expect(frame.source).toBe("-");
    expect(frame.symbols).toEqual(["adjclose"]);
    expect(frame.time.length).toBe(5105);
    const zipped = await readFrame("-", { stdin: stdinOf(gzipSync(text), 1000) });
    expect(zipped.time.toArray()).toEqual(frame.time.toArray());
  });

  it("names standard input <stdin> in errors", async () => {
    const error = await failure(readFrame("-", { stdin: stdinOf("time,a\n1,x\n") }));
    expect(error.where()).toBe("<stdin>:2:2");
  });
});

describe("the two-thread scan", () => {
  afterEach(() => setParallelMinBytes(32 << 20));

  it("gives the same frame as one thread, blank lines and all", async () => {
    const rows: string[] = ["time,a,b,c"];
    for (let k = 0; k < 5000; k++) {
      rows.push(`${1_700_000_000_000 + k * 1000},${(k * 0.37).toFixed(4)},${k % 17 === 0 ? "" : k},-${k}.5`);
      if (k % 999 === 0) rows.push("");
    }
    const path = csv("parallel.csv", rows);
    const sequential = await readFrame(path);
    setParallelMinBytes(0);
    const parallel = await readFrame(path);
    expect(parallel.time.toArray()).toEqual(sequential.time.toArray());
    expect(Array.from(parallel.lines!)).toEqual(Array.from(sequential.lines!));
    expect(parallel.droppedRows).toBe(sequential.droppedRows);
    parallel.columns.forEach((column, j) => {
      expect(Array.from(column)).toEqual(Array.from(sequential.columns[j]!));
    });
  });

  it("reports the first error in file order", async () => {
    const rows: string[] = ["time,a"];
    for (let k = 0; k < 4000; k++) rows.push(`${k},${k === 3500 ? "bad" : k}`);
    setParallelMinBytes(0);
    const error = await failure(readFrame(csv("parallel-bad.csv", rows)));
    expect(error.message).toBe('unparseable number "bad" in column a');
    expect(error.location).toMatchObject({ line: 3502, column: 2 });
    rows[10] = "9,x";
    const first = await failure(readFrame(csv("parallel-bad2.csv", rows)));
    expect(first.location.line).toBe(11);
  });

  it("falls back to csv-parse when either thread's part is quoted", async () => {
    setParallelMinBytes(0);
    // Row 100 is in the worker's part (the first), row 2900 in the main thread's.
    for (const quoted of [100, 2900]) {
      const rows: string[] = ["time,a"];
      for (let k = 0; k < 3000; k++) rows.push(k === quoted ? `${k},"${k}"` : `${k},${k}`);
      const frame = await readFrame(csv(`parallel-quoted-${quoted}.csv`, rows));
      expect(frame.time.length).toBe(3000);
      expect(frame.columns[0]![quoted]).toBe(quoted);
    }
  });
});
