import type { Command, Option } from "commander";
import { ExitCode, HftlabError } from "../../errors.js";
import type { OptionValue } from "./callProtocol.js";

/**
 * A request's options as the command line the CLI would be given: each
 * field (`hurstMethod`, proto-loader's camelCase of `hurst_method`) becomes
 * its flag (`--hurst-method`), found among the command's own commander
 * options, so the CLI's own parsing, choices, defaults and messages apply.
 * Values are attached with `=` (`--columns=-x` cannot pass for a flag), a
 * list is joined with commas, and a flag is given in the spelling the
 * command declares: true as `--log`, false as `--no-adf`; the value a flag
 * has anyway (false for `--log`, true for `--adf`) needs no flag.
 */
export function optionArgs(command: Command, options: Record<string, OptionValue>): string[] {
  const args: string[] = [];
  for (const [field, value] of Object.entries(options)) {
    const flag = `--${kebabCase(field)}`;
    if (typeof value === "boolean") {
      const spelled = booleanFlag(command, flag, value);
      if (spelled !== undefined) args.push(spelled);
      continue;
    }
    if (findOption(command, flag) === undefined) throw unknownField(command, field);
    const text = Array.isArray(value) ? value.map(String).join(",") : String(value);
    args.push(`${flag}=${text}`);
  }
  return args;
}

function booleanFlag(command: Command, flag: string, value: boolean): string | undefined {
  const negated = flag.replace(/^--/, "--no-");
  const positive = findOption(command, flag);
  const negative = findOption(command, negated);
  if (positive === undefined && negative === undefined) throw unknownField(command, flag.slice(2));
  if (value) return positive === undefined ? undefined : flag;
  return negative === undefined ? undefined : negated;
}

function findOption(command: Command, long: string): Option | undefined {
  return command.options.find((option) => option.long === long);
}

function kebabCase(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** A proto field with no flag behind it is a defect of the service, not of the request. */
function unknownField(command: Command, field: string): HftlabError {
  return new HftlabError(
    ExitCode.internal,
    "internal",
    `the service maps field ${field} to no option of ${command.name()}`,
  );
}
