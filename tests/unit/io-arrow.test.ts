import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import type { Frame } from "../../src/io/frame.js";
import { readFrame } from "../../src/io/read.js";
import { formatTimestamp } from "../../src/io/table/timestampText.js";
import type { OutputColumn } from "../../src/io/outputColumn.js";
import { writeTable } from "../../src/io/write.js";
import { failure, fixture, stdinOf, tempDir } from "./io-helpers.js";

function frameColumns(frame: Frame): OutputColumn[] {
  return [
    { name: frame.timeName, values: frame.time.toArray() },
    ...frame.symbols.map((symbol, j) => ({ name: symbol, values: frame.columns[j]! })),
  ];
}

function expectSameFrame(actual: Frame, expected: Frame): void {
  expect(actual.timeName).toBe(expected.timeName);
  expect(actual.symbols).toEqual(expected.symbols);
  expect(actual.time.toArray()).toEqual(expected.time.toArray());
  expect(actual.droppedRows).toBe(expected.droppedRows);
  actual.columns.forEach((column, j) => {
    const other = expected.columns[j]!;
    expect(column.length).toBe(other.length);
    for (let i = 0; i < column.length; i++) expect(Object.is(column[i], other[i])).toBe(true);
  });
}

function writeIpc(path: string, table: arrow.Table, format: "file" | "stream" = "file"): string {
  writeFileSync(path, arrow.tableToIPC(table, format));
  return path;
}

describe("Arrow round trips through writeTable", () => {
  for (const extension of ["arrow", "feather", "arrows"]) {
    it(`writes and reads back an identical frame (.${extension})`, async () => {
      const original = await readFrame(fixture("eustocks.csv"));
      const path = join(tempDir(), `eu.${extension}`);
      await writeTable(path, frameColumns(original));
      expectSameFrame(await readFrame(path), original);
    });
  }

  it("round-trips a long file's frame and nulls (NaN) through Arrow", async () => {
    const original = await readFrame(fixture("stocks.csv"), { missing: "ffill" });
    const path = join(tempDir(), "stocks.arrow");
    const columns = frameColumns(original);
    const withGap = Float64Array.from(original.columns[0]!);
    withGap[3] = Number.NaN;
    columns[1] = { name: columns[1]!.name, values: withGap };
    await writeTable(path, columns);
    const table = arrow.tableFromIPC(readFileSync(path));
    expect(table.schema.fields[1]!.nullable).toBe(true);
    expect(table.getChildAt(1)!.get(3)).toBeNull();
    const back = await readFrame(path, { missing: "ffill" });
    expect(back.columns[0]![3]).toBe(back.columns[0]![2]);
  });

  it("keeps Int8 and Int32 columns as integer types", async () => {
    const path = join(tempDir(), "ints.arrow");
    await writeTable(path, [
      { name: "time", values: ["1", "2", "3"] },
      { name: "position", values: Int8Array.of(-1, 0, 1) },
      { name: "state", values: Int32Array.of(7, 8, 9) },
    ]);
    const table = arrow.tableFromIPC(readFileSync(path));
    expect(String(table.schema.fields[1]!.type)).toBe("Int8");
    expect(String(table.schema.fields[2]!.type)).toBe("Int32");
    expect(String(table.schema.fields[0]!.type)).toBe("Utf8");
    const frame = await readFrame(path);
    expect(Array.from(frame.columns[0]!)).toEqual([-1, 0, 1]);
  });
});

