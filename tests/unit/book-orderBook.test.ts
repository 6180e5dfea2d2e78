import { describe, expect, it } from "vitest";
import { Issue } from "../../src/book/bookIssues.js";
import { BookReplay } from "../../src/book/bookReplay.js";
import { ASK, BID } from "../../src/book/events.js";
import { OrderBook } from "../../src/book/orderBook.js";
import { topOfBook } from "../../src/book/snapshot.js";
import { Prng } from "../../src/numerics/random/prng.js";
import {
  type AnyRow,
  batchOf,
  invariantViolation,
  levelsOf,
  NaiveBook,
  queueIds,
  ReferenceReplay,
  type Row,
  randomL3Stream,
  randomMessyStream,
} from "./book-helpers.js";

const P = 1e8; // fixed-point units per currency unit / share

function replay(rows: Row[], lenient = false): BookReplay {
  const r = new BookReplay("l3", lenient);
  const batch = batchOf(rows);
  const reached = r.apply(batch, 0, batch.count);
  if (reached < batch.count && !lenient) throw new Error(`stopped at row ${reached}`);
  return r;
}

describe("OrderBook, hand-built sequences with known books", () => {
  it("adds build levels with sizes and counts, best first", () => {
    const r = replay([
      ["add", 1, "B", 99.99, 100],
      ["add", 2, "B", 99.98, 50],
      ["add", 3, "B", 99.99, 200],
      ["add", 4, "S", 100.01, 70],
      ["add", 5, "S", 100.02, 30],
    ]);
    expect(levelsOf(r.book, BID)).toEqual([
      { price: 99.99 * P, size: 300 * P, orders: 2 },
      { price: 99.98 * P, size: 50 * P, orders: 1 },
    ]);
    expect(levelsOf(r.book, ASK)).toEqual([
      { price: 100.01 * P, size: 70 * P, orders: 1 },
      { price: 100.02 * P, size: 30 * P, orders: 1 },
    ]);
    expect(queueIds(r.book, BID, 0)).toEqual([1, 3]);
    expect(r.events).toBe(5);
  });

  it("a partial cancel keeps queue priority; a cancel of at least the remainder removes the order", () => {
    const r = replay([
      ["add", 1, "B", 10, 100],
      ["add", 2, "B", 10, 100],
      ["cancel", 1, "B", 10, 40],
    ]);
    expect(queueIds(r.book, BID, 0)).toEqual([1, 2]);
    expect(levelsOf(r.book, BID)[0]).toEqual({ price: 10 * P, size: 160 * P, orders: 2 });
    const s = replay([
      ["add", 1, "B", 10, 100],
      ["add", 2, "B", 10, 100],
      ["cancel", 1, "B", 10, 150],
      ["cancel", 2, null, null, null],
    ]);
    expect(s.book.levels(BID)).toBe(0);
    expect(s.book.orderCount).toBe(0);
  });

  it("modify sends the order to the back of the queue, even at the same price", () => {
    const r = replay([
      ["add", 1, "S", 5, 10],
      ["add", 2, "S", 5, 10],
      ["add", 3, "S", 5, 10],
      ["modify", 1, "S", 5, 8],
    ]);
    expect(queueIds(r.book, ASK, 0)).toEqual([2, 3, 1]);
    expect(levelsOf(r.book, ASK)[0]!.size).toBe(28 * P);
    const moved = replay([
      ["add", 1, "S", 5, 10],
      ["add", 2, "S", 6, 10],
      ["modify", 1, "S", 6, 4],
    ]);
    expect(levelsOf(moved.book, ASK)).toEqual([{ price: 6 * P, size: 14 * P, orders: 2 }]);
    expect(queueIds(moved.book, ASK, 0)).toEqual([2, 1]);
  });

  it("partial and full executions trade at the resting price and count volume and VWAP", () => {
    const r = replay([
      ["add", 1, "S", 100.01, 300],
      ["add", 2, "S", 100.02, 100],
      ["execute", 1, "S", 100.01, 100],
      ["execute", 1, "S", 100.01, 200],
      ["execute", 2, "S", null, 50],
    ]);
    expect(levelsOf(r.book, ASK)).toEqual([{ price: 100.02 * P, size: 50 * P, orders: 1 }]);
    expect(r.trades).toBe(3);
    const { volume, vwap } = r.takeInterval();
    expect(volume).toBe(350 * P);
    // (300 × 100.01 + 50 × 100.02) / 350 = 100.01142857…
    expect(vwap).toBeCloseTo((300 * 100.01 + 50 * 100.02) / 350, 12);
    expect(r.takeInterval().volume).toBe(0);
  });

  it("trade rows are informational: counted, never touching the book", () => {
    const r = replay([
      ["add", 1, "B", 9, 10],
      ["trade", 0, "S", 9, 5],
    ]);
    expect(levelsOf(r.book, BID)).toEqual([{ price: 9 * P, size: 10 * P, orders: 1 }]);
    expect(r.trades).toBe(1);
  });

  it("clear empties the book, and ids can be reused afterwards", () => {
    const r = replay([
      ["add", 1, "B", 9, 10],
      ["add", 2, "S", 11, 10],
      ["clear", null, null, null, null],
      ["add", 1, "S", 8, 5],
    ]);
    expect(r.book.levels(BID)).toBe(0);
    expect(levelsOf(r.book, ASK)).toEqual([{ price: 8 * P, size: 5 * P, orders: 1 }]);
    expect(invariantViolation(r.book)).toBeNull();
  });

  it("the snapshot statistics follow their definitions", () => {
    const r = replay([
      ["add", 1, "B", 99.99, 300],
      ["add", 2, "S", 100.01, 100],
    ]);
    const top = topOfBook(r.book, 10, true);
    expect(top.mid).toBe(100);
    expect(top.spread).toBe(0.02);
    // (99.99 × 100 + 100.01 × 300) / 400 = 100.005
    expect(top.microprice).toBeCloseTo(100.005, 12);
    expect(top.imbalance).toBe(0.5);
    expect(top.bids).toEqual([{ price: 99.99, size: 300, orders: 1 }]);
    const empty = topOfBook(new OrderBook(), 10, true);
    expect([empty.mid, empty.spread, empty.microprice, empty.imbalance].every(Number.isNaN)).toBe(true);
  });
});

