/**
 * A price-level limit order book with a FIFO queue of orders per level and
 * an order-id index, on flat typed arrays: no object per order, level or
 * event.
 *
 * Method. Orders and levels live in pools (parallel typed arrays with free
 * lists); each level keeps a doubly linked list of its orders in arrival
 * order (price–time priority). Each side keeps its live levels in an array
 * sorted by a key that grows towards the touch (the price for bids, minus
 * the price for asks), so that the best level is the last element, read in
 * O(1), and both sides share one search and one insertion. A level appears
 * or disappears near the touch with a short shift. Finding a price scans a
 * few levels back from the touch (where nearly all activity is), then
 * bisects. The id index ({@link OrderIdIndex}) maps ids to slots and slots
 * back to their buckets, so a removal after a lookup costs no second probe.
 *
 * Prices and sizes are fixed-point integers (see events.ts); every sum here
 * is exact. The book does no validation beyond reporting what it cannot do
 * (unknown or duplicate id): crossing and size checks belong to the caller,
 * which knows whether the data is L3, L2 or incoming orders. (The L3
 * replay's fast path, l3Book.ts, applies only events that need no check,
 * and stops at any other.)
 *
 * References: the structure is the classic one described by e.g. W. Kipp,
 * "How to build a fast limit order book" (2011), and used by ITCH/LOBSTER
 * replayers; R. Huang & T. Polak, "LOBSTER: Limit Order Book Reconstruction
 * System" (2011), for the event semantics.
 */
import { ASK, BID, type Side } from "./events.js";
import { OrderIdIndex } from "./orderIdIndex.js";

export const NONE = -1;
/** Levels scanned back from the touch before bisecting. */
const NEAR_TOUCH = 8;
/** Shifts of the sorted side arrays up to this length are done element by element (no builtin call). */
const SHORT_SHIFT = 16;

export class OrderBook {
  // Orders: slot-indexed.
  private orderIdOf = new Float64Array(0);
  protected orderSizeOf = new Float64Array(0);
  protected orderLevelOf = new Int32Array(0);
  protected orderNext = new Int32Array(0);
  protected orderPrev = new Int32Array(0);
  protected freeOrder = NONE;
  private orderTop = 0;
  /** Live orders. */
  orderCount = 0;

  // Levels: index-addressed.
  protected levelPriceOf = new Float64Array(0);
  protected levelSizeOf = new Float64Array(0);
  protected levelOrdersOf = new Int32Array(0);
  protected levelHead = new Int32Array(0);
  protected levelTail = new Int32Array(0);
  protected levelSideOf = new Uint8Array(0);
  private freeLevel = NONE;
  private levelTop = 0;

  // Per side: live level indices and their keys (bids: price, asks: −price), ascending, best last.
  protected readonly sideLevels: [Int32Array, Int32Array];
  protected readonly sideKeys: [Float64Array, Float64Array];
  protected readonly sideCount = new Int32Array(2);

  protected readonly index: OrderIdIndex;

  /** Capacities are initial sizes: every pool and table grows as needed. */
  constructor(orderCapacity = 1 << 12, levelCapacity = 1 << 8) {
    this.index = new OrderIdIndex(orderCapacity);
    this.growOrders(orderCapacity);
    this.growLevels(levelCapacity);
    this.sideLevels = [new Int32Array(levelCapacity), new Int32Array(levelCapacity)];
    this.sideKeys = [new Float64Array(levelCapacity), new Float64Array(levelCapacity)];
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
    if (count === 0) return Number.NaN;
    const key = this.sideKeys[side]![count - 1]!;
    return side === BID ? key : -key;
  }

  /**
   * Whether a new order at `price` on `side` would trade against the other
   * side's best price (a bid at or above the best ask, an ask at or below
   * the best bid). False when the other side is empty.
   */
  crosses(side: Side, price: number): boolean {
    return this.crossesKey(side, side === BID ? price : -price);
  }

