/**
 * The state of a book as a snapshot: the best `depth` levels a side with
 * size and order count, and the touch statistics.
 *
 * mid = (b₁ + a₁)/2; spread = a₁ − b₁; microprice = (b₁·A₁ + a₁·B₁)/(B₁ + A₁),
 * the size-weighted mid that leans towards the thinner side (Stoikov, "The
 * micro-price", Quantitative Finance 18(12), 2018, doi:10.1080/14697688.2018.1489139,
 * eq. 1's first-order form); imbalance = (B₁ − A₁)/(B₁ + A₁) on the best
 * levels' sizes B₁, A₁ (SPEC §2). Each is NaN when a side is empty.
 * Prices and sizes come out in currency units and shares: fixed-point / scale.
 *
 * @example
 * // bids 99.99×300, asks 100.01×100:
 * // mid 100, spread 0.02, microprice (99.99·100 + 100.01·300)/400 = 100.005, imbalance 0.5
 */
import { ASK, BID, PRICE_SCALE, SIZE_SCALE, type Side } from "./events.js";
import type { OrderBook } from "./orderBook.js";

export interface LevelView {
  price: number;
  size: number;
  /** Orders in the queue; null for L2 data, where they are unknown. */
  orders: number | null;
}

export interface TopOfBook {
  bids: LevelView[];
  asks: LevelView[];
  mid: number;
  spread: number;
  microprice: number;
  imbalance: number;
}

function side(book: OrderBook, which: Side, depth: number, withOrders: boolean): LevelView[] {
  const levels: LevelView[] = [];
  for (let k = 0; k < depth; k++) {
    const level = book.levelAt(which, k);
    if (level < 0) break;
    levels.push({
      price: book.levelPrice(level) / PRICE_SCALE,
      size: book.levelSize(level) / SIZE_SCALE,
      orders: withOrders ? book.levelOrders(level) : null,
    });
  }
  return levels;
}

export function topOfBook(book: OrderBook, depth: number, withOrders: boolean): TopOfBook {
  const bidPrice = book.bestPrice(BID);
  const askPrice = book.bestPrice(ASK);
  const bidSize = book.bestSize(BID);
  const askSize = book.bestSize(ASK);
  const both = !Number.isNaN(bidPrice) && !Number.isNaN(askPrice);
  const depthSize = bidSize + askSize;
  return {
    bids: side(book, BID, depth, withOrders),
    asks: side(book, ASK, depth, withOrders),
    // Fixed-point sums and halves are exact; one division by the scale rounds once.
    mid: both ? (bidPrice + askPrice) / 2 / PRICE_SCALE : Number.NaN,
    spread: both ? (askPrice - bidPrice) / PRICE_SCALE : Number.NaN,
    microprice:
      both && depthSize > 0
        ? (bidPrice * askSize + askPrice * bidSize) / depthSize / PRICE_SCALE
        : Number.NaN,
    imbalance: both && depthSize > 0 ? (bidSize - askSize) / depthSize : Number.NaN,
  };
}
