#!/usr/bin/env node
// The rolling-moments kernel alone (meanrev's rollingMeanStd and stream's RollingMoments), in process,
// on seeded series: a random walk about 100, the same walk with a spike every 10 000 values, and a
// flat-then-volatile walk whose variance falls steeply (where the cancellation bound trips).
//
//   node bench/rolling.mjs [ROOT]     ROOT: a built checkout (default this one), to time two revisions
//
// Each case runs in a fresh process (so one case's JIT state does not colour the next); prints the
// median of RUNS (default 7) timings per case, in ns per value.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
const { RollingMoments, rollingMeanStd } = await import(
  pathToFileURL(join(root, "dist/numerics/timeseries/rollingMoments.js")).href
);
const runs = Number(process.env.RUNS ?? 7);
const n = 2_000_000;

function series(kind) {
  let state = 12345n;
  const uniform = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(state >> 11n) / 2 ** 53;
  };
  const x = new Float64Array(n);
  let level = 100;
  for (let i = 0; i < n; i++) {
    const step = kind === "falling" && i % 2000 >= 1000 ? 0.001 : 1;
    level += (uniform() - 0.5) * step;
    x[i] = kind === "spiked" && i % 10_000 === 5000 ? 1e12 : level;
  }
  return x;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = new Float64Array(n);
const std = new Float64Array(n);
const [kind, windowText] = process.argv.slice(3);
if (kind === undefined) {
  console.log(`| series | window | rollingMeanStd ns/value | RollingMoments ns/value |`);
  console.log(`|---|---|---|---|`);
  for (const k of ["walk", "spiked", "falling"]) {
    for (const w of [20, 500]) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), root, k, String(w)], {
        encoding: "utf8",
      });
      process.stdout.write(r.stdout);
      if (r.status !== 0) process.stderr.write(r.stderr);
    }
  }
} else {
  const x = series(kind);
  for (const window of [Number(windowText)]) {
    const batch = [];
    const streamed = [];
    let sink = 0;
    for (let r = 0; r < runs; r++) {
      let t0 = process.hrtime.bigint();
      rollingMeanStd(x, window, mean, std);
      batch.push(Number(process.hrtime.bigint() - t0) / n);
      t0 = process.hrtime.bigint();
      const rolling = new RollingMoments(window);
      for (let i = 0; i < n; i++) {
        rolling.push(x[i]);
        sink += rolling.std();
      }
      streamed.push(Number(process.hrtime.bigint() - t0) / n);
    }
    if (Number.isNaN(sink) && sink === 0) console.log(sink);
    console.log(`| ${kind} | ${window} | ${median(batch).toFixed(2)} | ${median(streamed).toFixed(2)} |`);
  }
}
