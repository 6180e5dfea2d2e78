import { afterEach, describe, expect, it } from "vitest";
import { TimeColumn } from "../../src/io/frame.js";
import { setParallelMinBytes } from "../../src/io/delimited/parallelScan.js";
import { readFrame } from "../../src/io/read.js";
import { tempFile } from "./io-helpers.js";

const csv = (name: string, lines: string[]) => tempFile(name, `${lines.join("\n")}\n`);
const bytes = (stamps: string[]) => {
  const encoded = stamps.map((stamp) => Buffer.from(stamp, "utf8"));
  const ends = new Uint32Array(stamps.length);
  let end = 0;
  encoded.forEach((part, k) => {
    end += part.length;
    ends[k] = end;
  });
  const ascii = encoded.every((part) => part.every((byte) => byte < 0x80));
  return { kind: "bytes" as const, bytes: Buffer.concat(encoded), ends, ascii };
};

describe("the time column", () => {
  it("gives back strings it was built from, with Array-like at and slice", () => {
    const time = TimeColumn.fromStrings(["a", "b", "c", "d"]);
    expect(time.length).toBe(4);
    expect(time.at(0)).toBe("a");
    expect(time.at(-1)).toBe("d");
    expect(time.slice(1).toArray()).toEqual(["b", "c", "d"]);
    expect(time.slice(1, -1).toArray()).toEqual(["b", "c"]);
    expect(time.slice(3, 1).length).toBe(0);
    expect([...time]).toEqual(["a", "b", "c", "d"]);
  });

  it("throws a RangeError outside the column instead of returning undefined", () => {
    const time = TimeColumn.fromStrings(["a"]);
    expect(() => time.at(1)).toThrow(RangeError);
    expect(() => time.at(-2)).toThrow(RangeError);
    expect(() => time.select([2])).toThrow(RangeError);
  });

  it("reads byte and digit parts one after another, UTF-8 included", () => {
    const time = TimeColumn.fromParts([
      { kind: "digits", values: Float64Array.of(1704205800000, 0) },
      bytes(["2000-01-03", "Jän 4 2000", ""]),
      { kind: "digits", values: Float64Array.of(999999999999999) },
    ]);
    expect(time.toArray()).toEqual(["1704205800000", "0", "2000-01-03", "Jän 4 2000", "", "999999999999999"]);
    expect(time.at(3)).toBe("Jän 4 2000");
  });

  it("selects and slices views of views without losing the stamps", () => {
    const time = TimeColumn.fromParts([bytes(["t0", "t1", "t2"]), bytes(["t3", "t4"])]);
    const picked = time.select(Int32Array.of(4, 0, 3, 1));
    expect(picked.toArray()).toEqual(["t4", "t0", "t3", "t1"]);
    expect(picked.slice(1, 3).toArray()).toEqual(["t0", "t3"]);
    expect(picked.slice(1).select([2, 0]).toArray()).toEqual(["t1", "t0"]);
    expect(time.slice(2).select([0, 2]).toArray()).toEqual(["t2", "t4"]);
  });
});

describe("the byte scanner's stamps", () => {
  afterEach(() => setParallelMinBytes(32 << 20));

  it("echo plain integers, then any other text, exactly as written", async () => {
    const lines = ["time,a", "1,1", "2,2", "3,3", "3.50,4", "007,5"];
    const frame = await readFrame(csv("mixed.csv", lines), { sort: true });
    expect(frame.time.toArray()).toEqual(["1", "2", "3", "3.50", "007"]);
  });

  it("echo 16-digit and padded integers exactly (no float key round trip)", async () => {
    const lines = ["time,a", " 1700000000000001 ,1", "1700000000000002,2", "9007199254740993,3"];
    const frame = await readFrame(csv("long.csv", lines));
    expect(frame.time.toArray()).toEqual(["1700000000000001", "1700000000000002", "9007199254740993"]);
  });

  it("are the same on two threads when they turn from integers to decimals late in the file", async () => {
    const rows = ["time,a"];
    for (let k = 0; k < 3000; k++) rows.push(`${k < 2500 ? 1000 + k : `${1000 + k}.5`},${k}`);
    const path = csv("parallel-mixed.csv", rows);
    const sequential = await readFrame(path);
    setParallelMinBytes(0);
    const parallel = await readFrame(path);
    expect(parallel.time.toArray()).toEqual(sequential.time.toArray());
    expect(parallel.time.at(2499)).toBe("3499");
    expect(parallel.time.at(2500)).toBe("3500.5");
  });
});
