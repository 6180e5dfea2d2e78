// Writes the fixtures that are other fixtures in another layout (fixtures/README.md lists them), so
// the examples of the README and of --help have every kind of input to run on, and anyone can check
// how each was made: `node scripts/derive-fixtures.mjs` rewrites them byte for byte.
import { readFileSync, writeFileSync } from "node:fs";

const FIXTURES = new URL("../fixtures/", import.meta.url);
const read = (name) => readFileSync(new URL(name, FIXTURES), "utf8").trimEnd().split("\n");
const write = (name, lines) => writeFileSync(new URL(name, FIXTURES), `${lines.join("\n")}\n`);

// eustocks.csv (R's EuStockMarkets): the first 200 days as ticks, time-major (DAX, SMI, CAC, FTSE of
// one day, then the next), every time and price the text of the file.
const TICK_DAYS = 200;
const [header, ...days] = read("eustocks.csv");
const symbols = header.split(",").slice(1);
const ticks = days.slice(0, TICK_DAYS).flatMap((line) => {
  const [time, ...prices] = line.split(",");
  return symbols.map((symbol, j) => ({ time, symbol, price: prices[j] }));
});
write(
  "ticks.ndjson",
  ticks.map(({ time, symbol, price }) => `{"ts":${time},"symbol":"${symbol}","price":${price}}`),
);
write("ticks.csv", [
  "ts,symbol,price",
  ...ticks.map(({ time, symbol, price }) => `${time},${symbol},${price}`),
]);

// eustocks.csv as simple returns p_t / p_{t-1} - 1, in double precision, printed as JavaScript's
// shortest round-trip decimals; each row carries the time of the later price.
const levels = days.map((line) => line.split(","));
write("eustocks-returns.csv", [
  header,
  ...levels
    .slice(1)
    .map((row, i) => [
      row[0],
      ...row.slice(1).map((p, j) => String(Number(p) / Number(levels[i][j + 1]) - 1)),
    ])
    .map((cells) => cells.join(",")),
]);

// book-sample.csv (synthetic L3 events) up to its `clear`, as the two other inputs of `book`.
const events = read("book-sample.csv")
  .slice(1)
  .map((line) => {
    const [ts, event, id, side, price, size] = line.split(",");
    return { ts, event, id, side, price, size };
  });
const beforeClear = events.slice(
  0,
  events.findIndex((e) => e.event === "clear"),
);

// A LOBSTER message file (no header: time in seconds after midnight, type, order id, size, price in
// 1/10000, direction 1 buy / -1 sell), of every event: a deletion carries the order's remaining size and
// price, a modify is a deletion and a new submission under the same id, a hidden execution (`trade`)
// type 5 with id 0, and the `clear` a deletion of every resting order.
const seconds = (ns) => `${ns.slice(0, -9)}.${ns.slice(-9)}`;
const ticksOf = (price) => String(Math.round(Number(price) * 10000));
const direction = (side) => (side === "B" ? "1" : "-1");
const live = new Map();
const lobster = [];
const message = (ts, type, id, size, price, side) =>
  lobster.push([seconds(ts), type, id, size, ticksOf(price), direction(side)].join(","));
for (const e of events) {
  const order = live.get(e.id);
  if (e.event === "add") {
    live.set(e.id, { side: e.side, price: e.price, size: Number(e.size) });
    message(e.ts, 1, e.id, e.size, e.price, e.side);
  } else if (e.event === "cancel" || e.event === "execute") {
    const size = Math.min(Number(e.size), order.size);
    order.size -= size;
    if (order.size === 0) live.delete(e.id);
    if (e.event === "cancel" && order.size === 0) message(e.ts, 3, e.id, size, order.price, order.side);
    else message(e.ts, e.event === "cancel" ? 2 : 4, e.id, size, order.price, order.side);
  } else if (e.event === "delete") {
    live.delete(e.id);
    message(e.ts, 3, e.id, order.size, order.price, order.side);
  } else if (e.event === "modify") {
    message(e.ts, 3, e.id, order.size, order.price, order.side);
    live.set(e.id, { side: e.side, price: e.price, size: Number(e.size) });
    message(e.ts, 1, e.id, e.size, e.price, e.side);
  } else if (e.event === "trade") {
    message(e.ts, 5, 0, e.size, e.price, e.side);
  } else if (e.event === "clear") {
    for (const [id, resting] of live) message(e.ts, 3, id, resting.size, resting.price, resting.side);
    live.clear();
  }
}
write("book-sample-lobster.csv", lobster);

// Incoming orders for `book --match`: the sample's flow before its clear, as the orders that made it.
// A resting order's `add` is a limit order, a cancellation or deletion a cancel (of the size, or all),
// a modify a cancel and a new limit order under the same id, and an execution a market order from the
// other side of the size executed (taker ids from 1001); `trade` rows (hidden volume) are left out. The
// sample's executions do not always take the best price first, so a price–time matching of the derived
// flow runs alongside, and a cancel of an order it has already filled is left out.
const orders = ["ts,event,order_id,side,price,size"];
const resting = new Map();
let arrival = 0;
/** Fills `size` against the other side of `side` (best price, then oldest first) up to `limit`. */
const take = (side, size, limit) => {
  const makers = [...resting.entries()]
    .filter(
      ([, o]) =>
        o.side !== side && (limit === undefined || (side === "B" ? o.price <= limit : o.price >= limit)),
    )
    .sort(([, a], [, b]) => (side === "B" ? a.price - b.price : b.price - a.price) || a.arrival - b.arrival);
  for (const [id, maker] of makers) {
    if (size === 0) break;
    const fill = Math.min(size, maker.size);
    size -= fill;
    maker.size -= fill;
    if (maker.size === 0) resting.delete(id);
  }
  return size;
};
const limit = (e) => {
  orders.push([e.ts, "limit", e.id, e.side, e.price, e.size].join(","));
  const left = take(e.side, Number(e.size), Number(e.price));
  if (left > 0) resting.set(e.id, { side: e.side, price: Number(e.price), size: left, arrival: arrival++ });
};
const cancel = (e, size) => {
  const order = resting.get(e.id);
  if (order === undefined) return;
  orders.push([e.ts, "cancel", e.id, "", "", size ?? ""].join(","));
  if (size === undefined || Number(size) >= order.size) resting.delete(e.id);
  else order.size -= Number(size);
};
let taker = 1000;
for (const e of beforeClear) {
  if (e.event === "add") limit(e);
  else if (e.event === "cancel") cancel(e, e.size);
  else if (e.event === "delete") cancel(e);
  else if (e.event === "modify") {
    cancel(e);
    limit(e);
  } else if (e.event === "execute") {
    const side = e.side === "B" ? "S" : "B";
    orders.push([e.ts, "market", ++taker, side, "", e.size].join(","));
    take(side, Number(e.size));
  }
}
write("book-orders.csv", orders);
