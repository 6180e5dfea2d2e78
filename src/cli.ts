import { Command, CommanderError } from "commander";
import type { RunContext } from "./context.js";
import { ExitCode, HftlabError, oneLine, usageError } from "./errors.js";
import { HELP_WIDTH, wrapHelpText } from "./output/helpText.js";
import { safeText } from "./output/safeText.js";
import { StreamSink } from "./output/sink.js";
import { outputWidth, outputWidthFor, withOutputWidth } from "./output/terminalWidth.js";
import { packageVersion } from "./version.js";

/**
 * Builds the commander program. Commands register themselves; anything heavy
 * (apache-arrow, ora) is imported inside the action that needs it,
 * so `hftlab --version` and `--help` stay fast.
 */
type Register = (program: Command, context: RunContext) => void;

/**
 * Every subcommand, loaded only when it is the one invoked (or for top-level help).
 * A Map: `hftlab constructor` must be an unknown command (exit 2), not a lookup on Object.prototype.
 */
const COMMANDS = new Map<string, () => Promise<Register>>([
  ["completion", async () => (await import("./commands/completion/command.js")).registerCompletion],
  ["info", async () => (await import("./commands/info/command.js")).registerInfo],
  ["meanrev", async () => (await import("./commands/meanrev/command.js")).registerMeanrev],
  ["optimize", async () => (await import("./commands/optimize/command.js")).registerOptimize],
  ["hmm", async () => (await import("./commands/hmm/command.js")).registerHmm],
  ["regime", async () => (await import("./commands/regime/command.js")).registerRegime],
  ["sparse", async () => (await import("./commands/sparse/command.js")).registerSparse],
  ["decompose", async () => (await import("./commands/decompose/command.js")).registerDecompose],
  ["mcmc", async () => (await import("./commands/mcmc/command.js")).registerMcmc],
  ["book", async () => (await import("./commands/book/command.js")).registerBook],
  ["stream", async () => (await import("./commands/stream/command.js")).registerStream],
  ["risk", async () => (await import("./commands/risk/command.js")).registerRisk],
  ["backtest", async () => (await import("./commands/backtest/command.js")).registerBacktest],
  ["pairs", async () => (await import("./commands/pairs/command.js")).registerPairs],
  ["serve", async () => (await import("./commands/serve/command.js")).registerServe],
]);

/**
 * Which command modules this argv needs: the invoked one; none for a bare
 * `--version`; all of them for top-level help or an unknown command (so
 * commander can list them and suggest the nearest name).
 */
export function commandsFor(argv: string[]): string[] {
  const first = argv.find((arg) => !arg.startsWith("-"));
  // completion describes every command, so it needs them all.
  if (first !== undefined && COMMANDS.has(first) && first !== "completion") return [first];
  if (first === undefined && (argv.includes("--version") || argv.includes("-V"))) return [];
  return [...COMMANDS.keys()];
}

