/**
 * Delimited text (CSV, TSV, semicolon, pipe) into a RawTable: the byte
 * scanner for plain files, csv-parse (streaming) when the data has quoted
 * fields or lone-CR line endings.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { inputError } from "../../errors.js";
import { cleanHeaderLine, sniffDelimiter, splitHeaderLine } from "./header.js";
import { DelimitedScanner, FallbackNeeded, growableStorage } from "./scanner.js";
import { fileSystemError, type InputSource } from "../inputSource.js";
import { type Layout, type LayoutOptions, resolveLayout } from "../table/layout.js";
import type { LineBlock } from "./lineBlocks.js";
import { parseNumberText } from "./numberText.js";
import { parallelScanWanted, scanInParallel } from "./parallelScan.js";
import type { RawTable } from "../table/rawTable.js";
import { TableBuilder } from "../table/tableBuilder.js";

const LF = 10;

function noDataRows(file: string) {
  return inputError(
    "no_data_rows",
    "no data rows",
    { file },
    "the input needs a header line and at least one row",
  );
}

/** Rows expected in the whole file, from the mean line length of a sample. */
function estimateRows(block: LineBlock, from: number, sizeHint: number | undefined): number {
  if (sizeHint === undefined) return 1 << 16;
  const sampleEnd = Math.min(block.end, from + (1 << 20));
  let lineCount = 0;
  for (let at = block.buf.indexOf(LF, from); at >= 0 && at < sampleEnd; at = block.buf.indexOf(LF, at + 1)) {
    lineCount++;
  }
  if (lineCount === 0) return 1 << 12;
  return Math.ceil((sizeHint / ((sampleEnd - from) / lineCount)) * 1.02) + 1024;
}

/** The header line found at the start of the input. */
interface HeaderFound {
  header: string[];
  delimiter: string;
  /** Line number of the header (blank lines before it are skipped). */
  line: number;
  /** The block holding the header, and where the data starts in it. */
  block: LineBlock;
  dataFrom: number;
  /** Byte offset of the first data line in the input. */
  dataOffset: number;
}

async function findHeader(blocks: AsyncGenerator<LineBlock>, input: InputSource): Promise<HeaderFound> {
  let line = 1;
  // Bytes of the input before the current block.
  let blockOffset = 0;
  for (let next = await blocks.next(); !next.done; next = await blocks.next()) {
    const block = next.value;
    for (let from = block.start; from < block.end; line++) {
      const lineEnd = block.buf.indexOf(LF, from);
      const text = cleanHeaderLine(block.buf.toString("utf8", from, lineEnd));
      if (text.trim() !== "") {
        const delimiter = input.delimiter ?? sniffDelimiter(text, input.file);
        const header = splitHeaderLine(text, delimiter, input.file);
        const dataOffset = blockOffset + lineEnd + 1 - block.start;
        return { header, delimiter, line, block, dataFrom: lineEnd + 1, dataOffset };
      }
      from = lineEnd + 1;
    }
    blockOffset += block.end - block.start;
  }
  throw noDataRows(input.file);
}

/**
 * Reads delimited input. Large plain files are scanned on two threads
 * (`parallelScan.ts`); quoted fields or lone-CR line ends send the whole
 * input to csv-parse.
 */
export async function readDelimited(input: InputSource, options: LayoutOptions): Promise<RawTable> {
  let delimiter = input.delimiter;
  let table: RawTable;
  try {
    table = await readPlain(input, options, true, (found) => {
      delimiter = found;
    });
  } catch (error) {
    if (!(error instanceof FallbackNeeded) || delimiter === undefined) throw error;
    table = await readWithCsvParse(input, options, delimiter);
  }
  table.delimiter = delimiter;
  return table;
}

