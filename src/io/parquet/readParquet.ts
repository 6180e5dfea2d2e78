/**
 * Parquet (SPEC §6) into a RawTable, one column chunk at a time, so memory
 * holds the final columns and a chunk or two per thread, never the file as
 * JavaScript objects. The price chunks of a large file are decoded on
 * worker threads too (`parallelChunks.ts`). hyparquet and
 * hyparquet-compressors (JavaScript and WebAssembly: snappy, gzip, zstd,
 * brotli, lz4) are imported lazily, only when a Parquet file is read.
 *
 * Only the columns the layout uses are read (resolveLayout decides from the
 * schema's names, as from a CSV header). Flat numeric columns go through the
 * hand-written `flatChunk.ts`; strings, INT96, decimals, unsigned integers
 * and the encodings it leaves (BYTE_STREAM_SPLIT, DELTA_*) through
 * hyparquet's reader, one column chunk at a time. Time text is
 * `parquetColumns.ts`'s, the Arrow reader's convention. Nulls and NaN are
 * missing cells (`--missing` decides); rows are numbered from 1, as for
 * Arrow ("row N" in messages).
 */
import type { FileMetaData, ParquetParsers } from "hyparquet";
import { HftlabError, inputError } from "../../errors.js";
import type { InputSource } from "../inputSource.js";
import { type LayoutOptions, resolveLayout } from "../table/layout.js";
import type { RawTable } from "../table/rawTable.js";
import { chunkBytesName, chunkError, reviveChunkFailure } from "./chunkJob.js";
import { appendNumbers, appendSymbols, type Piece, TimeSink } from "./columnPieces.js";
import { DamagedChunk, decodeFlatChunk, type PageTools, UnhandledPage } from "./flatChunk.js";
import { loadPageTools } from "./pageTools.js";
import { chunkLocation, decodeChunks, planChunks } from "./parallelChunks.js";
import { ParquetBytes } from "./parquetBytes.js";
import {
  checkNumericColumn,
  isFastColumn,
  type ParquetColumn,
  timeTextOf,
  topLevelColumns,
} from "./parquetColumns.js";

type Hyparquet = typeof import("hyparquet");

/** Keep timestamps and dates as stored: `timeValueText` formats them exactly (hyparquet's own make Dates, to the millisecond). */
const RAW_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (raw) => raw,
  timestampFromMicroseconds: (raw) => raw,
  timestampFromNanoseconds: (raw) => raw,
  dateFromDays: (days) => days,
};

/** The most rows hftlab reads (row numbers are 32-bit). */
const MAX_ROWS = 2 ** 32 - 1;

