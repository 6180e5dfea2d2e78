/**
 * One price column chunk of one row group, decoded by the fast decoder
 * straight into its rows of the final (shared) column: the unit of work the
 * reader shares between the main thread and the chunk workers. The job is
 * plain data (positions, the codec, a SharedArrayBuffer-backed column), so
 * a worker needs nothing else; the outcome is plain data too, so a failure
 * decoded on a worker reaches the user as the same one-line error the main
 * thread would have thrown.
 */
import { HftlabError } from "../../errors.js";
import { describeFailure, reviveFailure } from "../../parallel/hftlabFailure.js";
import type { JobFailure } from "../../parallel/workerPool.js";
import { appendNumbers } from "./columnPieces.js";
import {
  type ChunkCoding,
  DamagedChunk,
  decodeFlatChunk,
  type PageTools,
  UnhandledPage,
} from "./flatChunk.js";

export interface ChunkJob {
  /** The input's name, for messages. */
  file: string;
  column: string;
  /** Row group, from 0. */
  group: number;
  /** The open input file, for a worker to read the chunk through (the main thread reads its own way). */
  fd: number;
  /** The chunk's bytes in the file, [start, end). */
  start: number;
  end: number;
  coding: ChunkCoding;
  optional: boolean;
  rows: number;
  /** The final column, and the row where this row group starts in it. */
  out: Float64Array;
  at: number;
}

export type ChunkOutcome =
  | { kind: "done"; anyMissing: boolean }
  /** A page the fast decoder leaves to hyparquet, which runs on the main thread. */
  | { kind: "unhandled" }
  | { kind: "failed"; failure: JobFailure };

/** Reads bytes [start, end) of the input; `what` names them in errors. */
export type ReadRange = (start: number, end: number, what: string) => Uint8Array;

/**
 * An error met while reading one column chunk, as users see it: input
 * errors as they are, anything else (hyparquet's, the decoder's) as a
 * damaged chunk named by column and row group.
 */
export function chunkError(error: unknown, column: string, group: number): Error {
  if (error instanceof HftlabError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DamagedChunk(`column "${column}", row group ${group + 1}: ${message}`);
}

export const chunkBytesName = (column: string): string => `column "${column}"`;

/**
 * Decodes the job's chunk into `job.out[job.at..]`, with nulls and NaN as
 * missing cells and ±Infinity an input error, as `appendNumbers` makes them
 * on every path. Never throws: failures are part of the outcome.
 */
export function runChunkJob(tools: PageTools, job: ChunkJob, read: ReadRange): ChunkOutcome {
  try {
    const bytes = read(job.start, job.end, chunkBytesName(job.column));
    const place = job.coding.type === "DOUBLE" ? job.out.subarray(job.at, job.at + job.rows) : null;
    let decoded: ReturnType<typeof decodeFlatChunk>;
    try {
      decoded = decodeFlatChunk(tools, bytes, job.coding, job.rows, job.optional, place);
    } catch (error) {
      if (error instanceof UnhandledPage) return { kind: "unhandled" };
      throw error;
    }
    const anyMissing = appendNumbers({ kind: "flat", ...decoded }, job.out, job.at, job.column, job.file);
    return { kind: "done", anyMissing };
  } catch (error) {
    const failure = chunkError(error, job.column, job.group);
    return {
      kind: "failed",
      failure: failure instanceof HftlabError ? describeFailure(failure) : { message: failure.message },
    };
  }
}

/** The error of a failed outcome, as the main thread throws it. */
export function reviveChunkFailure(failure: JobFailure): Error {
  return failure.kind === "hftlab" ? reviveFailure(failure) : new DamagedChunk(failure.message);
}
