/**
 * Parquet (SPEC §6) into a RawTable, one row group at a time, so memory
 * holds the final columns and one row group's chunks, never the file as
 * JavaScript objects. hyparquet and hyparquet-compressors (pure JavaScript:
 * snappy, gzip, zstd, brotli, lz4) are imported lazily, only when a Parquet
 * file is read.
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
import type { ColumnMetaData, Compressors, FileMetaData, ParquetParsers } from "hyparquet";
import { HftlabError, inputError } from "../../errors.js";
import type { InputSource } from "../inputSource.js";
import { type LayoutOptions, resolveLayout } from "../table/layout.js";
import type { RawTable } from "../table/rawTable.js";
import { appendNumbers, appendSymbols, type Piece, TimeSink } from "./columnPieces.js";
import { DamagedChunk, decodeFlatChunk, type PageTools, UnhandledPage } from "./flatChunk.js";
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

/** Reads the chunks of one column in one row group: the fast decoder when it can, else hyparquet. */
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
      const read = this.chunkBytes(meta, column);
      // Awaited by `fast`, or dropped when reading stops early: never an unhandled rejection.
      read.catch(() => undefined);
      this.ahead.set(`${group}:${column.leaf}`, read);
    }
  }

  private chunkBytes(meta: ColumnMetaData, column: ParquetColumn): Promise<Uint8Array> {
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    return this.bytes.read(start, start + Number(meta.total_compressed_size), `column "${column.name}"`);
  }

  /**
   * One column of one row group. A DOUBLE column's values are decoded
   * straight into `into` (rows [groupStart, groupStart + rows) of the
   * final column) when given.
   */
  async read(
    group: number,
    groupStart: number,
    rows: number,
    column: ParquetColumn,
    into?: Float64Array,
  ): Promise<Piece> {
    try {
      if (isFastColumn(column)) {
        const place =
          into !== undefined && column.element.type === "DOUBLE"
            ? into.subarray(groupStart, groupStart + rows)
            : null;
        const fast = await this.fast(group, rows, column, place);
        if (fast !== null) return fast;
      }
      return await this.viaHyparquet(groupStart, rows, column);
    } catch (error) {
      if (error instanceof HftlabError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw damaged(`column "${column.name}", row group ${group + 1}: ${message}`);
    }
  }

  private chunkMeta(group: number, column: ParquetColumn): ColumnMetaData {
    const chunk = this.metadata.row_groups[group]!.columns[column.leaf];
    const meta = chunk?.meta_data;
    if (meta === undefined || meta.type !== column.element.type) throw damaged("no column chunk metadata");
    if (chunk!.file_path !== undefined) throw damaged(`its data is in another file (${chunk!.file_path})`);
    return meta;
  }

  /** The fast decoder's values, or null when a page needs hyparquet. */
  private async fast(
    group: number,
    rows: number,
    column: ParquetColumn,
    place: Float64Array | null,
  ): Promise<Piece | null> {
    const meta = this.chunkMeta(group, column);
    if (Number(meta.num_values) !== rows) {
      throw damaged(`${meta.num_values} values for a row group of ${rows} rows`);
    }
    const key = `${group}:${column.leaf}`;
    const bytes = await (this.ahead.get(key) ?? this.chunkBytes(meta, column));
    this.ahead.delete(key);
    try {
      return { kind: "flat", ...decodeFlatChunk(this.tools, bytes, meta, rows, column.optional, place) };
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

/**
 * hyparquet-compressors' codecs, with Node's own zlib for gzip and, where
 * Node has it (22.15 and later), zstd: native code, several times faster
 * than the JavaScript ones on large files (a 2M × 21 gzip file: 4.5 s with
 * the JavaScript gunzip).
 */
function nativeCodecs(zlib: typeof import("node:zlib"), compressors: Compressors): Compressors {
  const zstd = (zlib as { zstdDecompressSync?: (input: Uint8Array) => Buffer }).zstdDecompressSync;
  return {
    ...compressors,
    GZIP: (input) => zlib.gunzipSync(input),
    ...(zstd === undefined ? {} : { ZSTD: (input: Uint8Array) => zstd(input) }),
  };
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

async function loadTools(): Promise<{ hyparquet: Hyparquet; tools: PageTools }> {
  const [hyparquet, { compressors }, column, datapage, encoding, zlib] = await Promise.all([
    import("hyparquet"),
    import("hyparquet-compressors"),
    import("hyparquet/src/column.js"),
    import("hyparquet/src/datapage.js"),
    import("hyparquet/src/encoding.js"),
    import("node:zlib"),
  ]);
  return {
    hyparquet,
    tools: {
      parquetHeader: column.parquetHeader,
      decompressPage: datapage.decompressPage,
      readRleBitPackedHybrid: encoding.readRleBitPackedHybrid,
      compressors: nativeCodecs(zlib, compressors),
    },
  };
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
    let anyMissing = false;
    let at = 0;
    const used = [layout.timeField, layout.symbolField, ...layout.valueFields].filter((field) => field >= 0);
    const usedColumns = used.map((field) => columns[field]!);
    reader.prefetch(0, usedColumns);
    for (let group = 0; group < sizes.length; group++) {
      const count = sizes[group]!;
      reader.prefetch(group + 1, usedColumns);
      if (count === 0) continue;
      time.append(await reader.read(group, at, count, timeColumn));
      if (symbol !== null)
        appendSymbols(await reader.read(group, at, count, columns[layout.symbolField]!), symbol, at);
      for (let slot = 0; slot < values.length; slot++) {
        const column = columns[layout.valueFields[slot]!]!;
        const piece = await reader.read(group, at, count, column, values[slot]);
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
