/**
 * The event vocabulary of `hftlab book` and the columnar batch that carries
 * events from a reader to the book: one typed array per field, reused block
 * after block, so a 5M-event file is never held as 5M objects.
 *
 * Prices and sizes are fixed-point integers (held in doubles, exact below
 * 2^53): the decimal text times {@link PRICE_SCALE} / {@link SIZE_SCALE}.
 * Integer arithmetic keeps level sums and price equality exact, which binary
 * floating point would not (0.1 + 0.2 ≠ 0.3).
 */

/** Units per currency unit: prices with up to 8 decimals are exact. */
export const PRICE_SCALE = 1e8;
/** Units per share/contract: sizes with up to 8 decimals are exact. */
export const SIZE_SCALE = 1e8;
/** Decimal places behind both scales. */
export const SCALE_DECIMALS = 8;

export const BID = 0;
export const ASK = 1;
/** No side given (a `clear` row, a trade without an aggressor). */
export const NO_SIDE = 2;
export type Side = typeof BID | typeof ASK;

/** Event kinds. L3 replay: ADD..CLEAR; L2: LEVEL; --match: LIMIT..FOK (with CANCEL); LOBSTER adds HALT. */
export const EventKind = {
  add: 1,
  cancel: 2,
  delete: 3,
  modify: 4,
  execute: 5,
  trade: 6,
  clear: 7,
  level: 8,
  limit: 9,
  market: 10,
  ioc: 11,
  fok: 12,
  halt: 13,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export const EVENT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(EventKind).map(([name, code]) => [code, name]),
);

/**
 * A block of events in input order. Arrays are at least `count` long and
 * are overwritten by the next block. Missing numeric fields are NaN.
 */
export interface EventBatch {
  count: number;
  kind: Uint8Array;
  side: Uint8Array;
  orderId: Float64Array;
  /** Fixed-point price (× PRICE_SCALE). */
  price: Float64Array;
  /** Fixed-point size (× SIZE_SCALE). */
  size: Float64Array;
  /** The stamp as a number, for ordering and `--interval` buckets. */
  time: Float64Array;
  /** Input line of each event (header = line 1). */
  line: Uint32Array;
  /** The stamp's text exactly as written. */
  stampText(index: number): string;
}

/** Growable storage for an {@link EventBatch}. */
export class EventColumns {
  count = 0;
  kind: Uint8Array;
  side: Uint8Array;
  orderId: Float64Array;
  price: Float64Array;
  size: Float64Array;
  time: Float64Array;
  line: Uint32Array;

  constructor(capacity = 1 << 16) {
    this.kind = new Uint8Array(capacity);
    this.side = new Uint8Array(capacity);
    this.orderId = new Float64Array(capacity);
    this.price = new Float64Array(capacity);
    this.size = new Float64Array(capacity);
    this.time = new Float64Array(capacity);
    this.line = new Uint32Array(capacity);
  }

  get capacity(): number {
    return this.kind.length;
  }

  /** Makes room for `needed` events, keeping the first `count`. */
  reserve(needed: number): void {
    if (needed <= this.kind.length) return;
    const capacity = Math.max(needed, this.kind.length * 2);
    const widen = <T extends Uint8Array | Float64Array | Uint32Array>(old: T, fresh: T): T => {
      fresh.set(old.subarray(0, this.count));
      return fresh;
    };
    this.kind = widen(this.kind, new Uint8Array(capacity));
    this.side = widen(this.side, new Uint8Array(capacity));
    this.orderId = widen(this.orderId, new Float64Array(capacity));
    this.price = widen(this.price, new Float64Array(capacity));
    this.size = widen(this.size, new Float64Array(capacity));
    this.time = widen(this.time, new Float64Array(capacity));
    this.line = widen(this.line, new Uint32Array(capacity));
  }
}
