import { describe, expect, it } from "vitest";
import { safeText } from "../../src/output/safeText.js";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab } from "./run.js";

/** Input text in messages is shown, never obeyed: control characters escaped, long excerpts cut. */
const file = temporaryFiles("hftlab-text-");
const ESC = String.fromCharCode(27);

describe("input text in error messages", () => {
  it("escapes control characters, so a file cannot drive the terminal", () => {
    const path = file("escape.csv", `t,A\n1,${ESC}[2J${ESC}]0;owned${String.fromCharCode(7)}\n`);
    for (const args of [
      ["meanrev", path],
      ["meanrev", "--json", path],
    ]) {
      const r = hftlab(args);
      expect(r.status).toBe(3);
      expect(r.stderr).not.toContain(ESC);
      expect(r.stderr).not.toContain(String.fromCharCode(7));
      expect(r.stderr).toContain("\\x1b[2J\\x1b]0;owned\\x07");
    }
    expectOneLineError(hftlab(["meanrev", path]).stderr, /unparseable number "\\x1b\[2J/);
  });

  it("cuts a huge bad cell to an excerpt with its length, on stderr and in the JSON error", () => {
    const cell = "9".repeat(50) + "x".repeat(1_000_000);
    const path = file("huge-cell.csv", `t,A\n1,${cell}\n`);
    for (const args of [
      ["meanrev", path],
      ["meanrev", "--json", path],
    ]) {
      const r = hftlab(args);
      expect(r.status).toBe(3);
      expect(r.stderr.length).toBeLessThan(1500);
      expect(r.stderr).toContain("(1,000,050 characters)");
    }
  });

  it("escapes warnings too (stream's skipped lines)", () => {
    const input = `{"ts":1,"symbol":"A","price":1}\n{"ts":2,"symbol":"A","price":"${ESC}[31m"}\n`;
    const r = hftlab(["stream", "-"], { input });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain(ESC);
  });

  it("safeText keeps short text as is and says how long a cut excerpt was", () => {
    expect(safeText('bad "abc"')).toBe('bad "abc"');
    expect(safeText(`"${"y".repeat(200)}"`)).toBe(`"${"y".repeat(80)}…" (200 characters)`);
    expect(safeText("a\tb\r\nc\u009b")).toBe("a\\x09b\\x0d\\x0ac\\x9b");
    expect(safeText("é€😀")).toBe("é€😀");
    expect(safeText("z".repeat(5000))).toMatch(/… \(5,000 characters\)$/);
  });
});
