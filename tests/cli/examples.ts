import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, ROOT } from "./run.js";

/**
 * The examples' runner, for examples-readme.test.ts and examples-help.test.ts (two files, so
 * the two halves run on both cores). Every example a user is shown runs as written, from a fresh clone, on the files that ship in
 * fixtures/: the command lines of README.md's ```sh blocks and the "Examples:" of `hftlab --help`
 * and of every command's `--help`.
 *
 * Conventions the examples follow (and this test reads):
 * - `hftlab` and `npx hftlab` are the built binary (a shim directory first on PATH), so the README
 *   can show either; a leading `npm ci && ` is dropped, since the suite runs after `npm ci`.
 * - An example exits 0, unless its own comment says otherwise: `# exits 10 when …`.
 * - A line ending in `# (needs a live feed)` is not run (a websocket to an exchange): those are
 *   skipped here, one by one, and counted in the suite's name.
 * - Each example runs alone through `bash -o pipefail -c` (so an hftlab in the middle of a pipe that
 *   fails is seen, and `| head` must end hftlab quietly with 0) in a fresh temporary directory holding
 *   a copy of fixtures/, with HOME and TMPDIR inside it: what it writes (sig.csv, model.json) lands
 *   there. It names no absolute path but /dev/null, and must leave the fixtures as they were.
 */

export interface Example {
  /** Where it is shown: `README.md:123` or `hftlab optimize --help`. */
  where: string;
  command: string;
  expectedExit: number;
  live: boolean;
}

