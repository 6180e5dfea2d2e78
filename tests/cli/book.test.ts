import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab } from "./run.js";

const directory = mkdtempSync(join(tmpdir(), "hftlab-book-cli-"));
function file(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

const HEADER = "ts,event,order_id,side,price,size\n";
const EVENTS = file(
  "events.csv",
  `${HEADER}1,add,1,B,99.99,100\n2,add,2,S,100.01,50\n3,add,3,B,99.98,20\n4,execute,2,S,100.01,20\n` +
    "5,trade,0,B,100.01,10\n6,add,4,S,100.02,5\n7,cancel,1,B,99.99,40\n",
);

describe("hftlab book", () => {
  it("--json writes the envelope with every resolved option and the SPEC keys", () => {
    const r = hftlab(["book", "--json", "--depth", "2", EVENTS]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["command", "version", "params", "data", "result", "warnings"]);
    expect(doc.params).toEqual({
      inputFormat: null,
      depth: 2,
      at: null,
      every: null,
      interval: null,
      match: false,
      lenient: false,
    });
    expect(doc.data).toMatchObject({ rows: 7, start: "1", end: "7", droppedRows: 0 });
    const result = doc.result;
    expect(result.bids).toEqual([
      { price: 99.99, size: 60, orders: 1 },
      { price: 99.98, size: 20, orders: 1 },
    ]);
    expect(result.asks).toEqual([
      { price: 100.01, size: 30, orders: 1 },
      { price: 100.02, size: 5, orders: 1 },
    ]);
    // mid (99.99 + 100.01)/2; imbalance (60 - 30)/(60 + 30); microprice (99.99·30 + 100.01·60)/90.
    expect([result.mid, result.spread, result.imbalance]).toEqual([100, 0.02, 1 / 3]);
    expect(result.microprice).toBeCloseTo((99.99 * 30 + 100.01 * 60) / 90, 12);
    expect([result.events, result.trades, result.volume, result.vwap]).toEqual([7, 2, 30, 100.01]);
    expect(result.liveOrders).toBe(4);
  });

  it("--every N writes one NDJSON snapshot per N events, plus the rest", () => {
    const r = hftlab(["book", "--every", "3", EVENTS]);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((s) => [s.ts, s.events, s.trades])).toEqual([
      ["3", 3, 0],
      ["6", 6, 2],
      ["7", 7, 0],
    ]);
    expect(lines[1].volume).toBe(30);
  });

  it("--at TS shows the book after every event stamped at or before TS", () => {
    const doc = JSON.parse(hftlab(["book", "--json", "--at", "4", EVENTS]).stdout);
    expect(doc.result.events).toBe(4);
    expect(doc.result.asks).toEqual([{ price: 100.01, size: 30, orders: 1 }]);
  });

  it("--interval snapshots the end of every time bucket", () => {
    const r = hftlab(["book", "--interval", "4", EVENTS]);
    expect(
      r.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).ts),
    ).toEqual(["3", "7"]);
  });

  it("reads standard input", () => {
    const r = hftlab(["book", "--ndjson", "-"], { input: `${HEADER}1,add,1,B,5,1\n` });
    expect(JSON.parse(r.stdout).bids).toEqual([{ price: 5, size: 1, orders: 1 }]);
  });

  it("stops at an unknown order id with exit 3 and the line (header = 1)", () => {
    const bad = file("bad.csv", `${HEADER}1,add,1,B,99.99,100\n2,delete,9,,,\n`);
    const r = hftlab(["book", "--json", bad]);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`unknown order id: delete of order 9 (${bad}:3)`);
    const error = JSON.parse(r.stderr.trim().split("\n").at(-1)!).error;
    expect([error.code, error.line]).toEqual(["unknown_order_id", 3]);
  });

  it("stops at a crossed book, with the line", () => {
    const bad = file("crossed.csv", `${HEADER}1,add,1,S,10,1\n2,add,2,B,10.5,1\n`);
    const r = hftlab(["book", bad]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`order would cross the book: add of order 2 (${bad}:3)`);
  });

  it("--lenient counts and reports the problems instead", () => {
    const bad = file(
      "lenient.csv",
      `${HEADER}1,add,1,S,10,1\n2,add,2,B,10.5,1\n3,delete,8,,,\n2,add,3,B,9,-4\n`,
    );
    const r = hftlab(["book", "--json", "--lenient", bad]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.warnings).toEqual([
      "1 event skipped: unknown order id (first at line 4)",
      "1 event skipped: negative or zero size (first at line 5)",
      "1 event skipped: order would cross the book (first at line 3)",
      "1 event with time going backwards, applied in file order (first at line 5)",
    ]);
    expect(doc.result.issues.crossed_book).toBe(1);
    expect(doc.data.droppedRows).toBe(3);
    expect(r.stderr).toContain("hftlab: warning: 1 event skipped: unknown order id");
  });

  it("--match reports fills with maker and taker ids and rests the remainder", () => {
    const orders = file(
      "orders.csv",
      `${HEADER}1,limit,1,S,10.01,5\n2,limit,2,S,10.02,5\n3,limit,3,B,10.02,12\n4,market,4,S,,1\n`,
    );
    const doc = JSON.parse(hftlab(["book", "--match", "--json", orders]).stdout);
    expect(doc.result.fills).toEqual([
      { ts: "3", taker: 3, maker: 1, side: "buy", price: 10.01, size: 5 },
      { ts: "3", taker: 3, maker: 2, side: "buy", price: 10.02, size: 5 },
      { ts: "4", taker: 4, maker: 3, side: "sell", price: 10.02, size: 1 },
    ]);
    expect(doc.result.bids).toEqual([{ price: 10.02, size: 1, orders: 1 }]);
    expect(doc.result.layout).toBe("match");
  });

  it("replays L2 updates, with unknown order counts as null", () => {
    const l2 = file("l2.csv", "ts,side,price,size\n1,B,10.1,5\n2,S,10.3,2\n3,B,10.1,0\n4,B,10.2,4\n");
    const snapshot = JSON.parse(hftlab(["book", "--ndjson", l2]).stdout);
    expect(snapshot.bids).toEqual([{ price: 10.2, size: 4, orders: null }]);
  });

  it("replays LOBSTER messages, hidden executions counting as volume only", () => {
    const messages = file(
      "msg.csv",
      "34200.1,1,11,18,5853300,1\n34200.2,1,12,10,5859100,-1\n34200.3,5,0,50,5856000,-1\n34200.4,4,11,8,5853300,1\n34200.5,7,-1,0,-1,-1\n",
    );
    const doc = JSON.parse(hftlab(["book", "--input-format", "lobster", "--json", messages]).stdout);
    expect(doc.result.bids).toEqual([{ price: 585.33, size: 10, orders: 1 }]);
    expect(doc.result.asks).toEqual([{ price: 585.91, size: 10, orders: 1 }]);
    expect([doc.result.trades, doc.result.volume, doc.result.halts]).toEqual([2, 58, 1]);
  });

  it("draws a coloured depth ladder on a terminal, plain without colour", () => {
    const coloured = hftlab(["book", "--depth", "3", EVENTS], { env: { FORCE_COLOR: "1" } });
    expect(coloured.stdout).toContain("\u001b[");
    const plain = hftlab(["book", "--no-color", EVENTS]);
    expect(plain.stdout).not.toContain("\u001b[");
    expect(plain.stdout).toMatch(/100\.01\s+30\s+1\s+█+/);
    expect(plain.stdout).toContain("spread 0.02");
  });

  it("rejects combined schedules as a usage error", () => {
    const r = hftlab(["book", "--every", "2", "--at", "3", EVENTS]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--at and --every cannot be combined");
  });
});
