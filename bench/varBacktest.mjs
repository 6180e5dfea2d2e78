#!/usr/bin/env node
// risk --var-backtest's kernel alone (varBacktest: every method's rolling one-step VaR and its
// coverage tests), in process, on a seeded series of fat-tailed returns (a normal scaled by a
// regime volatility, a 20σ spike every 50 000 bars, a flat stretch of zero returns every 200 000).
//
//   node bench/varBacktest.mjs [ROOT] [N] [WINDOWS]   ROOT: a built checkout (default this one)
//                                                      N: bars (default 2 000 000)
//                                                      WINDOWS: comma-separated (default 250,1000)
//
// Each window runs in a fresh process; prints the median of RUNS (default 3) timings, in seconds
// and ns per bar.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
const n = Number(process.argv[3] ?? 2_000_000);
const windows = (process.argv[4] ?? "250,1000").split(",").map(Number);
const runs = Number(process.env.RUNS ?? 3);
const child = process.argv[5];

function series() {
  let state = 12345n;
  const uniform = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return (Number(state >> 11n) + 0.5) / 2 ** 53;
  };
  const r = new Float64Array(n);
  let sigma = 0.01;
  for (let i = 0; i < n; i++) {
    if (i % 5000 === 0) sigma = 0.005 + 0.02 * uniform();
    const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    r[i] = i % 200_000 < 300 ? 0 : i % 50_000 === 777 ? -20 * sigma : sigma * z;
  }
  return r;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
if (child === undefined) {
  console.log(`| bars | window | seconds | ns/bar |`);
  console.log(`|---|---|---|---|`);
  for (const w of windows) {
    const r = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), root, String(n), String(w), "child"],
      {
        encoding: "utf8",
      },
    );
    process.stdout.write(r.stdout);
    if (r.status !== 0) process.stderr.write(r.stderr);
  }
} else {
  const { varBacktest } = await import(
    pathToFileURL(join(root, "dist/numerics/risk/rollingValueAtRisk.js")).href
  );
  const r = series();
  const window = windows[0];
  const seconds = [];
  let sink = 0;
  for (let run = 0; run < runs; run++) {
    const t0 = process.hrtime.bigint();
    const result = varBacktest(r, { window, confidences: [0.95, 0.99], ewmaLambda: 0.94 });
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    sink += result.historical[0].exceedances;
  }
  if (sink < 0) console.log(sink);
  const s = median(seconds);
  console.log(`| ${n} | ${window} | ${s.toFixed(2)} | ${((s * 1e9) / n).toFixed(0)} |`);
}
