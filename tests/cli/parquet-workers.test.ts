import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
// The built modules: the reader starts its chunk workers from dist/io/parquet/chunkWorker.js (npm test builds first).
import { lastReadWorkers, setParallelMinCells } from "../../dist/io/parquet/parallelChunks.js";
import { readFrame } from "../../dist/io/read.js";
import { expectOneLineError } from "./expectations.js";
import { hftlab, ROOT } from "./run.js";

/**
 * Price column chunks decoded on a worker thread (parallelChunks.ts) give
 * what the one-thread read gives: the same Frame, the same error for a
 * damaged file. The truth for the data is the CSV DuckDB writes from the
 * same SELECT; for errors, the one-thread read of the same bytes and the
 * message the one-thread reader's tests pin. The pool hands its worker the
 * first two jobs (row group 1's first two price columns) before this thread
 * takes one, so damage there is met on the worker.
 */

const dir = mkdtempSync(join(tmpdir(), "hftlab-parquet-workers-"));
const at = (name: string) => join(dir, name);
const fixture = (name: string) => join(ROOT, "fixtures", name);
const DEFAULT_MIN_CELLS = 4_000_000;
/** One worker besides the main thread wherever there are two cores. */
const WORKERS = availableParallelism() >= 2 ? 1 : 0;
let duck: DuckDBConnection;
let instance: DuckDBInstance;

async function sql(query: string): Promise<unknown[][]> {
  return (await duck.runAndReadAll(query)).getRows() as unknown[][];
}

/** Byte range of each column chunk, by row group and column name. */
async function chunkRanges(path: string): Promise<Map<string, [number, number]>> {
  const rows = await sql(
    `SELECT row_group_id, path_in_schema, coalesce(dictionary_page_offset, data_page_offset), total_compressed_size FROM parquet_metadata('${path}')`,
  );
  return new Map(
    rows.map(([group, name, start, size]) => [
      `${group}:${name}`,
      [Number(start), Number(start) + Number(size)] as [number, number],
    ]),
  );
}

/** A copy of `path` with the first 200 bytes of the named chunks overwritten (their page header and more). */
async function damage(path: string, chunks: string[], name: string): Promise<string> {
  const ranges = await chunkRanges(path);
  const bytes = Buffer.from(readFileSync(path));
  for (const chunk of chunks) {
    const [start] = ranges.get(chunk)!;
    bytes.fill(0xa5, start, start + 200);
  }
  const out = at(name);
  writeFileSync(out, bytes);
  return out;
}

/** Six columns of arithmetic prices (with a hole every 97 rows in S03), `rows` rows, stamped by an INT64 counter. */
function pricesQuery(rows: number, extra = ""): string {
  const prices = Array.from({ length: 6 }, (_, k) =>
    k === 3
      ? `CASE WHEN i % 97 = 5 THEN NULL ELSE 50 + (i * 7 + ${k}) % 1013 / 8.0 END AS S0${k}`
      : `100 + ${k} + (i * ${k + 3}) % 997 / 16.0 AS S0${k}`,
  );
  return `SELECT 1700000000000 + i * 1000 AS time, ${prices.join(", ")}${extra} FROM range(${rows}) t(i)`;
}

const WIDE = 20;
/** Twenty columns, enough cells (250k × 20 = 5M) for the binary to decode on its worker. */
function largeQuery(): string {
  const prices = Array.from(
    { length: WIDE },
    (_, k) =>
      `${k === 7 ? "CASE WHEN i % 1009 = 3 THEN NULL ELSE " : ""}200 + ${k} + (i * ${k + 11}) % 4093 / 64.0${k === 7 ? " END" : ""} AS P${String(k).padStart(2, "0")}`,
  );
  return `SELECT 1700000000 + i AS time, ${prices.join(", ")} FROM range(250000) t(i)`;
}

