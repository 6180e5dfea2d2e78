import Table from "cli-table3";
import { describe, expect, it } from "vitest";
import { type Alignment, boxTable } from "../../src/output/table.js";
import { displayWidth } from "../../src/output/terminalWidth.js";

/**
 * boxTable replaces cli-table3 (quadratic in rows) for tables whose cells are
 * not cut; cli-table3 itself is the truth: same bytes on random tables.
 */
describe("boxTable", () => {
  it("prints what cli-table3 prints, byte for byte, on random tables with colour codes and every alignment", () => {
    let seed = 99;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const words = ["DAX", "long", "flat", "-0.73", "5473.72", "–", "1.2e-8", "bull ▲", "a b", ""];
    const green = (text: string) => `\u001b[32m${text}\u001b[39m`;
    for (let trial = 0; trial < 200; trial++) {
      const columns = 1 + next(6);
      const heads = Array.from({ length: columns }, (_, j) =>
        next(4) === 0 ? `\u001b[36mh${j}\u001b[39m` : `head${j}`,
      );
      const aligns = Array.from(
        { length: columns },
        () => (["left", "right", "center"] as Alignment[])[next(3)]!,
      );
      const rows = Array.from({ length: next(8) }, () =>
        Array.from({ length: columns }, () => {
          const word = words[next(words.length)]!;
          return next(5) === 0 ? green(word) : word;
        }),
      );
      const widths = heads.map(
        (h, j) => 2 + Math.max(displayWidth(h), ...rows.map((row) => displayWidth(row[j]!))),
      );
      const reference = new Table({
        head: heads,
        colAligns: aligns,
        style: { head: [], border: [] },
        chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
      });
      for (const row of rows) reference.push(row);
      expect(boxTable(heads, rows, aligns, widths)).toBe(reference.toString());
    }
  });

  it("draws 10,000 rows (cli-table3's layout is quadratic in them)", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => [`S${i}`, String(i)]);
    const text = boxTable(["symbol", "n"], rows, ["left", "right"], [8, 7]);
    expect(text.split("\n")).toHaveLength(10_003);
    expect(text.split("\n")[2]).toBe("│ S0     │     0 │");
  });
});
