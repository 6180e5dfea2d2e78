import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readFrame } from "../../src/io/read.js";
import { csvChunks, writeTable } from "../../src/io/write.js";
import { failure, tempDir } from "./io-helpers.js";

describe("writeTable (CSV)", () => {
  it("writes shortest round-trip numbers, NaN as empty and quotes where needed", async () => {
    const directory = tempDir();
    const path = join(directory, "out.csv");
    await writeTable(path, [
      { name: "time", values: ["2000-01-03", "a,b"] },
      { name: 'say "x"', values: Float64Array.of(0.1 + 0.2, Number.NaN) },
      { name: "position", values: Int8Array.of(-1, 1) },
    ]);
    expect(readFileSync(path, "utf8")).toBe(
      'time,"say ""x""",position\n2000-01-03,0.30000000000000004,-1\n"a,b",,1\n',
    );
    expect(readdirSync(directory)).toEqual(["out.csv"]);
  });

  it("round-trips every double exactly through CSV", async () => {
    const values = Float64Array.of(
      0.1,
      1e-320,
      Number("2.2250738585072011e-308"),
      1.7976931348623157e308,
      -0.5,
      123456.789,
    );
    const path = join(tempDir(), "exact.csv");
    await writeTable(path, [
      { name: "time", values: Array.from(values, (_, k) => String(k)) },
      { name: "x", values },
    ]);
    const frame = await readFrame(path);
    expect(Array.from(frame.columns[0]!)).toEqual(Array.from(values));
  });

  it("writes TSV and gzip by extension", async () => {
    const directory = tempDir();
    const columns = [
      { name: "time", values: ["1", "2"] },
      { name: "x", values: Float64Array.of(1.5, 2) },
    ];
    await writeTable(join(directory, "out.tsv"), columns);
    expect(readFileSync(join(directory, "out.tsv"), "utf8")).toBe("time\tx\n1\t1.5\n2\t2\n");
    await writeTable(join(directory, "out.csv.gz"), columns);
    expect(gunzipSync(readFileSync(join(directory, "out.csv.gz"))).toString()).toBe("time,x\n1,1.5\n2,2\n");
  });

  it("writes a header only for zero rows", () => {
    expect([...csvChunks([{ name: "a", values: new Float64Array(0) }], ",")].join("")).toBe("a\n");
  });

  it("rejects an unknown extension and an unwritable destination with exit 2, leaving nothing behind", async () => {
    const unknown = await failure(writeTable(join(tempDir(), "out.xlsx"), []));
    expect(unknown.exitCode).toBe(2);
    const missingDirectory = await failure(
      writeTable("/nonexistent/dir/out.csv", [{ name: "x", values: Float64Array.of(1) }]),
    );
    expect(missingDirectory.exitCode).toBe(2);
    expect(missingDirectory.code).toBe("output_unwritable");
    const directory = tempDir();
    mkdirSync(join(directory, "taken.csv"));
    const isDirectory = await failure(writeTable(join(directory, "taken.csv"), [{ name: "x", values: [] }]));
    expect(isDirectory.message).toContain("it is a directory");
    expect(readdirSync(directory)).toEqual(["taken.csv"]);
  });

  it("replaces an existing file atomically", async () => {
    const path = join(tempDir(), "again.csv");
    await writeTable(path, [{ name: "x", values: Float64Array.of(1) }]);
    await writeTable(path, [{ name: "y", values: Float64Array.of(2) }]);
    expect(readFileSync(path, "utf8")).toBe("y\n2\n");
  });
});
