import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOneLineError } from "./expectations.js";
import { hftlab, ROOT } from "./run.js";

/**
 * Parquet input (SPEC §6) checked against an independent writer: DuckDB
 * (the @duckdb/node-api dev dependency) writes every file here from the
 * shipped CSV fixtures with `COPY (SELECT …) TO 'x.parquet' (FORMAT parquet,
 * …)`, and each must give the same `result` as the CSV of the same data.
 * Where the CSV is not a fixture (derived layouts, nulls, timestamps), it
 * is written from the same SELECT, by DuckDB or here from the same numbers.
 * The encodings and page kinds each file really has are read back with
 * DuckDB's parquet_metadata(), so a test cannot pass on a file that lacks
 * what it is about.
 */

const dir = mkdtempSync(join(tmpdir(), "hftlab-parquet-"));
const at = (name: string) => join(dir, name);
const fixture = (name: string) => join(ROOT, "fixtures", name);
let duck: DuckDBConnection;
let instance: DuckDBInstance;

async function sql(query: string): Promise<unknown[][]> {
  return (await duck.runAndReadAll(query)).getRows() as unknown[][];
}

/** Encodings and codec of a file's column chunks, as DuckDB reads its footer. */
async function chunkFacts(path: string): Promise<{ encodings: string; codecs: string; rowGroups: number }> {
  const rows = await sql(
    `SELECT string_agg(DISTINCT encodings, ','), string_agg(DISTINCT compression, ','), count(DISTINCT row_group_id) FROM parquet_metadata('${path}')`,
  );
  const [encodings, codecs, rowGroups] = rows[0]!;
  return { encodings: String(encodings), codecs: String(codecs), rowGroups: Number(rowGroups) };
}

function run(args: string[], input?: Buffer) {
  const r = hftlab(args, input === undefined ? {} : { input });
  return r;
}

function json(args: string[], input?: Buffer) {
  const r = run([...args, "--json"], input);
  if (r.status !== 0) throw new Error(`hftlab ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function expectSameAs(parquetArgs: string[], csvArgs: string[]) {
  const fromParquet = json(parquetArgs);
  const fromCsv = json(csvArgs);
  expect(fromParquet.result).toEqual(fromCsv.result);
  expect({ ...fromParquet.data, source: "" }).toEqual({ ...fromCsv.data, source: "" });
  expect(fromParquet.warnings).toEqual(fromCsv.warnings);
}

const EU = `read_csv('${fixture("eustocks.csv")}', types={'t': 'VARCHAR'})`;
const SP = `read_csv('${fixture("sp500-2000.csv")}')`;

beforeAll(async () => {
  // One thread: DuckDB then keeps the input's row order in what it writes.
  instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  duck = await instance.connect();
  // The decimal-year stamps stay text, as written (a DOUBLE would print 1991.5 for 1991.500000).
  for (const codec of ["zstd", "snappy", "gzip", "uncompressed"]) {
    await duck.run(
      `COPY (SELECT * FROM ${EU}) TO '${at(`eustocks-${codec}.parquet`)}' (FORMAT parquet, COMPRESSION ${codec})`,
    );
  }
  // Small row groups, so that the reader goes through several.
  await duck.run(
    `COPY (SELECT * FROM ${SP}) TO '${at("sp500-2000.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
  );
  await duck.run(
    `COPY (SELECT * FROM ${EU}) TO '${at("eustocks-v2.parquet")}' (FORMAT parquet, PARQUET_VERSION V2, COMPRESSION zstd)`,
  );
  // Few distinct prices: DuckDB writes them dictionary-encoded.
  const rounded = `SELECT t, round(DAX, -2) AS DAX, round(SMI, -2) AS SMI, round(CAC, -2) AS CAC FROM ${EU}`;
  await duck.run(`COPY (${rounded}) TO '${at("rounded.parquet")}' (FORMAT parquet)`);
  await duck.run(`COPY (${rounded}) TO '${at("rounded.csv")}'`);
  // The long OHLCV layout of SPEC §6, from stocks.csv's monthly closes.
  const longOhlcv = `SELECT strptime(date, '%b %d %Y') AS timestamp, symbol, price * 0.99 AS open, price * 1.02 AS high,
      price * 0.97 AS low, price AS close, 1000 + length(symbol) AS volume
    FROM read_csv('${fixture("stocks.csv")}', types={'date': 'VARCHAR'})`;
  await duck.run(`COPY (${longOhlcv}) TO '${at("stocks-long.parquet")}' (FORMAT parquet, COMPRESSION zstd)`);
  await duck.run(
    `COPY (SELECT strftime(timestamp, '%Y-%m-%dT%H:%M:%S') AS timestamp, * EXCLUDE (timestamp) FROM (${longOhlcv})) TO '${at("stocks-long.csv")}'`,
  );
  // Nulls: about one cell in forty, in every column but the time.
  const withNulls = `SELECT t, CASE WHEN hash(t) % 41 = 3 THEN NULL ELSE DAX END AS DAX,
      CASE WHEN hash(t, 'S') % 37 = 5 THEN NULL ELSE SMI END AS SMI, FTSE FROM ${EU}`;
  await duck.run(`COPY (${withNulls}) TO '${at("nulls.parquet")}' (FORMAT parquet)`);
  await duck.run(`COPY (${withNulls}) TO '${at("nulls.csv")}'`);
}, 60_000);

