/**
 * Replays L3 events (add, cancel, delete, modify, execute, trade, clear) or
 * L2 level updates through an {@link OrderBook}, validating as it goes, and
 * keeps the running statistics a snapshot reports (events, trades, traded
 * volume and VWAP since the previous snapshot).
 *
 * Semantics (SPEC §2 `book`): `cancel` removes `size` (the whole order when
 * size ≥ remaining or size is empty); `modify` sets a new price and size and
 * sends the order to the back of its new level's queue; `execute` fills
 * `size` of a resting order at its price; `trade` is informational (no book
 * change) but counts as a trade; `clear` empties the book. In L3 data a new
 * or modified order may not cross the opposite best price. An L2 `level`
 * update sets the level's size (0 removes it); L2 books are not checked for
 * crossing (consolidated L2 feeds may lock or cross for a moment).
 *
 * Traded volume counts executions and trade prints; VWAP = Σ pᵢqᵢ / Σ qᵢ
 * over them, the numerator summed with Neumaier's compensation.
 *
 * L3 events go through the book's fast path ({@link L3Book.applyL3Run}),
 * which applies every event that needs no decision; the methods below take
 * the one it stops at (an issue, a halt, another kind of event) by the
 * rules above, and hand the rest back to it.
 */
import { Issue, IssueLog } from "./bookIssues.js";
import { ASK, type EventBatch, EventKind, type Side } from "./events.js";
import { L3Book } from "./l3Book.js";
import type { OrderBook } from "./orderBook.js";
import { type TradeCounter, TradeTape } from "./tradeTape.js";

export type ReplayMode = "l3" | "l2";

export class BookReplay implements TradeCounter {
  readonly issues: IssueLog;
  /** Events applied (or skipped under --lenient): data rows read. */
  events = 0;
  /** Executions plus trade prints. */
  trades = 0;
  /** Trading halts seen (LOBSTER type 7). */
  halts = 0;
  /** Traded volume and VWAP since the last snapshot, and over the run. */
  readonly tape = new TradeTape();

  constructor(
    readonly mode: ReplayMode,
    lenient: boolean,
    /** The book to replay into (a fresh one by default). */
    readonly book = new L3Book(),
  ) {
    this.issues = new IssueLog(lenient);
  }

  takeInterval(): { volume: number; vwap: number } {
    return this.tape.takeInterval();
  }

  get totalVolume(): number {
    return this.tape.totalVolume;
  }

  private traded(price: number, size: number): void {
    this.trades++;
    if (!(size > 0) || Number.isNaN(price)) return;
    this.tape.record(price, size);
  }

  /**
   * Applies events [from, to) of a batch.
   * @returns the index after the last event applied: `to`, or the index of
   * a fatal issue (see `issues.failedAt`).
   */
  apply(batch: EventBatch, from: number, to: number): number {
    return this.mode === "l3" ? this.applyL3(batch, from, to) : this.applyL2(batch, from, to);
  }

  private applyL3(batch: EventBatch, from: number, to: number): number {
    const { kind, orderId, price, size, side, line } = batch;
    const book = this.book;
    const issues = this.issues;
    let i = from;
    while (i < to) {
      // The book takes every event that needs no decision; this loop the one it stopped at.
      const reached = book.applyL3Run(batch, i, to, this);
      this.events += reached - i;
      i = reached;
      if (i === to) break;
      const k = kind[i]!;
      let issue = -1;
      if (k === EventKind.add) {
        issue = this.add(orderId[i]!, side[i]!, price[i]!, size[i]!);
      } else if (k === EventKind.delete) {
        const slot = book.find(orderId[i]!);
        if (slot < 0) issue = Issue.unknownId;
        else book.removeSlot(slot);
      } else if (k === EventKind.cancel) {
        issue = cancelOrder(this.book, orderId[i]!, size[i]!);
      } else if (k === EventKind.execute) {
        issue = this.execute(orderId[i]!, size[i]!);
      } else if (k === EventKind.modify) {
        issue = this.modify(orderId[i]!, price[i]!, size[i]!);
      } else if (k === EventKind.trade) {
        this.traded(price[i]!, size[i]!);
      } else if (k === EventKind.clear) {
        book.clear();
      } else if (k === EventKind.halt) {
        this.halts++;
      } else {
        issue = Issue.wrongEvent;
      }
      if (issue >= 0 && issues.note(issue as Issue, i, line[i]!)) return i;
      this.events++;
      i++;
    }
    return to;
  }

  private add(id: number, side: number, price: number, size: number): number {
    if (Number.isNaN(id) || side > ASK || Number.isNaN(price) || Number.isNaN(size))
      return Issue.missingField;
    if (!(size > 0)) return Issue.negativeSize;
    if (this.book.crosses(side as Side, price)) return Issue.crossedBook;
    return this.book.add(id, side as Side, price, size) < 0 ? Issue.duplicateId : -1;
  }

  private execute(id: number, size: number): number {
    const book = this.book;
    const slot = book.find(id);
    if (slot < 0) return Issue.unknownId;
    if (Number.isNaN(size)) return Issue.missingField;
    if (!(size > 0)) return Issue.negativeSize;
    const resting = book.orderSize(slot);
    // Under --lenient an over-execution fills what rests; the issue is still counted.
    const filled = Math.min(size, resting);
    this.traded(book.orderPrice(slot), filled);
    if (filled >= resting) book.removeSlot(slot);
    else book.reduceSlot(slot, filled);
    return size > resting ? Issue.overExecution : -1;
  }

  private modify(id: number, price: number, size: number): number {
    const book = this.book;
    const slot = book.find(id);
    if (slot < 0) return Issue.unknownId;
    if (Number.isNaN(price) || Number.isNaN(size)) return Issue.missingField;
    if (!(size > 0)) return Issue.negativeSize;
    if (book.crosses(book.orderSide(slot), price)) return Issue.crossedBook;
    book.moveSlot(slot, price, size);
    return -1;
  }

  private applyL2(batch: EventBatch, from: number, to: number): number {
    const { kind, side, price, size, line } = batch;
    const issues = this.issues;
    for (let i = from; i < to; i++) {
      let issue = -1;
      const s = side[i]!;
      if (kind[i] !== EventKind.level) issue = Issue.wrongEvent;
      else if (s > ASK || Number.isNaN(price[i]!) || Number.isNaN(size[i]!)) issue = Issue.missingField;
      else if (size[i]! < 0) issue = Issue.negativeSize;
      else this.book.setLevel(s as Side, price[i]!, size[i]!);
      if (issue >= 0 && issues.note(issue as Issue, i, line[i]!)) return i;
      this.events++;
    }
    return to;
  }
}

/**
 * A `cancel` event on `book`: removes `size` of order `id` (the whole order
 * when size ≥ its remaining size or size is empty); returns the issue, or −1.
 * Shared by the replay and the matching engine.
 */
export function cancelOrder(book: OrderBook, id: number, size: number): number {
  const slot = book.find(id);
  if (slot < 0) return Issue.unknownId;
  if (size < 0) return Issue.negativeSize;
  if (Number.isNaN(size) || size >= book.orderSize(slot)) book.removeSlot(slot);
  else if (size > 0) book.reduceSlot(slot, size);
  return -1;
}
