/**
 * A price-level limit order book with a FIFO queue of orders per level and
 * an order-id index, on flat typed arrays: no object per order, level or
 * event.
 *
 * Method. Orders and levels live in pools (parallel typed arrays with free
 * lists); each level keeps a doubly linked list of its orders in arrival
 * order (price–time priority). Each side keeps its live levels in an array
 * sorted so that the best price is the last element (bids ascending, asks
 * descending): the best level is read in O(1), and a level appears or
 * disappears near the touch with a short `copyWithin`. Finding a price scans
 * a few levels back from the touch (where nearly all activity is), then
 * bisects. The id index is an open-addressing hash table with linear probing
 * and backward-shift deletion (Knuth, TAOCP vol. 3, §6.4, Algorithm R), so it
 * never fills with tombstones.
 *
 * Prices and sizes are fixed-point integers (see events.ts); every sum here
 * is exact. The book does no validation beyond reporting what it cannot do
 * (unknown or duplicate id): crossing and size checks belong to the caller,
 * which knows whether the data is L3, L2 or incoming orders.
 *
 * References: the structure is the classic one described by e.g. W. Kipp,
 * "How to build a fast limit order book" (2011), and used by ITCH/LOBSTER
 * replayers; R. Huang & T. Polak, "LOBSTER: Limit Order Book Reconstruction
 * System" (2011), for the event semantics.
 */
import { ASK, BID, type Side } from "./events.js";

const NONE = -1;
/** Levels scanned back from the touch before bisecting. */
const NEAR_TOUCH = 8;

export class OrderBook {
  // Orders: slot-indexed.
  private orderIdOf = new Float64Array(0);
  private orderSizeOf = new Float64Array(0);
  private orderLevelOf = new Int32Array(0);
  private orderNext = new Int32Array(0);
  private orderPrev = new Int32Array(0);
  private freeOrder = NONE;
  private orderTop = 0;
  /** Live orders. */
  orderCount = 0;

  // Levels: index-addressed.
  private levelPriceOf = new Float64Array(0);
  private levelSizeOf = new Float64Array(0);
  private levelOrdersOf = new Int32Array(0);
  private levelHead = new Int32Array(0);
  private levelTail = new Int32Array(0);
  private levelSideOf = new Uint8Array(0);
  private freeLevel = NONE;
  private levelTop = 0;