/** The byte-scanner path; throws FallbackNeeded when the input needs csv-parse. */
async function readPlain(
  input: InputSource,
  options: LayoutOptions,
  allowParallel: boolean,
  onDelimiter: (delimiter: string) => void,
): Promise<RawTable> {
  const blocks = input.lineBlocks();
  let table: RawTable | null;
  try {
    const found = await findHeader(blocks, input);
    onDelimiter(found.delimiter);
    const layout = resolveLayout(found.header, options, input.file, input.singleName);
    const { plainPath, sizeHint } = input;
    if (
      allowParallel &&
      plainPath !== undefined &&
      sizeHint !== undefined &&
      parallelScanWanted(sizeHint, layout)
    ) {
      await blocks.return(undefined);
      table = await scanInParallel({
        path: plainPath,
        file: input.file,
        header: found.header,
        layout,
        delimiter: found.delimiter,
        headerLine: found.line,
        dataStart: found.dataOffset,
        size: sizeHint,
      });
      // null: the parallel scan declined (say, far more rows than estimated); scan on one thread.
      if (table === null) return await readPlain(input, options, false, onDelimiter);
    } else {
      const { block, dataFrom } = found;
      const capacity = estimateRows(block, dataFrom, sizeHint);
      const storage = growableStorage(layout.valueFields.length, capacity);
      const scanner = new DelimitedScanner(
        input.file,
        found.header,
        layout,
        found.delimiter,
        found.line + 1,
        storage,
      );
      if (dataFrom < block.end) scanner.scan(block.buf, dataFrom, block.end);
      for await (const next of blocks) scanner.scan(next.buf, next.start, next.end);
      table = scanner.finish();
    }
  } finally {
    await blocks.return(undefined);
  }
  if (table.rows === 0) throw noDataRows(input.file);
  return table;
}

/** How many LF characters a record's fields contain (quoted line breaks). */
function embeddedLineBreaks(record: string[]): number {
  let count = 0;
  for (const field of record) {
    for (let at = field.indexOf("\n"); at >= 0; at = field.indexOf("\n", at + 1)) count++;
  }
  return count;
}

interface CsvParseError extends Error {
  code?: string;
  lines?: number;
}

async function readWithCsvParse(
  input: InputSource,
  options: LayoutOptions,
  delimiter: string,
): Promise<RawTable> {
  const { parse } = await import("csv-parse");
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  // pipeline carries backpressure, and tears the source down when the loop below stops early.
  const piping = pipeline(Readable.from(input.byteStream()), parser).catch(() => undefined);
  const file = input.file;
  let header: string[] | null = null;
  let layout: Layout | null = null;
  let builder: TableBuilder | null = null;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      const line = info.lines - embeddedLineBreaks(record);
      if (header === null || layout === null || builder === null) {
        header = record.map((name) => name.trim());
        layout = resolveLayout(header, options, file, input.singleName);
        builder = new TableBuilder(file, "line", header, layout);
        continue;
      }
      appendRecord(builder, layout, header, record, line, file);
    }
  } catch (error) {
    const failure = error as CsvParseError;
    if (typeof failure.code === "string" && failure.code.startsWith("CSV_")) {
      throw inputError(
        "bad_csv",
        `malformed CSV: ${failure.message}`,
        failure.lines === undefined ? { file } : { file, line: failure.lines },
        "check the quoting of the file",
      );
    }
    throw fileSystemError(error, file);
  } finally {
    parser.destroy();
    await piping;
  }
  if (builder === null || builder.rows === 0) throw noDataRows(file);
  return builder.finish();
}

function appendRecord(
  builder: TableBuilder,
  layout: Layout,
  header: string[],
  record: string[],
  line: number,
  file: string,
): void {
  if (record.length !== header.length) {
    throw inputError("field_count", `expected ${header.length} fields, found ${record.length}`, {
      file,
      line,
    });
  }
  builder.reserve(1);
  const row = builder.rows;
  builder.time.push(record[layout.timeField]!.trim());
  if (layout.symbolField >= 0) builder.symbol.push(record[layout.symbolField]!.trim());
  layout.valueFields.forEach((field, slot) => {
    const text = record[field]!;
    const value = parseNumberText(text);
    const location = { file, line, column: field + 1 };
    if (value === undefined) {
      throw inputError(
        "bad_number",
        `unparseable number "${text.trim()}" in column ${header[field]}`,
        location,
      );
    }
    if (value === Infinity || value === -Infinity) {
      throw inputError(
        "non_finite",
        `non-finite value "${text.trim()}" in column ${header[field]}`,
        location,
      );
    }
    if (Number.isNaN(value)) builder.anyMissing = true;
    builder.values[slot]![row] = value;
  });
  builder.lines[row] = line;
  builder.rows = row + 1;
}
