/**
 * Shared helpers of the book-*.test.ts files: event batches built from
 * readable rows, a naive reference book on sorted arrays, an invariant
 * checker for the fast book, and a seeded random stream of valid L3 events.
 */
import {
  ASK,
  BID,
  type EventBatch,
  EventColumns,
  EventKind,
  PRICE_SCALE,
  SIZE_SCALE,
} from "../../src/book/events.js";
import type { OrderBook } from "../../src/book/orderBook.js";
import { Prng } from "../../src/numerics/random/prng.js";

export type Row = [
  kind: keyof typeof EventKind,
  id: number | null,
  side: "B" | "S" | null,
  price: number | null,
  size: number | null,
];

/** A batch of rows; prices and sizes in currency units and shares. Lines start at 2 (after a header). */
export function batchOf(rows: Row[]): EventBatch {
  const columns = new EventColumns(Math.max(16, rows.length));
  rows.forEach(([kind, id, side, price, size], i) => {
    columns.kind[i] = EventKind[kind];
    columns.orderId[i] = id ?? Number.NaN;
    columns.side[i] = side === "B" ? BID : side === "S" ? ASK : 2;
    columns.price[i] = price === null ? Number.NaN : Math.round(price * PRICE_SCALE);
    columns.size[i] = size === null ? Number.NaN : Math.round(size * SIZE_SCALE);
    columns.time[i] = i;
    columns.line[i] = i + 2;
  });
  columns.count = rows.length;
  return {
    count: rows.length,
    kind: columns.kind,
    side: columns.side,
    orderId: columns.orderId,
    price: columns.price,
    size: columns.size,
    time: columns.time,
    line: columns.line,
    stampText: (i) => String(i),
  };
}

export interface LevelRow {
  price: number;
  size: number;
  orders: number;
}

/** The whole book, best first per side, in fixed-point units. */
export function levelsOf(book: OrderBook, side: 0 | 1): LevelRow[] {
  const out: LevelRow[] = [];
  for (let k = 0; k < book.levels(side); k++) {
    const level = book.levelAt(side, k);
    out.push({ price: book.levelPrice(level), size: book.levelSize(level), orders: book.levelOrders(level) });
  }
  return out;
}

/** Ids in queue order at the k-th best level of a side. */
export function queueIds(book: OrderBook, side: 0 | 1, k: number): number[] {
  const ids: number[] = [];
  for (let slot = book.queueHead(book.levelAt(side, k)); slot >= 0; slot = book.queueNext(slot)) {
    ids.push(book.orderId(slot));
  }
  return ids;
}

/**
 * Checks every structural invariant; returns the first violation or null:
 * sides strictly ordered and not crossed, sizes positive, level size = sum
 * of its orders, order count = queue length, id index consistent.
 */
export function invariantViolation(book: OrderBook, allowCrossed = false): string | null {
  let orders = 0;
  for (const side of [BID, ASK] as const) {
    let previous = Number.NaN;
    for (let k = 0; k < book.levels(side); k++) {
      const level = book.levelAt(side, k);
      const price = book.levelPrice(level);
      if (book.levelSide(level) !== side) return `level ${price} on the wrong side`;
      if (!Number.isNaN(previous) && (side === BID ? price >= previous : price <= previous)) {
        return `side ${side} not strictly ordered at ${price}`;
      }
      previous = price;
      let sum = 0;
      let count = 0;
      for (let slot = book.queueHead(level); slot >= 0; slot = book.queueNext(slot)) {
        const size = book.orderSize(slot);
        if (!(size > 0)) return `order ${book.orderId(slot)} has size ${size}`;
        if (book.orderLevel(slot) !== level) return `order ${book.orderId(slot)} points at another level`;
        if (book.find(book.orderId(slot)) !== slot) return `index lost order ${book.orderId(slot)}`;
        sum += size;
        count++;
      }
      if (sum !== book.levelSize(level)) return `level ${price}: size ${book.levelSize(level)} ≠ sum ${sum}`;
      if (count !== book.levelOrders(level))
        return `level ${price}: count ${book.levelOrders(level)} ≠ ${count}`;
      if (count === 0) return `empty level ${price} kept`;
      orders += count;
    }
  }
  if (orders !== book.orderCount) return `orderCount ${book.orderCount} ≠ ${orders} queued`;
  if (!allowCrossed && book.bestPrice(BID) >= book.bestPrice(ASK)) return "crossed book";
  return null;
}

