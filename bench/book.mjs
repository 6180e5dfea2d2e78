#!/usr/bin/env node
// Book replay benchmark: parse-only, replay-only (events pre-parsed into
// typed arrays) and end to end, best of --repeat runs, in one process.
// usage: node bench/book.mjs /work/bench-data/book_5m.csv [--repeat 3]
import { BookReplay } from "../dist/book/bookReplay.js";
import { EventColumns } from "../dist/book/events.js";
import { openEvents } from "../dist/io/events/readEvents.js";

const path = process.argv[2];
const repeatAt = process.argv.indexOf("--repeat");
const repeat = repeatAt > 0 ? Number(process.argv[repeatAt + 1]) : 3;
if (!path) {
  console.error("usage: node bench/book.mjs FILE [--repeat N]");
  process.exit(2);
}

async function parseOnly(keep) {
  const reader = await openEvents(path, { format: undefined, stdin: process.stdin, lenient: false });
  let events = 0;
  for await (const batch of reader.batches()) {
    if (keep) {
      keep.reserve(keep.count + batch.count);
      for (const key of ["kind", "side", "orderId", "price", "size", "time", "line"]) {
        keep[key].set(batch[key].subarray(0, batch.count), keep.count);
      }
      keep.count += batch.count;
    }
    events += batch.count;
  }
  return events;
}

async function endToEnd() {
  const reader = await openEvents(path, { format: undefined, stdin: process.stdin, lenient: false });
  const replay = new BookReplay("l3", false);
  for await (const batch of reader.batches()) {
    if (replay.apply(batch, 0, batch.count) < batch.count) throw new Error("replay failed");
  }
  return replay.events;
}

const best = async (label, fn) => {
  let bestSeconds = Infinity;
  let bestCpu = Infinity;
  let events = 0;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    events = await fn();
    const cpu = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
    bestSeconds = Math.min(bestSeconds, (performance.now() - t0) / 1000);
  }
  console.log(
    `${label.padEnd(12)} wall ${bestSeconds.toFixed(3)} s  ${(events / bestSeconds / 1e6).toFixed(2)}M events/s` +
      `   cpu ${bestCpu.toFixed(3)} s  ${(events / bestCpu / 1e6).toFixed(2)}M events/s`,
  );
};

const all = new EventColumns(1 << 22);
await parseOnly(all);
const batch = { ...all, count: all.count, stampText: () => "" };
for (const key of ["kind", "side", "orderId", "price", "size", "time", "line"]) batch[key] = all[key];
await best("parse", () => parseOnly(null));
await best("replay", async () => {
  const replay = new BookReplay("l3", false);
  if (replay.apply(batch, 0, batch.count) < batch.count) throw new Error("replay failed");
  return replay.events;
});
await best("end-to-end", endToEnd);
console.log(
  `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (includes the ${all.count} pre-parsed events)`,
);
