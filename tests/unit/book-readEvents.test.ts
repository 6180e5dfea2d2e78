import { gzipSync } from "node:zlib";
import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import { ASK, BID, EventKind, NO_SIDE } from "../../src/book/events.js";
import { HftlabError } from "../../src/errors.js";
import { openEvents } from "../../src/io/events/readEvents.js";
import { tempFile } from "./io-helpers.js";

interface ReadRow {
  kind: number;
  id: number;
  side: number;
  price: number;
  size: number;
  time: number;
  line: number;
  stamp: string;
}

async function readAll(
  content: string | Uint8Array,
  name = "events.csv",
  format?: "csv" | "tsv" | "lobster",
  lenient = false,
) {
  const path = tempFile(name, content);
  const reader = await openEvents(path, { format, stdin: process.stdin, lenient });
  const rows: ReadRow[] = [];
  for await (const batch of reader.batches()) {
    for (let i = 0; i < batch.count; i++) {
      rows.push({
        kind: batch.kind[i]!,
        id: batch.orderId[i]!,
        side: batch.side[i]!,
        price: batch.price[i]!,
        size: batch.size[i]!,
        time: batch.time[i]!,
        line: batch.line[i]!,
        stamp: batch.stampText(i),
      });
    }
  }
  return { reader, rows };
}

async function readError(content: string, format?: "csv" | "lobster"): Promise<HftlabError> {
  try {
    await readAll(content, "bad.csv", format);
  } catch (error) {
    if (error instanceof HftlabError) return error;
    throw error;
  }
  throw new Error("expected an input error");
}

const HEADER = "ts,event,order_id,side,price,size\n";