afterAll(() => {
  duck?.closeSync();
  instance?.closeSync();
});

describe("Parquet input gives the same result as the CSV of the same data", () => {
  it("wide (eustocks) in every compression: meanrev", async () => {
    const csv = json(["meanrev", fixture("eustocks.csv")]);
    for (const codec of ["zstd", "snappy", "gzip", "uncompressed"]) {
      const path = at(`eustocks-${codec}.parquet`);
      expect((await chunkFacts(path)).codecs, codec).toBe(codec.toUpperCase());
      const parquet = json(["meanrev", path]);
      expect(parquet.result, codec).toEqual(csv.result);
      expect({ ...parquet.data, source: "" }, codec).toEqual({ ...csv.data, source: "" });
    }
  });

  it("wide: optimize", () => {
    expectSameAs(["optimize", at("eustocks-snappy.parquet")], ["optimize", fixture("eustocks.csv")]);
  });

  it("OHLCV (sp500-2000, DATE stamps, several row groups): regime and risk", async () => {
    const path = at("sp500-2000.parquet");
    expect((await chunkFacts(path)).rowGroups).toBeGreaterThan(1);
    expectSameAs(["regime", path], ["regime", fixture("sp500-2000.csv")]);
    expectSameAs(["risk", path], ["risk", fixture("sp500-2000.csv")]);
  });

  it("long OHLCV (timestamp, symbol, open, high, low, close, volume; dictionary-encoded symbols): risk and meanrev", async () => {
    const path = at("stocks-long.parquet");
    expect((await chunkFacts(path)).encodings).toMatch(/DICTIONARY/);
    expect(json(["info", path]).result.layout).toBe("long");
    expectSameAs(["risk", path], ["risk", at("stocks-long.csv")]);
    expectSameAs(["meanrev", path], ["meanrev", at("stocks-long.csv")]);
  });

  it("dictionary-encoded doubles", async () => {
    const path = at("rounded.parquet");
    expect((await chunkFacts(path)).encodings).toMatch(/PLAIN_DICTIONARY|RLE_DICTIONARY/);
    expectSameAs(["meanrev", path], ["meanrev", at("rounded.csv")]);
  });

  it("format version 2 (data pages v2, BYTE_STREAM_SPLIT doubles, DELTA_LENGTH_BYTE_ARRAY stamps)", async () => {
    const path = at("eustocks-v2.parquet");
    expect((await chunkFacts(path)).encodings).toMatch(/BYTE_STREAM_SPLIT/);
    expectSameAs(["meanrev", path], ["meanrev", fixture("eustocks.csv")]);
  });

  it("standard input (sniffed by its PAR1 magic) and --input-format parquet on an unknown extension", () => {
    const bytes = readFileSync(at("eustocks-zstd.parquet"));
    const csv = json(["meanrev", fixture("eustocks.csv")]);
    expect(json(["meanrev", "-"], bytes).result).toEqual(csv.result);
    const renamed = at("eustocks.data");
    writeFileSync(renamed, bytes);
    expect(json(["meanrev", renamed]).result).toEqual(csv.result);
    expect(json(["meanrev", "--input-format", "parquet", renamed]).result).toEqual(csv.result);
  });

  it("info names the format", () => {
    const result = json(["info", at("sp500-2000.parquet")]).result;
    expect(result.format).toEqual({ name: "parquet", delimiter: null, gzip: false });
    expect(result.layout).toBe("ohlcv");
    expect(result.header).toEqual(["date", "open", "high", "low", "close", "adjclose", "volume"]);
  });
});

