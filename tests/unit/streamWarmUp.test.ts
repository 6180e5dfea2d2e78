import { describe, expect, it } from "vitest";
import { TickEngine } from "../../src/stream/tickEngine.js";
import { warmUpTickEngine, warmUpTickText } from "../../src/stream/warmUp.js";
import { NdjsonBytes } from "../../src/output/ndjsonBytes.js";

const settings = { window: 20, entry: 2, exit: 0.5, ewmaLambda: 0.94, returns: "log" as const };

/** A few symbols' ticks in the benchmark's layout, with a replayed seq and a line for the text path. */
function ticks(count: number): Buffer {
  const lines: string[] = [];
  let price = 14306;
  for (let i = 0; i < count; i++) {
    price += ((i * 7919) % 11) - 5;
    lines.push(
      `{"ts":${1704205800000 + i},"symbol":"T0${i % 4}","price":${price / 100},"size":100,"seq":${i >> 3}}`,
    );
  }
  lines.splice(100, 0, '{"ts":1,"symbol":"T01","price":1.5e2}');
  return Buffer.from(`${lines.join("\n")}\n`, "latin1");
}

function streamed(bytes: Buffer, midway?: () => void): { output: string; counts: number[] } {
  const engine = new TickEngine(settings, null, () => {});
  const half = bytes.length >> 1;
  engine.feedBytes(bytes.subarray(0, half));
  let output = engine.takeOutput().toString("latin1");
  midway?.();
  engine.feedBytes(bytes.subarray(half));
  engine.endBytes();
  output += engine.takeOutput().toString("latin1");
  return {
    output,
    counts: [engine.ticks, engine.skipped, engine.duplicates, engine.symbols, engine.lineNumber],
  };
}

describe("warmUpTickEngine", () => {
  it("changes nothing in a run: the same rows and counts with a warm-up in the middle of it as without", () => {
    const bytes = ticks(3000);
    const plain = streamed(bytes);
    expect(plain.counts[0]).toBeGreaterThan(1000);
    expect(plain.counts[2]).toBeGreaterThan(1000);
    expect(streamed(bytes, () => warmUpTickEngine(settings))).toEqual(plain);
    expect(streamed(bytes, () => warmUpTickEngine({ ...settings, window: 2, entry: 0.5, exit: 0 }))).toEqual(
      plain,
    );
  });

  it("takes the rare paths it is for: exponent notation, large integers, nulls, zeros, both positions, replays, the text path", () => {
    const engine = new TickEngine({ ...settings, window: 8 }, null, () => {});
    engine.feedBytes(warmUpTickText());
    engine.endBytes();
    const output = engine.takeOutput().toString("latin1");
    const rows = output
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.length).toBe(engine.ticks);
    expect([engine.skipped, engine.duplicates]).toEqual([0, 4]);
    expect(output).toMatch(/"price":1e-7,/);
    expect(output).toMatch(/"mean":1\.\d+e-7,/);
    expect(output).toContain('"price":123456789012,');
    expect(output).toContain('"price":0.5,');
    expect(output).toContain('"z":null');
    expect(output).toContain('"ewmaVol":0}');
    expect(output).toContain('"price":81.9,');
    expect(rows.some((row) => row.position === 1)).toBe(true);
    expect(rows.some((row) => row.position === -1)).toBe(true);
    expect(rows.some((row) => typeof row.time === "string" && row.time.endsWith("Z"))).toBe(true);
  });
});

describe("NdjsonBytes.recycle", () => {
  it("continues in the memory given back, and keeps only buffers of its current size", () => {
    const out = new NdjsonBytes(64);
    out.reserve(8);
    out.ascii("first\n");
    const first = out.take();
    expect(first.toString("latin1")).toBe("first\n");
    out.recycle(first);
    out.take(); // the empty buffer in use is handed over, the recycled one continues
    out.reserve(8);
    out.ascii("second\n");
    const second = out.take();
    expect(second.buffer).toBe(first.buffer);
    expect(second.toString("latin1")).toBe("second\n");
    out.reserve(200); // outgrows 64 bytes: a 64-byte buffer given back now is dropped
    out.ascii("third\n");
    out.recycle(second);
    const third = out.take();
    expect(third.toString("latin1")).toBe("third\n");
    expect(out.take().buffer).not.toBe(second.buffer);
  });
});
