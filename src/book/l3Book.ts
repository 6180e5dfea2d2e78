/**
 * The order book with the L3 replay's fast path: one loop that applies a
 * run of events needing no decision (see {@link L3Book.applyL3Run}), with
 * exactly the effect of the book's methods, and leaves the first event that
 * needs one (an issue to count, a rule to apply) to the replay.
 *
 * Why a loop of its own: called through the methods one by one, V8 runs out
 * of its inlining budget, makes calls, and boxes every price and size that
 * crosses one (a heap number each); written out, they stay in registers.
 */
import { ASK, BID, type EventBatch, EventKind, type Side } from "./events.js";
import { NONE, OrderBook } from "./orderBook.js";
import type { TradeCounter } from "./tradeTape.js";

/**
 * Levels scanned back from the touch before the general search, where a
 * miss costs a call: in the generated 5M-event benchmark file about 2 adds
 * and modifies in 5 land 8 or more levels from the touch, 1 in 30 beyond 32.
 */
const NEAR_TOUCH_FAST = 32;

export class L3Book extends OrderBook {
  /**
   * Applies the L3 events [from, to) of a batch for as long as each needs
   * no decision, and returns the index of the first one that does (`to`
   * when none does); the caller validates that event, counts its issue or
   * applies it, and resumes after it.
   *
   * Taken here: an add with every field, a positive size, a new id and a
   * price that does not cross; a delete of a live order; a cancel of a live
   * order by a size ≥ 0 or none; an execute of a live order by
   * 0 < size ≤ its size; a modify of a live order to a positive size and a
   * price that does not cross; trade prints; clear. Each has exactly the
   * effect of {@link add}, {@link removeSlot}, {@link reduceSlot},
   * {@link moveSlot} or {@link clear}; executions and prints are counted in
   * `sink.trades` and recorded on `sink.tape`. Any other event (an unknown
   * id, a missing field, another kind) is left untouched.
   */
  applyL3Run(batch: EventBatch, from: number, to: number, sink: TradeCounter): number {
    // Imported constants as locals: V8 reads an imported binding from memory, and checks that it
    // is initialised, at every use; in this loop that cost about 7% of the replay's time.
    const ADD = EventKind.add;
    const CANCEL = EventKind.cancel;
    const MODIFY = EventKind.modify;
    const EXECUTE = EventKind.execute;
    const TRADE = EventKind.trade;
    const CLEAR = EventKind.clear;
    const EMPTY = NONE;
    const BUY = BID;
    const SELL = ASK;
    const { kind, side: sides, orderId, price: prices, size: sizes } = batch;
    const index = this.index;
    const tape = sink.tape;
    let trades = 0;
    let i = from;
    for (; i < to; i++) {
      const k = kind[i]!;
      // The order to place at the back of the queue at (side, price) with size: an add's or a modify's.
      let slot: number;
      let side: number = BUY;
      let price = 0;
      let size: number;
      if (k === ADD) {
        side = sides[i]!;
        price = prices[i]!;
        size = sizes[i]!;
        const id = orderId[i]!;
        if (!(size > 0) || side > SELL || Number.isNaN(price) || Number.isNaN(id)) break;
        if (this.crossesKey(side, side === BUY ? price : -price)) break;
        slot = this.claimSlot(id);
        if (slot === EMPTY) break;
      } else if (k === TRADE) {
        trades++;
        const printSize = sizes[i]!;
        const printPrice = prices[i]!;
        if (printSize > 0 && !Number.isNaN(printPrice)) tape.record(printPrice, printSize);
        continue;
      } else if (k === CLEAR) {
        this.clear();
        continue;
      } else {
        if (k < CANCEL || k > EXECUTE) break;
        slot = index.find(orderId[i]!);
        if (slot === EMPTY) break;
        size = sizes[i]!;
        const resting = this.orderSizeOf[slot]!;
        const level = this.orderLevelOf[slot]!;
        if (k === CANCEL) {
          // A missing size cancels the whole order (size < resting is false for NaN).
          if (size < 0) break;
          if (size < resting) {
            this.orderSizeOf[slot] = resting - size;
            this.levelSizeOf[level] -= size;
            continue;
          }
        } else if (k === EXECUTE) {
          if (!(size > 0) || size > resting) break;
          trades++;
          tape.record(this.levelPriceOf[level]!, size);
          if (size < resting) {
            this.orderSizeOf[slot] = resting - size;
            this.levelSizeOf[level] -= size;
            continue;
          }
        } else if (k === MODIFY) {
          price = prices[i]!;
          side = this.levelSideOf[level]!;
          if (!(size > 0) || Number.isNaN(price) || this.crossesKey(side, side === BUY ? price : -price))
            break;
        }
        // Readable version: unlink(slot), then for all but a modify the rest of removeSlot(slot).
        const prev = this.orderPrev[slot]!;
        const next = this.orderNext[slot]!;
        if (prev === EMPTY) this.levelHead[level] = next;
        else this.orderNext[prev] = next;
        if (next === EMPTY) this.levelTail[level] = prev;
        else this.orderPrev[next] = prev;
        this.levelSizeOf[level] -= resting;
        if (--this.levelOrdersOf[level] === 0) this.closeLevel(level);
        if (k !== MODIFY) {
          index.removeSlot(slot);
          this.orderNext[slot] = this.freeOrder;
          this.freeOrder = slot;
          this.orderCount--;
          continue;
        }
      }
      // Readable version of the rest: linkTail at levelFor(side, price), with the sizes.
      const key = side === BUY ? price : -price;
      const keys = this.sideKeys[side]!;
      const count = this.sideCount[side]!;
      let j = count - 1;
      const stop = count > NEAR_TOUCH_FAST ? count - NEAR_TOUCH_FAST : 0;
      while (j >= stop && keys[j]! > key) j--;
      const level =
        j >= stop && keys[j] === key
          ? this.sideLevels[side]![j]!
          : j >= stop || j < 0
            ? this.openLevel(side as Side, price, key, j + 1)
            : this.levelFor(side as Side, price);
      this.orderSizeOf[slot] = size;
      this.levelSizeOf[level] += size;
      this.linkTail(slot, level);
    }
    sink.trades += trades;
    return i;
  }
}
