/**
 * A price–time priority matching engine on an {@link OrderBook}: incoming
 * `limit`, `market`, `ioc`, `fok` and `cancel` orders.
 *
 * Method (the continuous double auction of e.g. Gould et al., "Limit order
 * books", Quantitative Finance 13(11), 2013, doi:10.1080/14697688.2013.803148):
 * an incoming order takes liquidity from the best opposite level while its
 * limit allows (a market order has no limit), within a level from the head
 * of the queue (oldest first); each fill trades at the resting (maker)
 * order's price, so no fill is ever worse for the taker than its limit and
 * no better-priced resting order is skipped. What is left of a `limit` order
 * then rests at its price (it can no longer cross); what is left of a
 * `market` or `ioc` order is cancelled; a `fok` order executes only when
 * its whole size is available within its limit, else it is cancelled whole.
 * `cancel` removes `size` from a resting order (all of it when size is
 * empty or ≥ remaining).
 */
import { Issue, IssueLog } from "./bookIssues.js";
import { cancelOrder } from "./bookReplay.js";
import { ASK, BID, type EventBatch, EventKind, type Side } from "./events.js";
import { OrderBook } from "./orderBook.js";
import { TradeTape } from "./tradeTape.js";

/** The fills of one batch, in order; cleared by the caller after each batch. */
export class FillLog {
  count = 0;
  /** Batch index of the incoming (taker) event. */
  eventIndex = new Int32Array(1024);
  takerId = new Float64Array(1024);
  makerId = new Float64Array(1024);
  /** Side of the taker (BID = buy). */
  takerSide = new Uint8Array(1024);
  price = new Float64Array(1024);
  size = new Float64Array(1024);

  push(eventIndex: number, takerId: number, makerId: number, side: Side, price: number, size: number): void {
    if (this.count === this.size.length) this.grow();
    const k = this.count++;
    this.eventIndex[k] = eventIndex;
    this.takerId[k] = takerId;
    this.makerId[k] = makerId;
    this.takerSide[k] = side;
    this.price[k] = price;
    this.size[k] = size;
  }

  private grow(): void {
    const capacity = this.size.length * 2;
    const widen = <T extends Int32Array | Float64Array | Uint8Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.eventIndex = widen(this.eventIndex, new Int32Array(capacity));
    this.takerId = widen(this.takerId, new Float64Array(capacity));
    this.makerId = widen(this.makerId, new Float64Array(capacity));
    this.takerSide = widen(this.takerSide, new Uint8Array(capacity));
    this.price = widen(this.price, new Float64Array(capacity));
    this.size = widen(this.size, new Float64Array(capacity));
  }
}

export class MatchingEngine {
  readonly book = new OrderBook();
  readonly fills = new FillLog();
  readonly issues: IssueLog;
  events = 0;
  /** Fills so far (each is one trade). */
  trades = 0;
  /** Size left unfilled by market/IOC orders and rejected FOK orders (fixed-point). */
  unfilled = 0;
  /** Traded volume and VWAP since the last snapshot, and over the run. */
  readonly tape = new TradeTape();

  constructor(lenient: boolean) {
    this.issues = new IssueLog(lenient);
  }

  takeInterval(): { volume: number; vwap: number } {
    return this.tape.takeInterval();
  }

  get totalVolume(): number {
    return this.tape.totalVolume;
  }

  /** Applies events [from, to) of a batch; returns `to` or the index of a fatal issue. */
  apply(batch: EventBatch, from: number, to: number): number {
    const { kind, side, orderId, price, size, line } = batch;
    for (let i = from; i < to; i++) {
      const k = kind[i]!;
      let issue = -1;
      if (k === EventKind.cancel) issue = cancelOrder(this.book, orderId[i]!, size[i]!);
      else if (k === EventKind.limit || k === EventKind.ioc || k === EventKind.fok || k === EventKind.market)
        issue = this.submit(i, k, orderId[i]!, side[i]!, price[i]!, size[i]!);
      else issue = Issue.wrongEvent;
      if (issue >= 0 && this.issues.note(issue as Issue, i, line[i]!)) return i;
      this.events++;
    }
    return to;
  }

  /** Size available on the opposite side at prices no worse than `limit` (NaN: any), up to `wanted`. */
  private available(side: Side, limit: number, wanted: number): number {
    const book = this.book;
    const opposite: Side = side === BID ? ASK : BID;
    let total = 0;
    for (let k = 0; total < wanted; k++) {
      const level = book.levelAt(opposite, k);
      if (level < 0 || !this.acceptable(side, limit, book.levelPrice(level))) break;
      total += book.levelSize(level);
    }
    return total;
  }

  private acceptable(side: Side, limit: number, price: number): boolean {
    if (Number.isNaN(limit)) return true;
    return side === BID ? price <= limit : price >= limit;
  }

  private submit(index: number, kind: number, id: number, side: number, price: number, size: number): number {
    const book = this.book;
    const isMarket = kind === EventKind.market;
    if (Number.isNaN(id) || side > ASK || Number.isNaN(size) || (!isMarket && Number.isNaN(price)))
      return Issue.missingField;
    if (!(size > 0)) return Issue.negativeSize;
    const rests = kind === EventKind.limit;
    if (rests && book.find(id) >= 0) return Issue.duplicateId;
    const limit = isMarket ? Number.NaN : price;
    const taker = side as Side;
    if (kind === EventKind.fok && this.available(taker, limit, size) < size) {
      this.unfilled += size;
      return -1;
    }
    const opposite: Side = taker === BID ? ASK : BID;
    let remaining = size;
    while (remaining > 0) {
      const level = book.levelAt(opposite, 0);
      if (level < 0) break;
      const levelPrice = book.levelPrice(level);
      if (!this.acceptable(taker, limit, levelPrice)) break;
      const maker = book.queueHead(level);
      const resting = book.orderSize(maker);
      const fill = Math.min(resting, remaining);
      this.fills.push(index, id, book.orderId(maker), taker, levelPrice, fill);
      this.trades++;
      this.tape.record(levelPrice, fill);
      remaining -= fill;
      if (fill === resting) book.removeSlot(maker);
      else book.reduceSlot(maker, fill);
    }
    if (remaining > 0) {
      if (rests) book.add(id, taker, price, remaining);
      else this.unfilled += remaining;
    }
    return -1;
  }
}
