import { describe, expect, it } from "vitest";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab } from "./run.js";

/** Values that look almost right are refused, not guessed at (issue 23's seventh class). */
const file = temporaryFiles("hftlab-values-");

describe("values that look almost right", () => {
  it("stream --strict refuses a hex price, a leading +, and a time that is no time", () => {
    for (const [line, pattern] of [
      ['{"ts":1,"symbol":"A","price":0x10}', /price must be a positive finite number, got 0x10/],
      ['{"ts":1,"symbol":"A","price":+5}', /got \+5/],
      ['{"ts":"x","symbol":"A","price":2}', /bad time value "x"/],
      ['{"ts":0x1,"symbol":"A","price":2}', /bad time value 0x1/],
    ] as const) {
      const r = hftlab(["stream", "--strict", "-"], { input: `${line}\n` });
      expect(r.status, line).toBe(3);
      expect(r.stdout).toBe("");
      expectOneLineError(r.stderr, pattern);
    }
    const ok = hftlab(["stream", "--strict", "-"], {
      input: '{"ts":"Jan 2 2024","symbol":"A","price":3}\n{"ts":"2024-01-03","symbol":"A","price":"3.5"}\n',
    });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout.trim().split("\n")).toHaveLength(2);
  });

  it("bounds --window and --poll instead of failing inside (exit 2, not 1)", () => {
    for (const args of [
      ["stream", "--window", "5000000000", "-"],
      ["meanrev", "--window", "5000000000", "fixtures/eustocks.csv"],
      ["stream", "--follow", "x.ndjson", "--poll", "3000000000"],
    ]) {
      const r = hftlab(args, { input: "" });
      expect(r.status, args.join(" ")).toBe(2);
      expectOneLineError(r.stderr, /must be between/);
    }
  });

  it("book --interval finer than the stamps can bucket is refused, not collapsed to one snapshot", () => {
    const r = hftlab(["book", "--interval", "1e-300", "fixtures/book-sample.csv"]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /--interval 1e-300 is finer than the time stamps can be bucketed/);
  });

  it("a model or state file that is not JSON is a one-line error", () => {
    const bad = file("bad.json", '{\n  "states": 3,\n  "means": [1,\n');
    for (const args of [
      ["hmm", "--model", bad, "fixtures/sp500-2000.csv"],
      ["stream", "--model", bad, "-"],
      ["regime", "--state-file", bad, "fixtures/eustocks.csv"],
    ]) {
      const r = hftlab(args, { input: "" });
      expect(r.status, args.join(" ")).toBe(3);
      expectOneLineError(r.stderr, /./);
    }
  });
});

describe("inputs built to exhaust memory", () => {
  it("a gzip of one endless line, as a file and on stdin, and an 80 MiB header: exit 3, at once", async () => {
    const { gzipSync } = await import("node:zlib");
    const endless = Buffer.concat([Buffer.from("t,A\n1,"), Buffer.alloc(80 << 20, 0x31)]);
    const bomb = gzipSync(endless, { level: 1 });
    expect(bomb.length).toBeLessThan(1 << 20);
    const path = file("bomb.csv.gz", "");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path, bomb);
    const fromFile = hftlab(["meanrev", path]);
    expect(fromFile.status).toBe(3);
    expectOneLineError(fromFile.stderr, /a line longer than 64 MiB \(no line break\)/);
    // A 200× bomb on stdin is refused by its ratio before it is searched for lines.
    const dense = gzipSync(Buffer.alloc(300 << 20, 0x31), { level: 9 });
    const fromStdin = hftlab(["meanrev", "-"], { input: dense });
    expect(fromStdin.status).toBe(3);
    expectOneLineError(fromStdin.stderr, /the gzip data expands past/);
    const header = file("header.csv", `${"a".repeat(80 << 20)}\n1,2\n`);
    const r = hftlab(["meanrev", header]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /a line longer than 64 MiB/);
  }, 60_000);
});
