/**
 * The hot path of Parquet input: one column chunk of a flat numeric column
 * (INT32, INT64, FLOAT, DOUBLE; at most optional, never repeated) decoded
 * into a typed array with one slot per row and a null mask.
 *
 * Why not hyparquet's own column reader: it assembles every optional column
 * through its nested-list machinery into a JavaScript array, one element at
 * a time. On a 2M × 21 DuckDB file (optional DOUBLE columns, as every
 * writer makes them from a CSV) that was 6.3 s of a 6.8 s read, 2.7 s in
 * `assembleLists` and 2.2 s in the garbage collector; with this decoder the
 * whole `hftlab info` of that file takes about 1.1 s, 0.5 s of it snappy
 * (bench/parquet.mjs compares it with the CSV). hyparquet still does the
 * rest — the footer, page headers, decompression, the RLE/bit-packed hybrid
 * and every column or encoding this file does not handle.
 *
 * Handled: data pages v1 and v2, PLAIN and dictionary (PLAIN_DICTIONARY,
 * RLE_DICTIONARY) encodings, RLE definition levels. Anything else in a page
 * (BYTE_STREAM_SPLIT, DELTA_*, the deprecated BIT_PACKED levels) throws
 * {@link UnhandledPage}, and the caller reads that chunk with hyparquet.
 *
 * Values are read as little-endian, as Parquet stores them, by copying
 * bytes into the typed array's buffer: every platform Node supports for
 * hftlab (x64, arm64) is little-endian.
 */
import type { ColumnMetaData, Compressors, DataReader, ParquetType } from "hyparquet";
import type * as HyparquetColumn from "hyparquet/src/column.js";
import type * as HyparquetDatapage from "hyparquet/src/datapage.js";
import type * as HyparquetEncoding from "hyparquet/src/encoding.js";

/** The parts of hyparquet this decoder uses, imported lazily by the reader. */
export interface PageTools {
  parquetHeader: typeof HyparquetColumn.parquetHeader;
  decompressPage: typeof HyparquetDatapage.decompressPage;
  readRleBitPackedHybrid: typeof HyparquetEncoding.readRleBitPackedHybrid;
  compressors: Compressors;
}

export type FlatArray = Float64Array | Float32Array | Int32Array | BigInt64Array;

/** What the decoder needs of a chunk's footer entry: small enough to post to a worker thread. */
export type ChunkCoding = Pick<ColumnMetaData, "type" | "codec">;

/** One column chunk, one slot per row: the stored numbers, unconverted. */
export interface FlatValues {
  values: FlatArray;
  /** valid[k] is 0 where row k is null; null when no row is. */
  valid: Uint8Array | null;
}

/** A page this decoder does not handle; hyparquet reads the chunk instead. */
export class UnhandledPage extends Error {}

/** Thrown for bytes that contradict the footer or themselves: the file is damaged. */
export class DamagedChunk extends Error {}

const WIDTH: Partial<Record<ParquetType, number>> = { INT32: 4, INT64: 8, FLOAT: 4, DOUBLE: 8 };

function allocate(type: ParquetType, count: number): FlatArray {
  if (type === "DOUBLE") return new Float64Array(count);
  if (type === "FLOAT") return new Float32Array(count);
  if (type === "INT32") return new Int32Array(count);
  return new BigInt64Array(count);
}

/** Whether the decoder handles this physical type. */
export function isFlatNumericType(type: ParquetType | undefined): boolean {
  return type !== undefined && WIDTH[type] !== undefined;
}

/** `count` PLAIN values from `bytes[at..]` into `out[0..count)` (a byte copy: no alignment needed). */
function plainInto(bytes: Uint8Array, at: number, count: number, out: FlatArray, width: number): void {
  const length = count * width;
  if (at + length > bytes.length) {
    throw new DamagedChunk(`a page holds ${bytes.length - at} bytes of values, ${length} expected`);
  }
  new Uint8Array(out.buffer, out.byteOffset, length).set(bytes.subarray(at, at + length));
}

interface PageValues {
  /** The non-null values of the page, in order. */
  values: FlatArray;
  /** Definition level (0 null, 1 present) per row; null when the page has no nulls. */
  levels: Uint8Array | null;
  rows: number;
}

class ChunkDecoder {
  private dictionary: FlatArray | null = null;
  private readonly width: number;