/** Any failure while reading Parquet input, as the one input error users see (exit 3). */
export function parquetError(file: string, error: unknown): HftlabError {
  if (error instanceof HftlabError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const message = text.replace(/\s+/g, " ").replace(/^parquet /i, "");
  return inputError(
    "bad_parquet",
    `not a readable Parquet file: ${message}`,
    { file },
    "the file is damaged or was cut short; write it again",
  );
}

function damaged(message: string): DamagedChunk {
  return new DamagedChunk(message);
}

/** Row counts of the row groups, checked against the footer's total. */
function rowGroupSizes(metadata: FileMetaData): number[] {
  const sizes = metadata.row_groups.map((group) => Number(group.num_rows));
  const total = sizes.reduce((sum, rows) => sum + rows, 0);
  if (
    !sizes.every((rows) => Number.isSafeInteger(rows) && rows >= 0) ||
    total !== Number(metadata.num_rows)
  ) {
    throw damaged(
      `the footer's row counts disagree (${metadata.num_rows} rows, row groups of ${sizes.join(", ")})`,
    );
  }
  if (total > MAX_ROWS)
    throw damaged(`the footer claims ${total} rows, more than hftlab reads (${MAX_ROWS})`);
  return sizes;
}

/**
 * Reads the chunks of the time and symbol columns, one row group at a time:
 * the fast decoder when it can, else hyparquet. hyparquet also reads the
 * price chunks the fast decoder leaves (`parallelChunks.ts` decodes the rest).
 */
class ChunkReader {
  /** Reads started ahead, by row group and leaf column. */
  private readonly ahead = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly hyparquet: Hyparquet,
    private readonly tools: PageTools,
    private readonly bytes: ParquetBytes,
    private readonly metadata: FileMetaData,
  ) {}

  /**
   * Starts reading the fast columns' chunks of row group `group`, so that
   * the disk works while the previous group is decoded (two row groups of
   * compressed bytes are in memory at most).
   */
  prefetch(group: number, columns: ParquetColumn[]): void {
    if (group >= this.metadata.row_groups.length) return;
    for (const column of columns) {
      if (!isFastColumn(column)) continue;
      const meta = this.metadata.row_groups[group]!.columns[column.leaf]?.meta_data;
      if (meta === undefined) continue;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const read = this.bytes.read(
        start,
        start + Number(meta.total_compressed_size),
        chunkBytesName(column.name),
      );
      // Awaited by `fast`, or dropped when reading stops early: never an unhandled rejection.
      read.catch(() => undefined);
      this.ahead.set(`${group}:${column.leaf}`, read);
    }
  }

  /** One column of one row group; `fastFirst` false when the fast decoder already declined it. */
  async read(
    group: number,
    groupStart: number,
    rows: number,
    column: ParquetColumn,
    fastFirst = true,
  ): Promise<Piece> {
    try {
      if (fastFirst && isFastColumn(column)) {
        const fast = await this.fast(group, rows, column);
        if (fast !== null) return fast;
      }
      return await this.viaHyparquet(groupStart, rows, column);
    } catch (error) {
      throw chunkError(error, column.name, group);
    }
  }

  /** The fast decoder's values, or null when a page needs hyparquet. */
  private async fast(group: number, rows: number, column: ParquetColumn): Promise<Piece | null> {
    const { meta, start, end } = chunkLocation(this.metadata, group, column, rows, this.bytes);
    const key = `${group}:${column.leaf}`;
    const bytes = await (this.ahead.get(key) ?? this.bytes.read(start, end, chunkBytesName(column.name)));
    this.ahead.delete(key);
    try {
      return { kind: "flat", ...decodeFlatChunk(this.tools, bytes, meta, rows, column.optional) };
    } catch (error) {
      if (error instanceof UnhandledPage) return null;
      throw error;
    }
  }

  private async viaHyparquet(groupStart: number, rows: number, column: ParquetColumn): Promise<Piece> {
    const values = new Array<unknown>(rows);
    let filled = 0;
    await this.hyparquet.parquetRead({
      file: this.bytes.asyncBuffer(),
      metadata: this.metadata,
      rowStart: groupStart,
      rowEnd: groupStart + rows,
      columns: [column.name],
      compressors: this.tools.compressors,
      parsers: RAW_PARSERS,
      onChunk: (chunk) => {
        const data = chunk.columnData as ArrayLike<unknown>;
        for (let k = 0; k < data.length; k++) {
          const row = chunk.rowStart - groupStart + k;
          if (row >= 0 && row < rows) {
            values[row] = data[k];
            filled++;
          }
        }
      },
    });
    if (filled !== rows) throw damaged(`${filled} values for a row group of ${rows} rows`);
    return { kind: "array", values };
  }
}

const MAGIC = "PAR1";

/**
 * A Parquet file starts and ends with PAR1, and its schema sits just before
 * the end: a file that starts right but ends wrong was cut short (or is
 * still being written), the commonest damage, and is named so.
 */
async function checkEnds(bytes: ParquetBytes): Promise<void> {
  const size = bytes.byteLength;
  if (size < 12) throw damaged(`${size} bytes are too few for a Parquet file (at least 12)`);
  const text = (head: Uint8Array) => Buffer.from(head).toString("latin1");
  const start = text(await bytes.read(0, 4, "the first bytes"));
  const end = text(await bytes.read(size - 4, size, "the last bytes"));
  if (end !== MAGIC) {
    throw damaged(
      start === MAGIC
        ? `it does not end with ${MAGIC}: the file was cut short or is still being written`
        : `it neither starts nor ends with ${MAGIC}`,
    );
  }
}

function columnAt(columns: ParquetColumn[], field: number): ParquetColumn | null {
  return field >= 0 ? columns[field]! : null;
}

/**
 * Appends the time stamps (and symbols) of every row group to `time` (and
 * `symbol`), in order; stops at the first failure and returns it with its
 * row group, for the caller to throw in file order.
 */
