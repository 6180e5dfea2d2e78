import { checkOutputTarget } from "../../io/outputTarget.js";
import { outputFormat } from "../../io/write.js";
import { type Command, InvalidArgumentError, Option } from "commander";
import { usageError } from "../../errors.js";

/**
 * The options every subcommand shares (SPEC §1), declared once. Defaults
 * live here, next to the option that uses them, and show in --help.
 */
/** `--missing`'s choices, and "zero" (a missing cell is 0), which only `risk --compat quantstats` sets. */
export type MissingPolicy = "drop" | "ffill" | "error" | "zero";
export type InputFormat = "csv" | "tsv" | "arrow" | "parquet";
export type InputKind = "prices" | "returns";

export interface CommonOptions {
  inputFormat?: InputFormat;
  timeCol?: string;
  priceCol?: string;
  columns?: string[];
  missing: MissingPolicy;
  sort: boolean;
  json: boolean;
  ndjson: boolean;
  csv: boolean;
  out?: string;
  /** --report FILE.html, on the commands that draw one (addReportOption). */
  report?: string;
  timings: boolean;
  quiet: boolean;
  /** --color / --no-color (the last given wins; --color=WHEN is rewritten to them, see cli.ts). */
  color?: boolean;
  debug: boolean;
  /** Declared only by commands with a PRNG (addOutputOptions' `seed`). */
  seed: number;
  /** Declared only by commands that can refuse a non-convergence (`strict`). */
  strict: boolean;
}

export const DEFAULT_SEED = 42;

