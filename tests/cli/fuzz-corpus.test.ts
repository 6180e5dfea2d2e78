import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Prng } from "../../src/numerics/random/prng.js";
import { BIN, ROOT } from "./run.js";

/**
 * A seeded corpus of malformed inputs for every command, each run by the
 * built binary under a heap cap and a timeout: whatever the damage, the run
 * ends (no hang, no crash of V8), and either succeeds with a complete result
 * (valid JSON on stdout) or fails with the SPEC's exit code, one
 * `hftlab: error:` line and a hint, nothing on stdout, no stack trace, no
 * raw control character on stderr, and no file left in its folder.
 */

const prng = new Prng(23_2026);
const random = () => prng.nextFloat();
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const lines = (path: string, count: number) =>
  readFileSync(join(ROOT, path), "utf8").split("\n").slice(0, count).join("\n").concat("\n");
const PRICES = lines("fixtures/eustocks.csv", 240);
const BOOK = lines("fixtures/book-sample.csv", 300);
const TICKS = lines("fixtures/ticks.ndjson", 300);

type Base = "prices" | "book" | "ticks";
const BASES: Record<Base, string> = { prices: PRICES, book: BOOK, ticks: TICKS };

/** Each command with flags that keep a healthy run short. */
const COMMANDS: { name: string; args: string[]; base: Base; out?: string }[] = [
  { name: "meanrev", args: ["meanrev", "--window", "20"], base: "prices", out: "rows.csv" },
  { name: "optimize", args: ["optimize"], base: "prices" },
  { name: "regime", args: ["regime", "--restarts", "1", "--max-iter", "50"], base: "prices" },
  { name: "hmm", args: ["hmm", "--restarts", "1", "--max-iter", "50"], base: "prices" },
  {
    name: "mcmc",
    args: ["mcmc", "--columns", "SMI", "--chains", "2", "--draws", "200", "--warmup", "100"],
    base: "prices",
  },
  { name: "sparse", args: ["sparse", "--target", "FTSE"], base: "prices" },
  { name: "decompose", args: ["decompose", "--max-iter", "50"], base: "prices" },
  { name: "risk", args: ["risk"], base: "prices" },
  { name: "backtest", args: ["backtest", "--window", "20"], base: "prices" },
  { name: "pairs", args: ["pairs"], base: "prices" },
  { name: "book", args: ["book"], base: "book" },
  { name: "stream", args: ["stream", "--strict", "--window", "20"], base: "ticks" },
];

interface Damaged {
  bytes: Buffer;
  /** The file name's extension, when the damage needs one (gzip). */
  extension?: string;
}

function splitLines(text: string): string[] {
  return text.trimEnd().split("\n");
}

function atRandomCell(text: string, replace: (cell: string) => string): string {
  const rows = splitLines(text);
  const row = 1 + Math.floor(random() * (rows.length - 1));
  const separator = rows[row]!.includes(",") ? "," : ":";
  const cells = rows[row]!.split(separator);
  const column = Math.floor(random() * cells.length);
  cells[column] = replace(cells[column]!);
  rows[row] = cells.join(separator);
  return `${rows.join("\n")}\n`;
}

/** The kinds of damage, each a seeded function of a healthy file. */
const DAMAGE: Record<string, (text: string) => Damaged> = {
  truncated: (text) => ({ bytes: Buffer.from(text).subarray(0, Math.floor(random() * text.length)) }),
  empty: () => ({ bytes: Buffer.alloc(0) }),
  "header only": (text) => ({ bytes: Buffer.from(`${splitLines(text)[0]}\n`) }),
  "flipped bytes": (text) => {
    const bytes = Buffer.from(text);
    for (let k = 0; k < 6; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    return { bytes };
  },
  "terminal escapes": (text) => ({
    bytes: Buffer.from(atRandomCell(text, () => "\u001b[2J\u001b]0;pwned\u0007")),
  }),
  "bad number": (text) => ({
    bytes: Buffer.from(
      atRandomCell(text, () => pick(["abc", "1e400", "0x10", "--1", "1,5", "Infinity", "\u00a0"])),
    ),
  }),
  "duplicate column": (text) => {
    const rows = splitLines(text);
    const cells = rows[0]!.split(",");
    if (cells.length > 2) cells[cells.length - 1] = cells[1]!;
    rows[0] = cells.join(",");
    return { bytes: Buffer.from(`${rows.join("\n")}\n`) };
  },
  "no header": (text) => ({ bytes: Buffer.from(`${splitLines(text).slice(1).join("\n")}\n`) }),
  "open quote": (text) => ({ bytes: Buffer.from(atRandomCell(text, (cell) => `"${cell}`)) }),
  "ragged row": (text) => ({
    bytes: Buffer.from(atRandomCell(text, (cell) => (random() < 0.5 ? `${cell},1,2` : ""))),
  }),
  "time reversed": (text) => {
    const [header, ...rows] = splitLines(text);
    return { bytes: Buffer.from(`${[header, ...rows.reverse()].join("\n")}\n`) };
  },
  "invalid UTF-8": (text) => ({ bytes: Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(text)]) }),
  "huge cell": (text) => ({ bytes: Buffer.from(atRandomCell(text, () => "9".repeat(2_000_000))) }),
  "NUL bytes": (text) => ({ bytes: Buffer.from(atRandomCell(text, (cell) => `${cell}\u0000\u0000`)) }),
  "prototype names": (text) => {
    const rows = splitLines(text);
    const cells = rows[0]!.split(",");
    const names = ["__proto__", "constructor", "toString"];
    for (let k = 1; k < Math.min(cells.length, 4); k++) cells[k] = names[k - 1]!;
    rows[0] = cells.join(",");
    return { bytes: Buffer.from(`${rows.join("\n")}\n`) };
  },
  "gzip garbage": (text) => {
    const zipped = gzipSync(text);
    return {
      bytes:
        random() < 0.5
          ? zipped.subarray(0, zipped.length >> 1)
          : Buffer.concat([zipped.subarray(0, 10), Buffer.from("garbage")]),
      extension: ".gz",
    };
  },
};

