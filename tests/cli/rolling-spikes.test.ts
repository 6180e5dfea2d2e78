import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Prng } from "../../src/numerics/random/prng.js";
import { exactMoments } from "../unit/exactMoments.js";
import { hftlab } from "./run.js";

/**
 * One bad tick must not blind the signal: `meanrev` and `stream` share the
 * rolling kernel, and after a huge value leaves the window both must give
 * the window's exact moments (issue 14; pandas GH 37051 is the reproducer).
 */

const dir = mkdtempSync(join(tmpdir(), "hftlab-spikes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  time: string;
  symbol: string;
  price: number;
  mean: number | null;
  std: number | null;
  z: number | null;
  ewmaVol?: number | null;
}

function rows(text: string): Row[] {
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Row);
}

/** The series as a one-symbol CSV (daily dates) and as CSV ticks, meanrev's and stream's inputs. */
function inputs(name: string, prices: Float64Array): { file: string; ticks: string } {
  const day = (i: number) => new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, `date,X\n${Array.from(prices, (p, i) => `${day(i)},${p}`).join("\n")}\n`);
  const ticks = `timestamp,symbol,price\n${Array.from(prices, (p, i) => `${day(i)},X,${p}`).join("\n")}\n`;
  return { file, ticks };
}

function meanrevAndStream(
  name: string,
  prices: Float64Array,
  window: number,
): { batch: Row[]; stream: Row[] } {
  const { file, ticks } = inputs(name, prices);
  const args = ["--window", String(window)];
  const batch = hftlab(["meanrev", "--ndjson", "--no-adf", "--no-hurst", ...args, file]);
  expect(batch.status).toBe(0);
  const stream = hftlab(["stream", ...args, "-"], { input: ticks });
  expect(stream.status).toBe(0);
  return { batch: rows(batch.stdout), stream: rows(stream.stdout) };
}

describe("rolling moments after a spike, through meanrev and stream", () => {
  it("gives pandas' values on 99999999999999999, 1, 2, 2, 3, 1, 1 with --window 2", () => {
    const { batch, stream } = meanrevAndStream(
      "gh37051",
      ["99999999999999999", "1", "2", "2", "3", "1", "1"],
      2,
    );
    // closed forms: [1, 2] → 1.5, √½; [2, 2] → 2, 0; [2, 3] → 2.5, √½; [3, 1] → 2, √2; [1, 1] → 1, 0
    const expected = [
      [1.5, Math.SQRT1_2],
      [2, 0],
      [2.5, Math.SQRT1_2],
      [2, Math.SQRT2],
      [1, 0],
    ];
    for (const out of [batch, stream]) {
      expect(out.length).toBe(7);
      expect(out.slice(2).map((r) => [r.mean, r.std])).toEqual(expected);
      expect(out[2]!.z).toBe(0.5 / Math.SQRT1_2); // (2 − 1.5)/√½
    }
  });

  it("gives the exact moments of every window on random series with spikes of 1e6 to 1e300 (stream = batch)", () => {
    const rng = new Prng(140);
    const epsilon = 2 ** -52;
    for (let trial = 0; trial < 4; trial++) {
      const window = 2 + Math.floor(rng.nextFloat() * 199);
      const n = window + 300;
      const prices = new Float64Array(n);
      let level = 100;
      for (let i = 0; i < n; i++) {
        level = Math.max(1, level + rng.normal());
        prices[i] = level;
      }
      const spikes = [Math.floor(rng.nextFloat() * n), Math.floor(rng.nextFloat() * n)];
      for (const at of spikes) prices[at] = 10 ** (6 + rng.nextFloat() * 294);
      const { batch, stream } = meanrevAndStream(`spiked-${trial}`, Array.from(prices, String), window);
      expect(stream.length).toBe(n);
      // stream adds its EWMA volatility; every field meanrev prints is the same
      for (let i = 0; i < n; i++) {
        const { ewmaVol: _, ...shared } = stream[i]!;
        expect({ i, ...shared }).toEqual({ i, ...batch[i]! });
      }
      const tolerance = (4 * window + 16) * 4 * epsilon;
      for (let i = window - 1; i < n; i++) {
        const exact = exactMoments(prices, i - window + 1, i + 1);
        const row = batch[i]!;
        const meanError = Math.abs(row.mean! - exact.mean) / (Math.abs(exact.mean) + exact.std);
        const stdError = exact.std === 0 ? row.std! : Math.abs(row.std! - exact.std) / exact.std;
        if (!(meanError <= tolerance && stdError <= tolerance))
          throw new Error(`window ${window}, row ${i}: ${row.mean}/${row.std} vs ${exact.mean}/${exact.std}`);
      }
    }
  });
});