const LIVE = /#\s*\(needs a live feed\)\s*$/;
const EXITS = /#.*\bexits (\d+)\b/;
/** hftlab as a word of the command (after its comment is cut): first, after a pipe or `&&`, or after a wrapper (`timeout 1`). */
const INVOKES = /(^|[\s|&;(])(npx\s+)?hftlab(\s|$)/;

function example(where: string, line: string): Example {
  const command = line.replace(/^npm ci && /, "");
  const exits = EXITS.exec(command);
  return { where, command, expectedExit: exits ? Number(exits[1]) : 0, live: LIVE.test(command) };
}

/** Lines ending in a backslash continue on the next line, as the shell reads them. */
function joinContinuations(lines: { line: string; number: number }[]): { line: string; number: number }[] {
  const joined: { line: string; number: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    let text = first.line;
    while (text.endsWith("\\") && i + 1 < lines.length)
      text = `${text.slice(0, -1)} ${lines[++i]!.line.trim()}`;
    joined.push({ line: text, number: first.number });
  }
  return joined;
}

function readmeExamples(): Example[] {
  const lines = readFileSync(join(ROOT, "README.md"), "utf8").split("\n");
  const examples: Example[] = [];
  let block: { line: string; number: number }[] | null = null;
  lines.forEach((line, index) => {
    if (block === null) {
      if (line.trim() === "```sh") block = [];
      return;
    }
    if (line.trim() !== "```") {
      block.push({ line, number: index + 1 });
      return;
    }
    for (const { line: text, number } of joinContinuations(block)) {
      const code = text.replace(/\s+#.*$/, "").trim();
      if (INVOKES.test(code)) examples.push(example(`README.md:${number}`, text.trim()));
    }
    block = null;
  });
  return examples;
}

function help(args: string[]): string {
  const result = spawnSync(process.execPath, [BIN, ...args, "--help"], { cwd: ROOT, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** The indented lines under "Examples:", up to the first blank line. */
function helpSection(text: string, where: string): Example[] {
  const lines = text.split("\n");
  const start = lines.indexOf("Examples:");
  if (start < 0) return [];
  const section: { line: string; number: number }[] = [];
  for (let i = start + 1; i < lines.length && lines[i]!.trim() !== ""; i++) {
    section.push({ line: lines[i]!.trim(), number: i + 1 });
  }
  return joinContinuations(section).map(({ line }) => example(where, line));
}

function helpExamples(): Example[] {
  const programHelp = help([]);
  const commandsAt = programHelp.split("\n").indexOf("Commands:");
  const commands = programHelp
    .split("\n")
    .slice(commandsAt + 1)
    .map((line) => /^ {2}([a-z]+) [[<]/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== "help");
  const examples = helpSection(programHelp, "hftlab --help");
  for (const command of commands) {
    const shown = helpSection(help([command]), `hftlab ${command} --help`);
    // SPEC §1: every command's help has at least one example.
    expect(shown.length, `hftlab ${command} --help has no example`).toBeGreaterThan(0);
    examples.push(...shown);
  }
  return examples;
}

const work = mkdtempSync(join(tmpdir(), "hftlab-examples-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `hftlab` and `npx hftlab` as a user has them after `npm ci` (and `npm link`): the built binary. */
const shims = join(work, "bin");
mkdirSync(shims);
writeFileSync(join(shims, "hftlab"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
writeFileSync(
  join(shims, "npx"),
  `#!/bin/sh\nif [ "$1" = hftlab ]; then shift; exec "${process.execPath}" "${BIN}" "$@"; fi\n` +
    `echo "examples test: npx $1 is not hftlab" >&2; exit 127\n`,
);
chmodSync(join(shims, "hftlab"), 0o755);
chmodSync(join(shims, "npx"), 0o755);

/** Every file under dir with a digest of its bytes, to see that an example left the fixtures alone. */
function digest(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[relative(dir, full)] = createHash("sha1").update(readFileSync(full)).digest("hex");
    }
  };
  walk(dir);
  return files;
}

const FIXTURES = join(ROOT, "fixtures");
const shipped = digest(FIXTURES);
let runs = 0;

function run(command: string): { status: number | null; stdout: string; stderr: string; dir: string } {
  const dir = join(work, `run-${++runs}`);
  mkdirSync(join(dir, "home"), { recursive: true });
  mkdirSync(join(dir, "tmp"));
  cpSync(FIXTURES, join(dir, "fixtures"), { recursive: true });
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const result = spawnSync("bash", ["-o", "pipefail", "-c", command], {
    cwd: dir,
    env: {
      ...env,
      PATH: `${shims}:${env.PATH}`,
      HOME: join(dir, "home"),
      TMPDIR: join(dir, "tmp"),
    },
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 1 << 28,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, dir };
}

function check(shown: Example): void {
  // Its comment may name ~/.zshrc; the command itself names no place outside its directory.
  expect(shown.command.replace(/\s+#.*$/, ""), "an example writes only under its own directory").not.toMatch(
    /(^|[\s=<>'"])(\/(?!dev\/null\b)|~|\.\.\/)/,
  );
  const result = run(shown.command);
  expect(
    result.status,
    `${shown.where}: ${shown.command}\nexit ${result.status}\nstderr:\n${result.stderr}`,
  ).toBe(shown.expectedExit);
  expect(digest(join(result.dir, "fixtures")), `${shown.command} changed fixtures/`).toEqual(shipped);
  rmSync(result.dir, { recursive: true, force: true });
}

export function suite(name: string, examples: Example[]): void {
  const live = examples.filter((shown) => shown.live).length;
  describe(`${name}: ${examples.length - live} run as written, ${live} not run (# (needs a live feed))`, () => {
    for (const shown of examples) {
      const title = `${shown.where}: ${shown.command}`;
      if (shown.live) it.skip(title, () => {});
      else it(title, () => check(shown));
    }
  });
}

export const readme = readmeExamples();
export const helps = helpExamples();

/** That the examples are found at all, with their exit codes: an empty suite would pass. */
export function examplesAreFound(): void {
  describe("the examples are found", () => {
    it("in README.md and in every --help", () => {
      expect(readme.length).toBeGreaterThan(50);
      expect(helps.length).toBeGreaterThan(50);
    });

    it("with their exit codes read from their comments, and only the websocket lines left unrun", () => {
      const all = [...readme, ...helps];
      expect(all.filter((shown) => shown.expectedExit === 10).map((shown) => shown.where)).toHaveLength(1);
      expect(all.filter((shown) => shown.expectedExit === 130)).toHaveLength(2);
      const live = all.filter((shown) => shown.live);
      expect(live.every((shown) => /^hftlab stream --ws /.test(shown.command))).toBe(true);
      expect(live).toHaveLength(4);
    });
  });
}
