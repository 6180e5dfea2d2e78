/**
 * A warm-up of the L3 hot loops (the event scanner's fast path and the
 * book's fast path) on a few thousand synthetic events, before a large file.
 *
 * Why: V8 compiles a hot function with the type feedback gathered so far,
 * and code reached later for the first time (the first delete, the first
 * modify, the `clear` in the middle of a session) throws the optimised code
 * away and starts again: on the 5M-event benchmark file, several such
 * rounds (one at the `clear` halfway) cost about 0.1–0.2 s of unoptimised
 * code. Running every path first on a throwaway scanner and book gives the
 * compiler the whole picture before anything is compiled; the warm-up itself
 * takes 15–25 ms. It changes no state that the real run reads (a separate
 * scanner, book and tape). The hot loops are also written so that no code
 * runs only after a rare event (see orderIdIndex.ts).
 */
import { EVENT, EventScanner, ID, PRICE, SIDE, SIZE, TIME } from "../io/events/eventScanner.js";
import { BookReplay } from "./bookReplay.js";
import { L3Book } from "./l3Book.js";

/** Inputs from this size get a warm-up (about 20 ms; a 16 MiB file takes about 0.1 s to replay). */
export const WARM_UP_MIN_BYTES = 16 << 20;
/** Events in the warm-up: enough for every path to be taken many times. */
const WARM_UP_EVENTS = 2000;
/** Events per batch in the warm-up. */
const WARM_UP_BATCH_ROWS = 64;
/** Levels of the ladder on each side: more than the book's near-touch scans, so that their far paths run too. */
const WARM_UP_DEPTH = 40;
/** Events in each repeated block of the warm-up, the last of them a `clear`. */
const WARM_UP_BLOCK = 250;

/**
 * A valid L3 session as `ts,event,order_id,side,price,size` lines: a block
 * of {@link WARM_UP_BLOCK} events repeated, each block a ladder of orders on
 * both sides (a deep book), then adds a few cents either side of $100.00
 * (never crossing), partial and full cancels, deletes, modifies, partial
 * and full executions and trade prints, in about the proportions of real
 * feeds, and a `clear` that lets the next block use the same ids. All lines
 * carry one stamp (equal stamps are in order), so the blocks repeat as bytes:
 * building lines is slow before anything is optimised, copying them is not.
 */
export function warmUpText(events = WARM_UP_EVENTS): Buffer {
  const block = Buffer.from(warmUpBlock(), "latin1");
  const copies = Math.max(1, Math.round(events / WARM_UP_BLOCK));
  const out = Buffer.allocUnsafe(block.length * copies);
  for (let k = 0; k < copies; k++) block.copy(out, k * block.length);
  return out;
}

function warmUpBlock(): string {
  const lines: string[] = [];
  const live: Array<{ id: number; side: 0 | 1; cents: number; size: number }> = [];
  let state = 1;
  // A small LCG (Numerical Recipes constants): the text only has to be varied, not random.
  const next = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  const stamp = 34_200_000_000_000;
  const row = (word: string, id: number, side: 0 | 1, cents: number, size: number) => {
    const price = `${Math.floor(cents / 100)}.${cents % 100 < 10 ? "0" : ""}${cents % 100}`;
    lines.push(`${stamp},${word},${id},${side === 0 ? "B" : "S"},${price},${size}`);
  };
  let nextId = 1;
  const add = (side: 0 | 1, depth: number) => {
    const cents = side === 0 ? 9_999 - depth : 10_000 + depth;
    const size = next(8) === 0 ? 1 + next(99) : 100 * (1 + next(5));
    live.push({ id: nextId, side, cents, size });
    row("add", nextId++, side, cents, size);
  };
  for (let depth = 0; depth < WARM_UP_DEPTH; depth++) {
    add(0, depth);
    add(1, depth);
  }
  while (lines.length < WARM_UP_BLOCK - 1) {
    const u = next(100);
    if (live.length < 20 || u < 40) {
      add(next(2) as 0 | 1, next(4) === 0 ? next(2 * WARM_UP_DEPTH) : next(8));
      continue;
    }
    if (u >= 98) {
      row("trade", 0, next(2) as 0 | 1, 10_000, 100 * (1 + next(3)));
      continue;
    }
    const k = next(live.length);
    const order = live[k]!;
    if (u < 72) {
      row("delete", order.id, order.side, order.cents, order.size);
      live.splice(k, 1);
    } else if (u < 80 || u >= 90) {
      const amount = next(3) === 0 ? order.size : 1 + next(order.size);
      row(u < 80 ? "cancel" : "execute", order.id, order.side, order.cents, amount);
      if (amount >= order.size) live.splice(k, 1);
      else order.size -= amount;
    } else {
      const depth = next(4) === 0 ? next(2 * WARM_UP_DEPTH) : next(8);
      order.cents = order.side === 0 ? 9_999 - depth : 10_000 + depth;
      order.size = 100 * (1 + next(5));
      row("modify", order.id, order.side, order.cents, order.size);
    }
  }
  lines.push(`${stamp},clear,,,,`);
  return `${lines.join("\n")}\n`;
}

/** Scans and replays {@link warmUpText} on a throwaway scanner and book. */
export function warmUpL3(): void {
  const text = warmUpText();
  const scanner = new EventScanner(
    "<warm-up>",
    Uint8Array.from([TIME, EVENT, ID, SIDE, PRICE, SIZE]),
    ",",
    2,
    false,
  );
  // A book with tiny initial capacities, so that its growth, hash collisions and deletion shifts run too.
  const replay = new BookReplay("l3", false, new L3Book(8, 4));
  // Small batches: V8 compiles a function once it is hot, with the feedback of the calls made so
  // far, so its entry code must have run in a few complete calls by then.
  for (let start = 0; start < text.length; ) {
    start = scanner.scan(text, start, text.length, WARM_UP_BATCH_ROWS);
    const batch = scanner.batch(text);
    replay.apply(batch, 0, batch.count);
  }
}
