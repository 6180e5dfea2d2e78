/**
 * Opening the input: a path or "-" for standard input, plain or gzip
 * (sniffed by its magic bytes, whatever the extension), delimited text,
 * Arrow IPC or Parquet (by `--input-format`, else by extension, else by
 * magic bytes). What is to be read as text is first checked not to be
 * binary (`binaryContent.ts`). Every operating-system failure becomes an
 * input error (exit 3).
 */
import { createReadStream } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { Readable } from "node:stream";
import { createGunzip, gunzip } from "node:zlib";
import { inputError } from "../errors.js";
import { BINARY_SNIFF_BYTES, rejectBinaryText } from "./binaryContent.js";
import { fileSystemError } from "./fileSystemError.js";
import {
  bufferLineBlocks,
  fileLineBlocks,
  type LineBlock,
  streamLineBlocks,
} from "./delimited/lineBlocks.js";

export { fileSystemError };

export type InputFormat = "csv" | "tsv" | "arrow" | "parquet";

/** How the bytes are read: the delimited scanner, apache-arrow, or the Parquet reader. */
export type InputEncoding = "delimited" | "arrow" | "parquet";

export interface InputSource {
  /** The input as named in messages: the path as given, or "<stdin>". */
  file: string;
  format: InputEncoding;
  /** Forced delimiter (tab for TSV), else sniffed from the header. */
  delimiter: string | undefined;
  /** Whether the bytes were gzip-compressed (recognised by their magic bytes). */
  gzip: boolean;
  /** Symbol name for a single-series file: the base name without extensions. */
  singleName: string | undefined;
  /** Size in bytes of the (decompressed) input when known, for preallocation. */
  sizeHint: number | undefined;
  /** The path of an uncompressed regular file (which can be read in ranges), else undefined. */
  plainPath: string | undefined;
  lineBlocks(): AsyncGenerator<LineBlock>;
  /** The (decompressed) bytes as a stream, for the csv-parse fallback. */
  byteStream(): AsyncIterable<Buffer>;
  /**
   * The input for the binary readers (Arrow, Parquet): an open handle of an
   * uncompressed file (the caller closes it), else the decompressed bytes.
   */
  binaryInput(): Promise<FileHandle | Uint8Array>;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ARROW_FILE_MAGIC = "ARROW1";
const FEATHER_V1_MAGIC = "FEA1";
const PARQUET_MAGIC = "PAR1";

const EXTENSION_FORMATS: Record<string, InputFormat> = {
  ".csv": "csv",
  ".txt": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".arrow": "arrow",
  ".feather": "arrow",
  ".arrows": "arrow",
  ".ipc": "arrow",
  ".parquet": "parquet",
};

function isGzip(head: Uint8Array): boolean {
  return head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

function sniffFormat(head: Uint8Array, file: string): InputEncoding {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 8)).toString("latin1");
  if (text.startsWith(ARROW_FILE_MAGIC)) return "arrow";
  if (text.startsWith(PARQUET_MAGIC)) return "parquet";
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) {
    return "arrow";
  }
  if (text.startsWith(FEATHER_V1_MAGIC)) {
    throw inputError(
      "unsupported_format",
      "Feather version 1 files are not supported",
      { file },
      "re-save as Feather v2 / Arrow IPC (pyarrow.feather.write_feather(df, path) writes v2)",
    );
  }
  return "delimited";
}

