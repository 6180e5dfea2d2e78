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
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { ExitCode, HftlabError, usageError } from "../errors.js";
import { writeArrowStream } from "./arrow/writeArrow.js";
import type { OutputColumn } from "./outputColumn.js";
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

function quoteIfNeeded(text: string, delimiter: string): string {
  if (!text.includes(delimiter) && !/["\r\n]/.test(text) && text.trim() === text) return text;
  return `"${text.replaceAll('"', '""')}"`;
}

function cellText(values: OutputColumn["values"], row: number, delimiter: string): string {
  if (Array.isArray(values)) return quoteIfNeeded(values[row]!, delimiter);
  const value = values[row]!;
  return Number.isNaN(value) ? "" : String(value);
}

/** CSV text in chunks of rows, header first. */
export function* csvChunks(columns: OutputColumn[], delimiter: string): Generator<string> {
  yield `${columns.map((column) => quoteIfNeeded(column.name, delimiter)).join(delimiter)}\n`;
  const rows = columns.length === 0 ? 0 : columns[0]!.values.length;
  for (let from = 0; from < rows; from += ROWS_PER_CHUNK) {
    const to = Math.min(rows, from + ROWS_PER_CHUNK);
    let text = "";
    for (let row = from; row < to; row++) {
      let line = "";
      for (let j = 0; j < columns.length; j++) {
        if (j > 0) line += delimiter;
        line += cellText(columns[j]!.values, row, delimiter);
      }
      text += `${line}\n`;
    }
    yield text;
  }
}

function checkColumns(columns: OutputColumn[]): void {
  const rows = columns[0]?.values.length ?? 0;
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
  const format = outputFormat(path);
  checkColumns(columns);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw writeFailure(Object.assign(new Error(), { code: "EISDIR" }), path);
  const temporary = temporaryFileFor(path);
  try {
    const file: Writable = createWriteStream(temporary);
    if (format.kind === "arrow") {
      await writeArrowStream(columns, format.stream, file);
    } else {
      const text = Readable.from(csvChunks(columns, format.delimiter));
      if (format.gzip) await pipeline(text, createGzip(), file);
      else await pipeline(text, file);
    }
    await rename(temporary, path);
    settled(temporary);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    settled(temporary);
    throw writeFailure(error, path);
  }
}
