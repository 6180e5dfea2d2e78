import { Readable } from "node:stream";
import { Command, CommanderError } from "commander";
import type { RunContext } from "../../context.js";
import { ExitCode, HftlabError, oneLine } from "../../errors.js";
import { MemorySink } from "../../output/sink.js";
import { packageVersion } from "../../version.js";
import type { OptionValue } from "./callProtocol.js";
import { optionArgs } from "./optionArgs.js";

type Register = (program: Command, context: RunContext) => void;

/**
 * A command's options as commander resolves them from a request's fields:
 * the CLI's parsers, choices, defaults and messages, without running the
 * command (for the streaming calls, which drive the engine themselves).
 * A bad value throws the CLI's usage error (exit 2) with commander's words.
 */
export async function parseCommandOptions<T>(
  register: Register,
  name: string,
  fields: Record<string, OptionValue>,
): Promise<T> {
  const program = new Command("hftlab").exitOverride().configureOutput({
    writeOut: () => {},
    writeErr: () => {},
  });
  register(program, quietContext());
  const command = program.commands.find((candidate) => candidate.name() === name)!;
  command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  let parsed: T | undefined;
  command.action((_input: unknown, options: T) => {
    parsed = options;
  });
  try {
    await program.parseAsync([name, ...optionArgs(command, fields)], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError)
      throw new HftlabError(ExitCode.usage, "usage", oneLine(error.message));
    throw error;
  }
  return parsed!;
}

/** A context that prints nothing and reads nothing: for building a command to parse or run it in memory. */
export function quietContext(): RunContext {
  return {
    stdout: new MemorySink(),
    stderr: () => {},
    env: {},
    stdin: Readable.from([]),
    stdinIsTty: false,
    version: packageVersion(),
    exitCode: 0,
  };
}