  constructor(
    private readonly tools: PageTools,
    private readonly meta: ChunkCoding,
    private readonly optional: boolean,
  ) {
    this.width = WIDTH[meta.type]!;
  }

  dictionaryPage(page: Uint8Array, count: number): void {
    const values = allocate(this.meta.type, count);
    plainInto(page, 0, count, values, this.width);
    this.dictionary = values;
  }

  /** Values of a page at `page[at..]` for `count` non-null rows, into `into` when given (else a new array). */
  values(page: Uint8Array, at: number, count: number, encoding: string, into: FlatArray | null): FlatArray {
    const values = into ?? allocate(this.meta.type, count);
    if (encoding === "PLAIN") {
      plainInto(page, at, count, values, this.width);
      return values;
    }
    if (encoding !== "PLAIN_DICTIONARY" && encoding !== "RLE_DICTIONARY") throw new UnhandledPage(encoding);
    const dictionary = this.dictionary;
    if (dictionary === null) throw new DamagedChunk("a dictionary-encoded page without a dictionary page");
    if (count === 0) return values;
    const bitWidth = page[at]!;
    const indices = new Int32Array(count);
    if (bitWidth > 0) {
      const reader: DataReader = {
        view: new DataView(page.buffer, page.byteOffset, page.byteLength),
        offset: at + 1,
      };
      this.tools.readRleBitPackedHybrid(reader, bitWidth, indices, page.length - at - 1);
    }
    const size = dictionary.length;
    for (let k = 0; k < count; k++) {
      const index = indices[k]!;
      if (!(index >= 0 && index < size)) {
        throw new DamagedChunk(`dictionary index ${index} outside the ${size}-entry dictionary`);
      }
      // Same element type on both sides (bigint or number); the cast only quiets the union.
      (values as Float64Array)[k] = (dictionary as Float64Array)[index]!;
    }
    return values;
  }

  /** RLE definition levels of `rows` rows; returns them (null when none is 0) and the count of nulls. */
  levels(
    page: Uint8Array,
    at: number,
    rows: number,
    byteLength: number | undefined,
  ): { levels: Uint8Array | null; nulls: number; end: number } {
    if (!this.optional) return { levels: null, nulls: 0, end: at };
    const end = byteLength === undefined ? at + 4 + readUint32(page, at) : at + byteLength;
    // The usual page, with no null: one RLE run of 1s covering every row, read without an array.
    if (allPresent(page, byteLength === undefined ? at + 4 : at, rows))
      return { levels: null, nulls: 0, end };
    const reader: DataReader = {
      view: new DataView(page.buffer, page.byteOffset, page.byteLength),
      offset: at,
    };
    const levels = new Uint8Array(rows);
    // Max definition level 1: one bit per level.
    this.tools.readRleBitPackedHybrid(reader, 1, levels, byteLength);
    let present = 0;
    for (let k = 0; k < rows; k++) present += levels[k]!;
    const nulls = rows - present;
    return { levels: nulls === 0 ? null : levels, nulls, end };
  }

  /** A v1 data page; its values go straight to `place` (its rows of the chunk) when it has no null. */
  dataPageV1(
    page: Uint8Array,
    header: NonNullable<PageHeaderOf["data_page_header"]>,
    place: FlatArray,
  ): PageValues {
    const rows = header.num_values;
    if (this.optional && header.definition_level_encoding !== "RLE") {
      throw new UnhandledPage(header.definition_level_encoding);
    }
    const { levels, nulls, end } = this.levels(page, 0, rows, undefined);
    return {
      values: this.values(page, end, rows - nulls, header.encoding, levels === null ? place : null),
      levels,
      rows,
    };
  }

  dataPageV2(raw: Uint8Array, header: PageHeaderOf, place: FlatArray): PageValues {
    const v2 = header.data_page_header_v2!;
    if (v2.repetition_levels_byte_length !== 0) throw new UnhandledPage("repetition levels");
    const rows = v2.num_rows;
    const levelBytes = v2.definition_levels_byte_length;
    const { levels, nulls } = this.levels(raw, 0, rows, levelBytes);
    let page = raw.subarray(levelBytes);
    const size = header.uncompressed_page_size - levelBytes;
    if (v2.is_compressed !== false && size > 0) {
      page = this.tools.decompressPage(page, size, this.meta.codec, this.tools.compressors);
    }
    return {
      values: this.values(page, 0, rows - nulls, v2.encoding, levels === null ? place : null),
      levels,
      rows,
    };
  }
}

