/**
 * Random access to a Parquet input: a Parquet file is read from its end
 * (the footer holds the schema and where every column chunk lies), then one
 * column chunk at a time. A plain file is read in ranges through its handle,
 * so only the chunks of the row group at hand are in memory; standard input
 * and gzip input are already whole buffers.
 */
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

  /**
   * Bytes [start, end) of the input. A range past the end is a damaged
   * footer or a cut file, and says so.
   */
  async read(start: number, end: number, what: string): Promise<Uint8Array> {
    if (!(start >= 0 && end >= start && end <= this.byteLength)) {
      throw inputError(
        "bad_parquet",
        `not a readable Parquet file: ${what} lies at bytes ${start}..${end}, past the end of the ${this.byteLength}-byte file (cut short?)`,
        { file: this.file },
      );
    }
    if (this.whole !== null) return this.whole.subarray(start, end);
    const bytes = Buffer.allocUnsafe(end - start);
    try {
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await this.handle!.read(bytes, done, bytes.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      if (done < bytes.length) {
        throw inputError("bad_parquet", `the file ended while reading ${what} (changed while read?)`, {
          file: this.file,
        });
      }
    } catch (error) {
      throw fileSystemError(error, this.file);
    }
    return bytes;
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