describe("readEvents: L3 CSV", () => {
  it("reads every event type, fixed-point prices and sizes, stamps as written and lines from 2", async () => {
    const { reader, rows } = await readAll(
      `${HEADER}34200000000001,add,1,B,99.99,100\n34200000000002,cancel,1,B,99.99,40\n` +
        "34200000000003,modify,1,B,100.1,60\n34200000000004,execute,1,B,100.1,10\n" +
        "34200000000005,trade,0,S,100.1,10\n34200000000006,delete,1,,,\n34200000000007,clear,,,,\n",
    );
    expect(reader.layout).toBe("l3");
    expect(rows.map((r) => r.kind)).toEqual([
      EventKind.add,
      EventKind.cancel,
      EventKind.modify,
      EventKind.execute,
      EventKind.trade,
      EventKind.delete,
      EventKind.clear,
    ]);
    expect(rows[0]).toEqual({
      kind: EventKind.add,
      id: 1,
      side: BID,
      price: 9_999_000_000,
      size: 10_000_000_000,
      time: 34200000000001,
      line: 2,
      stamp: "34200000000001",
    });
    expect(rows[2]!.price).toBe(10_010_000_000);
    expect(rows[4]!.side).toBe(ASK);
    expect([rows[5]!.side, rows[5]!.price, rows[5]!.size]).toEqual([NO_SIDE, Number.NaN, Number.NaN]);
    expect(Number.isNaN(rows[6]!.id)).toBe(true);
    expect(rows[6]!.line).toBe(8);
    expect(reader.priceDecimals).toBe(2);
  });

  it("the fast path and the general scanner agree (reordered columns, CRLF, any case, side words)", async () => {
    const fast = await readAll(`${HEADER}1,add,7,B,10.25,3\n2,ADD,8,s,10.5,2.5\n3,delete,7,,,\n`);
    const general = await readAll(
      "side,size,price,order_id,event,ts\r\nbuy,3,10.25,7,Add,1\r\nSELL,2.5,10.50,8,add,2\r\n,,,7,DELETE,3\r\n",
    );
    const strip = (rows: ReadRow[]) => rows.map(({ stamp, ...rest }) => ({ ...rest, stamp: stamp.trim() }));
    expect(strip(general.rows)).toEqual(strip(fast.rows));
    expect(general.reader.sizeDecimals).toBe(1);
  });

  it("reads every event word in any letter case on the fast path, as the general scanner does", async () => {
    const words = [
      "add",
      "ADD",
      "Cancel",
      "cancel",
      "delete",
      "Modify",
      "execute",
      "EXECUTE",
      "trade",
      "Clear",
      "clear",
    ];
    const fast = await readAll(HEADER + words.map((word, k) => `${k + 1},${word},${k},B,1,1\n`).join(""));
    const general = await readAll(
      `event,ts,order_id,side,price,size\n${words.map((word, k) => `${word},${k + 1},${k},B,1,1\n`).join("")}`,
    );
    expect(fast.rows.map((r) => r.kind)).toEqual(general.rows.map((r) => r.kind));
    expect(fast.rows.map((r) => r.kind)).toEqual([1, 1, 2, 2, 3, 4, 5, 5, 6, 7, 7]);
  });

  it("leaves words that only start like event words to the general scanner's errors", async () => {
    for (const [line, code] of [
      ["2,cancels,1,B,1,1", "bad_event"],
      ["2,clea,,,,", "bad_event"],
      ["2,ad,1,B,1,1", "bad_event"],
      ["2,trades,1,B,1,1", "bad_event"],
      ["2,c", "bad_event"],
      ["2,execute", "field_count"],
      ["2,clear", "field_count"],
    ] as const) {
      const error = await readError(`${HEADER}1,add,1,B,1,1\n${line}`);
      expect([line, error.code, error.location.line]).toEqual([line, code, 3]);
    }
  });

  it("reads gzip input and a last line without a newline", async () => {
    const { rows } = await readAll(gzipSync(`${HEADER}1,add,1,B,1,1\n2,add,2,S,2,1`), "events.csv.gz");
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it("compares long stamps (epoch nanoseconds) exactly, beyond 2^53", async () => {
    const ok = await readAll(`${HEADER}1700000000000000000,add,1,B,1,1\n1700000000000000001,add,2,B,1,1\n`);
    expect(ok.rows.map((r) => r.stamp)).toEqual(["1700000000000000000", "1700000000000000001"]);
    const error = await readError(
      `${HEADER}1700000000000000001,add,1,B,1,1\n1700000000000000000,add,2,B,1,1\n`,
    );
    expect([error.code, error.location.line]).toEqual(["time_backwards", 3]);
  });

  it("counts time going backwards with lenient", async () => {
    const { reader } = await readAll(
      `${HEADER}5,add,1,B,1,1\n4,add,2,B,1,1\n6,add,3,B,1,1\n`,
      "e.csv",
      undefined,
      true,
    );
    expect([reader.timeBackwards, reader.firstBackwardsLine]).toEqual([1, 3]);
  });

  it("reads L2 files (no event column) as level updates", async () => {
    const { reader, rows } = await readAll("ts,side,price,size\n1,B,10.1,5\n2,S,10.3,0\n");
    expect(reader.layout).toBe("l2");
    expect(rows.map((r) => [r.kind, r.side, r.size])).toEqual([
      [EventKind.level, BID, 500_000_000],
      [EventKind.level, ASK, 0],
    ]);
  });
});

describe("readEvents: Arrow IPC", () => {
  it("reads the same events from Arrow (file and stream formats) as from CSV", async () => {
    const csv = await readAll(
      `${HEADER}34200000000001,add,1,B,99.99,100\n34200000000002,add,2,S,100.01,5.5\n34200000000003,delete,1,,,\n`,
    );
    const table = arrow.tableFromArrays({
      ts: BigInt64Array.from([34200000000001n, 34200000000002n, 34200000000003n]),
      event: ["add", "add", "delete"],
      order_id: Int32Array.from([1, 2, 1]),
      side: ["B", "S", null],
      price: [99.99, 100.01, null],
      size: [100, 5.5, null],
    });
    for (const [name, format] of [
      ["events.arrow", "file"],
      ["events.arrows", "stream"],
    ] as const) {
      const { reader, rows } = await readAll(arrow.tableToIPC(table, format), name);
      expect(reader.layout).toBe("l3");
      expect(rows).toEqual(csv.rows);
    }
  });
});

describe("readEvents: LOBSTER", () => {
  it("maps message types 1-7, prices in 1/10000 and directions", async () => {
    const { reader, rows } = await readAll(
      "34200.004241176,1,16113575,18,5853300,1\n34200.1,2,16113575,8,5853300,1\n34200.2,3,16113575,10,5853300,1\n" +
        "34200.3,4,5,1,5853300,-1\n34200.4,5,0,50,5856000,-1\n34200.5,6,0,10,5856000,1\n34200.6,7,-1,0,-1,-1\n",
      "AAPL_message.csv",
      "lobster",
    );
    expect(reader.layout).toBe("lobster");
    expect(rows.map((r) => r.kind)).toEqual([
      EventKind.add,
      EventKind.cancel,
      EventKind.delete,
      EventKind.execute,
      EventKind.trade,
      EventKind.trade,
      EventKind.halt,
    ]);
    // 5853300 / 10000 = 585.33 currency units = 58,533,000,000 fixed-point units.
    expect(rows[0]!.price).toBe(58_533_000_000);
    expect(rows[0]!.side).toBe(BID);
    expect(rows[3]!.side).toBe(ASK);
    expect(rows[0]!.line).toBe(1);
    expect(rows[0]!.time).toBe(34200.004241176);
    expect(reader.priceDecimals).toBe(4);
  });

  it("rejects an unknown message type with its line", async () => {
    const error = await readError("34200.1,1,1,1,100,1\n34200.2,9,1,1,100,1\n", "lobster");
    expect([error.code, error.location.line, error.location.column]).toEqual(["bad_event", 2, 2]);
  });
});

describe("readEvents: errors carry the line (header = line 1)", () => {
  const cases: Array<[string, string, string, number]> = [
    ["an unknown event", `${HEADER}1,add,1,B,1,1\n2,replace,1,B,1,1\n`, "bad_event", 3],
    ["an unreadable price", `${HEADER}1,add,1,B,1,1\n2,add,2,B,1.2.3,1\n`, "bad_number", 3],
    ["more than 8 decimals", `${HEADER}1,add,1,B,1.123456789,1\n`, "too_many_decimals", 2],
    ["a short row", `${HEADER}1,add,1,B,1,1\n2,add,2,B,1\n`, "field_count", 3],
    ["a long row", `${HEADER}1,add,1,B,1,1,9\n`, "field_count", 2],
    ["an unknown side", `${HEADER}1,add,1,X,1,1\n`, "bad_side", 2],
    ["an unreadable stamp", `${HEADER}yesterday,add,1,B,1,1\n`, "bad_time", 2],
    ["time going backwards", `${HEADER}5,add,1,B,1,1\n\n4,add,2,B,1,1\n`, "time_backwards", 4],
    ["a missing column", "ts,event,order_id,side,price\n1,add,1,B,1\n", "missing_column", 1],
  ];
  for (const [name, content, code, line] of cases) {
    it(`reports ${name} at line ${line}`, async () => {
      const error = await readError(content);
      expect([error.code, error.location.line]).toEqual([code, line]);
      expect(error.exitCode).toBe(3);
    });
  }

  it("reports an empty file", async () => {
    expect((await readError("")).code).toBe("empty_input");
  });
});
