/**
 * A warm-up of `stream`'s rarely taken paths, on a throwaway engine, before
 * a large input.
 *
 * Why: V8 compiles a hot function with the type feedback gathered so far,
 * and a path first taken after that (an integer price, a number in
 * exponent notation, a chunk of input in a new buffer, a replayed `seq`)
 * throws the optimised code away: on the 1M-tick benchmark
 * file, four such rounds in the first 25,000 ticks, each a recompilation
 * and a stretch of unoptimised code. A few hundred synthetic ticks that
 * take every path first (about 5 ms, before anything is compiled) give the
 * compiler the whole picture. The warm-up changes nothing the real run
 * reads: its engine, scanner, states and output are its own, and are
 * dropped (the tests check that a run's output is the same with and
 * without it).
 */
import type { TickSignalSettings } from "../numerics/timeseries/tickSignals.js";
import { TickEngine } from "./tickEngine.js";

/** Inputs from this size get a warm-up (about 5 ms; a 4 MiB file takes about 40 ms to stream). */
export const WARM_UP_MIN_BYTES = 4 << 20;
/** Rounds of ticks, and ticks per symbol in each: several windows, so that means, z-scores and positions all move. */
const ROUNDS = 4;
const ROUND_TICKS = 12;
/** The warm-up's window: short, so that every row soon has all its numbers, long enough for |z| > 2. */
const WARM_UP_WINDOW = 8;
/** Bytes per chunk: lines cross chunk boundaries, and each chunk is a new buffer (as a reader's are). */
const WARM_UP_CHUNK_BYTES = 4096;

/**
 * Each symbol's prices, cycled: plain decimals, halves and quarters (short
 * dyadic decimals), integers past 10^8, values below 10^−6 (exponent notation), a constant price (a zero
 * std and volatility) and spikes either way, so that positions flip.
 */
const PRICE_CYCLES = [
  ["143.06", "143.09", "142.97", "143.31", "142.55", "143.02", "144.1"],
  ["446.1", "446.15", "445.9", "447.25", "446.05"],
  ["0.5", "0.25", "0.75", "1.5", "0.125"],
  ["123456789012", "123456789013", "123456789010", "123456789101"],
  ["0.0000001", "0.00000015", "0.00000012", "0.0000003"],
  ["96.98", "96.98"],
  ["81.91", "81.95", "81.62", "82.4", "81.9", "81.93"],
  ["50.01", "50.02", "50", "50.03", "50.02", "50.01", "50.02", "58.5", "50.02", "50.01", "50"],
  ["50.01", "50.02", "50", "50.03", "50.02", "50.01", "50.02", "41.5", "50.02", "50.01", "50"],
];

/**
 * The warm-up's ticks as NDJSON lines: the benchmark's layout
 * (`{"ts":…,"symbol":…,"price":…,"size":…}`) for most, plus quoted stamps,
 * `seq` with a replay, and a price in exponent notation (read by the text
 * path).
 */
export function warmUpTickText(): Buffer {
  const lines: string[] = [];
  let stamp = 1_704_205_800_000;
  let seq = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < ROUND_TICKS; i++) {
      for (let s = 0; s < PRICE_CYCLES.length; s++) {
        const cycle = PRICE_CYCLES[s]!;
        const price = cycle[(i + round) % cycle.length]!;
        stamp += 3;
        if (s === 1) {
          seq++;
          const time = `2024-01-02T09:30:00.${String(i).padStart(3, "0")}Z`;
          lines.push(`{"ts":"${time}","symbol":"W${s}","price":${price},"seq":${seq}}`);
        } else
          lines.push(`{"ts":${stamp},"symbol":"W${s}","price":${price},"size":${100 * (1 + ((i + s) % 5))}}`);
      }
    }
    lines.push(`{"ts":${stamp},"symbol":"W1","price":446.1,"seq":${seq}}`); // a replay: dropped
    lines.push(`{"ts":${stamp},"symbol":"W6","price":8.19e1}`); // not a plain decimal: the text path
  }
  return Buffer.from(`${lines.join("\n")}\n`, "latin1");
}

/** Streams {@link warmUpTickText} through a throwaway engine with `settings` (its window shortened). */
export function warmUpTickEngine(settings: TickSignalSettings): void {
  const engine = new TickEngine(
    { ...settings, window: Math.min(settings.window, WARM_UP_WINDOW) },
    null,
    () => {},
  );
  const text = warmUpTickText();
  for (let start = 0; start < text.length; start += WARM_UP_CHUNK_BYTES) {
    engine.feedBytes(Buffer.from(text.subarray(start, start + WARM_UP_CHUNK_BYTES)));
    engine.recycleOutput(engine.takeOutput());
  }
  engine.endBytes();
  engine.takeOutput();
}