  // Per side: live level indices and their prices, best last.
  private readonly sideLevels: [Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64)];
  private readonly sidePrices: [Float64Array, Float64Array] = [new Float64Array(64), new Float64Array(64)];
  private readonly sideCount = new Int32Array(2);

  // Id index: key = order id, value = order slot; NONE marks an empty bucket.
  private indexKeys = new Float64Array(0);
  private indexSlots = new Int32Array(0);
  private indexShift = 0;

  constructor(orderCapacity = 1 << 12, levelCapacity = 1 << 8) {
    this.growOrders(orderCapacity);
    this.growLevels(levelCapacity);
    this.rebuildIndex(orderCapacity * 2);
  }

  // ---- reading -------------------------------------------------------

  /** Number of price levels on a side. */
  levels(side: Side): number {
    return this.sideCount[side]!;
  }

  /** The k-th best level of a side (k = 0 is the touch), or -1. */
  levelAt(side: Side, k: number): number {
    const count = this.sideCount[side]!;
    return k < count ? this.sideLevels[side]![count - 1 - k]! : NONE;
  }

  /** Best price of a side, or NaN when the side is empty. */
  bestPrice(side: Side): number {
    const count = this.sideCount[side]!;
    return count > 0 ? this.sidePrices[side]![count - 1]! : Number.NaN;
  }

  /** Total size at the best level of a side, or 0. */
  bestSize(side: Side): number {
    const level = this.levelAt(side, 0);
    return level === NONE ? 0 : this.levelSizeOf[level]!;
  }

  levelPrice(level: number): number {
    return this.levelPriceOf[level]!;
  }
  levelSize(level: number): number {
    return this.levelSizeOf[level]!;
  }
  levelOrders(level: number): number {
    return this.levelOrdersOf[level]!;
  }
  levelSide(level: number): Side {
    return this.levelSideOf[level]! as Side;
  }
  /** The first order (slot) in a level's queue, or -1. */
  queueHead(level: number): number {
    return this.levelHead[level]!;
  }
  /** The order behind `slot` in its queue, or -1. */
  queueNext(slot: number): number {
    return this.orderNext[slot]!;
  }
  orderId(slot: number): number {
    return this.orderIdOf[slot]!;
  }
  orderSize(slot: number): number {
    return this.orderSizeOf[slot]!;
  }
  orderLevel(slot: number): number {
    return this.orderLevelOf[slot]!;
  }

  /** The slot of a live order, or -1. */
  find(id: number): number {
    const keys = this.indexKeys;
    const slots = this.indexSlots;
    const mask = keys.length - 1;
    for (let b = this.hash(id); ; b = (b + 1) & mask) {
      const slot = slots[b]!;
      if (slot === NONE || keys[b] === id) return slot;
    }
  }

  /** The level holding `price` on `side`, or -1. */
  findLevel(side: Side, price: number): number {
    const position = this.position(side, price);
    return position >= 0 ? this.sideLevels[side]![position]! : NONE;
  }

  // ---- changing ------------------------------------------------------

  /**
   * Appends a new order at the back of its level's queue.
   * @returns its slot, or -1 when the id is already live (nothing changes).
   */
  add(id: number, side: Side, price: number, size: number): number {
    // One probe finds either the id (a duplicate) or the bucket where it goes.
    const keys = this.indexKeys;
    const slots = this.indexSlots;
    const mask = keys.length - 1;
    let bucket = this.hash(id);
    for (; slots[bucket] !== NONE; bucket = (bucket + 1) & mask) if (keys[bucket] === id) return NONE;
    const position = this.position(side, price);
    const level =
      position >= 0 ? this.sideLevels[side]![position]! : this.openLevel(side, price, -position - 1);
    const slot = this.allocateOrder();
    this.orderIdOf[slot] = id;
    this.orderSizeOf[slot] = size;
    this.orderLevelOf[slot] = level;
    const tail = this.levelTail[level]!;
    this.orderPrev[slot] = tail;
    this.orderNext[slot] = NONE;
    if (tail === NONE) this.levelHead[level] = slot;
    else this.orderNext[tail] = slot;
    this.levelTail[level] = slot;
    this.levelSizeOf[level] += size;
    this.levelOrdersOf[level]++;
    if (this.indexKeys === keys) {
      keys[bucket] = id;
      slots[bucket] = slot;
    } else {
      // allocateOrder grew the pool and rebuilt the index.
      this.indexInsert(id, slot);
    }
    this.orderCount++;
    return slot;
  }

  /** Removes a live order (by slot) from its queue, its level and the index. */
  removeSlot(slot: number): void {
    const level = this.orderLevelOf[slot]!;
    const prev = this.orderPrev[slot]!;
    const next = this.orderNext[slot]!;
    if (prev === NONE) this.levelHead[level] = next;
    else this.orderNext[prev] = next;
    if (next === NONE) this.levelTail[level] = prev;
    else this.orderPrev[next] = prev;
    this.levelSizeOf[level] -= this.orderSizeOf[slot]!;
    if (--this.levelOrdersOf[level] === 0) this.closeLevel(level);
    this.indexDelete(this.orderIdOf[slot]!);
    this.orderNext[slot] = this.freeOrder;
    this.freeOrder = slot;
    this.orderCount--;
  }

  /** Takes `amount` (> 0, below the order's size) off an order; it keeps its place in the queue. */
  reduceSlot(slot: number, amount: number): void {
    this.orderSizeOf[slot] -= amount;
    this.levelSizeOf[this.orderLevelOf[slot]!] -= amount;
  }

  /**
   * Sets the aggregate size of a level (L2 data, where orders are unknown):
   * 0 removes the level. A level set this way has no queue.
   */
  setLevel(side: Side, price: number, size: number): void {
    let level = this.findLevel(side, price);
    if (size === 0) {
      if (level !== NONE) {
        this.levelOrdersOf[level] = 0;
        this.closeLevel(level);
      }
      return;
    }
    if (level === NONE) level = this.openLevel(side, price, -this.position(side, price) - 1);
    this.levelSizeOf[level] = size;
  }

  /** Empties the book (keeps the allocated capacity). */
  clear(): void {
    this.sideCount[BID] = 0;
    this.sideCount[ASK] = 0;
    this.freeOrder = NONE;
    this.orderTop = 0;
    this.orderCount = 0;
    this.freeLevel = NONE;
    this.levelTop = 0;
    this.indexSlots.fill(NONE);
  }

  // ---- levels --------------------------------------------------------

  /**
   * Index in the side's sorted array of the level at `price`, or
   * `-(insertion point) - 1` when there is none.
   */
  private position(side: Side, price: number): number {
    const prices = this.sidePrices[side]!;
    const count = this.sideCount[side]!;
    // Bids ascend and asks descend towards the end: "better than" flips with the side.
    const sign = side === BID ? 1 : -1;
    const key = sign * price;
    let j = count - 1;
    const stop = Math.max(0, count - NEAR_TOUCH);
    for (; j >= stop; j--) {
      const here = sign * prices[j]!;
      if (here === key) return j;
      if (here < key) return -(j + 1) - 1;
    }
    let lo = 0;
    let hi = j;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const here = sign * prices[mid]!;
      if (here === key) return mid;
      if (here < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  /** Opens an empty level at `price`, which belongs at index `at` of the side's array. */
  private openLevel(side: Side, price: number, at: number): number {
    let level = this.freeLevel;
    if (level !== NONE) {
      this.freeLevel = this.levelHead[level]!;
    } else {
      if (this.levelTop === this.levelPriceOf.length) this.growLevels(this.levelTop * 2);
      level = this.levelTop++;
    }
    this.levelPriceOf[level] = price;
    this.levelSizeOf[level] = 0;
    this.levelOrdersOf[level] = 0;
    this.levelHead[level] = NONE;
    this.levelTail[level] = NONE;
    this.levelSideOf[level] = side;
    let count = this.sideCount[side]!;
    if (count === this.sideLevels[side]!.length) this.growSide(side);
    const levels = this.sideLevels[side]!;
    const prices = this.sidePrices[side]!;
    if (at < count) {
      levels.copyWithin(at + 1, at, count);
      prices.copyWithin(at + 1, at, count);
    }
    levels[at] = level;
    prices[at] = price;
    this.sideCount[side] = ++count;
    return level;
  }

  private closeLevel(level: number): void {
    const side = this.levelSideOf[level]! as Side;
    const at = this.position(side, this.levelPriceOf[level]!);
    const count = this.sideCount[side]! - 1;
    if (at < count) {
      this.sideLevels[side]!.copyWithin(at, at + 1, count + 1);
      this.sidePrices[side]!.copyWithin(at, at + 1, count + 1);
    }
    this.sideCount[side] = count;
    this.levelHead[level] = this.freeLevel;
    this.freeLevel = level;
  }

  // ---- pools ---------------------------------------------------------

  private allocateOrder(): number {
    const slot = this.freeOrder;
    if (slot !== NONE) {
      this.freeOrder = this.orderNext[slot]!;
      return slot;
    }
    if (this.orderTop === this.orderIdOf.length) this.growOrders(this.orderTop * 2);
    return this.orderTop++;
  }

  private growOrders(capacity: number): void {
    const widenF = (old: Float64Array) => {
      const fresh = new Float64Array(capacity);
      fresh.set(old);
      return fresh;
    };
    const widenI = (old: Int32Array) => {
      const fresh = new Int32Array(capacity);
      fresh.set(old);
      return fresh;
    };
    this.orderIdOf = widenF(this.orderIdOf);
    this.orderSizeOf = widenF(this.orderSizeOf);
    this.orderLevelOf = widenI(this.orderLevelOf);
    this.orderNext = widenI(this.orderNext);
    this.orderPrev = widenI(this.orderPrev);
    // Keep the index at most half full.
    if (this.indexKeys.length > 0 && this.indexKeys.length < capacity * 2) this.rebuildIndex(capacity * 2);
  }

  private growLevels(capacity: number): void {
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.levelPriceOf = widen(this.levelPriceOf, new Float64Array(capacity));
    this.levelSizeOf = widen(this.levelSizeOf, new Float64Array(capacity));
    this.levelOrdersOf = widen(this.levelOrdersOf, new Int32Array(capacity));
    this.levelHead = widen(this.levelHead, new Int32Array(capacity));
    this.levelTail = widen(this.levelTail, new Int32Array(capacity));
    this.levelSideOf = widen(this.levelSideOf, new Uint8Array(capacity));
  }

  private growSide(side: Side): void {
    const levels = new Int32Array(this.sideLevels[side]!.length * 2);
    levels.set(this.sideLevels[side]!);
    this.sideLevels[side] = levels;
    const prices = new Float64Array(this.sidePrices[side]!.length * 2);
    prices.set(this.sidePrices[side]!);
    this.sidePrices[side] = prices;
  }

  // ---- id index ------------------------------------------------------

  /** Fibonacci hashing of the id's low and high 32-bit words. */
  private hash(id: number): number {
    const low = id >>> 0;
    const high = (id / 4294967296) >>> 0;
    return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> this.indexShift;
  }

  private indexInsert(id: number, slot: number): void {
    const keys = this.indexKeys;
    const slots = this.indexSlots;
    const mask = keys.length - 1;
    let b = this.hash(id);
    while (slots[b] !== NONE) b = (b + 1) & mask;
    keys[b] = id;
    slots[b] = slot;
  }

  private indexDelete(id: number): void {
    const keys = this.indexKeys;
    const slots = this.indexSlots;
    const mask = keys.length - 1;
    let b = this.hash(id);
    while (keys[b] !== id || slots[b] === NONE) b = (b + 1) & mask;
    // Backward-shift: pull later members of the probe run into the hole.
    let hole = b;
    for (let j = (hole + 1) & mask; slots[j] !== NONE; j = (j + 1) & mask) {
      const home = this.hash(keys[j]!);
      // Move j into the hole unless its home lies cyclically in (hole, j].
      const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!between) {
        keys[hole] = keys[j]!;
        slots[hole] = slots[j]!;
        hole = j;
      }
    }
    slots[hole] = NONE;
  }

  private rebuildIndex(minimumBuckets: number): void {
    let buckets = 16;
    while (buckets < minimumBuckets) buckets *= 2;
    const oldKeys = this.indexKeys;
    const oldSlots = this.indexSlots;
    this.indexKeys = new Float64Array(buckets);
    this.indexSlots = new Int32Array(buckets).fill(NONE);
    this.indexShift = 32 - Math.log2(buckets);
    for (let b = 0; b < oldSlots.length; b++) {
      if (oldSlots[b] !== NONE) this.indexInsert(oldKeys[b]!, oldSlots[b]!);
    }
  }
}
