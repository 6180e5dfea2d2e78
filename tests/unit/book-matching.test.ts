import { describe, expect, it } from "vitest";
import { Issue } from "../../src/book/bookIssues.js";
import { ASK, BID } from "../../src/book/events.js";
import { MatchingEngine } from "../../src/book/matchingEngine.js";
import { Prng } from "../../src/numerics/random/prng.js";
import { batchOf, invariantViolation, levelsOf, queueIds, type Row } from "./book-helpers.js";

const P = 1e8;

interface Fill {
  taker: number;
  maker: number;
  side: number;
  price: number;
  size: number;
}

function run(rows: Row[], lenient = false): { engine: MatchingEngine; fills: Fill[]; reached: number } {
  const engine = new MatchingEngine(lenient);
  const batch = batchOf(rows);
  const reached = engine.apply(batch, 0, batch.count);
  const log = engine.fills;
  const fills: Fill[] = [];
  for (let k = 0; k < log.count; k++) {
    fills.push({
      taker: log.takerId[k]!,
      maker: log.makerId[k]!,
      side: log.takerSide[k]!,
      price: log.price[k]! / P,
      size: log.size[k]! / P,
    });
  }
  return { engine, fills, reached };
}

describe("MatchingEngine, hand-built orders", () => {
  it("a crossing limit order trades first, best price then oldest, and rests only its remainder", () => {
    const { engine, fills } = run([
      ["limit", 1, "S", 100.02, 50],
      ["limit", 2, "S", 100.01, 30],
      ["limit", 3, "S", 100.01, 40],
      ["limit", 4, "B", 100.02, 100],
    ]);
    expect(fills).toEqual([
      { taker: 4, maker: 2, side: BID, price: 100.01, size: 30 },
      { taker: 4, maker: 3, side: BID, price: 100.01, size: 40 },
      { taker: 4, maker: 1, side: BID, price: 100.02, size: 30 },
    ]);
    expect(levelsOf(engine.book, ASK)).toEqual([{ price: 100.02 * P, size: 20 * P, orders: 1 }]);
    expect(engine.book.levels(BID)).toBe(0);
  });

  it("a limit order stops at its limit price and rests the rest there, never crossed", () => {
    const { engine, fills } = run([
      ["limit", 1, "S", 10, 5],
      ["limit", 2, "S", 11, 5],
      ["limit", 3, "B", 10, 8],
    ]);
    expect(fills).toEqual([{ taker: 3, maker: 1, side: BID, price: 10, size: 5 }]);
    expect(levelsOf(engine.book, BID)).toEqual([{ price: 10 * P, size: 3 * P, orders: 1 }]);
    expect(invariantViolation(engine.book)).toBeNull();
  });

  it("a market order sweeps levels and its unfilled rest is cancelled", () => {
    const { engine, fills } = run([
      ["limit", 1, "B", 9, 5],
      ["limit", 2, "B", 8, 5],
      ["market", 3, "S", null, 12],
    ]);
    expect(fills.map((f) => [f.maker, f.price, f.size])).toEqual([
      [1, 9, 5],
      [2, 8, 5],
    ]);
    expect(engine.unfilled).toBe(2 * P);
    expect(engine.book.levels(BID) + engine.book.levels(ASK)).toBe(0);
  });

  it("IOC fills what it can within its limit and never rests", () => {
    const { engine, fills } = run([
      ["limit", 1, "S", 10, 5],
      ["limit", 2, "S", 12, 5],
      ["ioc", 3, "B", 11, 8],
    ]);
    expect(fills.map((f) => f.size)).toEqual([5]);
    expect(engine.book.levels(BID)).toBe(0);
    expect(engine.unfilled).toBe(3 * P);
  });

  it("FOK executes whole or not at all", () => {
    const rest: Row[] = [
      ["limit", 1, "S", 10, 5],
      ["limit", 2, "S", 11, 5],
    ];
    const none = run([...rest, ["fok", 3, "B", 10.5, 8]]);
    expect(none.fills).toEqual([]);
    expect(levelsOf(none.engine.book, ASK).map((l) => l.size)).toEqual([5 * P, 5 * P]);
    const all = run([...rest, ["fok", 3, "B", 11, 8]]);
    expect(all.fills.map((f) => [f.price, f.size])).toEqual([
      [10, 5],
      [11, 3],
    ]);
  });

  it("cancel removes or reduces a resting order; an unknown id is an issue", () => {
    const { engine } = run([
      ["limit", 1, "B", 9, 5],
      ["limit", 2, "B", 9, 5],
      ["cancel", 1, null, null, 2],
      ["cancel", 2, null, null, null],
    ]);
    expect(levelsOf(engine.book, BID)).toEqual([{ price: 9 * P, size: 3 * P, orders: 1 }]);
    expect(queueIds(engine.book, BID, 0)).toEqual([1]);
    const bad = run([["cancel", 5, null, null, null]]);
    expect(bad.reached).toBe(0);
    expect(bad.engine.issues.failedIssue).toBe(Issue.unknownId);
  });

  it("rejects L3 replay events in matching mode", () => {
    const { reached, engine } = run([["add", 1, "B", 9, 5]]);
    expect(reached).toBe(0);
    expect(engine.issues.failedIssue).toBe(Issue.wrongEvent);
  });
});

