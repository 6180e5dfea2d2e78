#!/usr/bin/env node
// Writes fixtures/stocks-ohlcv.parquet, the README's Parquet example: stocks.csv's monthly
// closes in the long OHLCV layout data stores keep (timestamp, symbol, open, high, low, close,
// volume), written by DuckDB (the @duckdb/node-api dev dependency, an independent writer).
// open/high/low are made from the close (x 0.99, 1.02, 0.97) and volume is a constant per
// symbol: only the layout and types are the point, the prices are stocks.csv's.
//
//   node scripts/parquet-fixture.mjs
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

const fixtures = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "fixtures");
const db = await DuckDBInstance.create(":memory:", { threads: "1" });
const connection = await db.connect();
await connection.run(`COPY (
  SELECT strptime(date, '%b %d %Y') AS timestamp, symbol, price * 0.99 AS open, price * 1.02 AS high,
         price * 0.97 AS low, price AS close, 1000 * length(symbol) AS volume
  FROM read_csv('${join(fixtures, "stocks.csv")}', types={'date': 'VARCHAR'})
) TO '${join(fixtures, "stocks-ohlcv.parquet")}' (FORMAT parquet, COMPRESSION zstd)`);
const version = (await connection.runAndReadAll("SELECT version()")).getRows()[0][0];
console.log(`wrote fixtures/stocks-ohlcv.parquet with DuckDB ${version}`);
connection.closeSync();
db.closeSync();
