import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import type { RunContext } from "../../src/context.js";
import { fitLines } from "../../src/output/fitLines.js";
import { wrapHelpText } from "../../src/output/helpText.js";
import { MemorySink } from "../../src/output/sink.js";
import { compactTable } from "../../src/output/table.js";
import { displayWidth, outputWidthFor } from "../../src/output/terminalWidth.js";
import { timeAxis } from "../../src/output/timeAxis.js";

describe("the output width rule", () => {
  it("is the terminal's own width when stdout is a TTY, whatever COLUMNS says", () => {
    expect(outputWidthFor(true, 132, { COLUMNS: "100" })).toBe(132);
  });
  it("falls back to COLUMNS, then 80, on a TTY that does not say its width", () => {
    expect(outputWidthFor(true, undefined, { COLUMNS: "100" })).toBe(100);
    expect(outputWidthFor(true, undefined, {})).toBe(80);
  });
  it("has no limit when piped, unless COLUMNS is a positive integer", () => {
    expect(outputWidthFor(false, undefined, {})).toBeUndefined();
    expect(outputWidthFor(false, undefined, { COLUMNS: "" })).toBeUndefined();
    expect(outputWidthFor(false, undefined, { COLUMNS: "wide" })).toBeUndefined();
    expect(outputWidthFor(false, undefined, { COLUMNS: "0" })).toBeUndefined();
    expect(outputWidthFor(false, undefined, { COLUMNS: "90" })).toBe(90);
  });
  it("raises a width below 20 to 20", () => {
    expect(outputWidthFor(false, undefined, { COLUMNS: "5" })).toBe(20);
  });
});

describe("a table too wide for its width", () => {
  const table = (width: number | undefined) => {
    const t = compactTable(
      [
        "symbol",
        { head: "alpha", drop: 2 },
        { head: "a long heading", short: "long", drop: 3 },
        { head: "beta", drop: 1 },
      ],
      ["left", "right", "right", "right"],
      false,
      width,
    );
    t.push(["DAX", "1.000000", "2.0", "3.000000"]);
    return t.toString();
  };

  it("is printed whole when there is no width or room enough", () => {
    expect(table(undefined)).toBe(table(200));
    expect(table(undefined)).toContain("a long heading");
  });
  it("takes the short headings, then drops columns in their order and names them in one footer line", () => {
    const lines = table(30).split("\n");
    expect(lines[1]).toBe("│ symbol │    alpha │ long │");
    expect(lines.at(-1)).toBe("… 1 column hidden: beta");
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(30);
  });
  it("never drops the first column, and cuts cells only when nothing else is left to drop", () => {
    const lines = table(20).split("\n");
    expect(lines[1]).toBe("│ symbol │ long │");
    expect(lines.at(-1)).toBe("… 2 columns hidden");
    const cut = compactTable(["name"], ["left"], false, 20);
    cut.push(["a name far too long for twenty columns"]);
    const cutLines = cut.toString().split("\n");
    expect(cutLines.at(-1)).toBe("… cells cut to fit");
    for (const line of cutLines) expect(displayWidth(line)).toBeLessThanOrEqual(20);
  });
});

describe("prose and axes", () => {
  it("breaks a long line at its ' · ' separators first, indenting what follows", () => {
    expect(fitLines(["a · bb · cc"], 7)).toEqual(["a · bb", "  cc"]);
    expect(fitLines(["a · bb · cc"], undefined)).toEqual(["a · bb · cc"]);
  });
  it("puts the first and last time at the chart's edges, and the middle one when it fits", () => {
    expect(timeAxis("2000", "2020", 16)).toBe("2000        2020");
    expect(timeAxis("2000", "2020", 16, "2010")).toBe("2000  2010  2020");
    expect(timeAxis("2000-01-04", "2020-04-17", 12)).toBe("2000-01-04 → 2020-04-17");
  });
  it("wraps help prose to the width and keeps example commands whole", () => {
    const command = `  hftlab optimize --method target-risk --target-risk 0.15 --periods-per-year 12 fixtures/stocks.csv`;
    const text = `Examples:\n${command}\n\n${"word ".repeat(30).trim()}.`;
    const lines = wrapHelpText(text, 80).split("\n");
    expect(lines).toContain(command);
    for (const line of lines.filter((l) => l !== command)) expect(displayWidth(line)).toBeLessThanOrEqual(80);
  });
});

describe("a run on a TTY", () => {
  it("fits the report to the terminal's columns, given by the context", async () => {
    const stdout = new MemorySink(true);
    const context: RunContext = {
      stdout,
      stderr: () => {},
      env: { NO_COLOR: "1" },
      stdin: new PassThrough(),
      stdinIsTty: true,
      stdoutColumns: 60,
      version: "0.0.0",
      exitCode: 0,
    };
    expect(await main(["meanrev", "fixtures/eustocks.csv"], context)).toBe(0);
    const lines = stdout.text().split("\n");
    expect(lines.some((line) => line.includes("columns hidden"))).toBe(true);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(60);
  });
});