/** Wraps a stream so that its failures surface as input errors. */
async function* mapStreamErrors(stream: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  try {
    yield* stream;
  } catch (error) {
    throw fileSystemError(error, file);
  }
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function firstGunzippedBytes(path: string, bytes: number, file: string): Promise<Buffer> {
  const stream = createReadStream(path).pipe(createGunzip());
  const pieces: Buffer[] = [];
  let total = 0;
  try {
    for await (const piece of mapStreamErrors(stream, file)) {
      pieces.push(piece);
      total += piece.length;
      if (total >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(pieces).subarray(0, bytes);
}

/**
 * Standard input's gzip, whole. Its output is bounded (100× the compressed
 * bytes, and at least 256 MiB): real tables compress 5–20×, so more is a
 * decompression bomb, refused (exit 3) before it fills memory.
 */
function gunzipBuffer(bytes: Buffer, file: string): Promise<Buffer> {
  const limit = Math.min(2 ** 31, Math.max(256 << 20, 100 * bytes.length));
  return new Promise((resolve, reject) => {
    gunzip(bytes, { maxOutputLength: limit }, (error, result) => {
      if (error === null) resolve(result);
      else if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
        reject(
          inputError(
            "decompression_too_large",
            `the gzip data expands past ${Math.round(limit / 2 ** 20)} MiB (${Math.round(limit / bytes.length)}× its ${bytes.length} bytes)`,
            { file },
            "a real table compresses far less; decompress it yourself if it is one",
          ),
        );
      } else reject(fileSystemError(error, file));
    });
  });
}

function formatOf(
  requested: InputFormat | undefined,
  byExtension: InputFormat | undefined,
  sniffed: InputEncoding,
): { format: InputEncoding; delimiter: string | undefined } {
  const chosen = requested ?? byExtension;
  if (chosen === "arrow" || chosen === "parquet") return { format: chosen, delimiter: undefined };
  if (chosen === "tsv") return { format: "delimited", delimiter: "\t" };
  if (chosen === "csv") return { format: "delimited", delimiter: undefined };
  return { format: sniffed, delimiter: undefined };
}

async function openFile(path: string, requested: InputFormat | undefined): Promise<InputSource> {
  const file = path;
  let size: number;
  let head: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw inputError("not_a_file", `${file} is a directory, not a file`, { file });
    size = info.size;
    head = await readHead(path, BINARY_SNIFF_BYTES);
  } catch (error) {
    throw fileSystemError(error, file);
  }
  const compressed = isGzip(head);
  let name = basename(path);
  if (/\.gz$/i.test(name)) name = name.slice(0, -3);
  const extension = extname(name).toLowerCase();
  const singleName = extension === "" ? name : name.slice(0, -extension.length);
  const byExtension = EXTENSION_FORMATS[extension];
  const needsSniff = requested === undefined && byExtension === undefined;
  const chosen = requested ?? byExtension;
  // Text is checked for binary content, so gzip text is opened here too (its first block only).
  const needsHead = needsSniff || chosen === "csv" || chosen === "tsv";
  const sniffHead =
    compressed && needsHead ? await firstGunzippedBytes(path, BINARY_SNIFF_BYTES, file) : head;
  const { format, delimiter } = formatOf(requested, byExtension, sniffFormat(sniffHead, file));
  if (format === "delimited") rejectBinaryText(sniffHead, file);
  const byteStream = (): AsyncIterable<Buffer> => {
    const raw: Readable = createReadStream(path);
    return mapStreamErrors(compressed ? raw.pipe(createGunzip()) : raw, file);
  };
  return {
    file,
    format,
    delimiter,
    gzip: compressed,
    singleName,
    sizeHint: compressed ? undefined : size,
    plainPath: compressed ? undefined : path,
    async *lineBlocks() {
      if (compressed) {
        yield* streamLineBlocks(byteStream(), undefined, file);
        return;
      }
      let handle: FileHandle;
      try {
        handle = await open(path, "r");
      } catch (error) {
        throw fileSystemError(error, file);
      }
      try {
        yield* fileLineBlocks(handle, size, undefined, 0, file);
      } catch (error) {
        throw fileSystemError(error, file);
      } finally {
        await handle.close();
      }
    },
    byteStream,
    async binaryInput() {
      try {
        if (!compressed) return await open(path, "r");
        const pieces: Buffer[] = [];
        for await (const piece of byteStream()) pieces.push(piece);
        return Buffer.concat(pieces);
      } catch (error) {
        throw fileSystemError(error, file);
      }
    },
  };
}

async function openStdin(
  stream: NodeJS.ReadableStream,
  requested: InputFormat | undefined,
): Promise<InputSource> {
  const file = "<stdin>";
  const pieces: Buffer[] = [];
  try {
    for await (const piece of stream as AsyncIterable<Buffer | string>) {
      pieces.push(typeof piece === "string" ? Buffer.from(piece) : piece);
    }
  } catch (error) {
    throw fileSystemError(error, file);
  }
  let bytes: Buffer = Buffer.concat(pieces);
  const compressed = isGzip(bytes);
  if (compressed) bytes = await gunzipBuffer(bytes, file);
  const { format, delimiter } = formatOf(requested, undefined, sniffFormat(bytes.subarray(0, 8), file));
  if (format === "delimited") rejectBinaryText(bytes.subarray(0, BINARY_SNIFF_BYTES), file);
  return {
    file,
    format,
    delimiter,
    gzip: compressed,
    singleName: undefined,
    sizeHint: bytes.length,
    plainPath: undefined,
    lineBlocks: () => bufferLineBlocks(bytes, file),
    byteStream: async function* () {
      yield bytes;
    },
    binaryInput: async () => bytes,
  };
}

/** Opens `source` (a path, or "-" for `stdin`). */
export function openInput(
  source: string,
  requested: InputFormat | undefined,
  stdin: NodeJS.ReadableStream,
): Promise<InputSource> {
  return source === "-" ? openStdin(stdin, requested) : openFile(source, requested);
}
