/**
 * LOBSTER message files mapped onto book events.
 *
 * A message file has no header and six columns: time (seconds after
 * midnight, up to nanosecond decimals), type, order id, size, price (in
 * units of 1/10000 currency unit) and direction (1 buy, -1 sell limit
 * order). Types (LOBSTER documentation, lobsterdata.com, "Message file"):
 * 1 submission of a new limit order → `add`; 2 partial cancellation →
 * `cancel` of `size`; 3 total deletion → `delete`; 4 execution of a visible
 * limit order → `execute`; 5 execution of a hidden limit order → `trade`
 * (it never was in the visible book, but it is traded volume); 6 cross
 * trade (auction) → `trade`; 7 trading halt (price -1 halts, 0 resumes
 * quoting, 1 resumes trading) → `halt`, which leaves the book as it is.
 *
 * Reference: R. Huang and T. Polak, "LOBSTER: Limit Order Book
 * Reconstruction System" (2011), SSRN 1977207.
 */
import { EventKind } from "./events.js";

/** Event kind of a LOBSTER message type, or 0 for an unknown type. */
export const LOBSTER_KINDS: Uint8Array = Uint8Array.from([
  0,
  EventKind.add,
  EventKind.cancel,
  EventKind.delete,
  EventKind.execute,
  EventKind.trade,
  EventKind.trade,
  EventKind.halt,
]);

/** LOBSTER prices are integers in units of 1/10000: decimals to shift by. */
export const LOBSTER_PRICE_DECIMALS = 4;
