import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BIN, hftlab, ROOT, shell, spawn } from "./run.js";

const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version as string;
const tmp = mkdtempSync(join(tmpdir(), "hftlab-cli-"));

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

/** Every error is one `hftlab: error:` line plus at most a hint line, never a stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines[0]).toMatch(/^hftlab: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("hftlab as a program", () => {
  it("prints its version and exits 0", () => {
    const r = hftlab(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`hftlab ${version} (node ${process.version})`);
  });

  it("prints help with examples for the program and for meanrev", () => {
    const top = hftlab(["--help"]);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/meanrev/);
    const sub = hftlab(["meanrev", "--help"]);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toMatch(/Examples:/);
    expect(sub.stdout).toMatch(/--window <bars>/);
  });

  it("exits 2 with one line for an unknown flag, an unknown command and a bad value", () => {
    const flag = hftlab(["meanrev", "--bogus", "fixtures/eustocks.csv"]);
    expect(flag.status).toBe(2);
    expectOneLineError(flag.stderr, /unknown option '--bogus'/);
    const command = hftlab(["nosuch"]);
    expect(command.status).toBe(2);
    expectOneLineError(command.stderr, /unknown command/);
    const value = hftlab(["meanrev", "--window", "1", "fixtures/eustocks.csv"]);
    expect(value.status).toBe(2);
    expectOneLineError(value.stderr, /--window must be between 2 and 100000000/);
    const band = hftlab(["meanrev", "--entry", "1", "--exit", "1.5", "fixtures/eustocks.csv"]);
    expect(band.status).toBe(2);
    expectOneLineError(band.stderr, /--exit \(1.5\) must be below --entry \(1\)/);
    const modes = hftlab(["meanrev", "--json", "--csv", "fixtures/eustocks.csv"]);
    expect(modes.status).toBe(2);
  });

  it("exits 3 naming the file for a missing file", () => {
    const r = hftlab(["meanrev", "no/such/file.csv"]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /no\/such\/file\.csv/);
  });

  it("exits 3 naming file, line and column for an unparseable cell", () => {
    const path = file("bad-cell.csv", "t,A,B\n1,1.5,2\n2,1.6,abc\n3,1.7,2.2\n");
    const r = hftlab(["meanrev", "--window", "2", path]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, new RegExp(`${path.replaceAll("/", "\\/")}:3:3`));
  });

  it("exits 3 on a truncated last row instead of reporting a partial result", () => {
    const path = file("truncated.csv", "t,A,B\n1,1.5,2\n2,1.6,2.1\n3,1.7\n");
    const r = hftlab(["meanrev", "--window", "2", "--json", path]);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toMatch(/:4/);
  });

  it("exits 3 on an empty file and on a header-only file", () => {
    for (const [name, text] of [
      ["empty.csv", ""],
      ["header.csv", "t,A\n"],
    ]) {
      const r = hftlab(["meanrev", file(name!, text!)]);
      expect(r.status).toBe(3);
      expectOneLineError(r.stderr, new RegExp(name!.replace(".", "\\.")));
    }
  });

  it("exits 3 on unsorted time, and --sort accepts it", () => {
    const path = file("unsorted.csv", "t,A\n1,1\n3,2\n2,3\n4,2\n5,1\n");
    const r = hftlab(["meanrev", "--window", "2", "--no-adf", "--no-hurst", path]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /:4/);
    const sorted = hftlab(["meanrev", "--window", "2", "--no-adf", "--no-hurst", "--sort", "--json", path]);
    expect(sorted.status).toBe(0);
    expect(JSON.parse(sorted.stdout).data.end).toBe("5");
  });

  it("exits 3 when there are fewer rows than the window", () => {
    const r = hftlab(["meanrev", "--window", "50", file("short.csv", "t,A\n1,1\n2,2\n3,3\n")]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /too few rows for the window: 3 rows, --window 50/);
  });

  it("shows the stack trace of an error only with --debug", () => {
    const r = hftlab(["meanrev", "--debug", "no-such.csv"]);
    expect(r.status).toBe(3);
    expect(r.stderr.split("\n")[0]).toMatch(/^hftlab: error: /);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it("also writes errors as JSON on stderr under --json", () => {
    const r = hftlab(["meanrev", "--json", "no-such.csv"]);
    expect(r.status).toBe(3);
    const last = r.stderr.trimEnd().split("\n").at(-1)!;
    const parsed = JSON.parse(last);
    expect(parsed.error.code).toBe("file_not_found");
    expect(parsed.error.file).toBe("no-such.csv");
  });

  it("reads standard input through - and through a pipe with no path, with the same numbers", () => {
    const text = readFileSync(join(ROOT, "fixtures/eustocks.csv"));
    const fromFile = JSON.parse(hftlab(["meanrev", "--json", "fixtures/eustocks.csv"]).stdout);
    const dash = hftlab(["meanrev", "--json", "-"], { input: text });
    const piped = hftlab(["meanrev", "--json"], { input: text });
    expect(dash.status).toBe(0);
    expect(piped.status).toBe(0);
    for (const out of [JSON.parse(dash.stdout), JSON.parse(piped.stdout)]) {
      expect(out.data.source).toBe("-");
      expect(out.result).toEqual(fromFile.result);
      expect(out.data.rows).toBe(fromFile.data.rows);
    }
  });

  it.skipIf(!existsSync("/usr/bin/script"))(
    "exits 2 with usage instead of waiting when stdin is a terminal and no path is given",
    () => {
      // script(1) gives the child a pseudo-terminal on stdin
      const r = shell(`script -qec "node ${BIN} meanrev" /dev/null < /dev/null`);
      expect(r.status).toBe(2);
      expect(r.stdout).toMatch(/hftlab: error: no input file given/);
    },
  );

  it("reads gzip input transparently", () => {
    const path = join(tmp, "eustocks.csv.gz");
    writeFileSync(path, gzipSync(readFileSync(join(ROOT, "fixtures/eustocks.csv"))));
    const gz = JSON.parse(hftlab(["meanrev", "--json", path]).stdout);
    const plain = JSON.parse(hftlab(["meanrev", "--json", "fixtures/eustocks.csv"]).stdout);
    expect(gz.result).toEqual(plain.result);
  });

  it("is deterministic: two runs give identical bytes", () => {
    const a = hftlab(["meanrev", "--json", "fixtures/stocks.csv"]);
    const b = hftlab(["meanrev", "--json", "fixtures/stocks.csv"]);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toMatch(/timings/);
  });

  it("adds timings only with --timings", () => {
    const r = JSON.parse(hftlab(["meanrev", "--json", "--timings", "fixtures/eustocks.csv"]).stdout);
    expect(Object.keys(r)).toEqual(["command", "version", "params", "data", "result", "timings", "warnings"]);
    expect(Object.keys(r.timings)).toEqual(["load", "compute", "output"]);
  });

  it("ends quietly with 0 when stdout is closed early (| head -1)", () => {
    const r = shell(`set -o pipefail; node ${BIN} meanrev --ndjson fixtures/sp500-2000.csv | head -1`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).symbol).toBeDefined();
  });

  it("obeys NO_COLOR and FORCE_COLOR, and is plain when piped", () => {
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[`);
    expect(hftlab(["meanrev", "fixtures/eustocks.csv"]).stdout).not.toMatch(ansi);
    expect(hftlab(["meanrev", "fixtures/eustocks.csv"], { env: { FORCE_COLOR: "1" } }).stdout).toMatch(ansi);
    expect(
      hftlab(["meanrev", "fixtures/eustocks.csv"], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } }).stdout,
    ).not.toMatch(ansi);
    expect(hftlab(["meanrev", "--color", "fixtures/eustocks.csv"]).stdout).toMatch(ansi);
  });

  it("exits 130 on Ctrl-C (SIGINT) while waiting for input", async () => {
    const child = spawn(process.execPath, [BIN, "meanrev", "-"], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.write("t,A\n1,1\n");
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
  });
});