interface NaiveOrder {
  side: 0 | 1;
  price: number;
  size: number;
}

/**
 * The reference: a Map of orders and, per side, a plain array of
 * [price, ids in arrival order] kept sorted best first by re-sorting.
 * Slow and obviously right.
 */
export class NaiveBook {
  orders = new Map<number, NaiveOrder>();
  queues: [Map<number, number[]>, Map<number, number[]>] = [new Map(), new Map()];

  add(id: number, side: 0 | 1, price: number, size: number): void {
    this.orders.set(id, { side, price, size });
    const queue = this.queues[side].get(price) ?? [];
    queue.push(id);
    this.queues[side].set(price, queue);
  }
  remove(id: number): void {
    const order = this.orders.get(id)!;
    this.orders.delete(id);
    const queue = this.queues[order.side].get(order.price)!;
    queue.splice(queue.indexOf(id), 1);
    if (queue.length === 0) this.queues[order.side].delete(order.price);
  }
  reduce(id: number, amount: number): void {
    const order = this.orders.get(id)!;
    if (amount >= order.size) this.remove(id);
    else order.size -= amount;
  }
  clear(): void {
    this.orders.clear();
    this.queues = [new Map(), new Map()];
  }
  best(side: 0 | 1): number {
    const prices = [...this.queues[side].keys()];
    if (prices.length === 0) return Number.NaN;
    return side === BID ? Math.max(...prices) : Math.min(...prices);
  }
  levels(side: 0 | 1): LevelRow[] {
    const prices = [...this.queues[side].keys()].sort((a, b) => (side === BID ? b - a : a - b));
    return prices.map((price) => {
      const ids = this.queues[side].get(price)!;
      return { price, size: ids.reduce((s, id) => s + this.orders.get(id)!.size, 0), orders: ids.length };
    });
  }
  queue(side: 0 | 1, k: number): number[] {
    const prices = [...this.queues[side].keys()].sort((a, b) => (side === BID ? b - a : a - b));
    return [...(this.queues[side].get(prices[k]!) ?? [])];
  }
}

/**
 * A seeded stream of valid L3 events (never crossing, only live ids), in
 * fixed-point units, generated against a {@link NaiveBook} that it also
 * updates. Prices wander on a 1-cent grid around a drifting fair price.
 */
