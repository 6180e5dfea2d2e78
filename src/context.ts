import type { Sink } from "./output/sink.js";

/**
 * What a command may touch of the outside world. The real process supplies
 * stdout/stderr/env; tests inject their own and need no subprocess.
 */
export interface RunContext {
  stdout: Sink;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  stdinIsTty: boolean;
  /**
   * The terminal's width in columns when stdout is one (Node's
   * `stdout.columns`); the output width follows from it, `env.COLUMNS` and
   * `stdout.isTty` (output/terminalWidth.ts).
   */
  stdoutColumns?: number;
  version: string;
  /** Set by a command that wants a non-zero exit after printing its report (regime --exit-on-change). */
  exitCode: number;
}