describe("BookReplay validation", () => {
  const cases: Array<[string, Row[], number]> = [
    ["an unknown id on delete", [["delete", 7, null, null, null]], Issue.unknownId],
    ["an unknown id on execute", [["execute", 7, "B", 1, 1]], Issue.unknownId],
    [
      "a duplicate id",
      [
        ["add", 1, "B", 1, 1],
        ["add", 1, "B", 1, 1],
      ],
      Issue.duplicateId,
    ],
    ["a negative size", [["add", 1, "B", 1, -5]], Issue.negativeSize],
    ["a zero size", [["add", 1, "B", 1, 0]], Issue.negativeSize],
    [
      "a negative cancel",
      [
        ["add", 1, "B", 1, 5],
        ["cancel", 1, "B", 1, -1],
      ],
      Issue.negativeSize,
    ],
    [
      "a bid at the best ask",
      [
        ["add", 1, "S", 10, 5],
        ["add", 2, "B", 10, 5],
      ],
      Issue.crossedBook,
    ],
    [
      "a modify through the book",
      [
        ["add", 1, "S", 10, 5],
        ["add", 2, "B", 9, 5],
        ["modify", 2, "B", 11, 5],
      ],
      Issue.crossedBook,
    ],
    [
      "an over-execution",
      [
        ["add", 1, "S", 10, 5],
        ["execute", 1, "S", 10, 6],
      ],
      Issue.overExecution,
    ],
    ["an add without a side", [["add", 1, null, 10, 5]], Issue.missingField],
  ];
  for (const [name, rows, issue] of cases) {
    it(`stops at ${name}, on that row's line`, () => {
      const r = new BookReplay("l3", false);
      const batch = batchOf(rows);
      const reached = r.apply(batch, 0, batch.count);
      expect(reached).toBe(rows.length - 1);
      expect(r.issues.failedIssue).toBe(issue);
      expect(batch.line[reached]).toBe(rows.length + 1);
    });
  }

  it("with --lenient counts issues, skips the rows and keeps the book valid", () => {
    const r = replay(
      [
        ["add", 1, "S", 10, 5],
        ["add", 2, "B", 10, 5],
        ["delete", 9, null, null, null],
        ["execute", 1, "S", 10, 8],
        ["add", 3, "B", 9, 5],
      ],
      true,
    );
    expect(r.events).toBe(5);
    expect(r.issues.counts[Issue.crossedBook]).toBe(1);
    expect(r.issues.firstLines[Issue.crossedBook]).toBe(3);
    expect(r.issues.counts[Issue.unknownId]).toBe(1);
    expect(r.issues.counts[Issue.overExecution]).toBe(1);
    // The over-execution filled the 5 that rested.
    expect(r.book.levels(ASK)).toBe(0);
    expect(levelsOf(r.book, BID)).toEqual([{ price: 9 * P, size: 5 * P, orders: 1 }]);
  });
});

