import { describe, expect, it } from "vitest";
import { HftlabError } from "../../src/errors.js";
import { type Frame, TimeColumn } from "../../src/io/frame.js";
import { returnsFrame } from "../../src/commands/shared/returnsFrame.js";
import { periodReturns } from "../../src/numerics/timeseries/returns.js";

describe("period returns", () => {
  it("computes simple and log returns from their definitions", () => {
    const prices = Float64Array.of(100, 110, 99, 99);
    const simple = new Float64Array(3);
    const log = new Float64Array(3);
    periodReturns(prices, "simple", simple);
    periodReturns(prices, "log", log);
    expect(simple[0]).toBeCloseTo(0.1, 15);
    expect(simple[1]).toBeCloseTo(-0.1, 15);
    expect(simple[2]).toBe(0);
    expect(log[0]).toBe(Math.log(1.1));
    expect(log[1]).toBeCloseTo(Math.log(0.9), 15);
    // log returns add up to the log of the total gross return
    expect(log[0]! + log[1]! + log[2]!).toBeCloseTo(Math.log(99 / 100), 15);
  });

  it("stamps each return with the time of the bar it ends on", () => {
    const frame: Frame = {
      source: "x.csv",
      timeName: "t",
      time: TimeColumn.fromStrings(["1", "2", "3"]),
      symbols: ["A"],
      columns: [Float64Array.of(1, 2, 4)],
      droppedRows: 0,
    };
    const r = returnsFrame(frame, "simple");
    expect(r.time.toArray()).toEqual(["2", "3"]);
    expect(Array.from(r.columns[0]!)).toEqual([1, 1]);
  });

  it("rejects a non-positive price with an input error", () => {
    const frame: Frame = {
      source: "x.csv",
      timeName: "t",
      time: TimeColumn.fromStrings(["1", "2"]),
      symbols: ["A"],
      columns: [Float64Array.of(1, 0)],
      droppedRows: 0,
    };
    expect(() => returnsFrame(frame, "log")).toThrow(HftlabError);
  });
});
