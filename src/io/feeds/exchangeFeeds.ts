/**
 * Exchanges' public websocket trade messages mapped to ticks (`--feed`).
 * Formats as documented by each exchange:
 *
 * - binance: trade and aggTrade streams, raw (`/ws/<symbol>@trade`) or
 *   combined (`/stream?streams=…`, wrapped as `{"stream","data"}`):
 *   `{"e":"trade","s":"BTCUSDT","t":12345,"p":"0.001","q":"100","T":1672515782136,…}`
 *   → ts = T (trade time, ms), symbol = s, price = p, seq = t (trade id; `a` for aggTrade).
 *   https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
 * - coinbase: Exchange `matches` channel (`{"type":"match"|"last_match","trade_id","product_id","price","time",…}`
 *   → seq = trade_id) and Advanced Trade `market_trades`
 *   (`{"channel":"market_trades","events":[{"trades":[{"trade_id","product_id","price","time",…}]}]}`).
 *   https://docs.cdp.coinbase.com/exchange/websocket-feed/channels
 * - kraken: v2 `trade` channel (`{"channel":"trade","data":[{"symbol","price","trade_id","timestamp",…}]}`)
 *   and v1 (`[channelID, [[price, volume, time, side, type, misc], …], "trade", "XBT/USD"]`, no trade id).
 *   https://docs.kraken.com/api/docs/websocket-v2/trade
 *
 * Everything else an exchange sends (subscription acknowledgements,
 * heartbeats, status, other channels) is not a trade and is ignored.
 */
import type { Tick, TickProblem } from "../ticks/tickParser.js";
import { parseNumberText } from "../delimited/numberText.js";

export const FEEDS = ["binance", "coinbase", "kraken"] as const;
export type Feed = (typeof FEEDS)[number];

/** Ticks found in a message (possibly none), or why a trade message could not be read. */
export type FeedResult = Tick[] | TickProblem;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(object: Json, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function bad(message: string): TickProblem {
  return { message, column: 1 };
}

/** A tick from exchange fields: price as number or decimal string, time echoed as given. */
function makeTick(time: unknown, symbol: unknown, price: unknown, seq: unknown): Tick | TickProblem {
  if (typeof time !== "string" && typeof time !== "number") return bad("trade without a time");
  if (typeof symbol !== "string" || symbol.length === 0) return bad("trade without a symbol");
  const value =
    typeof price === "number" ? price : typeof price === "string" ? parseNumberText(price) : undefined;
  if (value === undefined || !(value > 0) || value === Number.POSITIVE_INFINITY) {
    return bad(`trade price must be a positive finite number, got ${JSON.stringify(price)}`);
  }
  let sequence = Number.NaN;
  if (typeof seq === "number") sequence = seq;
  else if (typeof seq === "string" && seq.trim() !== "") sequence = Number(seq);
  return { timeJson: JSON.stringify(String(time)), symbol, price: value, seq: sequence };
}

function collect(candidates: (Tick | TickProblem)[]): FeedResult {
  for (const c of candidates) if ("message" in c) return c;
  return candidates as Tick[];
}

function binance(message: unknown): FeedResult {
  const payload =
    isObject(message) && isObject(field(message, "data")) ? (field(message, "data") as Json) : message;
  if (!isObject(payload)) return [];
  const event = field(payload, "e");
  if (event === "trade") {
    return collect([
      makeTick(field(payload, "T"), field(payload, "s"), field(payload, "p"), field(payload, "t")),
    ]);
  }
  if (event === "aggTrade") {
    return collect([
      makeTick(field(payload, "T"), field(payload, "s"), field(payload, "p"), field(payload, "a")),
    ]);
  }
  return [];
}

function coinbase(message: unknown): FeedResult {
  if (!isObject(message)) return [];
  const type = field(message, "type");
  if (type === "match" || type === "last_match") {
    return collect([
      makeTick(
        field(message, "time"),
        field(message, "product_id"),
        field(message, "price"),
        field(message, "trade_id"),
      ),
    ]);
  }
  if (field(message, "channel") === "market_trades") {
    const events = field(message, "events");
    if (!Array.isArray(events)) return bad("market_trades message without events");
    const ticks: (Tick | TickProblem)[] = [];
    for (const event of events) {
      const trades = isObject(event) ? field(event, "trades") : undefined;
      if (!Array.isArray(trades)) continue;
      for (const trade of trades) {
        if (!isObject(trade)) return bad("trade is not an object");
        ticks.push(
          makeTick(
            field(trade, "time"),
            field(trade, "product_id"),
            field(trade, "price"),
            field(trade, "trade_id"),
          ),
        );
      }
    }
    // Advanced Trade lists the newest trade first; ticks go oldest first.
    return collect(ticks.reverse());
  }
  return [];
}

function kraken(message: unknown): FeedResult {
  if (isObject(message)) {
    if (field(message, "channel") !== "trade") return [];
    const data = field(message, "data");
    if (!Array.isArray(data)) return bad("trade message without data");
    return collect(
      data.map((trade) =>
        isObject(trade)
          ? makeTick(
              field(trade, "timestamp"),
              field(trade, "symbol"),
              field(trade, "price"),
              field(trade, "trade_id"),
            )
          : bad("trade is not an object"),
      ),
    );
  }
  // v1: [channelID, [[price, volume, time, side, orderType, misc], …], "trade", pair]
  if (Array.isArray(message) && message.length >= 4 && message[message.length - 2] === "trade") {
    const pair = message[message.length - 1];
    const trades = message[1];
    if (!Array.isArray(trades)) return bad("trade message without trades");
    return collect(
      trades.map((trade) =>
        Array.isArray(trade) && trade.length >= 3
          ? makeTick(trade[2], pair, trade[0], undefined)
          : bad("trade is not [price, volume, time, …]"),
      ),
    );
  }
  return [];
}

const MAPPERS: Record<Feed, (message: unknown) => FeedResult> = { binance, coinbase, kraken };

/** The trades in one websocket message of `feed`, as ticks in time order. */
export function feedTicks(feed: Feed, text: string): FeedResult {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    return bad(`not JSON: ${(error as Error).message}`);
  }
  return MAPPERS[feed](message);
}