describe("OrderBook on long random streams", () => {
  it("keeps every invariant after every event (about 20,000 events, 3 seeds)", () => {
    for (const seed of [1, 2, 3]) {
      const r = new BookReplay("l3", false);
      let n = 0;
      for (const row of randomL3Stream(seed, 20_000)) {
        const batch = batchOf([row]);
        expect(r.apply(batch, 0, 1)).toBe(1);
        const violation = invariantViolation(r.book);
        if (violation !== null) throw new Error(`seed ${seed}, event ${n} (${row.join(",")}): ${violation}`);
        n++;
      }
      expect(r.events).toBe(n);
      expect(n).toBeGreaterThan(19_000);
    }
  });

  it("agrees with a naive sorted-array replay at every step (levels, counts, queue order)", () => {
    const r = new BookReplay("l3", false);
    const naive = new NaiveBook();
    let n = 0;
    for (const row of randomL3Stream(99, 30_000)) {
      const [kind, id, side, price, size] = row;
      const sideCode = side === "B" ? BID : ASK;
      if (kind === "add") naive.add(id!, sideCode, Math.round(price! * P), Math.round(size! * P));
      else if (kind === "delete") naive.remove(id!);
      else if (kind === "cancel" || kind === "execute") naive.reduce(id!, Math.round(size! * P));
      else if (kind === "modify") {
        const order = naive.orders.get(id!)!;
        naive.remove(id!);
        naive.add(id!, order.side, Math.round(price! * P), Math.round(size! * P));
      } else if (kind === "clear") naive.clear();
      const batch = batchOf([row]);
      expect(r.apply(batch, 0, 1)).toBe(1);
      for (const s of [BID, ASK] as const) {
        const fast = levelsOf(r.book, s);
        const slow = naive.levels(s);
        if (JSON.stringify(fast) !== JSON.stringify(slow)) {
          throw new Error(
            `event ${n} (${row.join(",")}), side ${s}: ${JSON.stringify(fast.slice(0, 3))} vs ${JSON.stringify(slow.slice(0, 3))}`,
          );
        }
        if (fast.length > 0) expect(queueIds(r.book, s, 0)).toEqual(naive.queue(s, 0));
      }
      n++;
    }
    expect(r.book.orderCount).toBe(naive.orders.size);
  });

  it("the id index survives growth, deletion runs and colliding ids", () => {
    const book = new OrderBook(4, 2);
    // Ids 2^32 apart share their low word; large ids exercise the high word.
    const ids = Array.from({ length: 3000 }, (_, i) => (i % 3) * 2 ** 32 + i * 7919 + (i % 5) * 2 ** 40);
    for (const [i, id] of ids.entries()) {
      const price = (i % 2 === 0 ? 100 - (i % 50) : 200 + (i % 50)) * P;
      expect(book.add(id, i % 2 === 0 ? BID : ASK, price, P)).toBeGreaterThanOrEqual(0);
    }
    expect(invariantViolation(book)).toBeNull();
    for (let i = 0; i < ids.length; i += 2) book.removeSlot(book.find(ids[i]!));
    expect(invariantViolation(book)).toBeNull();
    for (let i = 0; i < ids.length; i++) expect(book.find(ids[i]!) >= 0).toBe(i % 2 === 1);
    expect(book.add(ids[1]!, BID, 1, 1)).toBe(-1);
  });

  it("sets and removes L2 levels by price", () => {
    const r = new BookReplay("l2", false);
    const batch = batchOf([
      ["level", null, "B", 10, 5],
      ["level", null, "B", 11, 7],
      ["level", null, "B", 10, 9],
      ["level", null, "S", 12, 3],
      ["level", null, "B", 11, 0],
    ]);
    expect(r.apply(batch, 0, batch.count)).toBe(5);
    expect(levelsOf(r.book, BID)).toEqual([{ price: 10 * P, size: 9 * P, orders: 0 }]);
    expect(levelsOf(r.book, ASK)).toEqual([{ price: 12 * P, size: 3 * P, orders: 0 }]);
  });
});

