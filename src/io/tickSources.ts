/**
 * Where `stream` reads from: a file (plain or .gz) or stdin read to its end,
 * or a file followed like `tail -F` (read from its first byte, then polled
 * for appends, surviving truncation and rotation). Each yields decoded text
 * in chunks; line splitting is the caller's (it must hold a line cut by a
 * chunk boundary). Every operating-system failure is an input error (exit 3).
 */
import { createReadStream } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { isAscii } from "node:buffer";
import { setTimeout as sleep } from "node:timers/promises";
import { createGunzip } from "node:zlib";
import { fileSystemError } from "./inputSource.js";

/** Bytes per read: large enough that a bulk file costs few reads, small enough to keep latency low. */
export const READ_CHUNK_BYTES = 1 << 18;

/**
 * Bytes to text, cut after the last newline of each chunk (the rest is kept
 * for the next): a newline never splits a UTF-8 sequence, so each piece
 * decodes on its own, and an all-ASCII piece — the usual tick file — is
 * decoded as Latin-1, several times faster than UTF-8 validation.
 */
export class LineDecoder {
  private carry: Buffer | null = null;

  write(chunk: Buffer): string {
    const bytes = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    const cut = bytes.lastIndexOf(10) + 1;
    this.carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : null;
    return decode(bytes.subarray(0, cut));
  }

  end(): string {
    const rest = this.carry;
    this.carry = null;
    return rest === null ? "" : decode(rest);
  }
}

function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/** What a followed file did between two reads. */
export interface FollowNotice {
  notice: "truncated" | "rotated";
}

/**
 * The text of a file or of stdin ("-"), chunk by chunk, until its end or
 * until `signal` aborts. A `.gz` file is decompressed.
 */
export async function* readTextChunks(
  path: string,
  stdin: NodeJS.ReadableStream,
  signal: AbortSignal,
): AsyncGenerator<string> {
  let stream: Readable;
  if (path === "-") stream = stdin as Readable;
  else {
    const file = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
    stream = path.endsWith(".gz") ? file.pipe(createGunzip()) : file;
    file.on("error", (error) => stream.destroy(error));
  }
  const decoder = new LineDecoder();
  const stop = (): void => {
    stream.destroy();
  };
  signal.addEventListener("abort", stop, { once: true });
  try {
    for await (const chunk of stream) {
      const text = typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer);
      if (text.length > 0) yield text;
      if (signal.aborted) return;
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  } catch (error) {
    if (signal.aborted) return;
    throw fileSystemError(error, path === "-" ? "<stdin>" : path);
  } finally {
    signal.removeEventListener("abort", stop);
    if (path !== "-") stream.destroy();
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
export async function* followTextChunks(
  path: string,
  pollMs: number,
  signal: AbortSignal,
): AsyncGenerator<string | FollowNotice> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw fileSystemError(error, path);
  }
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let decoder = new LineDecoder();
  let position = 0;
  let inode = (await handle.stat()).ino;
  let rotated = false;
  try {
    while (!signal.aborted) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        const text = decoder.write(buffer.subarray(0, bytesRead));
        if (text.length > 0) yield text;
        continue;
      }
      if (rotated) {
        const next = await openIfPresent(path);
        if (next !== null) {
          const unfinished = decoder.end();
          if (unfinished.length > 0) yield unfinished;
          await handle.close();
          handle = next;
          inode = (await handle.stat()).ino;
          position = 0;
          decoder = new LineDecoder();
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
          decoder = new LineDecoder();
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
