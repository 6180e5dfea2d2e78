import { describe, expect, it } from "vitest";
import { expectOneLineError } from "./expectations.js";
import { hftlab } from "./run.js";

/** Options are declared where they act, and refused (exit 2) where they would be silently ignored. */
const EU = "fixtures/eustocks.csv";

describe("options that do nothing are refused", () => {
  it("--seed only where there is a PRNG, --strict only where a non-convergence can be refused", () => {
    for (const command of ["meanrev", "optimize", "risk", "sparse"]) {
      const r = hftlab([command, "--seed", "7", EU]);
      expect(r.status, command).toBe(2);
      expectOneLineError(r.stderr, /unknown option '--seed'/);
    }
    for (const command of ["meanrev", "risk"]) {
      const r = hftlab([command, "--strict", EU]);
      expect(r.status, command).toBe(2);
      expectOneLineError(r.stderr, /unknown option '--strict'/);
    }
    const book = hftlab(["book", "--seed", "1", "fixtures/book-sample.csv"]);
    expect(book.status).toBe(2);
    for (const [command, extra] of [
      ["hmm", ["--restarts", "1"]],
      ["regime", ["--restarts", "1"]],
      ["decompose", []],
      ["mcmc", ["--draws", "200", "--warmup", "100", "--columns", "DAX"]],
    ] as const) {
      const r = hftlab([command, ...extra, "--seed", "7", "--strict", "--json", EU]);
      expect(r.status, `${command}: ${r.stderr}`).not.toBe(2);
      if (r.status === 0) expect(JSON.parse(r.stdout).params).toMatchObject({ seed: 7, strict: true });
    }
    const params = JSON.parse(hftlab(["meanrev", "--json", EU]).stdout).params;
    expect(params).not.toHaveProperty("seed");
    expect(params).not.toHaveProperty("strict");
  });

  it("--timings needs --json (it adds the seconds to the envelope)", () => {
    const r = hftlab(["meanrev", "--timings", EU]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /--timings adds the seconds to the JSON envelope: it needs --json/);
    expect(r.stdout).toBe("");
    const doc = JSON.parse(hftlab(["meanrev", "--json", "--timings", EU]).stdout);
    expect(Object.keys(doc.timings)).toEqual(["load", "compute", "output"]);
  });
});

describe("stream's summary and help", () => {
  it("a stream that fails before its first tick prints the error alone", () => {
    const r = hftlab(["stream", "no-such-ticks.ndjson"]);
    expect(r.status).toBe(3);
    expect(r.stderr).not.toMatch(/0 ticks/);
    expectOneLineError(r.stderr, /no such file/);
  });

  it("--max-retries reads 'default: never', not 2^53 − 1", () => {
    const help = hftlab(["stream", "--help"]).stdout;
    expect(help).toMatch(/--max-retries <n>[\s\S]*default: never/);
    expect(help).not.toContain("9007199254740991");
  });
});

describe("errors and flags read the same everywhere", () => {
  it("commander's errors are one line with hftlab's prefix once, and snake_case codes in JSON", () => {
    const r = hftlab(["meanrev", "--sortt", "--json", EU]);
    expect(r.status).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("hftlab: error: unknown option '--sortt' (did you mean --sort?)");
    expect(lines[1]).toBe("hint: see 'hftlab meanrev --help'");
    expect(JSON.parse(lines[2]!).error).toMatchObject({
      code: "unknown_option",
      message: "unknown option '--sortt' (did you mean --sort?)",
    });
    expect(r.stderr).not.toMatch(/error: error:/);
  });

  it("an unknown command's hint points at the program's help, not at the typo", () => {
    const r = hftlab(["meanrevv", EU]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "hftlab: error: unknown command 'meanrevv' (did you mean meanrev?)\nhint: see 'hftlab --help'\n",
    );
  });

  it("names a file once: no '(x.csv)' after a message that already says x.csv", () => {
    const r = hftlab(["meanrev", "no-such.csv"]);
    expect(r.stderr.split("\n")[0]).toBe("hftlab: error: no such file: no-such.csv");
  });

  it("every error code in the sources is snake_case", () => {
    const { execSync } = require("node:child_process") as typeof import("node:child_process");
    const text = execSync(
      "grep -rhzoE 'Error\\(\\s*(\"[A-Za-z_]+\"|ExitCode\\.[a-z]+,\\s*\"[A-Za-z_]+\")' src | tr '\\0' '\\n'",
      {
        encoding: "utf8",
      },
    );
    const codes = [...text.matchAll(/"([A-Za-z_]+)"/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(50);
    expect(codes.filter((code) => !/^[a-z]+(_[a-z]+)*$/.test(code))).toEqual([]);
  });

  it("--color=always|never|auto as gh and rg spell it; the last of --color/--no-color wins, tables included", () => {
    const ESC = String.fromCharCode(27);
    const colour = (args: string[]) => hftlab(["meanrev", ...args, EU]).stdout.includes(`${ESC}[`);
    expect(colour(["--color=always"])).toBe(true);
    expect(colour(["--color=never"])).toBe(false);
    expect(colour(["--color=auto"])).toBe(false); // not a terminal
    expect(colour(["--color"])).toBe(true);
    expect(colour(["--color", "--no-color"])).toBe(false);
    const both = hftlab(["meanrev", "--no-color", "--color", EU]).stdout;
    expect(both).toContain(`${ESC}[1mmeanrev`);
    expect(both).toContain(`${ESC}[36msymbol`); // the table's headings too, not only the text around it
    const bad = hftlab(["meanrev", "--color=sometimes", EU]);
    expect(bad.status).toBe(2);
    expectOneLineError(bad.stderr, /--color takes always, never or auto, not "sometimes"/);
  });

  it("--version names the program and Node, on the fast path and through commander", () => {
    for (const args of [["--version"], ["-V"], ["--version", "--quiet"]]) {
      const r = hftlab(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^hftlab \d+\.\d+\.\d+ \(node v\d+\.\d+\.\d+\)\n$/);
    }
  });
});
