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

describe("meanrev --pair's per-row output", () => {
  const pairArgs = ["meanrev", "--pair", "DAX,CAC", "--no-hurst", "--window", "20", "fixtures/eustocks.csv"];

  it("adds the spread's rows (symbol A-B, price A − h·B − c) to --ndjson and --out, after the symbols", () => {
    const pair = JSON.parse(hftlab([...pairArgs, "--json"]).stdout).result.pair;
    const lines = hftlab([...pairArgs, "--ndjson"])
      .stdout.trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const prices = readFileSync("fixtures/eustocks.csv", "utf8").trim().split("\n").slice(1);
    expect(lines).toHaveLength(prices.length * 5);
    const spread = lines.filter((row) => row.symbol === "DAX-CAC");
    expect(spread).toHaveLength(prices.length);
    expect(lines[4].symbol).toBe("DAX-CAC");
    spread.forEach((row, t) => {
      const [, dax, , cac] = prices[t]!.split(",").map(Number);
      expect(row.price).toBeCloseTo(dax! - pair.hedgeRatio * cac! - pair.intercept, 9);
      if (t >= 19) {
        const window = spread.slice(t - 19, t + 1).map((r) => r.price);
        const mean = window.reduce((s, v) => s + v, 0) / 20;
        expect(row.mean).toBeCloseTo(mean, 9);
        const sd = Math.sqrt(window.reduce((s, v) => s + (v - mean) ** 2, 0) / 19);
        expect(row.std).toBeCloseTo(sd, 9);
      }
    });
    expect(spread.at(-1)).toMatchObject({
      price: pair.last.price,
      z: pair.last.z,
      position: pair.last.position,
    });
    const out = join(dir, "pair.csv");
    expect(hftlab([...pairArgs, "--out", out]).status).toBe(0);
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(prices.length * 5 + 1);
  });

  it("backtest --strategy signals on it points at --strategy pairs", () => {
    const out = join(dir, "pair-signals.csv");
    expect(hftlab([...pairArgs, "--out", out]).status).toBe(0);
    const r = hftlab(["backtest", "--strategy", "signals", "--signals", out, "fixtures/eustocks.csv"]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(
      "hint: DAX-CAC is meanrev --pair's spread: backtest it with --strategy pairs --pair DAX,CAC",
    );
  });
});
