import { Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { optionArgs } from "../../src/commands/serve/optionArgs.js";
import { tableCsv } from "../../src/commands/serve/tableCsv.js";

/** How a request's fields become the command line the CLI parses (serve's one mapping). */
function command(): Command {
  return new Command("meanrev")
    .option("--window <n>")
    .option("--hurst-method <method>")
    .option("--l1-ratio <x>")
    .option("--log", "", false)
    .option("--no-adf")
    .option("--columns <list>")
    .addOption(new Option("--strict").default(false));
}

describe("optionArgs", () => {
  it("writes each field as its kebab-case flag with =, lists joined by commas", () => {
    expect(
      optionArgs(command(), { window: 60, hurstMethod: "dfa", l1Ratio: 0.5, columns: ["A", "-B"] }),
    ).toEqual(["--window=60", "--hurst-method=dfa", "--l1-ratio=0.5", "--columns=A,-B"]);
  });

  it("spells a flag as the command declares it, and leaves out the value it has anyway", () => {
    expect(optionArgs(command(), { log: true, adf: false })).toEqual(["--log", "--no-adf"]);
    expect(optionArgs(command(), { log: false, adf: true, strict: true })).toEqual(["--strict"]);
  });

  it("calls a field with no option behind it a defect of the service (exit 1), not a usage error", () => {
    expect(() => optionArgs(command(), { nope: 1 })).toThrow(/maps field nope to no option of meanrev/);
    expect(() => optionArgs(command(), { nope: true })).toThrow(expect.objectContaining({ exitCode: 1 }));
  });
});

describe("tableCsv", () => {
  it("writes shortest round-trip numbers, NaN as a missing cell, and quotes what needs it", () => {
    const text = tableCsv({
      time: ["2020-01-01", "a,b"],
      columns: [
        { name: 'x"y', values: [0.1 + 0.2, Number.NaN] },
        { name: "z", values: [1e-300, -0] },
      ],
    });
    expect(text).toBe('time,"x""y",z\n2020-01-01,0.30000000000000004,1e-300\n"a,b",NaN,0\n');
  });

  it("refuses a column with fewer values than time stamps, and a table with no column (exit 3)", () => {
    expect(() => tableCsv({ time: ["1", "2"], columns: [{ name: "A", values: [1] }] })).toThrow(
      /column "A" has 1 values for 2 time stamps/,
    );
    expect(() => tableCsv({ time: ["1"], columns: [] })).toThrow(expect.objectContaining({ exitCode: 3 }));
  });
});
