/**
 * Input bytes cut into blocks of whole lines, the unit the byte scanner
 * works on: every block ends with LF (one is supplied after a last line that
 * lacks it), and a line is never split across blocks.
 *
 * A yielded block is valid only until the consumer asks for the next one:
 * buffers are reused.
 */
import type { FileHandle } from "node:fs/promises";
import { inputError } from "../../errors.js";

export interface LineBlock {
  buf: Buffer;
  start: number;
  /** Exclusive; buf[end - 1] is LF. */
  end: number;
}

const LF = 10;

/**
 * The longest line read (64 MiB): far above any real row (10,000 columns of
 * 20 characters make 200 KB) and any header, and low enough that a file
 * with no line break — a gzip bomb of one endless line — is refused at once
 * instead of filling memory or searching ever longer buffers.
 */
export const MAX_LINE_BYTES = 64 << 20;

function lineTooLong(file: string) {
  return inputError(
    "line_too_long",
    `a line longer than ${MAX_LINE_BYTES >> 20} MiB (no line break)`,
    { file },
    "a delimited file has one row per line; this one is not such a file, or is damaged",
  );
}

/** Room before each read for the partial line carried over from the previous block. */
const CARRY_RESERVE = 4 << 20;

/**
 * Blocks of the byte range [from, endOffset) of a regular file, read `chunkBytes`
 * at a time into two alternating buffers: the next read runs on the libuv
 * thread pool while the consumer scans the current block, so I/O overlaps
 * parsing. (4 MiB chunks: larger ones only add fresh memory to fault in.)
 */
export async function* fileLineBlocks(
  handle: FileHandle,
  endOffset: number,
  chunkBytes = 4 << 20,
  from = 0,
  file = "<input>",
): AsyncGenerator<LineBlock> {
  const size = endOffset;
  if (size <= from) return;
  const chunk = Math.min(chunkBytes, size - from);
  const buffers = [
    Buffer.allocUnsafe(CARRY_RESERVE + chunk + 1),
    Buffer.allocUnsafe(CARRY_RESERVE + chunk + 1),
  ];
  let current = 0;
  let position = from;
  let carry: Buffer | null = null;
  let pending: Promise<{ bytesRead: number }> | null = handle.read(buffers[0]!, CARRY_RESERVE, chunk, from);
  while (pending !== null) {
    const { bytesRead }: { bytesRead: number } = await pending;
    position += bytesRead;
    const last: boolean = bytesRead === 0 || position >= size;
    const data = buffers[current]!;
    let block = data;
    let start = CARRY_RESERVE;
    let end = CARRY_RESERVE + bytesRead;
    if (carry !== null && carry.length <= CARRY_RESERVE) {
      start -= carry.length;
      carry.copy(data, start);
    } else if (carry !== null) {
      // A line longer than the reserve: join it with the new data in a fresh buffer.
      block = Buffer.allocUnsafe(carry.length + bytesRead + 1);
      carry.copy(block, 0);
      data.copy(block, carry.length, CARRY_RESERVE, end);
      start = 0;
      end = carry.length + bytesRead;
    }
    carry = null;
    current ^= 1;
    pending = last
      ? null
      : handle.read(buffers[current]!, CARRY_RESERVE, Math.min(chunk, size - position), position);
    if (last) {
      if (end > start && block[end - 1] !== LF) block[end++] = LF;
      if (end > start) yield { buf: block, start, end };
      return;
    }
    const lastLf = block.lastIndexOf(LF, end - 1);
    if (lastLf < start) {
      if (end - start > MAX_LINE_BYTES) throw lineTooLong(file);
      carry = block.subarray(start, end);
      continue;
    }
    carry = block.subarray(lastLf + 1, end);
    yield { buf: block, start, end: lastLf + 1 };
  }
}

/** Blocks of a byte stream (gunzip output), gathered into blocks of about `blockBytes`. */
export async function* streamLineBlocks(
  chunks: AsyncIterable<Buffer>,
  blockBytes = 8 << 20,
  file = "<input>",
): AsyncGenerator<LineBlock> {
  let work = Buffer.allocUnsafe(blockBytes + (1 << 16));
  let used = 0;
  const reserve = (extra: number) => {
    if (used + extra <= work.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(work.length * 2, used + extra));
    work.copy(bigger, 0, 0, used);
    work = bigger;
  };
  // The last LF seen in `work` (−1: none): each piece is searched once, not the whole buffer again.
  let lastLf = -1;
  for await (const piece of chunks) {
    reserve(piece.length + 1);
    piece.copy(work, used);
    const inPiece = piece.lastIndexOf(LF);
    if (inPiece >= 0) lastLf = used + inPiece;
    used += piece.length;
    if (used - (lastLf + 1) > MAX_LINE_BYTES) throw lineTooLong(file);
    if (used < blockBytes || lastLf < 0) continue;
    yield { buf: work, start: 0, end: lastLf + 1 };
    work.copy(work, 0, lastLf + 1, used);
    used -= lastLf + 1;
    lastLf = -1;
  }
  if (used === 0) return;
  if (work[used - 1] !== LF) {
    reserve(1);
    work[used++] = LF;
  }
  yield { buf: work, start: 0, end: used };
}

/** Blocks of a byte buffer held in memory (standard input). */
export async function* bufferLineBlocks(bytes: Buffer, file = "<stdin>"): AsyncGenerator<LineBlock> {
  if (bytes.length === 0) return;
  const lastLf = bytes.lastIndexOf(LF);
  if (bytes.length - (lastLf + 1) > MAX_LINE_BYTES || bytes.indexOf(LF) > MAX_LINE_BYTES)
    throw lineTooLong(file);
  if (lastLf === bytes.length - 1) {
    yield { buf: bytes, start: 0, end: bytes.length };
    return;
  }
  if (lastLf >= 0) yield { buf: bytes, start: 0, end: lastLf + 1 };
  const tail = Buffer.allocUnsafe(bytes.length - lastLf);
  bytes.copy(tail, 0, lastLf + 1);
  tail[tail.length - 1] = LF;
  yield { buf: tail, start: 0, end: tail.length };
}