describe("Arrow input types", () => {
  it("formats Int64 epoch nanoseconds exactly and orders them exactly", async () => {
    const time = arrow.makeVector(BigInt64Array.of(1700000000000000000n, 1700000000000000001n));
    const path = writeIpc(
      join(tempDir(), "ns.arrow"),
      new arrow.Table({ time, a: arrow.makeVector(Float64Array.of(1, 2)) }),
    );
    const frame = await readFrame(path);
    expect(frame.time.toArray()).toEqual(["1700000000000000000", "1700000000000000001"]);
    const backwards = arrow.makeVector(BigInt64Array.of(1700000000000000001n, 1700000000000000000n));
    const bad = writeIpc(
      join(tempDir(), "ns-back.arrows"),
      new arrow.Table({ time: backwards, a: arrow.makeVector(Float64Array.of(1, 2)) }),
      "stream",
    );
    const error = await failure(readFrame(bad));
    expect(error.code).toBe("unsorted_time");
    expect(error.message).toContain("at row 2");
  });

  it("formats Timestamp and Date columns as ISO text", async () => {
    expect(formatTimestamp(1704188200123456789n, 3, true)).toBe("2024-01-02T09:36:40.123456789Z");
    expect(formatTimestamp(1704188200000000000n, 3, false)).toBe("2024-01-02T09:36:40");
    expect(formatTimestamp(1704188200500n, 1, true)).toBe("2024-01-02T09:36:40.500Z");
    expect(formatTimestamp(-1n, 1, true)).toBe("1969-12-31T23:59:59.999Z");
    const stamps = arrow.makeData({
      type: new arrow.TimestampMillisecond("UTC"),
      length: 2,
      data: BigInt64Array.of(946857600000n, 946944000000n),
    });
    const path = writeIpc(
      join(tempDir(), "ts.arrow"),
      new arrow.Table({ date: arrow.makeVector(stamps), a: arrow.makeVector(Float32Array.of(1.5, 2.5)) }),
    );
    const frame = await readFrame(path);
    expect(frame.time.toArray()).toEqual(["2000-01-03T00:00:00Z", "2000-01-04T00:00:00Z"]);
    expect(Array.from(frame.columns[0]!)).toEqual([1.5, 2.5]);
    const days = arrow.makeData({ type: new arrow.DateDay(), length: 2, data: Int32Array.of(10959, 10960) });
    const datePath = writeIpc(
      join(tempDir(), "days.arrow"),
      new arrow.Table({ date: arrow.makeVector(days), a: arrow.makeVector(Int32Array.of(1, 2)) }),
    );
    expect((await readFrame(datePath)).time.toArray()).toEqual(["2000-01-03", "2000-01-04"]);
  });

  it("pivots a long Arrow file with a dictionary-encoded symbol column", async () => {
    const table = new arrow.Table({
      date: arrow.vectorFromArray(["2000-01-03", "2000-01-03", "2000-01-04", "2000-01-04"], new arrow.Utf8()),
      symbol: arrow.vectorFromArray(
        ["A", "B", "A", "B"],
        new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
      ),
      close: arrow.makeVector(Float64Array.of(1, 2, 3, 4)),
    });
    const frame = await readFrame(writeIpc(join(tempDir(), "long.arrow"), table));
    expect(frame.symbols).toEqual(["A", "B"]);
    expect(Array.from(frame.columns[1]!)).toEqual([2, 4]);
  });

  it("treats nulls as missing and rejects non-numeric value columns", async () => {
    const table = new arrow.Table({
      time: arrow.vectorFromArray(["1", "2", "3"], new arrow.Utf8()),
      a: arrow.vectorFromArray([1, null, 3], new arrow.Float64()),
    });
    const frame = await readFrame(writeIpc(join(tempDir(), "nulls.arrow"), table));
    expect(frame.time.toArray()).toEqual(["1", "3"]);
    expect(frame.droppedRows).toBe(1);
    const text = new arrow.Table({
      time: arrow.vectorFromArray(["1"], new arrow.Utf8()),
      a: arrow.vectorFromArray(["x"], new arrow.Utf8()),
    });
    const error = await failure(readFrame(writeIpc(join(tempDir(), "text.arrow"), text)));
    expect(error.code).toBe("bad_number");
    const infinite = new arrow.Table({
      time: arrow.vectorFromArray(["1"], new arrow.Utf8()),
      a: arrow.makeVector(Float64Array.of(Infinity)),
    });
    expect((await failure(readFrame(writeIpc(join(tempDir(), "inf.arrow"), infinite)))).code).toBe(
      "non_finite",
    );
  });

  it("sniffs Arrow on standard input, file and stream formats", async () => {
    const table = new arrow.Table({
      time: arrow.vectorFromArray(["1", "2"], new arrow.Utf8()),
      a: arrow.makeVector(Float64Array.of(5, 6)),
    });
    for (const format of ["file", "stream"] as const) {
      const frame = await readFrame("-", { stdin: stdinOf(arrow.tableToIPC(table, format), 64) });
      expect(Array.from(frame.columns[0]!)).toEqual([5, 6]);
    }
  });

  it("reports a damaged Arrow file as an input error", async () => {
    const path = join(tempDir(), "bad.arrow");
    writeFileSync(path, Buffer.from("ARROW1\0\0garbage garbage garbage"));
    const error = await failure(readFrame(path));
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe("bad_arrow");
  });
});
