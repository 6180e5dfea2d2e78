/**
 * What the serve worker threads and the server say to each other. A call is
 * one CLI invocation: the command, its options as the RPC's request carried
 * them, and the input as an inline table or a path already checked against
 * --data-dir. The worker runs the CLI's own `main` on it and answers with the
 * `result` as the JSON the CLI prints, or the CLI's error.
 */

/** A numeric option, a text option, a flag or a list, as proto-loader decodes them. */
export type OptionValue = number | string | boolean | readonly (number | string)[];

export interface InlineColumn {
  name: string;
  values: readonly number[];
}

export interface InlineTable {
  time: readonly string[];
  columns: readonly InlineColumn[];
}

export type CallInput = { kind: "table"; table: InlineTable } | { kind: "path"; path: string };

export interface CallJob {
  id: number;
  command: string;
  /** Option name in camelCase (proto-loader's spelling of the snake_case field) → value. */
  options: Record<string, OptionValue>;
  input: CallInput;
  /** json: one envelope, answered at the end; ndjson: every output line as it is written. */
  output: "json" | "ndjson";
}

/** The CLI's error, as `--json` prints it on stderr plus its exit code and hint. */
export interface CallError {
  exitCode: number;
  code: string;
  /** The CLI's one line after `hftlab: error: ` (with the place in the input when known). */
  message: string;
  hint: string | null;
  file: string | null;
  line: number | null;
}

export type CallOutcome =
  | { kind: "result"; resultJson: string; warnings: string[] }
  | { kind: "lines"; warnings: string[] }
  | { kind: "error"; error: CallError };

export type WorkerReply =
  | { id: number; type: "chunk"; text: string }
  | { id: number; type: "done"; outcome: CallOutcome };

/**
 * What the server sends a worker: a call to run, or credit for the output
 * of an ndjson call that the client has taken (the bytes of the chunks it
 * consumed). A worker that has sent STREAM_WINDOW_BYTES more than it has been
 * credited waits for credit before it writes on, so a client that reads
 * slowly holds the replay back instead of filling the server's memory.
 */
export type WorkerRequest = ({ type: "call" } & CallJob) | { type: "credit"; id: number; bytes: number };

/** How far an ndjson call's output may run ahead of its client (UTF-16 code units of the chunks). */
export const STREAM_WINDOW_BYTES = 1 << 20;