describe("Parquet nulls are missing cells under --missing", () => {
  it("drop and ffill as for the CSV's empty cells; error fails the same way", () => {
    for (const missing of ["drop", "ffill"]) {
      expectSameAs(
        ["meanrev", "--missing", missing, at("nulls.parquet")],
        ["meanrev", "--missing", missing, at("nulls.csv")],
      );
    }
    const dropped = json(["meanrev", at("nulls.parquet")]);
    expect(dropped.data.droppedRows).toBeGreaterThan(50);
    const r = run(["meanrev", "--missing", "error", at("nulls.parquet")]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /missing value in column (DAX|SMI) \(row \d+, column (DAX|SMI)\)/);
  });
});

describe("Parquet time stamps", () => {
  // Eight rows of eustocks prices at instants with every kind of fraction.
  const prices = readFileSync(fixture("eustocks.csv"), "utf8").trim().split("\n").slice(1, 41);
  const baseSeconds = 1704187800; // 2024-01-02T09:30:00Z
  const fractions = [0, 1, 120, 500_000, 123_456, 999_999, 7_000_001, 3];

  /** Epoch value of row i in units of 10^-digits s, and its ISO text as the CSV would carry it. */
  function stamp(i: number, digits: 3 | 6 | 9) {
    const fraction = BigInt(fractions[i % fractions.length]! % 10 ** digits);
    const raw = BigInt(baseSeconds + i * 60) * 10n ** BigInt(digits) + fraction;
    let text = new Date((baseSeconds + i * 60) * 1000).toISOString().slice(0, 19);
    if (fraction !== 0n) {
      let f = fraction.toString().padStart(digits, "0");
      while (f.endsWith("000")) f = f.slice(0, -3);
      text += `.${f}`;
    }
    return { raw, text };
  }

  async function writePair(
    name: string,
    timeSql: (raw: bigint) => string,
    digits: 3 | 6 | 9,
    zoned: boolean,
  ) {
    const rows = prices.map((line, i) => {
      const [, dax, smi] = line.split(",");
      return { ...stamp(i, digits), dax: dax!, smi: smi! };
    });
    const values = rows
      .map((row) => `(${timeSql(row.raw)}, ${row.dax}::DOUBLE, ${row.smi}::DOUBLE)`)
      .join(",");
    await duck.run(
      `COPY (SELECT * FROM (VALUES ${values}) v(time, DAX, SMI)) TO '${at(`${name}.parquet`)}' (FORMAT parquet)`,
    );
    const csv = `time,DAX,SMI\n${rows.map((row) => `${row.text}${zoned ? "Z" : ""},${row.dax},${row.smi}`).join("\n")}\n`;
    writeFileSync(at(`${name}.csv`), csv);
  }

  it("ms, µs and ns timestamps without a time zone, and µs with one (TIMESTAMPTZ), as ISO text", async () => {
    await writePair("ts-ms", (raw) => `epoch_ms(${raw})::TIMESTAMP_MS`, 3, false);
    await writePair("ts-us", (raw) => `make_timestamp(${raw})`, 6, false);
    await writePair("ts-ns", (raw) => `make_timestamp_ns(${raw})`, 9, false);
    await writePair("ts-tz", (raw) => `make_timestamp(${raw})::TIMESTAMPTZ`, 6, true);
    const units: Record<string, RegExp> = {
      "ts-ms": /isAdjustedToUTC=0.*MILLIS=MilliSeconds/,
      "ts-us": /isAdjustedToUTC=0.*MICROS=MicroSeconds/,
      "ts-ns": /isAdjustedToUTC=0.*NANOS=NanoSeconds/,
      "ts-tz": /isAdjustedToUTC=1.*MICROS=MicroSeconds/,
    };
    for (const [name, logical] of Object.entries(units)) {
      const schema = await sql(
        `SELECT logical_type FROM parquet_schema('${at(`${name}.parquet`)}') WHERE name = 'time'`,
      );
      expect(String(schema[0]![0]), name).toMatch(logical);
      const parquet = json(["meanrev", "--window", "5", at(`${name}.parquet`)]);
      const csv = json(["meanrev", "--window", "5", at(`${name}.csv`)]);
      expect(parquet.result, name).toEqual(csv.result);
      expect([parquet.data.start, parquet.data.end], name).toEqual([csv.data.start, csv.data.end]);
    }
    expect(json(["info", at("ts-ns.parquet")]).result.timeColumn.last).toBe("2024-01-02T10:09:00.000000003");
    expect(json(["info", at("ts-tz.parquet")]).result.timeColumn.first).toBe("2024-01-02T09:30:00Z");
  });

  it("dates as YYYY-MM-DD and INT64 epochs as their exact integer text, also past 2^53", async () => {
    const rows = prices.map((line, i) => {
      const [, dax] = line.split(",");
      return {
        ns: 1704188200123456789n + BigInt(i) * 86_400_000_000_000n,
        ms: 1704188200123 + i * 1000,
        dax: dax!,
      };
    });
    const values = rows.map((row) => `(${row.ns}::BIGINT, ${row.ms}::BIGINT, ${row.dax}::DOUBLE)`).join(",");
    await duck.run(
      `COPY (SELECT * FROM (VALUES ${values}) v(ns, ms, DAX)) TO '${at("epochs.parquet")}' (FORMAT parquet)`,
    );
    writeFileSync(
      at("epochs.csv"),
      `ns,ms,DAX\n${rows.map((row) => `${row.ns},${row.ms},${row.dax}`).join("\n")}\n`,
    );
    for (const column of ["ns", "ms"]) {
      const args = ["meanrev", "--window", "5", "--time-col", column];
      const parquet = json([...args, at("epochs.parquet")]);
      expect(parquet.result, column).toEqual(json([...args, at("epochs.csv")]).result);
    }
    const info = json(["info", "--time-col", "ns", at("epochs.parquet")]).result;
    expect(info.timeColumn.last).toBe("1707557800123456789");
    expect(info.timeColumn.kind).toBe("number");
    expect(json(["info", at("sp500-2000.parquet")]).result.timeColumn.first).toBe("2000-01-03");
  });
});

