import { describe, expect, it } from "vitest";
import { readFrame } from "../../src/io/read.js";
import {
  daysFromCivil,
  detectTimeKind,
  isIsoBytes,
  isoKey,
  isoLastParse,
  monthNameKey,
} from "../../src/io/table/timeStamps.js";
import { Prng } from "../../src/numerics/random/prng.js";
import { failure, tempFile } from "./io-helpers.js";

const csv = (name: string, lines: string[]) => tempFile(name, `${lines.join("\n")}\n`);

describe("time stamp parsing", () => {
  it("computes civil days like Date.UTC, including years before 100", () => {
    for (const [y, m, d] of [
      [1970, 1, 1],
      [2000, 2, 29],
      [1900, 3, 1],
      [2024, 12, 31],
      [1600, 1, 1],
    ] as const) {
      expect(daysFromCivil(y, m, d) * 86_400_000).toBe(Date.UTC(y, m - 1, d));
    }
    expect(daysFromCivil(1, 1, 1)).toBe(-719_162);
  });

  it("reads ISO dates, date-times, fractions and offsets as UTC epoch milliseconds", () => {
    expect(isoKey("2000-01-03")).toBe(Date.UTC(2000, 0, 3));
    expect(isoKey("2024-01-02T09:30:00Z")).toBe(Date.UTC(2024, 0, 2, 9, 30));
    expect(isoKey("2024-01-02 09:30")).toBe(Date.UTC(2024, 0, 2, 9, 30));
    expect(isoKey("2024-01-02T09:30:00.5+01:00")).toBe(Date.UTC(2024, 0, 2, 8, 30, 0, 500));
    expect(isoKey("2024-01-02T09:30:00-0530")).toBe(Date.UTC(2024, 0, 2, 15, 0));
    expect(isoKey("2024-01-02T09:30:00.123456789Z")).toBe(Date.UTC(2024, 0, 2, 9, 30, 0, 123));
    expect(isoLastParse.fractionTail).toBe("456789");
    for (const bad of ["2024-02-30", "2024-13-01", "2024-01-02T25:00", "2024-01-02X10:00", "2024-1-2"]) {
      expect(isoKey(bad)).toBeUndefined();
    }
  });

  it("reads month-name dates in the common spellings", () => {
    const jan1 = Date.UTC(2000, 0, 1);
    for (const text of [
      "Jan 1 2000",
      "January 1, 2000",
      "1 Jan 2000",
      "01-Jan-2000",
      "jan 01 2000",
      "Jan. 1 2000",
    ]) {
      expect(monthNameKey(text)).toBe(jan1);
    }
    expect(monthNameKey("Sept 30 2001")).toBe(Date.UTC(2001, 8, 30));
    expect(monthNameKey("Feb 30 2000")).toBeUndefined();
    expect(monthNameKey("Foo 1 2000")).toBeUndefined();
  });

  it("detects the kind from the text", () => {
    expect(detectTimeKind("2000-01-03")).toBe("iso");
    expect(detectTimeKind("1704205800000")).toBe("number");
    expect(detectTimeKind("1991.496154")).toBe("number");
    expect(detectTimeKind("Jan 1 2000")).toBe("monthName");
    expect(detectTimeKind("yesterday")).toBeUndefined();
  });
});

