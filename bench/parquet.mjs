#!/usr/bin/env node
// Parquet against CSV on the same data: whole-process `hftlab <command> --json` on
// bench-data/prices_wide_large.csv (2M rows x 21 columns) and on a Parquet copy of it.
//
//   node bench/parquet.mjs                  # meanrev, snappy copy
//   CODEC=zstd COMMAND=info node bench/parquet.mjs
//
// The CSV comes from the peers' generator:
//   /usr/bin/python3 ../shared/peers/gen.py bench-data --only prices_large
// The Parquet copy is written once by DuckDB (the @duckdb/node-api dev dependency), the
// tests' independent writer: COPY (SELECT * FROM read_csv(csv)) TO parquet (FORMAT parquet,
// COMPRESSION codec), which makes the time column INT64 and the prices optional DOUBLEs.
// Each side runs RUNS times (default 5), alternating; medians are reported (wall, CPU =
// user + system, the read's own seconds from --timings' "load", peak RSS), and the two
// `result`s must be identical. On a shared machine wall times swing with the load; CPU
// and load seconds less so.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const data = resolve(process.env.HFTLAB_BENCH_DATA ?? join(root, "bench-data"));
const runs = Number(process.env.RUNS ?? 5);
const codec = process.env.CODEC ?? "snappy";
const command = process.env.COMMAND ?? "meanrev";
const csv = join(data, "prices_wide_large.csv");
const parquet = join(data, `prices_wide_large.${codec}.parquet`);

if (!existsSync(csv)) {
  console.error(
    `${csv} is missing; make it with: /usr/bin/python3 ../shared/peers/gen.py bench-data --only prices_large`,
  );
  process.exit(1);
}
if (!existsSync(parquet)) {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  const t0 = process.hrtime.bigint();
  await connection.run(
    `COPY (SELECT * FROM read_csv('${csv}')) TO '${parquet}' (FORMAT parquet, COMPRESSION ${codec})`,
  );
  console.log(`wrote ${parquet} with DuckDB in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`);
  connection.closeSync();
  db.closeSync();
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall seconds, CPU seconds, the read's own seconds, peak RSS (MiB) and the result of one process. */
function time(path) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%M %U %S", process.execPath, join(root, "bin", "hftlab"), command, "--json", "--timings", path],
    { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] },
  );
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${path} exited ${r.status}: ${r.stderr.slice(-400)}`);
  const [rssKiB, user, system] = r.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  const json = JSON.parse(r.stdout);
  return {
    wall,
    cpu: user + system,
    load: json.timings?.load ?? Number.NaN,
    rssMiB: rssKiB / 1024,
    result: JSON.stringify(json.result),
  };
}

const measured = { csv: [], parquet: [] };
const results = {};
for (let k = 0; k < runs; k++) {
  for (const [side, path] of [
    ["csv", csv],
    ["parquet", parquet],
  ]) {
    const r = time(path);
    measured[side].push(r);
    results[side] = r.result;
  }
}
if (results.csv !== results.parquet) throw new Error("the Parquet copy gave another result than the CSV");
for (const side of ["csv", "parquet"]) {
  const runsOf = (key) => measured[side].map((r) => r[key]);
  const walls = runsOf("wall").map((w) => w.toFixed(2));
  console.log(
    `${command} --json, ${side === "csv" ? "CSV" : `Parquet (${codec})`}: wall ${median(runsOf("wall")).toFixed(2)} s ` +
      `(runs ${walls.join(", ")}), CPU ${median(runsOf("cpu")).toFixed(2)} s, ` +
      `read ${median(runsOf("load")).toFixed(2)} s, peak RSS ${median(runsOf("rssMiB")).toFixed(0)} MiB`,
  );
}
console.log("same result: yes");
