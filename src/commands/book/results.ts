/**
 * The shapes `hftlab book` computes and writes: what the command hands its report,
 * and the `result` object of its JSON envelope. Kept apart from the command
 * so that the report reads them without importing the command back.
 */

/** One snapshot as written (JSON keys per SPEC §2 `book`). */
export interface BookSnapshot {
  ts: string | null;
  events: number;
  bids: Array<{ price: number; size: number; orders: number | null }>;
  asks: Array<{ price: number; size: number; orders: number | null }>;
  mid: number | null;
  spread: number | null;
  microprice: number | null;
  imbalance: number | null;
  trades: number;
  volume: number;
  vwap: number | null;
}

export interface BookFill {
  ts: string;
  taker: number;
  maker: number;
  side: "buy" | "sell";
  price: number;
  size: number;
}

export interface BookResult extends BookSnapshot {
  layout: string;
  liveOrders: number | null;
  levels: { bids: number; asks: number };
  totalVolume: number;
  /** Trading halts seen (LOBSTER type 7). */
  halts: number;
  snapshots?: BookSnapshot[];
  fills?: BookFill[];
  unfilled?: number;
  issues: Record<string, number>;
}
