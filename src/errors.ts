/**
 * The one error type of hftlab. Every failure a user can cause or meet is an
 * HftlabError carrying the SPEC §1 exit code, a stable string code for
 * `--json` consumers, a one-line message, an optional hint and, where known,
 * the place in the input (file, line, column; lines count the header as 1).
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  numerical: 4,
  regimeChanged: 10,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
}

export class HftlabError extends Error {
  readonly exitCode: ExitCode;
  readonly code: string;
  readonly hint: string | undefined;
  readonly location: ErrorLocation;

  constructor(
    exitCode: ExitCode,
    code: string,
    message: string,
    hint?: string,
    location: ErrorLocation = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "HftlabError";
    this.exitCode = exitCode;
    this.code = code;
    this.hint = hint;
    this.location = location;
  }

  /** `file:line:column`, as much of it as is known, or "" when nothing is. */
  where(): string {
    const { file, line, column } = this.location;
    if (file === undefined) return "";
    let out = file;
    if (line !== undefined) out += `:${line}`;
    if (line !== undefined && column !== undefined) out += `:${column}`;
    return out;
  }
}

/** Usage error (exit 2): a bad flag value or a contradictory combination. */
export function usageError(message: string, hint?: string): HftlabError {
  return new HftlabError(ExitCode.usage, "usage", message, hint);
}

/** Input/data error (exit 3), with the place in the input when known. */
export function inputError(
  code: string,
  message: string,
  location: ErrorLocation = {},
  hint?: string,
): HftlabError {
  return new HftlabError(ExitCode.input, code, message, hint, location);
}

/** Numerical failure (exit 4): singular systems, non-convergence under --strict. */
export function numericalError(code: string, message: string, hint?: string): HftlabError {
  return new HftlabError(ExitCode.numerical, code, message, hint);
}

/**
 * A commander message as one line without its own "error: " prefix:
 * commander puts "(Did you mean …?)" on a line of its own.
 */
export function oneLine(text: string): string {
  return text
    .trim()
    .replace(/^error: /, "")
    .replace(/\s*\n\s*/g, " ")
    .replace("(Did you mean", "(did you mean");
}
