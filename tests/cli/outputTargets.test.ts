import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/io/files/atomicFile.js";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab } from "./run.js";

/**
 * Every output file flag is checked before the input is read: a bad target
 * fails at once (exit 2), prints nothing on stdout, and is reported even when
 * the input does not exist (so the input was never opened).
 */
const file = temporaryFiles("hftlab-targets-");
const folder = file("x", "").replace(/x$/, "");
const NO_INPUT = join(folder, "no-such-input.csv");

const TARGETS: [string[], string][] = [
  [["meanrev", "--out"], "table"],
  [["risk", "--rolling", "20", "--out"], "table"],
  [["backtest", "--out"], "table"],
  [["mcmc", "--out"], "table"],
  [["decompose", "--out-low-rank"], "table"],
  [["decompose", "--out-sparse"], "table"],
  [["hmm", "--save"], "json"],
  [["regime", "--state-file"], "json"],
];

describe("output targets are checked before the input is read", () => {
  for (const [args, kind] of TARGETS) {
    const flag = args.at(-1)!;
    it(`${args[0]} ${flag}: a missing directory, a directory as the target${kind === "table" ? ", an unknown format" : ""}`, () => {
      const cases: [string, RegExp][] = [
        [join(folder, "missing-dir", kind === "table" ? "x.csv" : "x.json"), /: no such directory$/],
        [folder, kind === "table" ? /cannot tell the output format/ : /: it is a directory$/],
      ];
      if (kind === "table")
        cases.push([join(folder, "x.parquet"), /cannot tell the output format of ".*x\.parquet"/]);
      for (const [target, message] of cases) {
        const r = hftlab([...args, target, NO_INPUT]);
        expect(r.status, `${args.join(" ")} ${target}: ${r.stderr}`).toBe(2);
        expect(r.stdout).toBe("");
        expectOneLineError(r.stderr, message);
        expect(r.stderr).not.toContain("no-such-input");
      }
    });
  }

  it("with --json, nothing reaches stdout: no document is printed before the failure", () => {
    const r = hftlab(["meanrev", "--json", "--out", join(folder, "x.parquet"), "fixtures/eustocks.csv"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(JSON.parse(r.stderr.trim().split("\n").at(-1)!).error.code).toBe("usage");
  });

  it("a file path whose parent is a file, and a table directory named like a file", () => {
    const parent = file("plain.txt", "x");
    let r = hftlab(["meanrev", "--out", join(parent, "x.csv"), NO_INPUT]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /cannot write --out .*: a part of the path is not a directory/);
    const named = join(folder, "looks.csv");
    mkdirSync(named, { recursive: true });
    r = hftlab(["meanrev", "--out", named, NO_INPUT]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /: it is a directory$/);
  });

  it("a valid target still works, and an atomic write's failure never names its temporary file", async () => {
    const out = join(folder, "ok.csv");
    expect(hftlab(["meanrev", "--json", "--out", out, "fixtures/eustocks.csv"]).status).toBe(0);
    const error = await writeFileAtomic(join(folder, "gone", "m.json"), "{}").catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("no such directory");
    expect((error as Error).message).not.toMatch(/\.tmp/);
  });
});