export function parseInteger(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    if (!/^[+-]?\d+$/.test(text.trim())) throw new InvalidArgumentError(`${name} must be an integer.`);
    const value = Number(text);
    if (value < min || value > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${name} must be ${min} or more.`
          : `${name} must be between ${min} and ${max}.`,
      );
    }
    return value;
  };
}

export function parseNumber(name: string, check?: (x: number) => string | undefined) {
  return (text: string): number => {
    const trimmed = text.trim();
    const value = trimmed === "" ? Number.NaN : Number(trimmed);
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`${name} must be a finite number.`);
    const problem = check?.(value);
    if (problem !== undefined) throw new InvalidArgumentError(`${name} ${problem}`);
    return value;
  };
}

export function parseList(text: string): string[] {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new InvalidArgumentError("expected a comma-separated list.");
  return items;
}

export function addInputOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--input-format <format>", "input format (default: by extension, else sniffed)").choices([
        "csv",
        "tsv",
        "arrow",
        "parquet",
      ]),
    )
    .option("--time-col <name>", "time column (default: first of time/date/timestamp/t)")
    .option(
      "--price-col <name>",
      "price column of a long or OHLCV file (default: price/close/adjclose/value)",
    )
    .option("--columns <list>", "symbols to use, comma-separated, in this order", parseList)
    .addOption(
      new Option("--missing <policy>", "missing cells (empty, NA, NaN, null)")
        .choices(["drop", "ffill", "error"])
        .default("drop"),
    )
    .option("--sort", "sort rows by time instead of rejecting unsorted input", false);
}

/**
 * The output and run options of a command. `seed` and `strict` are declared
 * only where they act (a PRNG to seed; a non-convergence to refuse), so
 * that giving one to a command that has no use for it is an unknown option
 * (exit 2), not a silent no-op.
 */
export function addOutputOptions(
  command: Command,
  formats: { ndjson: boolean; csv: boolean; out: boolean; seed?: boolean; strict?: boolean },
): Command {
  command.option("--json", "one JSON document on stdout", false);
  if (formats.ndjson) command.option("--ndjson", "one JSON object per result row", false);
  if (formats.csv) command.option("--csv", "the result table as CSV", false);
  if (formats.out)
    command.option("--out <file>", "write the per-row result series (.csv, .tsv, .arrow, .arrows)");
  command
    .option("--timings", "add load/compute/output seconds to the JSON envelope (with --json)", false)
    .option("-q, --quiet", "no progress or warnings on stderr", false)
    .option(
      "--color",
      "colour always (also --color=always|never|auto; default auto: a terminal, no NO_COLOR)",
    )
    .option("--no-color", "no colour (--color=never)");
  if (formats.strict)
    command.addOption(
      new Option("--strict", "treat numerical non-convergence as an error (exit 4)").default(false),
    );
  if (formats.seed) {
    command.addOption(
      new Option("--seed <n>", "seed of the one PRNG")
        .argParser(parseInteger("--seed", 0, 2 ** 32 - 1))
        .default(DEFAULT_SEED),
    );
  }
  return command.option("--debug", "show stack traces for errors", false);
}

/**
 * `--report FILE.html` (SPEC §4): a self-contained HTML page of the run's
 * charts and tables, written atomically beside whatever else is printed.
 */
export function addReportOption(command: Command): Command {
  return command.option(
    "--report <file>",
    "also write a self-contained HTML report (inline SVG charts and CSS, no script, no network)",
  );
}

/** Every output file flag, and what it writes: checked before any input is read. */
const OUTPUT_FILES = [
  ["out", "--out", "table"],
  ["outLowRank", "--out-low-rank", "table"],
  ["outSparse", "--out-sparse", "table"],
  ["save", "--save", "json"],
  ["stateFile", "--state-file", "json"],
  ["report", "--report", "html"],
] as const;

/**
 * Rejects combinations commander cannot see (exit 2), and output files that
 * could not be written (an unknown table format, a missing or read-only
 * directory): every command calls this before it reads its input.
 */
export function checkOutputModes(options: CommonOptions): void {
  const given = options as CommonOptions & Partial<Record<(typeof OUTPUT_FILES)[number][0], string>>;
  for (const [key, flag, kind] of OUTPUT_FILES) {
    const path = given[key];
    if (typeof path === "string") checkOutputTarget(flag, path, kind, outputFormat);
  }
  const modes = [options.json && "--json", options.ndjson && "--ndjson", options.csv && "--csv"].filter(
    Boolean,
  );
  if (modes.length > 1)
    throw usageError(`${modes.join(" and ")} cannot be combined`, "choose one output format");
  if (options.timings && !options.json) {
    throw usageError("--timings adds the seconds to the JSON envelope: it needs --json", "add --json");
  }
}

/**
 * The input path: the argument, or "-" (stdin) when none is given and stdin
 * is not a terminal. A terminal on stdin with no path is a usage error, not a
 * silent hang.
 */
export function resolveInput(argument: string | undefined, command: string, stdinIsTty: boolean): string {
  if (argument !== undefined) return argument;
  if (!stdinIsTty) return "-";
  throw usageError(
    "no input file given",
    `usage: hftlab ${command} [options] <file|->; see 'hftlab ${command} --help'`,
  );
}

/**
 * For commands that work on returns (SPEC §1): `--returns simple|log` with
 * the command's own default, and `--input-kind prices|returns`.
 */
export function addReturnsOptions(command: Command, defaultKind: "simple" | "log"): Command {
  return command
    .addOption(
      new Option("--returns <kind>", "returns computed from prices")
        .choices(["simple", "log"])
        .default(defaultKind),
    )
    .addOption(
      new Option("--input-kind <kind>", "whether the file holds prices or returns already")
        .choices(["prices", "returns"])
        .default("prices"),
    );
}

/**
 * For the methods that model price levels (sparse greedy, decompose
 * box-tiao: a VAR(1) on levels, SPEC), a returns file or a returns
 * convention has no meaning. Treating returns as levels would silently
 * find a "mean-reverting" mix of near-white-noise series, and cumulating
 * them into levels would invent a base level and change the units of the
 * weights (per unit of an index, not per share), so both are refused.
 */
export function checkLevelsInput(options: { method: string; inputKind: InputKind; returns: string }): void {
  if (options.inputKind === "returns") {
    throw usageError(
      `--method ${options.method} works on price levels, so --input-kind returns does not apply`,
      "pass the price file itself (levels, not returns)",
    );
  }
  if (options.returns === "log") {
    throw usageError(
      `--method ${options.method} works on price levels, so --returns ${options.returns} does not apply`,
      "drop --returns; it only chooses the returns of the methods that use them",
    );
  }
}