beforeAll(async () => {
  // One thread: DuckDB then keeps the input's row order in what it writes.
  instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  duck = await instance.connect();
  const EU = `read_csv('${fixture("eustocks.csv")}', types={'t': 'VARCHAR'})`;
  for (const codec of ["snappy", "zstd", "gzip", "uncompressed"]) {
    await duck.run(
      `COPY (SELECT * FROM ${EU}) TO '${at(`eustocks-${codec}.parquet`)}' (FORMAT parquet, COMPRESSION ${codec})`,
    );
  }
  await duck.run(
    `COPY (SELECT * FROM ${EU}) TO '${at("eustocks-v2.parquet")}' (FORMAT parquet, PARQUET_VERSION V2, COMPRESSION zstd)`,
  );
  const rounded = `SELECT t, round(DAX, -2) AS DAX, round(SMI, -2) AS SMI, round(CAC, -2) AS CAC FROM ${EU}`;
  await duck.run(`COPY (${rounded}) TO '${at("rounded.parquet")}' (FORMAT parquet)`);
  await duck.run(`COPY (${rounded}) TO '${at("rounded.csv")}'`);
  // Several row groups with nulls; FLOAT and INT32 prices too (decoded to a scratch array, then converted).
  const mixed = pricesQuery(7000, ", ((i % 301) / 4.0)::FLOAT AS F, (i % 211)::INTEGER AS N");
  await duck.run(`COPY (${mixed}) TO '${at("mixed.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  // Uncompressed, a page is a view of the thread's reused read buffer: values must be copied out before the next read.
  await duck.run(
    `COPY (${mixed}) TO '${at("mixed-uncompressed.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION uncompressed)`,
  );
  await duck.run(`COPY (${mixed}) TO '${at("mixed.csv")}'`);
  // The long layout (time, symbol, price) in several row groups: symbols decode with the stamps, on this thread.
  const long = `SELECT 1700000000 + i // 3 AS time, ['AAA', 'BBB', 'CCC'][i % 3 + 1] AS symbol,
      10 + (i * 13) % 101 / 4.0 AS price FROM range(9000) t(i)`;
  await duck.run(`COPY (${long}) TO '${at("long.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  await duck.run(`COPY (${long}) TO '${at("long.csv")}'`);
  // An infinite price in S01 (the worker's second job) at row 1500, in the first row group.
  const finite = pricesQuery(7000);
  const infinite = finite.replace(
    "100 + 1 + (i * 4) % 997 / 16.0 AS S01",
    "CASE WHEN i = 1499 THEN 'inf'::DOUBLE ELSE 100 + 1 + (i * 4) % 997 / 16.0 END AS S01",
  );
  expect(infinite).not.toBe(finite);
  await duck.run(`COPY (${infinite}) TO '${at("infinite.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  await duck.run(`COPY (${largeQuery()}) TO '${at("large.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 30000)`);
  await duck.run(`COPY (${largeQuery()}) TO '${at("large.csv")}'`);
}, 120_000);

afterAll(() => {
  duck?.closeSync();
  instance?.closeSync();
});

afterEach(() => setParallelMinCells(DEFAULT_MIN_CELLS));

/** The frame's contents as plain data (NaN stays NaN: toEqual takes it as equal to itself). */
function contents(frame: Awaited<ReturnType<typeof readFrame>>) {
  return {
    timeName: frame.timeName,
    time: frame.time.toArray(),
    symbols: frame.symbols,
    columns: frame.columns.map((column: Float64Array) => Array.from(column)),
    droppedRows: frame.droppedRows,
  };
}

/** Reads `path` on this thread alone, then with its price chunks on the worker; both reads' contents. */
async function bothWays(path: string, options: Record<string, unknown> = {}) {
  const one = await readFrame(path, options);
  expect(lastReadWorkers(), path).toBe(0);
  setParallelMinCells(0);
  const two = await readFrame(path, options);
  expect(lastReadWorkers(), path).toBe(WORKERS);
  setParallelMinCells(DEFAULT_MIN_CELLS);
  return { one: contents(one), two: contents(two) };
}

/** The error a read rejects with, as plain data. */
async function readError(path: string) {
  try {
    await readFrame(path);
  } catch (error) {
    const { exitCode, code, message, hint, location } = error as Record<string, unknown>;
    return { exitCode, code, message, hint, location };
  }
  throw new Error(`reading ${path} did not fail`);
}

describe("price chunks decoded on a worker thread", () => {
  it("give the frame of the one-thread read and of the CSV, whatever the codec, encoding, nulls and row groups", async () => {
    const cases: Array<[string, string]> = [
      ["eustocks-snappy.parquet", fixture("eustocks.csv")],
      ["eustocks-zstd.parquet", fixture("eustocks.csv")],
      ["eustocks-gzip.parquet", fixture("eustocks.csv")],
      ["eustocks-uncompressed.parquet", fixture("eustocks.csv")],
      ["rounded.parquet", at("rounded.csv")],
      ["mixed.parquet", at("mixed.csv")],
      ["mixed-uncompressed.parquet", at("mixed.csv")],
      ["long.parquet", at("long.csv")],
    ];
    for (const [name, csv] of cases) {
      for (const missing of ["drop", "ffill"]) {
        const { one, two } = await bothWays(at(name), { missing });
        expect(two, name).toEqual(one);
        expect(two, name).toEqual(contents(await readFrame(csv, { missing })));
      }
    }
    const groups = await sql(
      `SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${at("mixed.parquet")}')`,
    );
    expect(Number(groups[0]![0])).toBeGreaterThan(2);
  });

  it("leave a page the fast decoder cannot read (BYTE_STREAM_SPLIT) to hyparquet, with the same frame", async () => {
    const encodings = await sql(
      `SELECT string_agg(DISTINCT encodings, ',') FROM parquet_metadata('${at("eustocks-v2.parquet")}')`,
    );
    expect(String(encodings[0]![0])).toMatch(/BYTE_STREAM_SPLIT/);
    const { one, two } = await bothWays(at("eustocks-v2.parquet"));
    expect(two).toEqual(one);
    expect(two).toEqual(contents(await readFrame(fixture("eustocks.csv"))));
  });

  it("are not used for standard input (a whole buffer, no file to read from) or a small file", async () => {
    setParallelMinCells(0);
    const bytes = readFileSync(at("mixed.parquet"));
    const fromStdin = await readFrame("-", { stdin: Readable.from([bytes]) });
    expect(lastReadWorkers()).toBe(0);
    setParallelMinCells(DEFAULT_MIN_CELLS);
    const fromFile = await readFrame(at("mixed.parquet"));
    expect(lastReadWorkers()).toBe(0);
    expect(contents(fromStdin)).toEqual(contents(fromFile));
  });

  it("fail with the one-thread read's error: a damaged chunk, an infinite price", async () => {
    const damaged = await damage(at("mixed.parquet"), ["0:S01"], "damaged-S01.parquet");
    const one = await readError(damaged);
    expect(one.exitCode).toBe(3);
    expect(one.message).toMatch(/^not a readable Parquet file: column "S01", row group 1: /);
    setParallelMinCells(0);
    expect(await readError(damaged)).toEqual(one);
    expect(lastReadWorkers()).toBe(WORKERS);
    setParallelMinCells(DEFAULT_MIN_CELLS);
    const infinite = await readError(at("infinite.parquet"));
    expect(infinite).toMatchObject({
      exitCode: 3,
      message: "non-finite value Infinity in column S01 (row 1500)",
    });
    setParallelMinCells(0);
    expect(await readError(at("infinite.parquet"))).toEqual(infinite);
  });

  it("report the error a one-thread read meets first, wherever each was met", async () => {
    // Row group 1's S01 (the worker's) before row group 1's S04 and row group 3's S00 (this thread's).
    const three = await damage(at("mixed.parquet"), ["2:S00", "0:S04", "0:S01"], "damaged-three.parquet");
    // Row group 2's time stamps (read on this thread while the prices decode) after row group 1's S05.
    const stamps = await damage(at("mixed.parquet"), ["1:time", "0:S05"], "damaged-stamps.parquet");
    // Row group 2's time stamps before row group 2's S00.
    const later = await damage(at("mixed.parquet"), ["1:S00", "1:time"], "damaged-later.parquet");
    const cases: Array<[string, RegExp]> = [
      [three, /column "S01", row group 1: /],
      [stamps, /column "S05", row group 1: /],
      [later, /column "time", row group 2: /],
    ];
    for (const [path, first] of cases) {
      const one = await readError(path);
      expect(one.message, path).toMatch(first);
      setParallelMinCells(0);
      expect(await readError(path), path).toEqual(one);
      setParallelMinCells(DEFAULT_MIN_CELLS);
    }
  });
});

describe("the binary on a file large enough for the worker (250k rows × 20 prices)", () => {
  const threads = (n: number) => ({ env: { HFTLAB_THREADS: String(n) } });

  it("prints the same bytes as with HFTLAB_THREADS=1, and the CSV's result", () => {
    for (const command of ["meanrev", "info"]) {
      const single = hftlab([command, "--json", at("large.parquet")], threads(1));
      const both = hftlab([command, "--json", at("large.parquet")], threads(2));
      expect(single.status, single.stderr).toBe(0);
      expect(both.stdout).toBe(single.stdout);
      expect(both.stderr).toBe(single.stderr);
      if (command === "meanrev") {
        const csv = hftlab([command, "--json", at("large.csv")], threads(2));
        expect(JSON.parse(both.stdout).result).toEqual(JSON.parse(csv.stdout).result);
      }
    }
  });

  it("a chunk damaged on the worker is the same one-line error, exit 3", async () => {
    const damaged = await damage(at("large.parquet"), ["0:P01"], "large-damaged.parquet");
    const single = hftlab(["meanrev", damaged], threads(1));
    const both = hftlab(["meanrev", damaged], threads(2));
    expect(single.status).toBe(3);
    expectOneLineError(single.stderr, /not a readable Parquet file: column "P01", row group 1: /);
    expect(both.status).toBe(3);
    expect(both.stderr).toBe(single.stderr);
    expect(both.stdout).toBe("");
  });
});
