#!/usr/bin/env node
// `hftlab stream` against the CPython peer on ticks_1m.ndjson, stdout to /dev/null, in one session.
//
//   /usr/bin/python3 ../shared/peers/gen.py /work/bench-data --only ticks
//   HFTLAB_BENCH_DATA=/work/bench-data node bench/stream.mjs
//
// Each side runs RUNS times (default 3), alternating; medians of wall time and peak RSS
// (/usr/bin/time -f %M) are printed, plus hftlab's in-process per-tick latency quantiles
// (--timings) and peak RSS for the same ticks repeated REPEAT times (memory stays flat).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const data = resolve(process.env.HFTLAB_BENCH_DATA ?? join(root, "bench-data"));
const peers = resolve(process.env.HFTLAB_PEERS ?? join(root, "..", "shared", "peers"));
const runs = Number(process.env.RUNS ?? 3);
const repeat = Number(process.env.REPEAT ?? 5);
const ticks = join(data, "ticks_1m.ndjson");
if (!existsSync(ticks)) {
  console.error(`bench: ${ticks} is missing; /usr/bin/python3 ${join(peers, "gen.py")} ${data} --only ticks`);
  process.exit(2);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(command, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", command, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(" ")}: exit ${r.status}\n${r.stderr.slice(-500)}`);
  return {
    wall,
    rssMiB: Number(r.stderr.trim().split("\n").at(-1)) / 1024,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

const ours = [];
const peer = [];
for (let i = 0; i < runs; i++) {
  ours.push(
    timed("/bin/sh", [
      "-c",
      `${process.execPath} ${join(root, "bin", "hftlab")} stream --window 20 ${ticks} > /dev/null`,
    ]),
  );
  peer.push(timed("/usr/bin/python3", [join(peers, "peers.py"), "stream", "--data", data]));
}
const peerDetail = peer.map((r) => JSON.parse(r.stdout.trim().split("\n").at(-1)).detail);
const oursWall = median(ours.map((r) => r.wall));
console.log(
  `hftlab stream: ${oursWall.toFixed(3)} s wall, ${(1e6 / oursWall).toFixed(0)} ticks/s end to end, peak RSS ${median(ours.map((r) => r.rssMiB)).toFixed(0)} MiB`,
);
console.log(
  `CPython peer:  ${median(peer.map((r) => r.wall)).toFixed(3)} s wall, ${median(peerDetail.map((d) => d.ticksPerSecEndToEnd)).toFixed(0)} ticks/s end to end (its own clock), ${median(peerDetail.map((d) => d.ticksPerSec)).toFixed(0)} ticks/s compute only`,
);
const latency = spawnSync(process.execPath, [join(root, "bin", "hftlab"), "stream", "--timings", ticks], {
  encoding: "utf8",
  stdio: ["ignore", "ignore", "pipe"],
}).stderr;
console.log(`in process: ${latency.toString().trim()}`);
const repeated = timed("/bin/sh", [
  "-c",
  `for i in $(seq ${repeat}); do cat ${ticks}; done | ${process.execPath} ${join(root, "bin", "hftlab")} stream - > /dev/null`,
]);
console.log(
  `${repeat}M ticks through stdin: peak RSS ${repeated.rssMiB.toFixed(0)} MiB (1M: ${ours[0].rssMiB.toFixed(0)} MiB)`,
);
