import { describe, expect, it } from "vitest";
import { BookReplay } from "../../src/book/bookReplay.js";
import { EventKind } from "../../src/book/events.js";
import { L3Book } from "../../src/book/l3Book.js";
import { warmUpL3, warmUpText } from "../../src/book/warmUp.js";
import { EVENT, EventScanner, ID, PRICE, SIDE, SIZE, TIME } from "../../src/io/events/eventScanner.js";

describe("the L3 warm-up", () => {
  it("is a valid session that takes every kind of event and every path of the book", () => {
    const text = warmUpText();
    const scanner = new EventScanner(
      "w",
      Uint8Array.from([TIME, EVENT, ID, SIDE, PRICE, SIZE]),
      ",",
      2,
      false,
    );
    // Small initial capacities, as in the warm-up: growth and far levels run too.
    const replay = new BookReplay("l3", false, new L3Book(8, 4));
    const kinds = new Set<number>();
    let events = 0;
    let deepest = 0;
    for (let start = 0; start < text.length; ) {
      start = scanner.scan(text, start, text.length, 64);
      const batch = scanner.batch(text);
      for (let i = 0; i < batch.count; i++) kinds.add(batch.kind[i]!);
      // Without --lenient any issue would stop the replay here.
      expect(replay.apply(batch, 0, batch.count)).toBe(batch.count);
      events += batch.count;
      deepest = Math.max(deepest, replay.book.levels(0), replay.book.levels(1));
    }
    expect(events).toBe(2000);
    expect(replay.events).toBe(2000);
    expect([...kinds].sort((a, b) => a - b)).toEqual(
      [
        EventKind.add,
        EventKind.cancel,
        EventKind.delete,
        EventKind.modify,
        EventKind.execute,
        EventKind.trade,
        EventKind.clear,
      ].sort((a, b) => a - b),
    );
    // A ladder deeper than the fast path's scan from the touch (32 levels), so its far path runs.
    expect(deepest).toBeGreaterThanOrEqual(40);
    expect(replay.trades).toBeGreaterThan(50);
    // Each block ends with a clear, so the session ends with an empty book.
    expect(replay.book.orderCount).toBe(0);
    expect(scanner.priceDecimals).toBe(2);
  });

  it("runs on its own scanner and book", () => {
    const before = new BookReplay("l3", false);
    warmUpL3();
    expect([before.events, before.book.orderCount, before.trades]).toEqual([0, 0, 0]);
  });
});
