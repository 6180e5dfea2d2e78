#!/usr/bin/env node
// In-process compute timings measured the way the peers measure theirs
// (peers.py `timed`: repeat in-process until ~1 s is spent, at most 50 runs,
// and take the median; here at least 5 repeats, so the JIT has warmed up even
// when one run is longer than the peer's 0.2 s threshold). Reports hftlab's
// first run in a fresh process (what one CLI call pays, JIT warm-up included)
// and the median of the repeats after it (comparable with the peer's figure).
//
//   node bench/warm.mjs optimize --method min-variance --input-kind returns FILE
//
// Prints one JSON line: {"first": s, "median": s, "runs": n}.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { main } = await import(join(root, "dist", "cli.js"));
const { MemorySink } = await import(join(root, "dist", "output", "sink.js"));

async function computeOnce(argv) {
  const stdout = new MemorySink();
  const context = {
    stdout,
    stderr: () => {},
    env: { NO_COLOR: "1" },
    stdin: process.stdin,
    stdinIsTty: true,
    version: "bench",
    exitCode: 0,
  };
  const code = await main([...argv, "--json", "--timings"], context);
  if (code !== 0) throw new Error(`hftlab ${argv.join(" ")} exited ${code}`);
  return JSON.parse(stdout.chunks.join("")).timings.compute;
}

const argv = process.argv.slice(2);
const times = [await computeOnce(argv)];
const first = times[0];
while (times.length < 6 || (times.reduce((a, b) => a + b, 0) < 1 && times.length < 50))
  times.push(await computeOnce(argv));
const repeats = times.length > 1 ? times.slice(1) : times;
const sorted = [...repeats].sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ first, median: sorted[Math.floor(sorted.length / 2)], runs: times.length })}\n`,
);
