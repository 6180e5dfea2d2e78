/**
 * Random access to a Parquet input: a Parquet file is read from its end
 * (the footer holds the schema and where every column chunk lies), then one
 * column chunk at a time. A plain file is read in ranges through its handle,
 * so only the chunks of the row group at hand are in memory; standard input
 * and gzip input are already whole buffers.
 */
import { readSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import type { AsyncBuffer } from "hyparquet";
import { inputError } from "../../errors.js";
import { fileSystemError } from "../fileSystemError.js";

export class ParquetBytes {
  private constructor(
    readonly file: string,
    readonly byteLength: number,
    private readonly handle: FileHandle | null,
    private readonly whole: Uint8Array | null,
  ) {}

  static async open(file: string, source: FileHandle | Uint8Array): Promise<ParquetBytes> {
    if (source instanceof Uint8Array) return new ParquetBytes(file, source.length, null, source);
    try {
      const { size } = await source.stat();
      return new ParquetBytes(file, size, source, null);
    } catch (error) {
      await source.close().catch(() => undefined);
      throw fileSystemError(error, file);
    }
  }

  /** The descriptor of a plain file (worker threads read through it too), or null for a whole buffer. */
  get fd(): number | null {
    return this.handle?.fd ?? null;
  }

  /** Throws unless [start, end) lies in the input: a range past the end is a damaged footer or a cut file, and says so. */
  checkRange(start: number, end: number, what: string): void {
    if (!(start >= 0 && end >= start && end <= this.byteLength)) {
      throw inputError(
        "bad_parquet",
        `not a readable Parquet file: ${what} lies at bytes ${start}..${end}, past the end of the ${this.byteLength}-byte file (cut short?)`,
        { file: this.file },
      );
    }
  }

  /** Bytes [start, end) of the input. */
  async read(start: number, end: number, what: string): Promise<Uint8Array> {
    this.checkRange(start, end, what);
    if (this.whole !== null) return this.whole.subarray(start, end);
    const bytes = Buffer.allocUnsafe(end - start);
    try {
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await this.handle!.read(bytes, done, bytes.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      if (done < bytes.length) throw endedWhileReading(what, this.file);
    } catch (error) {
      throw fileSystemError(error, this.file);
    }
    return bytes;
  }

  /** Bytes [start, end) of the input, read now, into `scratch` when it is large enough (see {@link readRangeSync}). */
  readSync(start: number, end: number, what: string, scratch: Scratch): Uint8Array {
    this.checkRange(start, end, what);
    if (this.whole !== null) return this.whole.subarray(start, end);
    return readRangeSync(this.handle!.fd, start, end, this.file, what, scratch);
  }

  /** The same bytes as hyparquet's AsyncBuffer (its slices are ArrayBuffers of their own). */
  asyncBuffer(): AsyncBuffer {
    return {
      byteLength: this.byteLength,
      slice: async (start: number, end = this.byteLength) => {
        const bytes = await this.read(start, end, "a column chunk");
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      },
    };
  }

  async close(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
  }
}

function endedWhileReading(what: string, file: string) {
  return inputError("bad_parquet", `the file ended while reading ${what} (changed while read?)`, { file });
}

/** One thread's reusable read buffer: a column chunk's bytes are dropped once it is decoded. */
export interface Scratch {
  bytes: Uint8Array;
}

/**
 * Bytes [start, end) of the file open as `fd` (any thread of the process
 * may read through it: each read names its position), in `scratch.bytes`,
 * grown when too small. The caller must be done with them before the next
 * read into the same scratch: fresh memory costs a page fault per 4 KiB.
 */
export function readRangeSync(
  fd: number,
  start: number,
  end: number,
  file: string,
  what: string,
  scratch: Scratch,
): Uint8Array {
  const length = end - start;
  if (scratch.bytes.length < length) scratch.bytes = new Uint8Array(length);
  const bytes = scratch.bytes.subarray(0, length);
  try {
    let done = 0;
    while (done < length) {
      const bytesRead = readSync(fd, bytes, done, length - done, start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    if (done < length) throw endedWhileReading(what, file);
  } catch (error) {
    throw fileSystemError(error, file);
  }
  return bytes;
}