describe("damaged or unusable Parquet is one input error naming the file (exit 3)", () => {
  it("a file cut in half", () => {
    const bytes = readFileSync(at("eustocks-zstd.parquet"));
    const path = at("cut.parquet");
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    const r = run(["meanrev", path]);
    expect(r.status).toBe(3);
    expectOneLineError(
      r.stderr,
      /not a readable Parquet file: it does not end with PAR1: the file was cut short/,
    );
    expect(r.stderr).toContain(`(${path})`);
  });

  it("a file whose footer bytes were overwritten", () => {
    const bytes = readFileSync(at("sp500-2000.parquet"));
    const footerLength = bytes.readUInt32LE(bytes.length - 8);
    const footerStart = bytes.length - 8 - footerLength;
    const corruptions: Array<[string, (b: Buffer) => void]> = [
      ["footer length", (b) => b.writeUInt32LE(0x7fff_ff00, b.length - 8)],
      ["schema bytes", (b) => b.fill(0xff, footerStart, footerStart + 40)],
      [
        "column offsets",
        (b) =>
          b.fill(
            0x7f,
            footerStart + Math.floor(footerLength / 2),
            footerStart + Math.floor(footerLength / 2) + 24,
          ),
      ],
      ["end magic", (b) => b.write("PAR0", b.length - 4, "latin1")],
    ];
    for (const [what, corrupt] of corruptions) {
      const damaged = Buffer.from(bytes);
      corrupt(damaged);
      const path = at(`damaged-${what.replace(/ /g, "-")}.parquet`);
      writeFileSync(path, damaged);
      const r = run(["regime", "--json", path]);
      expect(r.status, what).toBe(3);
      expect(r.stdout, what).toBe("");
      const human = run(["regime", path]);
      expectOneLineError(human.stderr, /not a readable Parquet file: /);
      expect(human.stderr, what).toContain(path);
    }
  });

  it("chunks whose page bytes were overwritten", () => {
    const bytes = readFileSync(at("eustocks-snappy.parquet"));
    const damaged = Buffer.from(bytes);
    damaged.fill(0xa5, 200, 4000);
    const path = at("pages.parquet");
    writeFileSync(path, damaged);
    const r = run(["meanrev", path]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /not a readable Parquet file: column "\w+", row group 1: /);
  });

  it("a string price column, an infinite price", async () => {
    await duck.run(
      `COPY (SELECT t, DAX::VARCHAR AS DAX FROM ${EU}) TO '${at("text-prices.parquet")}' (FORMAT parquet)`,
    );
    let r = run(["meanrev", at("text-prices.parquet")]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /column "DAX" has type BYTE_ARRAY \((STRING|UTF8)\), not a number type/);
    await duck.run(
      `COPY (SELECT t, CASE WHEN t = '1992.000000' THEN 'inf'::DOUBLE ELSE DAX END AS DAX FROM ${EU}) TO '${at("inf.parquet")}' (FORMAT parquet)`,
    );
    r = run(["meanrev", at("inf.parquet")]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /non-finite value Infinity in column DAX \(row \d+\)/);
  });

  it("book refuses Parquet events in one line", () => {
    const r = run(["book", at("eustocks-zstd.parquet")]);
    expect(r.status).toBe(3);
    expectOneLineError(
      r.stderr,
      /is a Parquet file; order-book events are read from CSV\/TSV, Arrow or LOBSTER files/,
    );
  });
});

