/**
 * The parts of hyparquet the hand-written chunk decoder uses (page headers,
 * decompression, the RLE/bit-packed hybrid), imported lazily: by the reader
 * when a Parquet file is read, and by each chunk worker as it starts.
 */
import type { Compressors } from "hyparquet";
import type { PageTools } from "./flatChunk.js";

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

export async function loadPageTools(): Promise<PageTools> {
  const [{ compressors }, column, datapage, encoding, zlib] = await Promise.all([
    import("hyparquet-compressors"),
    import("hyparquet/src/column.js"),
    import("hyparquet/src/datapage.js"),
    import("hyparquet/src/encoding.js"),
    import("node:zlib"),
  ]);
  return {
    parquetHeader: column.parquetHeader,
    decompressPage: datapage.decompressPage,
    readRleBitPackedHybrid: encoding.readRleBitPackedHybrid,
    compressors: nativeCodecs(zlib, compressors),
  };
}
