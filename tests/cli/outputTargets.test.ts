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
  [["risk", "--report"], "html"],
  [["backtest", "--report"], "html"],
  [["regime", "--report"], "html"],
  [["hmm", "--report"], "html"],
  [["optimize", "--report"], "html"],
];

describe("output targets are checked before the input is read", () => {
  for (const [args, kind] of TARGETS) {
    const flag = args.at(-1)!;
    it(`${args[0]} ${flag}: a missing directory, a directory as the target${kind === "table" ? ", an unknown format" : ""}`, () => {
      const cases: [string, RegExp][] = [
        [
          join(folder, "missing-dir", kind === "table" ? "x.csv" : kind === "html" ? "x.html" : "x.json"),
          /: no such directory$/,
        ],
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

  it("a directory that cannot be written (a read-only tmpfs, since root writes anywhere else; root only): every target, exit 2 before the input is read", async () => {
    const { execFileSync } = await import("node:child_process");
    const readOnly = join(folder, "read-only");
    mkdirSync(readOnly);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", readOnly], { stdio: "ignore" });
    } catch {
      console.warn("skipped: cannot mount a read-only tmpfs here (needs root)");
      return;
    }
    try {
      for (const [args, kind] of TARGETS) {
        const target = join(readOnly, kind === "table" ? "x.csv" : kind === "html" ? "x.html" : "x.json");
        const r = hftlab([...args, target, NO_INPUT]);
        expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(2);
        expect(r.stdout).toBe("");
        expectOneLineError(r.stderr, new RegExp(`cannot write ${args.at(-1)} .*: read-only file system$`));
        expect(r.stderr).not.toContain("no-such-input");
      }
    } finally {
      execFileSync("umount", [readOnly]);
    }
  });

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

describe("no temporary file is left behind", () => {
  /** A wide file of `rows` × 20 random-walk prices, big enough that writing its --out takes a while. */
  function universe(rows: number): string {
    const lines = [`t,${Array.from({ length: 20 }, (_, j) => `S${j}`).join(",")}`];
    const level = new Array<number>(20).fill(100);
    let seed = 7;
    for (let t = 0; t < rows; t++) {
      for (let j = 0; j < 20; j++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        level[j]! *= 1 + (seed / 2147483648 - 0.5) / 500;
      }
      lines.push(`${t},${level.map((v) => v.toFixed(4)).join(",")}`);
    }
    return file("universe.csv", `${lines.join("\n")}\n`);
  }

  it("after Ctrl-C or SIGTERM in the middle of writing --out (exit 130, 143)", async () => {
    const { spawn } = await import("node:child_process");
    const { readdirSync } = await import("node:fs");
    const input = universe(100_000);
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      const outDir = join(folder, `signal-${signal}`);
      mkdirSync(outDir);
      const child = spawn(
        process.execPath,
        [
          join(__dirname, "../../bin/hftlab"),
          "meanrev",
          "--no-adf",
          "--no-hurst",
          "--out",
          join(outDir, "sig.csv"),
          input,
        ],
        { stdio: "ignore" },
      );
      const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      let seen = false;
      for (let i = 0; i < 400 && !seen; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        seen = readdirSync(outDir).some((name) => name.endsWith(".tmp"));
      }
      expect(seen, "the run reached its output").toBe(true);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(readdirSync(outDir)).toEqual([]);
    }
  }, 60_000);

  it("on a full disk: a one-line error, exit 2, nothing on stdout, no temporary file, gzip and Arrow streams too (a 64 KiB tmpfs; root only)", async () => {
    const { execFileSync } = await import("node:child_process");
    const { readdirSync } = await import("node:fs");
    const tiny = join(folder, "tiny");
    mkdirSync(tiny);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", tiny], { stdio: "ignore" });
    } catch {
      console.warn("skipped: cannot mount a small tmpfs here (needs root), so no full disk to write to");
      return;
    }
    try {
      // Every output is larger than the disk (the gzip one too: 217 KB), so each write fails part way.
      for (const out of ["rows.csv", "rows.csv.gz", "rows.arrow", "rows.arrows"]) {
        const r = hftlab(["meanrev", "--json", "--out", join(tiny, out), "fixtures/eustocks.csv"]);
        expect(r.status, r.stderr).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr.split("\n")[0]).toMatch(
          /^hftlab: error: cannot write .*: no space left on the device$/,
        );
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(readdirSync(tiny)).toEqual([]);
      }
    } finally {
      execFileSync("umount", [tiny]);
    }
  });
});
