import { describe, expect, it } from "vitest";
import { resolveInput } from "../../src/commands/shared/options.js";
import { HftlabError } from "../../src/errors.js";
import { decideColor } from "../../src/output/colorChoice.js";
import { envelopeJson } from "../../src/output/json.js";
import { sparkline } from "../../src/output/sparkline.js";

describe("colour decision", () => {
  it("lets an explicit flag win over everything", () => {
    expect(decideColor(true, { NO_COLOR: "1" }, false)).toBe(true);
    expect(decideColor(false, { FORCE_COLOR: "1" }, true)).toBe(false);
  });
  it("turns colour off for a non-empty NO_COLOR, even when FORCE_COLOR is set", () => {
    expect(decideColor(undefined, { NO_COLOR: "1", FORCE_COLOR: "1" }, true)).toBe(false);
    expect(decideColor(undefined, { NO_COLOR: "" }, true)).toBe(true);
  });
  it("forces colour with FORCE_COLOR unless it is 0 or false", () => {
    expect(decideColor(undefined, { FORCE_COLOR: "1" }, false)).toBe(true);
    expect(decideColor(undefined, { FORCE_COLOR: "0" }, true)).toBe(false);
  });
  it("is off on a dumb terminal and when stdout is not a TTY", () => {
    expect(decideColor(undefined, { TERM: "dumb" }, true)).toBe(false);
    expect(decideColor(undefined, {}, false)).toBe(false);
    expect(decideColor(undefined, {}, true)).toBe(true);
  });
});

describe("JSON envelope", () => {
  it("writes keys in the SPEC's order, NaN and Infinity as null, and timings only when given", () => {
    const base = {
      command: "x",
      version: "1.0.0",
      params: { a: 1 },
      data: { source: "-", rows: 1, columns: ["A"], start: "1", end: "1", droppedRows: 0 },
      result: { v: Number.NaN, w: Number.POSITIVE_INFINITY, u: 0.1 + 0.2 },
      warnings: [],
    };
    const text = envelopeJson(base);
    expect(Object.keys(JSON.parse(text))).toEqual([
      "command",
      "version",
      "params",
      "data",
      "result",
      "warnings",
    ]);
    expect(text).toContain('"v": null');
    expect(text).toContain('"w": null');
    expect(text).toContain('"u": 0.30000000000000004');
    const timed = JSON.parse(envelopeJson({ ...base, timings: { load: 1, compute: 2, output: 3 } }));
    expect(Object.keys(timed)).toEqual([
      "command",
      "version",
      "params",
      "data",
      "result",
      "timings",
      "warnings",
    ]);
  });
});

describe("sparkline", () => {
  it("scales between min and max", () => {
    expect(sparkline(Float64Array.of(1, 2, 3, 4), 4)).toBe("▁▃▆█");
  });
  it("shows NaN as a gap and a constant series as a flat line", () => {
    expect(sparkline(Float64Array.of(Number.NaN, 1, 2), 3)).toBe(" ▁█");
    expect(sparkline(Float64Array.of(5, 5, 5), 3)).toBe("▄▄▄");
  });
  it("averages buckets when there are more values than width", () => {
    expect(sparkline(Float64Array.of(0, 0, 10, 10), 2)).toBe("▁█");
  });
});

describe("input resolution", () => {
  it("uses stdin when no path is given and stdin is a pipe", () => {
    expect(resolveInput(undefined, "meanrev", false)).toBe("-");
    expect(resolveInput("a.csv", "meanrev", true)).toBe("a.csv");
  });
  it("refuses to wait on a terminal with no path (usage, exit 2)", () => {
    try {
      resolveInput(undefined, "meanrev", true);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HftlabError);
      expect((error as HftlabError).exitCode).toBe(2);
    }
  });
});