export async function buildProgram(context: RunContext, argv: string[]): Promise<Command> {
  const program = new Command("hftlab")
    .description(
      "A command-line quant toolkit: mean reversion, portfolios, regimes, HMMs, MCMC, sparse and robust " +
        "decompositions, order books and streams, on CSV/TSV/Arrow price files or standard input.",
    )
    .version(`hftlab ${context.version} (node ${process.version})`, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput(helpOutput(context))
    .addHelpText(
      "after",
      `
Examples:
  hftlab meanrev fixtures/eustocks.csv
  hftlab optimize --method max-sharpe --json fixtures/eustocks.csv > weights.json
  hftlab regime --state-file regime.json --exit-on-change fixtures/sp500-2000.csv
  cat fixtures/eustocks.csv | hftlab meanrev --ndjson - | head
  hftlab optimize --json fixtures/eustocks.csv | hftlab risk --weights - fixtures/eustocks.csv

Exit codes: 0 ok, 1 internal error, 2 usage, 3 input/data, 4 numerical, 10 regime changed,
130 interrupted.
Run 'hftlab <command> --help' for a command's options.`,
    );
  for (const name of commandsFor(argv)) (await COMMANDS.get(name)!())(program, context);
  for (const command of program.commands) {
    command.exitOverride().configureOutput(helpOutput(context));
  }
  return program;
}

/**
 * Where commander writes help, version and its errors. Help is at most
 * HELP_WIDTH columns (less on a narrower terminal): commander wraps its own
 * part to that width and wrapHelpText the examples and notes each command
 * adds after it, keeping example commands whole.
 */
function helpOutput(context: RunContext) {
  const width = Math.min(HELP_WIDTH, outputWidth() ?? HELP_WIDTH);
  return {
    writeOut: (text: string) => {
      void context.stdout.write(wrapHelpText(text, width));
    },
    writeErr: (text: string) => context.stderr(text),
    outputError: (text: string, write: (text: string) => void) => write(`hftlab: error: ${oneLine(text)}\n`),
    getOutHelpWidth: () => width,
    getErrHelpWidth: () => width,
  };
}

function errorJson(error: HftlabError): string {
  return `${JSON.stringify({
    error: {
      code: error.code,
      message: safeText(error.message),
      file: error.location.file ?? null,
      line: error.location.line ?? null,
    },
  })}\n`;
}

/** commander's error codes in hftlab's snake_case: `commander.unknownOption` → `unknown_option`. */
function commanderCode(code: string): string {
  return code.replace(/^commander\./, "").replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Prints an error as SPEC §1 wants it and returns its exit code. */
export function reportError(error: unknown, argv: string[], context: RunContext): number {
  const debug = argv.includes("--debug");
  const json = argv.includes("--json") || argv.includes("--ndjson");
  if (error instanceof CommanderError) {
    if (
      error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.code === "commander.help"
    ) {
      return ExitCode.ok;
    }
    // commander has already printed its one line through outputError. The help to see is the
    // command's, unless the command itself is what was mistyped.
    const command =
      argv[0] && !argv[0].startsWith("-") && error.code !== "commander.unknownCommand" ? argv[0] : "";
    context.stderr(`hint: see 'hftlab ${command ? `${command} ` : ""}--help'\n`);
    if (json) {
      context.stderr(
        errorJson(new HftlabError(ExitCode.usage, commanderCode(error.code), oneLine(error.message))),
      );
    }
    return ExitCode.usage;
  }
  if (error instanceof HftlabError) {
    const where = safeText(error.where());
    const message = safeText(error.message);
    // A place the message already names in full adds nothing ("no such file: x.csv (x.csv)").
    const redundant = error.location.line === undefined && message.includes(where);
    context.stderr(`hftlab: error: ${message}${where && !redundant ? ` (${where})` : ""}\n`);
    context.stderr(`hint: ${safeText(error.hint ?? fallbackHint(error, argv))}\n`);
    if (json) context.stderr(errorJson(error));
    if (debug && error.stack) context.stderr(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = safeText(error instanceof Error ? error.message : String(error));
  context.stderr(`hftlab: error: internal failure: ${message}\n`);
  context.stderr(
    debug && error instanceof Error && error.stack
      ? `${error.stack}\n`
      : "hint: this is a bug in hftlab; rerun with --debug for a stack trace and report it\n",
  );
  if (json) context.stderr(errorJson(new HftlabError(ExitCode.internal, "internal", message)));
  return ExitCode.internal;
}

/**
 * The hint line of an error that names no better one (SPEC §1: an error is
 * one line plus a hint): where to look next, by the kind of error.
 */
function fallbackHint(error: HftlabError, argv: string[]): string {
  const command = argv[0] && !argv[0].startsWith("-") ? `${argv[0]} ` : "";
  const help = `'hftlab ${command}--help'`;
  if (error.exitCode === ExitCode.input) {
    const { file, line } = error.location;
    const place =
      file !== undefined && file !== "-"
        ? `${file}${line === undefined ? "" : ` line ${line}`}`
        : "the input";
    return `check ${place}; ${help} lists the layouts and options it reads`;
  }
  if (error.exitCode === ExitCode.numerical) {
    return `the data may not suit the method as set; ${help} lists the options that control it`;
  }
  if (error.exitCode === ExitCode.internal) {
    return "this is a bug in hftlab; rerun with --debug for a stack trace and report it";
  }
  return `see ${help}`;
}

export async function main(argv: string[], context: RunContext): Promise<number> {
  const width = outputWidthFor(context.stdout.isTty, context.stdoutColumns, context.env);
  return withOutputWidth(width, () => runProgram(argv, context));
}

/**
 * `--color=always|never|auto` (gh's, rg's and ls's spelling) as the flags
 * commander knows: `--color`, `--no-color`, nothing. A bare `--color` takes
 * no value, so `--color file.csv` still reads file.csv.
 */
export function colorWhen(argv: string[]): string[] {
  return argv.flatMap((arg) => {
    const match = /^--colou?r=(.*)$/.exec(arg);
    if (match === null) return [arg];
    const when = match[1]!;
    if (when === "always") return ["--color"];
    if (when === "never") return ["--no-color"];
    if (when === "auto") return [];
    throw usageError(`--color takes always, never or auto, not "${when}"`, "e.g. --color=never");
  });
}

async function runProgram(argv: string[], context: RunContext): Promise<number> {
  try {
    argv = colorWhen(argv);
    const program = await buildProgram(context, argv);
    if (argv.length === 0) {
      program.outputHelp({ error: false });
      return ExitCode.ok;
    }
    await program.parseAsync(argv, { from: "user" });
    return context.exitCode;
  } catch (error) {
    return reportError(error, argv, context);
  }
}

export function processContext(): RunContext {
  return {
    stdout: new StreamSink(process.stdout),
    stderr: (text) => {
      process.stderr.write(text);
    },
    env: process.env,
    stdin: process.stdin,
    stdinIsTty: process.stdin.isTTY === true,
    ...(process.stdout.isTTY ? { stdoutColumns: process.stdout.columns } : {}),
    version: packageVersion(),
    exitCode: ExitCode.ok,
  };
}

/** The process entry: EPIPE ends quietly with 0, Ctrl-C with 130. */
export async function run(): Promise<void> {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(ExitCode.ok);
    process.stderr.write(`hftlab: error: cannot write output: ${error.message}\n`);
    process.exit(ExitCode.input);
  });
  process.on("SIGINT", () => {
    process.stderr.write("\nhftlab: interrupted\n");
    process.exit(ExitCode.interrupted);
  });
  // Exits, so that exit handlers run (temporary output files are removed): 128 + the signal's number.
  process.on("SIGTERM", () => process.exit(143));
  process.on("SIGHUP", () => process.exit(129));
  const argv = process.argv.slice(2);
  const context = processContext();
  const code = await main(argv, context);
  process.exitCode = code;
}