export function* randomL3Stream(seed: number, events: number): Generator<Row> {
  const rng = new Prng(seed);
  const model = new NaiveBook();
  const live: number[] = [];
  let nextId = 1;
  let fair = 10_000;
  const pick = () => live[Math.floor(rng.nextFloat() * live.length)]!;
  const dropLive = (id: number) => live.splice(live.indexOf(id), 1);
  const toRow = (
    kind: Row[0],
    id: number | null,
    side: 0 | 1 | null,
    cents: number | null,
    size: number | null,
  ): Row => [
    kind,
    id,
    side === null ? null : side === BID ? "B" : "S",
    cents === null ? null : cents / 100,
    size,
  ];
  const validPrice = (side: 0 | 1, cents: number) => {
    const opposite = model.best(side === BID ? ASK : BID);
    return side === BID ? !(cents * 1e6 >= opposite) : !(cents * 1e6 <= opposite);
  };
  for (let n = 0; n < events; n++) {
    if (rng.nextFloat() < 0.02) fair += rng.nextFloat() < 0.5 ? -1 : 1;
    const u = rng.nextFloat();
    const side: 0 | 1 = rng.nextFloat() < 0.5 ? BID : ASK;
    const offset = Math.floor(-Math.log(1 - rng.nextFloat()) * 4);
    const cents = side === BID ? fair - offset : fair + 1 + offset;
    const size = 1 + Math.floor(rng.nextFloat() * 500);
    if (n === Math.floor(events / 2)) {
      model.clear();
      live.length = 0;
      yield toRow("clear", null, null, null, null);
    } else if (live.length < 20 || u < 0.4) {
      if (!validPrice(side, cents)) {
        yield toRow("trade", 0, side, cents, size);
        continue;
      }
      const id = nextId++;
      model.add(id, side, cents * 1e6, size * 1e8);
      live.push(id);
      yield toRow("add", id, side, cents, size);
    } else if (u < 0.6) {
      const id = pick();
      model.remove(id);
      dropLive(id);
      yield toRow("delete", id, null, null, null);
    } else if (u < 0.7) {
      const id = pick();
      const order = model.orders.get(id)!;
      const amount = 1 + Math.floor(rng.nextFloat() * (order.size / 1e8));
      model.reduce(id, amount * 1e8);
      if (!model.orders.has(id)) dropLive(id);
      yield toRow("cancel", id, order.side, order.price / 1e6, amount);
    } else if (u < 0.8) {
      const id = pick();
      const order = model.orders.get(id)!;
      const newCents = order.side === BID ? fair - offset : fair + 1 + offset;
      if (!validPrice(order.side, newCents)) continue;
      model.remove(id);
      model.add(id, order.side, newCents * 1e6, size * 1e8);
      yield toRow("modify", id, order.side, newCents, size);
    } else if (u < 0.97) {
      // Execute part or all of the head of the best queue (what real feeds do), or of any order.
      const bestSide: 0 | 1 = rng.nextFloat() < 0.5 ? BID : ASK;
      const queue = model.queue(bestSide, 0);
      const id = queue.length > 0 && rng.nextFloat() < 0.8 ? queue[0]! : pick();
      const order = model.orders.get(id)!;
      const amount = Math.min(order.size / 1e8, 1 + Math.floor(rng.nextFloat() * 300));
      model.reduce(id, amount * 1e8);
      if (!model.orders.has(id)) dropLive(id);
      yield toRow("execute", id, order.side, order.price / 1e6, amount);
    } else {
      yield toRow("trade", 0, side, cents, size);
    }
  }
}

/** Any event a file may hold, valid or not: kinds beyond L3 ones test the "unexpected event" path. */
export type AnyRow = [
  kind: keyof typeof EventKind,
  id: number | null,
  side: "B" | "S" | null,
  price: number | null,
  size: number | null,
];

/**
 * The L3 replay written plainly on a {@link NaiveBook}, event by event, with
 * every validation rule of SPEC §2 `book` and `--lenient`'s handling of each
 * issue (skipped, or for an over-execution: fill what rests and count it).
 * Fixed-point units throughout. The reference for the fast book's replay.
 */
export class ReferenceReplay {
  readonly book = new NaiveBook();
  /** Issue counts by Issue code (see bookIssues.ts). */
  readonly issues = new Array<number>(8).fill(0);
  events = 0;
  trades = 0;
  volume = 0;
  halts = 0;

  apply([kind, rawId, rawSide, rawPrice, rawSize]: AnyRow): void {
    const id = rawId ?? Number.NaN;
    const side = rawSide === "B" ? BID : rawSide === "S" ? ASK : 2;
    const price = rawPrice === null ? Number.NaN : Math.round(rawPrice * PRICE_SCALE);
    const size = rawSize === null ? Number.NaN : Math.round(rawSize * SIZE_SCALE);
    const issue = this.step(kind, id, side, price, size);
    if (issue >= 0) this.issues[issue]!++;
    this.events++;
  }

