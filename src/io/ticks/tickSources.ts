/**
 * Where `stream` reads from: a file (plain or .gz) or stdin read to its end,
 * or a file followed like `tail -F` (read from its first byte, then polled
 * for appends, surviving truncation and rotation). Each yields bytes in
 * chunks; line splitting and decoding are the caller's (it must hold a line
 * cut by a chunk boundary, and it reads most lines without decoding them).
 * Every operating-system failure is an input error (exit 3).
 */
import { createReadStream } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { fileSystemError } from "../fileSystemError.js";

/** Bytes per read: large enough that a bulk file costs few reads, small enough to keep latency low. */
export const READ_CHUNK_BYTES = 1 << 18;

/** What a followed file did between two reads (an unfinished last line of the old file ends or is dropped). */
export interface FollowNotice {
  notice: "truncated" | "rotated";
}

/**
 * The bytes of a file or of stdin ("-"), chunk by chunk, until its end or
 * until `signal` aborts. A `.gz` file is decompressed. A chunk's memory is
 * reused once the caller asks for the next one.
 */
export async function* readByteChunks(
  path: string,
  stdin: NodeJS.ReadableStream,
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  if (path !== "-" && !path.endsWith(".gz")) {
    yield* readFileChunks(path, signal);
    return;
  }
  let stream: Readable;
  if (path === "-") stream = stdin as Readable;
  else {
    // zlib only for .gz, and loaded before the file opens, so an open error finds its listener.
    const gunzip = path.endsWith(".gz") ? (await import("node:zlib")).createGunzip() : null;
    const file = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
    stream = gunzip === null ? file : file.pipe(gunzip);
    file.on("error", (error) => stream.destroy(error));
  }
  const stop = (): void => {
    stream.destroy();
  };
  signal.addEventListener("abort", stop, { once: true });
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Buffer);
      if (bytes.length > 0) yield bytes;
      if (signal.aborted) return;
    }
  } catch (error) {
    if (signal.aborted) return;
    throw fileSystemError(error, path === "-" ? "<stdin>" : path);
  } finally {
    signal.removeEventListener("abort", stop);
    if (path !== "-") stream.destroy();
  }
}

/**
 * A plain file's bytes in two buffers taken in turn: the next chunk is read
 * while the caller works on this one. (A read stream would allocate a fresh
 * buffer per chunk and read only when asked.)
 */
async function* readFileChunks(path: string, signal: AbortSignal): AsyncGenerator<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw fileSystemError(error, path);
  }
  const buffers = [Buffer.allocUnsafeSlow(READ_CHUNK_BYTES), Buffer.allocUnsafeSlow(READ_CHUNK_BYTES)];
  let which = 0;
  let next: Promise<{ bytesRead: number }> | null = handle.read(buffers[0]!, 0, READ_CHUNK_BYTES, null);
  try {
    while (!signal.aborted) {
      const { bytesRead } = await next!;
      next = null;
      if (bytesRead === 0) return;
      const chunk = buffers[which]!.subarray(0, bytesRead);
      which ^= 1;
      next = handle.read(buffers[which]!, 0, READ_CHUNK_BYTES, null);
      yield chunk;
    }
  } catch (error) {
    throw fileSystemError(error, path);
  } finally {
    // A read still in flight must end before its file closes.
    await next?.catch(() => undefined);
    await handle.close();
  }
}

/**
 * Follows `path` like `tail -F -n +all`: everything from its first byte,
 * then whatever is appended, polled every `pollMs` milliseconds. When the
 * file shrinks below the read position it was truncated: reading restarts
 * at byte 0. When the path names a new file (another inode: rotated by
 * rename or delete-and-create), the old file is read to its end and the new
 * one from its start; a path that is briefly missing is waited for. Ends
 * only when `signal` aborts.
 */
export async function* followByteChunks(
  path: string,
  pollMs: number,
  signal: AbortSignal,
): AsyncGenerator<Buffer | FollowNotice> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw fileSystemError(error, path);
  }
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let position = 0;
  let inode = (await handle.stat()).ino;
  let rotated = false;
  try {
    while (!signal.aborted) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
        continue;
      }
      if (rotated) {
        const next = await openIfPresent(path);
        if (next !== null) {
          await handle.close();
          handle = next;
          inode = (await handle.stat()).ino;
          position = 0;
          rotated = false;
          yield { notice: "rotated" };
          continue;
        }
      } else {
        const current = await statIfPresent(path);
        if (current !== null && current.ino !== inode) {
          // Drain the old file once more (a last append may have landed), then switch.
          rotated = true;
          continue;
        }
        if ((await handle.stat()).size < position) {
          position = 0;
          yield { notice: "truncated" };
          continue;
        }
      }
      try {
        await sleep(pollMs, undefined, { signal });
      } catch {
        return;
      }
    }
  } finally {
    await handle.close();
  }
}

async function statIfPresent(path: string): Promise<{ ino: number } | null> {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

async function openIfPresent(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, "r");
  } catch {
    return null;
  }
}