type PageHeaderOf = ReturnType<PageTools["parquetHeader"]>;

function readUint32(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) throw new DamagedChunk("a page ends inside its definition levels");
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/**
 * Whether the 1-bit RLE/bit-packed hybrid at `bytes[at..]` starts with one
 * RLE run of value 1 at least `rows` long (its header is the ULEB128 varint
 * `count << 1`, then one byte of value).
 */
function allPresent(bytes: Uint8Array, at: number, rows: number): boolean {
  let header = 0;
  for (let k = at, shift = 0; k < bytes.length && shift < 35; k++, shift += 7) {
    const byte = bytes[k]!;
    header += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return header % 2 === 0 && header / 2 >= rows && bytes[k + 1] === 1;
  }
  return false;
}

/** Writes the values of a page with nulls to rows [row, row + page.rows) of `out`. */
function scatter(
  page: PageValues & { levels: Uint8Array },
  out: FlatArray,
  valid: Uint8Array,
  row: number,
): void {
  const { levels, values } = page;
  for (let k = 0, next = 0; k < page.rows; k++) {
    if (levels[k] === 1) (out as Float64Array)[row + k] = (values as Float64Array)[next++]!;
    else valid[row + k] = 0;
  }
}

/**
 * Decodes the column chunk `bytes` (from its first page to its end) of
 * `rows` rows.
 *
 * @param optional whether the column's definition level is 1 (else 0)
 * @param into where to decode (`rows` slots of the column's own type), else a new array
 * @throws UnhandledPage for an encoding this decoder leaves to hyparquet
 * @throws DamagedChunk (or hyparquet's errors) for damaged bytes
 */
export function decodeFlatChunk(
  tools: PageTools,
  bytes: Uint8Array,
  meta: ChunkCoding,
  rows: number,
  optional: boolean,
  into: FlatArray | null = null,
): FlatValues {
  const decoder = new ChunkDecoder(tools, meta, optional);
  const out = into ?? allocate(meta.type, rows);
  // Made at the first page with a null: most chunks have none, and a fresh array per chunk costs page faults.
  let valid: Uint8Array | null = null;
  const reader: DataReader = {
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    offset: 0,
  };
  let row = 0;
  while (row < rows) {
    if (reader.offset >= bytes.length) {
      throw new DamagedChunk(`the column chunk ends after ${row} of its ${rows} rows`);
    }
    const header = tools.parquetHeader(reader);
    const start = reader.offset;
    const end = start + header.compressed_page_size;
    if (!(header.compressed_page_size >= 0 && end <= bytes.length)) {
      throw new DamagedChunk(`a page of ${header.compressed_page_size} bytes runs past the column chunk`);
    }
    reader.offset = end;
    const raw = bytes.subarray(start, end);
    if (header.type === "DICTIONARY_PAGE") {
      const count = header.dictionary_page_header?.num_values ?? 0;
      decoder.dictionaryPage(
        tools.decompressPage(raw, header.uncompressed_page_size, meta.codec, tools.compressors),
        count,
      );
      continue;
    }
    if (header.type === "INDEX_PAGE") continue;
    const pageRows = header.data_page_header_v2?.num_rows ?? header.data_page_header?.num_values;
    if (pageRows === undefined) throw new DamagedChunk(`an unknown page type ${String(header.type)}`);
    if (!(pageRows >= 0 && row + pageRows <= rows)) {
      throw new DamagedChunk(`the pages hold more than the row group's ${rows} rows`);
    }
    const place = out.subarray(row, row + pageRows);
    let page: PageValues;
    if (header.type === "DATA_PAGE" && header.data_page_header !== undefined) {
      const decompressed = tools.decompressPage(
        raw,
        header.uncompressed_page_size,
        meta.codec,
        tools.compressors,
      );
      page = decoder.dataPageV1(decompressed, header.data_page_header, place);
    } else if (header.type === "DATA_PAGE_V2") {
      page = decoder.dataPageV2(raw, header, place);
    } else {
      throw new DamagedChunk(`an unknown page type ${String(header.type)}`);
    }
    if (page.levels !== null) {
      valid ??= new Uint8Array(rows).fill(1);
      scatter(page as PageValues & { levels: Uint8Array }, out, valid, row);
    }
    row += page.rows;
  }
  return { values: out, valid };
}