async function readStamps(
  reader: ChunkReader,
  sizes: number[],
  timeColumn: ParquetColumn,
  symbolColumn: ParquetColumn | null,
  time: TimeSink,
  symbol: string[] | null,
): Promise<{ group: number; error: unknown } | null> {
  const used = symbolColumn === null ? [timeColumn] : [timeColumn, symbolColumn];
  let at = 0;
  let group = 0;
  try {
    reader.prefetch(0, used);
    for (; group < sizes.length; group++) {
      const count = sizes[group]!;
      reader.prefetch(group + 1, used);
      if (count === 0) continue;
      time.append(await reader.read(group, at, count, timeColumn));
      if (symbolColumn !== null)
        appendSymbols(await reader.read(group, at, count, symbolColumn), symbol!, at);
      at += count;
    }
    return null;
  } catch (error) {
    return { group, error };
  }
}

async function loadTools(): Promise<{ hyparquet: Hyparquet; tools: PageTools }> {
  const [hyparquet, tools] = await Promise.all([import("hyparquet"), loadPageTools()]);
  return { hyparquet, tools };
}

export async function readParquet(input: InputSource, options: LayoutOptions): Promise<RawTable> {
  const file = input.file;
  const { hyparquet, tools } = await loadTools();
  const bytes = await ParquetBytes.open(file, await input.binaryInput());
  try {
    await checkEnds(bytes);
    const metadata = await hyparquet.parquetMetadataAsync(bytes.asyncBuffer());
    const columns = topLevelColumns(hyparquet.parquetSchema(metadata));
    const header = columns.map((column) => column.name);
    const layout = resolveLayout(header, options, file, input.singleName);
    for (const field of layout.valueFields) checkNumericColumn(columns[field]!, file);
    const timeColumn = columns[layout.timeField]!;
    const timeText = timeTextOf(timeColumn, file);
    const sizes = rowGroupSizes(metadata);
    const rows = sizes.reduce((sum, size) => sum + size, 0);
    if (rows === 0) throw inputError("no_data_rows", "no data rows", { file });

    // Shared memory, as the parallel CSV reader makes it: the commands' worker threads then read the columns without a copy.
    const values = layout.valueFields.map(() => new Float64Array(new SharedArrayBuffer(rows * 8)));
    const time = new TimeSink(timeText, rows);
    const symbol = layout.symbolField >= 0 ? new Array<string>(rows) : null;
    const reader = new ChunkReader(hyparquet, tools, bytes, metadata);
    const valueColumns = layout.valueFields.map((field) => columns[field]!);
    const plan = planChunks(metadata, sizes, valueColumns, values, bytes);
    // The prices decode on every thread while this one also reads the stamps (an await lets it in between jobs).
    const [outcomes, stampFailure] = await Promise.all([
      decodeChunks(plan, tools, bytes),
      readStamps(reader, sizes, timeColumn, columnAt(columns, layout.symbolField), time, symbol),
    ]);
    // The error reported is the first in file order (by row group: the stamps, then each price column), wherever it was met.
    let anyMissing = false;
    let at = 0;
    for (let group = 0; group < sizes.length; group++) {
      const count = sizes[group]!;
      if (count === 0) continue;
      if (stampFailure?.group === group) throw stampFailure.error;
      for (let slot = 0; slot < values.length; slot++) {
        const unit = plan.units[group]![slot]!;
        if (unit.kind === "failed") throw unit.error;
        const outcome = unit.kind === "job" ? outcomes[unit.job]! : null;
        if (outcome?.kind === "failed") throw reviveChunkFailure(outcome.failure);
        if (outcome?.kind === "done") {
          anyMissing ||= outcome.anyMissing;
          continue;
        }
        const column = valueColumns[slot]!;
        const piece = await reader.read(group, at, count, column, false);
        if (appendNumbers(piece, values[slot]!, at, column.name, file)) anyMissing = true;
      }
      at += count;
    }
    const lines = new Uint32Array(rows);
    for (let k = 0; k < rows; k++) lines[k] = k + 1;
    const { time: timeStamps, digitsKey } = time.finish();
    return {
      file,
      rowUnit: "row",
      header,
      timeField: layout.timeField,
      symbolField: layout.symbolField,
      valueFields: layout.valueFields,
      symbols: layout.symbols,
      rows,
      time: timeStamps,
      symbol,
      values,
      lines,
      anyMissing,
      timeDigitsKey: digitsKey,
    };
  } catch (error) {
    throw parquetError(file, error);
  } finally {
    await bytes.close();
  }
}