/** The whole book, every queue, and every count of the replay equal the reference's. */
function expectSameReplay(fast: BookReplay, reference: ReferenceReplay, where: string): void {
  for (const side of [BID, ASK] as const) {
    const levels = levelsOf(fast.book, side);
    expect(levels, `${where}, side ${side}`).toEqual(reference.book.levels(side));
    for (let k = 0; k < levels.length; k++) {
      expect(queueIds(fast.book, side, k), `${where}, side ${side}, level ${k}`).toEqual(
        reference.book.queue(side, k),
      );
    }
  }
  expect(fast.book.orderCount, where).toBe(reference.book.orders.size);
  expect(Array.from(fast.issues.counts), where).toEqual(reference.issues);
  expect([fast.events, fast.trades, fast.totalVolume, fast.halts], where).toEqual([
    reference.events,
    reference.trades,
    reference.volume,
    reference.halts,
  ]);
  expect(invariantViolation(fast.book), where).toBeNull();
}

describe("BookReplay's fast path (L3Book.applyL3Run) against a plain replay", () => {
  it("agrees on messy streams under --lenient, in batches of any length (3 seeds, 8,000 events each)", () => {
    for (const seed of [11, 12, 13]) {
      const rows = [...randomMessyStream(seed, 8000)];
      const fast = new BookReplay("l3", true);
      const reference = new ReferenceReplay();
      const lengths = new Prng(seed);
      for (let from = 0; from < rows.length; ) {
        // Batches of 1 to 300 events: the fast path stops at every issue and resumes after it.
        const to = Math.min(rows.length, from + 1 + Math.floor(lengths.nextFloat() * 300));
        const chunk: AnyRow[] = rows.slice(from, to);
        const batch = batchOf(chunk);
        expect(fast.apply(batch, 0, batch.count)).toBe(batch.count);
        for (const row of chunk) reference.apply(row);
        expectSameReplay(fast, reference, `seed ${seed}, events ${from}..${to}`);
        from = to;
      }
      // The streams take every path: every issue occurs, and many events are valid.
      expect(reference.issues.slice(0, 7).every((count) => count > 0)).toBe(true);
      expect(reference.trades).toBeGreaterThan(100);
    }
  });

  it("stops at the first issue without --lenient, with the book as it was just before", () => {
    for (const seed of [21, 22, 23, 24, 25]) {
      const rows = [...randomMessyStream(seed, 2000)];
      const fast = new BookReplay("l3", false);
      const batch = batchOf(rows);
      const reached = fast.apply(batch, 0, batch.count);
      const reference = new ReferenceReplay();
      let first = -1;
      for (let i = 0; i < rows.length && first < 0; i++) {
        reference.apply(rows[i]!);
        const issue = reference.issues.findIndex((count) => count > 0);
        if (issue >= 0) first = i;
      }
      expect(reached).toBe(first);
      expect(fast.issues.failedIssue).toBe(reference.issues.findIndex((count) => count > 0));
      // The reference counted the failing event; the replay stopped before it.
      const before = new ReferenceReplay();
      for (const row of rows.slice(0, first)) before.apply(row);
      expect(fast.events).toBe(first);
      for (const side of [BID, ASK] as const)
        expect(levelsOf(fast.book, side)).toEqual(before.book.levels(side));
    }
  });
});