describe("MatchingEngine on random order flow", () => {
  it("conserves size, never trades through a better price, and never leaves the book crossed", () => {
    const rng = new Prng(7);
    const rows: Row[] = [];
    const kinds: Row[0][] = ["limit", "limit", "limit", "limit", "market", "ioc", "fok"];
    let nextId = 1;
    const liveIds: number[] = [];
    for (let n = 0; n < 5000; n++) {
      if (liveIds.length > 0 && rng.nextFloat() < 0.15) {
        const i = Math.floor(rng.nextFloat() * liveIds.length);
        rows.push(["cancel", liveIds[i]!, null, null, null]);
        liveIds.splice(i, 1);
        continue;
      }
      const kind = kinds[Math.floor(rng.nextFloat() * kinds.length)]!;
      const side = rng.nextFloat() < 0.5 ? "B" : "S";
      const price = 100 + Math.round((rng.nextFloat() - 0.5) * 20) / 100;
      const size = 1 + Math.floor(rng.nextFloat() * 100);
      rows.push([kind, nextId, side, kind === "market" ? null : price, size]);
      if (kind === "limit") liveIds.push(nextId);
      nextId++;
    }
    const engine = new MatchingEngine(true);
    let submitted = 0;
    let filledTaker = 0;
    let filledMaker = 0;
    let restingBefore = 0;
    for (const row of rows) {
      const batch = batchOf([row]);
      const bestBid = engine.book.bestPrice(BID);
      const bestAsk = engine.book.bestPrice(ASK);
      const restingNow = levelsOf(engine.book, BID)
        .concat(levelsOf(engine.book, ASK))
        .reduce((s, l) => s + l.size, 0);
      engine.fills.count = 0;
      const unfilledBefore = engine.unfilled;
      engine.apply(batch, 0, 1);
      const after = levelsOf(engine.book, BID)
        .concat(levelsOf(engine.book, ASK))
        .reduce((s, l) => s + l.size, 0);
      let traded = 0;
      for (let k = 0; k < engine.fills.count; k++) {
        const price = engine.fills.price[k]!;
        // The first fill is at the best opposite price; none is worse than the limit.
        if (k === 0) expect(price).toBe(engine.fills.takerSide[k] === BID ? bestAsk : bestBid);
        if (row[3] !== null) {
          const limit = Math.round(row[3] * P);
          expect(engine.fills.takerSide[k] === BID ? price <= limit : price >= limit).toBe(true);
        }
        if (k > 0) {
          const previous = engine.fills.price[k - 1]!;
          expect(engine.fills.takerSide[k] === BID ? price >= previous : price <= previous).toBe(true);
        }
        traded += engine.fills.size[k]!;
      }
      filledTaker += traded;
      filledMaker += traded;
      if (row[0] !== "cancel") {
        const size = Math.round(row[4]! * P);
        submitted += size;
        // Incoming size = traded + rested + cancelled rest; resting size changed by rested - traded.
        const rested = after - restingNow + traded;
        expect(traded + rested + (engine.unfilled - unfilledBefore)).toBe(size);
      }
      expect(invariantViolation(engine.book)).toBeNull();
      restingBefore = after;
    }
    expect(filledTaker).toBe(filledMaker);
    expect(engine.trades).toBeGreaterThan(500);
    expect(submitted).toBeGreaterThan(restingBefore);
  });
});