describe("time order", () => {
  it("orders epoch nanoseconds beyond 2^53 exactly", async () => {
    const ordered = await readFrame(
      csv("ns.csv", ["time,a", "1700000000000000000,1", "1700000000000000001,2", "1700000000000000002,3"]),
    );
    expect(ordered.time.toArray()).toEqual([
      "1700000000000000000",
      "1700000000000000001",
      "1700000000000000002",
    ]);
    const error = await failure(
      readFrame(csv("ns-back.csv", ["time,a", "1700000000000000001,1", "1700000000000000000,2"])),
    );
    expect(error.code).toBe("unsorted_time");
    expect(error.message).toBe(
      "time goes backwards at line 3: 1700000000000000000 after 1700000000000000001",
    );
    expect(error.location).toMatchObject({ line: 3, column: 1 });
  });

  it("sorts epoch nanoseconds exactly with --sort and keeps the text", async () => {
    const frame = await readFrame(
      csv("ns-sort.csv", [
        "time,a",
        "1700000000000000002,3",
        "1700000000000000000,1",
        "1700000000000000001,2",
      ]),
      { sort: true },
    );
    expect(frame.time.toArray()).toEqual([
      "1700000000000000000",
      "1700000000000000001",
      "1700000000000000002",
    ]);
    expect(Array.from(frame.columns[0]!)).toEqual([1, 2, 3]);
    expect(Array.from(frame.lines!)).toEqual([3, 4, 2]);
  });

  it("rejects a repeated stamp, also with --sort", async () => {
    const lines = ["time,a", "2000-01-03,1", "2000-01-04,2", "2000-01-04,3"];
    const error = await failure(readFrame(csv("dup.csv", lines)));
    expect(error.code).toBe("duplicate_time");
    expect(error.message).toBe("duplicate time 2000-01-04 at line 4 (first at line 3)");
    const sorted = await failure(readFrame(csv("dup2.csv", lines), { sort: true }));
    expect(sorted.code).toBe("duplicate_time");
    expect(sorted.location.line).toBe(4);
  });

  it("compares ISO stamps with offsets as instants", async () => {
    const frame = await readFrame(
      csv(
        "tz.csv",
        ["time,a", "2024-01-02T10:00:00+02:00", "2024-01-02T09:00:00Z", "2024-01-02T10:30:00+01:00"].map(
          (t, k) => (k === 0 ? t : `${t},${k}`),
        ),
      ),
      { sort: true },
    );
    expect(frame.time.toArray()).toEqual([
      "2024-01-02T10:00:00+02:00",
      "2024-01-02T09:00:00Z",
      "2024-01-02T10:30:00+01:00",
    ]);
    const same = await failure(
      readFrame(csv("tz-dup.csv", ["time,a", "2024-01-02T10:00:00+01:00,1", "2024-01-02T09:00:00Z,2"])),
    );
    expect(same.code).toBe("duplicate_time");
  });

  it("orders sub-millisecond ISO fractions exactly", async () => {
    const frame = await readFrame(
      csv("frac.csv", ["time,a", "2024-01-02T09:30:00.0000001Z,2", "2024-01-02T09:30:00Z,1"]),
      { sort: true },
    );
    expect(frame.time.toArray()).toEqual(["2024-01-02T09:30:00Z", "2024-01-02T09:30:00.0000001Z"]);
  });

  it("compares decimal years as numbers", async () => {
    const error = await failure(readFrame(csv("dec.csv", ["t,a", "1991.5,1", "1991.496154,2"])));
    expect(error.code).toBe("unsorted_time");
    expect(error.message).toContain("1991.496154 after 1991.5");
  });

  it("reports an unparseable or missing stamp with line and column", async () => {
    const bad = await failure(readFrame(csv("badtime.csv", ["x,time", "1,2000-01-03", "2,2000-01-0x"])));
    expect(bad.code).toBe("bad_time");
    expect(bad.message).toBe('unparseable time "2000-01-0x"');
    expect(bad.location).toMatchObject({ line: 3, column: 2 });
    const mixed = await failure(readFrame(csv("mixed.csv", ["time,a", "2000-01-03,1", "Jan 4 2000,2"])));
    expect(mixed.code).toBe("bad_time");
    expect(mixed.hint).toContain("ISO date");
    const empty = await failure(readFrame(csv("emptytime.csv", ["time,a", "1,1", ",2"])));
    expect(empty.code).toBe("missing_time");
    expect(empty.location).toMatchObject({ line: 3, column: 1 });
  });
});

describe("isIsoBytes", () => {
  it("accepts exactly the stamps isoKey parses, on bytes framed by other bytes", () => {
    const prng = new Prng(2026_12_08);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(prng.nextFloat() * items.length)]!;
    const seeds = [
      "2024-02-29",
      "2023-02-29",
      "2024-01-02T10:00",
      "2024-01-02t10:00:59",
      "2024-01-02 23:59:60.5",
      "2024-12-31T00:00:00,125Z",
      "2024-01-02T09:30:00.123456789+01:00",
      "2024-01-02T09:30:00-0530",
      "2024-01-02T09:30:00+01",
      "2024-04-31",
      "1999-13-01",
    ];
    const characters = "0123456789-:T tZz+.,x";
    let agreed = 0;
    for (let k = 0; k < 20_000; k++) {
      let text = pick(seeds);
      const edits = Math.floor(prng.nextFloat() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(prng.nextFloat() * (text.length + 1));
        const kind = prng.nextFloat();
        if (kind < 0.4) text = text.slice(0, at) + pick([...characters]) + text.slice(at + 1);
        else if (kind < 0.7) text = text.slice(0, at) + pick([...characters]) + text.slice(at);
        else text = text.slice(0, at);
      }
      // Digits around the stamp: a check that reads past either end would see them.
      const bytes = Buffer.from(`99${text}99`, "latin1");
      expect({ text, bytes: isIsoBytes(bytes, 2, 2 + text.length) }).toEqual({
        text,
        bytes: isoKey(text) !== undefined,
      });
      agreed++;
    }
    expect(agreed).toBe(20_000);
  });
});
