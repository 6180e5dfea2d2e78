/**
 * writeTable: result series to a file, CSV/TSV (optionally gzip) or Arrow
 * IPC, chosen by the extension.
 *
 * Conventions:
 * - Numbers are written as shortest round-trip decimals (`String(x)`), so
 *   reading the file back gives the same doubles. NaN is an empty cell in
 *   CSV and a null in Arrow; ±Infinity is written as `Infinity`/`-Infinity`
 *   in CSV (Arrow keeps the value).
 * - The file is written beside its destination under a temporary name and
 *   renamed into place, so a failure never leaves a half-written file.
 * - A destination that cannot be written (missing directory, no
 *   permission) is a bad `--out` value: exit 2.
 */
import { createWriteStream } from "node:fs";
import { rename, stat, unlink } from "node:fs/promises";
import { basename, extname } from "node:path";
import { Readable, type Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { ExitCode, HftlabError, usageError } from "../errors.js";
import { writeArrowStream } from "./arrow/writeArrow.js";
import { type ColumnHeader, type OutputColumn, Utf8Column } from "./outputColumn.js";
import { appendDelimitedRows, delimitedText } from "./rows/delimitedBytes.js";
import { NdjsonBytes } from "../output/ndjsonBytes.js";
import { fileErrorReason } from "./outputTarget.js";
import { settled, temporaryFileFor } from "./temporaryFiles.js";

type OutputFormat =
  | { kind: "delimited"; delimiter: string; gzip: boolean }
  | { kind: "arrow"; stream: boolean };

const ROWS_PER_CHUNK = 8192;

/** The table format `path`'s extension names (exit 2 for one it does not). */
export function outputFormat(path: string): OutputFormat {
  let name = basename(path).toLowerCase();
  const gzip = name.endsWith(".gz");
  if (gzip) name = name.slice(0, -3);
  const extension = extname(name);
  if (extension === ".csv" || extension === ".txt") return { kind: "delimited", delimiter: ",", gzip };
  if (extension === ".tsv") return { kind: "delimited", delimiter: "\t", gzip };
  if (!gzip && (extension === ".arrow" || extension === ".feather" || extension === ".ipc")) {
    return { kind: "arrow", stream: false };
  }
  if (!gzip && extension === ".arrows") return { kind: "arrow", stream: true };
  throw usageError(
    `cannot tell the output format of "${path}" from its extension`,
    "use .csv, .tsv (optionally .gz), .arrow, .feather or .arrows",
  );
}

/** CSV text in chunks of rows, header first (the same bytes `writeTable` writes). */
export function* csvChunks(columns: OutputColumn[], delimiter: string): Generator<string> {
  for (const chunk of delimitedChunks(headerOf(columns), [columns], delimiter)) yield chunk.toString("utf8");
}

/** The header of a table held whole: a Float64 column is nullable when it holds a NaN. */
export function headerOf(columns: OutputColumn[]): ColumnHeader[] {
  return columns.map(({ name, values }) => ({
    name,
    type:
      Array.isArray(values) || values instanceof Utf8Column
        ? "utf8"
        : values instanceof Int8Array
          ? "int8"
          : values instanceof Int32Array
            ? "int32"
            : "float64",
    nullable: values instanceof Float64Array && values.some((value) => Number.isNaN(value)),
  }));
}

/** CSV/TSV bytes: the header line, then each block's rows, ROWS_PER_CHUNK rows a chunk. */
function* delimitedChunks(
  header: ColumnHeader[],
  blocks: Iterable<OutputColumn[]>,
  delimiter: string,
): Generator<Buffer> {
  yield Buffer.from(
    `${header.map((column) => delimitedText(column.name, delimiter)).join(delimiter)}\n`,
    "utf8",
  );
  const out = new NdjsonBytes();
  for (const columns of blocks) {
    checkColumns(columns, header);
    const rows = columns[0]?.values.length ?? 0;
    for (let from = 0; from < rows; from += ROWS_PER_CHUNK) {
      appendDelimitedRows(columns, from, Math.min(rows, from + ROWS_PER_CHUNK), delimiter, out);
      yield out.take();
    }
  }
}

function checkColumns(columns: OutputColumn[], header: ColumnHeader[]): void {
  const rows = columns[0]?.values.length ?? 0;
  if (columns.length !== header.length) {
    throw new HftlabError(
      ExitCode.internal,
      "internal",
      `writeTable: a block has ${columns.length} columns, expected ${header.length}`,
    );
  }
  for (const column of columns) {
    if (column.values.length !== rows) {
      throw new HftlabError(
        ExitCode.internal,
        "internal",
        `writeTable: column ${column.name} has ${column.values.length} values, expected ${rows}`,
      );
    }
  }
}

function writeFailure(error: unknown, path: string): HftlabError {
  if (error instanceof HftlabError) return error;
  return new HftlabError(
    ExitCode.usage,
    "output_unwritable",
    `cannot write ${path}: ${fileErrorReason(error)}`,
    "check the --out path",
  );
}

/**
 * Writes `columns` (all the same length) to `path`: `.csv`, `.tsv` (with
 * optional `.gz`), `.arrow`/`.feather` (Arrow IPC file) or `.arrows` (Arrow
 * IPC stream). Int8 and Int32 columns keep their integer types in Arrow,
 * Float64 columns become nullable when they hold NaN, strings are Utf8.
 */
export async function writeTable(path: string, columns: OutputColumn[]): Promise<void> {
  const header = headerOf(columns);
  checkColumns(columns, header);
  await writeTableBlocks(path, header, [columns]);
}

/**
 * Writes a table given as consecutive blocks of rows (each block's columns
 * in `header`'s order and types), so a table of tens of millions of rows is
 * never held whole: memory stays that of one block. Same formats, bytes and
 * atomic replacement as `writeTable`.
 */
export async function writeTableBlocks(
  path: string,
  header: ColumnHeader[],
  blocks: Iterable<OutputColumn[]>,
): Promise<void> {
  const format = outputFormat(path);
  await writeAtomically(path, async (file) => {
    if (format.kind === "arrow") {
      await writeArrowStream(header, blocks, format.stream, file);
    } else {
      const bytes = Readable.from(delimitedChunks(header, blocks, format.delimiter));
      if (format.gzip) await pipeline(bytes, createGzip(), file);
      else await pipeline(bytes, file);
    }
  });
}

/**
 * Writes a CSV/TSV table (`path`'s extension decides, `.gz` compresses)
 * whose rows the caller formats itself, straight into bytes: the header
 * line of `names`, then every chunk `rows` hands to its `write`, which
 * resolves once the chunk's memory may be reused. Same atomic replacement
 * as `writeTable`.
 */
export async function writeDelimitedFile(
  path: string,
  names: readonly string[],
  rows: (delimiter: string, write: (chunk: Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  const format = outputFormat(path);
  if (format.kind !== "delimited") {
    throw new HftlabError(ExitCode.internal, "internal", `writeDelimitedFile: ${path} is not CSV or TSV`);
  }
  await writeAtomically(path, async (file) => {
    const gzip = format.gzip ? createGzip() : null;
    const sink: Writable = gzip ?? file;
    // How the file ends, observed from the start so that an early failure is never unhandled.
    const ended = (gzip === null ? finished(file) : pipeline(gzip, file)).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    // A write whose stream failed further down (gzip, then a full disk) may never call back:
    // every write also ends when the file does, with its error.
    const failed = new Promise<never>((_, reject) => {
      void ended.then((outcome) => outcome !== undefined && reject(outcome.error));
    });
    failed.catch(() => undefined);
    const write = (chunk: Uint8Array): Promise<void> =>
      Promise.race([
        new Promise<void>((resolve, reject) => {
          sink.write(chunk, (error) => (error ? reject(error) : resolve()));
        }),
        failed,
      ]);
    try {
      const line = names.map((name) => delimitedText(name, format.delimiter)).join(format.delimiter);
      await write(Buffer.from(`${line}\n`, "utf8"));
      await rows(format.delimiter, write);
      sink.end();
    } catch (error) {
      sink.destroy();
      file.destroy();
      await ended;
      throw error;
    }
    const outcome = await ended;
    if (outcome !== undefined) throw outcome.error;
  });
}

/**
 * Runs `produce` on a temporary file beside `path`, then renames it into
 * place, so a failure never leaves a half-written file (exit 2 for a path
 * that cannot be written).
 */
async function writeAtomically(path: string, produce: (file: Writable) => Promise<void>): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw writeFailure(Object.assign(new Error(), { code: "EISDIR" }), path);
  const temporary = temporaryFileFor(path);
  try {
    await produce(createWriteStream(temporary));
    await rename(temporary, path);
    settled(temporary);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    settled(temporary);
    throw writeFailure(error, path);
  }
}