describe("a binary file that is no supported format is named as such (exit 3)", () => {
  it("Parquet forced to CSV, or named .csv, says so and how to read it", () => {
    const path = at("really-parquet.csv");
    writeFileSync(path, readFileSync(at("eustocks-zstd.parquet")));
    for (const args of [
      ["meanrev", path],
      ["meanrev", "--input-format", "csv", at("eustocks-zstd.parquet")],
    ]) {
      const r = run(args);
      expect(r.status).toBe(3);
      expectOneLineError(
        r.stderr,
        /is a binary file, not CSV\/TSV, Arrow or Parquet \(starts with bytes 50 41 52 31 …\)/,
      );
      expect(r.stderr).toMatch(/hint: it starts like a Parquet file: pass --input-format parquet/);
      expect(r.stderr).not.toMatch(/PAR1/);
    }
  });

  it("any binary, from a file, gzip or standard input", () => {
    const bytes = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 10, 0x0a, 0x2c, 0x2c, 0xff, 0xfe]);
    const path = at("program.bin");
    writeFileSync(path, bytes);
    const gz = at("program.csv.gz");
    writeFileSync(gz, gzipSync(bytes));
    for (const [args, input, name] of [
      [["risk", path], undefined, path],
      [["risk", gz], undefined, gz],
      [["risk", "-"], bytes, "<stdin>"],
    ] as const) {
      const r = run([...args], input);
      expect(r.status, name).toBe(3);
      expectOneLineError(
        r.stderr,
        /is a binary file, not CSV\/TSV, Arrow or Parquet \(starts with bytes 7f 45 4c 46 …\)/,
      );
      expect(r.stderr, name).toContain(name);
    }
  });

  it("Latin-1 text is still read as text; UTF-16 text is named", () => {
    const latin1 = at("latin1.csv");
    writeFileSync(latin1, Buffer.from("t,Soci\xe9t\xe9\n1,10\n2,11\n3,12\n4,11\n5,13\n", "latin1"));
    expect(run(["info", latin1]).status).toBe(0);
    const utf16 = at("utf16.csv");
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("t,A\n1,2\n", "utf16le")]));
    const r = run(["info", utf16]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /is UTF-16 text, not UTF-8/);
  });
});