interface Outcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=256", HFTLAB_THREADS: "1" },
      timeout: 60_000,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Runs `jobs` two at a time (the machine's cores), in order of their results. */
async function inPairs<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const k = next++;
      results[k] = await jobs[k]!();
    }
  };
  await Promise.all([lane(), lane()]);
  return results;
}

/** Whether text holds a control character other than tab and newline (one a terminal would act on). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10) || c === 0x7f) return true;
  }
  return false;
}

describe("a seeded corpus of malformed inputs, every command", () => {
  const root = mkdtempSync(join(tmpdir(), "hftlab-fuzz-"));
  const kinds = Object.keys(DAMAGE);
  const cases = COMMANDS.flatMap((command, c) =>
    // Half the pairs, alternating, so each kind of damage meets six commands.
    kinds.filter((_, k) => (c + k) % 2 === 0).map((kind) => ({ command, kind })),
  );

  it("runs every command cleanly on the undamaged inputs (so the damage is what the runs below meet)", async () => {
    const outcomes = await inPairs(
      COMMANDS.map((command) => async () => {
        const folder = mkdtempSync(join(root, `healthy-${command.name}-`));
        const input = `input.${command.base === "ticks" ? "ndjson" : "csv"}`;
        writeFileSync(join(folder, input), BASES[command.base]);
        const args = [...command.args, ...(command.base === "ticks" ? [] : ["--json"]), input];
        return { name: command.name, outcome: await run(args, folder) };
      }),
    );
    for (const { name, outcome } of outcomes) expect(outcome.status, `${name}: ${outcome.stderr}`).toBe(0);
  }, 120_000);

  it(`ends every one of ${cases.length} runs with a complete result or one clean error`, async () => {
    const jobs = cases.map(({ command, kind }, k) => async () => {
      const folder = join(root, String(k));
      mkdirSync(folder);
      const damaged = DAMAGE[kind]!(BASES[command.base]);
      const input = `input.${command.base === "ticks" ? "ndjson" : "csv"}${damaged.extension ?? ""}`;
      writeFileSync(join(folder, input), damaged.bytes);
      const args = [...command.args, ...(command.base === "ticks" ? [] : ["--json"]), input];
      if (command.out !== undefined) args.push("--out", command.out);
      return { command: command.name, kind, folder, input, outcome: await run(args, folder) };
    });
    const failures: string[] = [];
    const statuses = new Map<string, number>();
    for (const { command, kind, folder, input, outcome } of await inPairs(jobs)) {
      const where = `${command} on ${kind}`;
      const status = outcome.signal ?? String(outcome.status);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const problems: string[] = [];
      const left = readdirSync(folder).filter((name) => name !== input);
      if (outcome.signal !== null) problems.push(`killed by ${outcome.signal}`);
      else if (outcome.status === 0) {
        if (command === "stream") {
          for (const line of outcome.stdout.trimEnd().split("\n").filter(Boolean)) JSON.parse(line);
        } else if (JSON.parse(outcome.stdout).result === undefined) problems.push("exit 0 without a result");
        if (left.some((name) => name.endsWith(".tmp"))) problems.push(`left ${left.join(", ")}`);
      } else {
        if (![2, 3, 4].includes(outcome.status!)) problems.push(`exit ${outcome.status}`);
        let stderr = outcome.stderr;
        if (command === "stream") {
          // A stream has written the rows of the ticks before the bad one (each line is flushed as
          // it comes) and says how many: exactly those rows, each whole, then the error.
          const [summary, ...rest] = stderr.split("\n");
          const ticks = /^hftlab: stream: (\d+) ticks,/.exec(summary ?? "");
          const rows = outcome.stdout.split("\n").filter(Boolean);
          // (No summary when it fails before its first tick: then no rows either.)
          if (rows.length !== Number(ticks?.[1] ?? 0))
            problems.push(`${rows.length} rows for ${ticks?.[1] ?? "no"} ticks`);
          for (const row of rows) JSON.parse(row);
          if (ticks !== null) stderr = rest.join("\n");
        } else if (outcome.stdout !== "") problems.push("wrote to stdout");
        const [first, second] = stderr.split("\n");
        if (!first?.startsWith("hftlab: error: "))
          problems.push(`first stderr line: ${first?.slice(0, 200)}`);
        if (!second?.startsWith("hint: ")) problems.push(`second stderr line: ${second?.slice(0, 200)}`);
        if (/\n\s+at .*:\d+:\d+/.test(outcome.stderr)) problems.push("a stack trace");
        if (outcome.stderr.length > 20_000) problems.push(`${outcome.stderr.length} bytes on stderr`);
        if (left.length > 0) problems.push(`left ${left.join(", ")}`);
      }
      if (hasControl(outcome.stderr)) problems.push("a raw control character on stderr");
      if (problems.length > 0) failures.push(`${where}: ${problems.join("; ")}`);
    }
    console.info(`fuzz corpus exit statuses: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(", ")}`);
    expect(failures).toEqual([]);
  }, 600_000);
});