  private crosses(side: 0 | 1, price: number): boolean {
    const opposite = this.book.best(side === BID ? ASK : BID);
    return side === BID ? price >= opposite : price <= opposite;
  }

  private traded(price: number, size: number): void {
    this.trades++;
    if (size > 0 && !Number.isNaN(price)) this.volume += size;
  }

  /** Applies one event; returns the issue (Issue code) or -1. */
  private step(kind: AnyRow[0], id: number, side: number, price: number, size: number): number {
    const orders = this.book.orders;
    const order = orders.get(id);
    switch (kind) {
      case "add":
        if (Number.isNaN(id) || side > ASK || Number.isNaN(price) || Number.isNaN(size)) return 5;
        if (!(size > 0)) return 2;
        if (this.crosses(side as 0 | 1, price)) return 3;
        if (order !== undefined) return 1;
        this.book.add(id, side as 0 | 1, price, size);
        return -1;
      case "delete":
        if (order === undefined) return 0;
        this.book.remove(id);
        return -1;
      case "cancel":
        if (order === undefined) return 0;
        if (size < 0) return 2;
        if (Number.isNaN(size) || size >= order.size) this.book.remove(id);
        else if (size > 0) order.size -= size;
        return -1;
      case "execute": {
        if (order === undefined) return 0;
        if (Number.isNaN(size)) return 5;
        if (!(size > 0)) return 2;
        const filled = Math.min(size, order.size);
        this.traded(order.price, filled);
        this.book.reduce(id, filled);
        return size > filled ? 4 : -1;
      }
      case "modify":
        if (order === undefined) return 0;
        if (Number.isNaN(price) || Number.isNaN(size)) return 5;
        if (!(size > 0)) return 2;
        if (this.crosses(order.side, price)) return 3;
        this.book.remove(id);
        this.book.add(id, order.side, price, size);
        return -1;
      case "trade":
        this.traded(price, size);
        return -1;
      case "clear":
        this.book.clear();
        return -1;
      case "halt":
        this.halts++;
        return -1;
      default:
        return 6;
    }
  }
}

/**
 * A seeded stream of anything: adds, deletes, cancels, executions and
 * modifies of a few dozen ids (so that ids are often unknown or already
 * live), prices a few cents either side of $100 (so that orders often
 * cross), sizes that are sometimes zero, negative or missing, missing
 * fields, trade prints, clears, halts and events that L3 data cannot hold.
 */
export function* randomMessyStream(seed: number, events: number): Generator<AnyRow> {
  const rng = new Prng(seed);
  const pick = <T>(choices: T[]) => choices[Math.floor(rng.nextFloat() * choices.length)]!;
  for (let n = 0; n < events; n++) {
    const u = rng.nextFloat();
    const kind: AnyRow[0] =
      u < 0.4
        ? "add"
        : u < 0.55
          ? "delete"
          : u < 0.67
            ? "cancel"
            : u < 0.79
              ? "execute"
              : u < 0.92
                ? "modify"
                : u < 0.97
                  ? "trade"
                  : pick(["clear", "halt", "level", "limit", "add", "add"]);
    const id = rng.nextFloat() < 0.02 ? null : 1 + Math.floor(rng.nextFloat() * 60);
    const side = rng.nextFloat() < 0.02 ? null : rng.nextFloat() < 0.5 ? "B" : "S";
    // Bids mostly below $100.00 and asks above, with some overlap: crossings happen.
    const cents =
      10_000 + Math.floor(rng.nextFloat() * 40) * (side === "B" ? -1 : 1) + pick([0, 0, 0, 1, -1]);
    const price = rng.nextFloat() < 0.02 ? null : cents / 100;
    // Round lots half the time, so that cancels and executions often take exactly what rests.
    const size =
      rng.nextFloat() < 0.03
        ? pick([null, 0, -5])
        : rng.nextFloat() < 0.5
          ? pick([100, 200, 300])
          : 1 + Math.floor(rng.nextFloat() * 400);
    yield [kind, id, side, price, size];
  }
}