  /**
   * {@link crosses} for a price as its side's key: the other side's best key
   * is minus its best price, so a key crosses when key ≥ −(that key).
   */
  protected crossesKey(side: number, key: number): boolean {
    const other = 1 - side; // BID = 0, ASK = 1
    const count = this.sideCount[other]!;
    return count > 0 && key >= -this.sideKeys[other]![count - 1]!;
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
  /** Side of a live order. */
  orderSide(slot: number): Side {
    return this.levelSideOf[this.orderLevelOf[slot]!]! as Side;
  }
  /** Price of a live order (its level's). */
  orderPrice(slot: number): number {
    return this.levelPriceOf[this.orderLevelOf[slot]!]!;
  }

  /** The slot of a live order, or -1. */
  find(id: number): number {
    return this.index.find(id);
  }

  /** The level holding `price` on `side`, or -1. */
  findLevel(side: Side, price: number): number {
    const position = this.position(side, side === BID ? price : -price);
    return position >= 0 ? this.sideLevels[side]![position]! : NONE;
  }

  // ---- changing ------------------------------------------------------

  /**
   * Appends a new order at the back of its level's queue.
   * @returns its slot, or -1 when the id is already live (nothing changes).
   */
  add(id: number, side: Side, price: number, size: number): number {
    const slot = this.claimSlot(id);
    if (slot === NONE) return NONE;
    const level = this.levelFor(side, price);
    this.orderSizeOf[slot] = size;
    this.levelSizeOf[level] += size;
    this.linkTail(slot, level);
    return slot;
  }

  /** Removes a live order (by slot) from its queue, its level and the index. */
  removeSlot(slot: number): void {
    this.unlink(slot);
    this.index.removeSlot(slot);
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
   * Gives a live order a new price and size and sends it to the back of the
   * queue at that price (even when the price is unchanged): what removing it
   * and adding it again would do, keeping its slot and its index entry.
   */
  moveSlot(slot: number, price: number, size: number): void {
    const side = this.levelSideOf[this.orderLevelOf[slot]!]! as Side;
    this.unlink(slot);
    const level = this.levelFor(side, price);
    this.orderSizeOf[slot] = size;
    this.levelSizeOf[level] += size;
    this.linkTail(slot, level);
  }

  /**
   * Sets the aggregate size of a level (L2 data, where orders are unknown):
   * 0 removes the level. A level set this way has no queue.
   */
  setLevel(side: Side, price: number, size: number): void {
    const key = side === BID ? price : -price;
    const position = this.position(side, key);
    if (size === 0) {
      if (position >= 0) {
        const level = this.sideLevels[side]![position]!;
        this.levelOrdersOf[level] = 0;
        this.closeLevel(level);
      }
      return;
    }
    const level =
      position >= 0 ? this.sideLevels[side]![position]! : this.openLevel(side, price, key, -position - 1);
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
    this.index.clear();
  }

  // ---- queues --------------------------------------------------------

  /**
   * A slot for a new order `id`, entered in the index; -1 when `id` is
   * already live (nothing changes). The caller links it into a level.
   */
  protected claimSlot(id: number): number {
    let slot = this.freeOrder;
    if (slot === NONE) {
      if (this.orderTop === this.orderIdOf.length) this.growOrders(this.orderTop * 2);
      slot = this.orderTop;
    }
    // One probe finds either the id (a duplicate) or the bucket where it goes.
    if (!this.index.insert(id, slot)) return NONE;
    if (slot === this.freeOrder) this.freeOrder = this.orderNext[slot]!;
    else this.orderTop++;
    this.orderIdOf[slot] = id;
    this.orderCount++;
    return slot;
  }

  /**
   * Puts `slot` at the back of `level`'s queue. Sizes are the caller's:
   * it sets the order's and adds it to the level's (no double crosses a call
   * here, so nothing is boxed when this is not inlined).
   */
  protected linkTail(slot: number, level: number): void {
    const tail = this.levelTail[level]!;
    this.orderLevelOf[slot] = level;
    this.orderPrev[slot] = tail;
    this.orderNext[slot] = NONE;
    if (tail === NONE) this.levelHead[level] = slot;
    else this.orderNext[tail] = slot;
    this.levelTail[level] = slot;
    this.levelOrdersOf[level]++;
  }

  /** Takes `slot` out of its level's queue, closing the level when it empties. */
  private unlink(slot: number): void {
    const level = this.orderLevelOf[slot]!;
    const prev = this.orderPrev[slot]!;
    const next = this.orderNext[slot]!;
    if (prev === NONE) this.levelHead[level] = next;
    else this.orderNext[prev] = next;
    if (next === NONE) this.levelTail[level] = prev;
    else this.orderPrev[next] = prev;
    this.levelSizeOf[level] -= this.orderSizeOf[slot]!;
    if (--this.levelOrdersOf[level] === 0) this.closeLevel(level);
  }

  // ---- levels --------------------------------------------------------

  /** The level at `price` on `side`, opened (empty) when there is none. */
  protected levelFor(side: Side, price: number): number {
    const key = side === BID ? price : -price;
    const position = this.position(side, key);
    return position >= 0
      ? this.sideLevels[side]![position]!
      : this.openLevel(side, price, key, -position - 1);
  }

  /**
   * Index in the side's sorted array of the level with `key`, or
   * `-(insertion point) - 1` when there is none.
   */
  private position(side: Side, key: number): number {
    const keys = this.sideKeys[side]!;
    const count = this.sideCount[side]!;
    let j = count - 1;
    const stop = count > NEAR_TOUCH ? count - NEAR_TOUCH : 0;
    while (j >= stop && keys[j]! > key) j--;
    if (j >= stop) return keys[j] === key ? j : -(j + 1) - 1;
    // Further from the touch: bisect keys[0 … j].
    let lo = 0;
    let hi = j;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const here = keys[mid]!;
      if (here === key) return mid;
      if (here < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  /** Opens an empty level at `price` (`key` on its side), which belongs at index `at` of the side's array. */
  protected openLevel(side: Side, price: number, key: number, at: number): number {
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
    const count = this.sideCount[side]!;
    if (count === this.sideLevels[side]!.length) this.growSide(side);
    const levels = this.sideLevels[side]!;
    const keys = this.sideKeys[side]!;
    if (count - at > SHORT_SHIFT) {
      levels.copyWithin(at + 1, at, count);
      keys.copyWithin(at + 1, at, count);
    } else {
      for (let m = count; m > at; m--) {
        levels[m] = levels[m - 1]!;
        keys[m] = keys[m - 1]!;
      }
    }
    levels[at] = level;
    keys[at] = key;
    this.sideCount[side] = count + 1;
    return level;
  }

  protected closeLevel(level: number): void {
    const side = this.levelSideOf[level]! as Side;
    const price = this.levelPriceOf[level]!;
    const keys = this.sideKeys[side]!;
    const levels = this.sideLevels[side]!;
    const count = this.sideCount[side]! - 1;
    const at = this.position(side, side === BID ? price : -price);
    if (count - at > SHORT_SHIFT) {
      levels.copyWithin(at, at + 1, count + 1);
      keys.copyWithin(at, at + 1, count + 1);
    } else {
      for (let m = at; m < count; m++) {
        levels[m] = levels[m + 1]!;
        keys[m] = keys[m + 1]!;
      }
    }
    this.sideCount[side] = count;
    this.levelHead[level] = this.freeLevel;
    this.freeLevel = level;
  }

  // ---- pools ---------------------------------------------------------

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
    if (this.index.slotCapacity < capacity) this.index.resize(capacity);
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
    const keys = new Float64Array(this.sideKeys[side]!.length * 2);
    keys.set(this.sideKeys[side]!);
    this.sideKeys[side] = keys;
  }
}
