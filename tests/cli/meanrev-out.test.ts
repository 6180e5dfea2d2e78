import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readFrame } from "../../src/io/read.js";
import { hftlab } from "./run.js";

/**
 * --out writes the same rows --ndjson prints: a property (two outputs of one
 * computation agree), checked through an independent reader in each format.
 */
const dir = mkdtempSync(join(tmpdir(), "hftlab-out-"));
const args = ["meanrev", "--window", "5", "--columns", "DAX,FTSE", "fixtures/eustocks.csv"];
const rows = hftlab([...args, "--ndjson"])
  .stdout.trim()
  .split("\n")
  .map((line) => JSON.parse(line));

describe("meanrev --out", () => {
  it("writes CSV rows equal to the NDJSON rows", () => {
    const path = join(dir, "signals.csv");
    const r = hftlab([...args, "--json", "--out", path]);
    expect(r.status).toBe(0);
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines[0]).toBe("t,symbol,price,mean,std,z,position");
    expect(lines.length - 1).toBe(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const cells = lines[k + 1]!.split(",");
      const row = rows[k];
      expect(cells[0]).toBe(row.time);
      expect(cells[1]).toBe(row.symbol);
      for (const [index, key] of [
        [2, "price"],
        [3, "mean"],
        [4, "std"],
        [5, "z"],
        [6, "position"],
      ] as const) {
        expect(cells[index] === "" ? null : Number(cells[index])).toBe(row[key]);
      }
    }
  });

  it("writes an Arrow file that reads back to the same numbers", async () => {
    const path = join(dir, "signals.arrow");
    expect(hftlab([...args, "--json", "--out", path]).status).toBe(0);
    // The long layout (time, symbol, price) pivots back to wide prices per symbol.
    const frame = await readFrame(path, { priceCol: "price" });
    expect(frame.symbols).toEqual(["DAX", "FTSE"]);
    const dax = rows.filter((r) => r.symbol === "DAX");
    expect(frame.time.toArray()).toEqual(dax.map((r) => r.time));
    expect(Array.from(frame.columns[0]!)).toEqual(dax.map((r) => r.price));
    const z = await readFrame(path, { priceCol: "z", missing: "ffill" });
    const daxZ = dax.map((r) => r.z).filter((v) => v !== null);
    expect(Array.from(z.columns[0]!)).toEqual(daxZ);
  });
});
