import { Readable } from "node:stream";
import type { Command } from "commander";
import { buildProgram, main } from "../../cli.js";
import type { RunContext } from "../../context.js";
import { HftlabError } from "../../errors.js";
import { MemorySink, type Sink } from "../../output/sink.js";
import { packageVersion } from "../../version.js";
import type { CallError, CallJob, CallOutcome } from "./callProtocol.js";
import { callErrorOf } from "./callError.js";
import { optionArgs } from "./optionArgs.js";
import { quietContext } from "./parseCommandOptions.js";
import { tableCsv } from "./tableCsv.js";

/**
 * One call, run as the CLI runs it: the request becomes a command line
 * (`meanrev --window=60 --json --quiet -- -`), the inline table becomes
 * standard input, and the CLI's own `main` parses, validates, computes and
 * prints. The answer is the printed `result` (re-serialised compactly by
 * JSON.stringify, which writes each double the CLI wrote as the same
 * shortest decimal) or the CLI's error line, exit code and hint.
 */
export async function runCall(job: CallJob, onLine: (text: string) => Promise<void>): Promise<CallOutcome> {
  const stderr: string[] = [];
  const stdout = job.output === "ndjson" ? new ForwardingSink(onLine) : new MemorySink();
  let stdinText = "";
  let argv: string[];
  try {
    if (job.input.kind === "table") stdinText = tableCsv(job.input.table);
    argv = await commandLine(job);
  } catch (error) {
    if (error instanceof HftlabError) return { kind: "error", error: callErrorOf(error) };
    throw error;
  }
  const context: RunContext = {
    stdout,
    stderr: (text) => {
      stderr.push(text);
    },
    env: { NO_COLOR: "1" },
    stdin: Readable.from([Buffer.from(stdinText)]),
    stdinIsTty: false,
    version: VERSION,
    exitCode: 0,
  };
  const exitCode = await main(argv, context);
  const errorText = job.input.kind === "table" ? inlineNamed(stderr.join("")) : stderr.join("");
  if (exitCode !== 0) return { kind: "error", error: cliError(exitCode, errorText) };
  if (stdout instanceof MemorySink) return envelopeOutcome(stdout.text(), job.input.kind === "table");
  return { kind: "lines", warnings: warningLines(errorText) };
}

const VERSION = packageVersion();

/** Commands parsed once per worker: the option lists that requests are mapped onto. */
const commands = new Map<string, Command>();

async function commandOf(name: string): Promise<Command> {
  const known = commands.get(name);
  if (known !== undefined) return known;
  const program = await buildProgram(quietContext(), [name]);
  const command = program.commands.find((candidate) => candidate.name() === name)!;
  commands.set(name, command);
  return command;
}

async function commandLine(job: CallJob): Promise<string[]> {
  const command = await commandOf(job.command);
  const args = optionArgs(command, job.options);
  // ndjson keeps warnings on stderr (there is no envelope to carry them); json has them in the envelope.
  const output = job.output === "json" ? ["--json", "--quiet"] : ["--ndjson"];
  if (job.input.kind === "table") output.push("--input-format=csv");
  const source = job.input.kind === "table" ? "-" : job.input.path;
  return [job.command, ...args, ...output, "--", source];
}

function envelopeOutcome(text: string, inline: boolean): CallOutcome {
  const envelope = JSON.parse(text) as { result: unknown; warnings: string[] };
  const warnings = inline ? envelope.warnings.map(inlineNamed) : envelope.warnings;
  return { kind: "result", resultJson: JSON.stringify(envelope.result), warnings };
}

/** An inline table reaches the CLI as standard input; the client knows it as the request's `data`. */
function inlineNamed(text: string): string {
  return text.replaceAll("<stdin>", "data");
}

/** The warnings a command printed as `hftlab: warning: …` lines. */
function warningLines(text: string): string[] {
  const prefix = "hftlab: warning: ";
  return text
    .split("\n")
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

/**
 * The CLI's error from what it printed: the `hftlab: error: …` line, the
 * `hint:` line and, since the call ran with --json, the `{"error":…}` line
 * with the code, file and line.
 */
function cliError(exitCode: number, text: string): CallError {
  const lines = text.split("\n");
  const message = lines.find((line) => line.startsWith("hftlab: error: "))?.slice("hftlab: error: ".length);
  const hint = lines.find((line) => line.startsWith("hint: "))?.slice("hint: ".length) ?? null;
  const json = lines.find((line) => line.startsWith('{"error":'));
  const detail = json === undefined ? undefined : (JSON.parse(json) as { error: ErrorJson }).error;
  return {
    exitCode,
    code: detail?.code ?? "internal",
    message: message ?? (text.trim() || `exit ${exitCode}`),
    hint,
    file: detail?.file ?? null,
    line: detail?.line ?? null,
  };
}

interface ErrorJson {
  code: string;
  message: string;
  file: string | null;
  line: number | null;
}

/**
 * Hands every written chunk on at once (a replay's snapshots go out as they
 * are made); a write settles when `forward` lets the command go on, which is
 * how a slow client holds the command back.
 */
class ForwardingSink implements Sink {
  readonly isTty = false;
  constructor(private readonly forward: (text: string) => Promise<void>) {}
  async write(chunk: string): Promise<void> {
    await this.forward(chunk);
  }
  async writeBytes(chunk: Uint8Array, written?: () => void): Promise<void> {
    await this.forward(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("utf8"));
    written?.();
  }
}
