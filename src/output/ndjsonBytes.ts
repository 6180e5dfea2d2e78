import { writeShortestDecimalWords } from "./shortestDecimal.js";

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * ASCII text kept in 8-byte words, so that appending it takes one store per
 * eight bytes instead of one per byte: the fixed parts of a row (keys,
 * punctuation, a symbol, a formatted price). The words go through double
 * registers, which is safe because eight ASCII bytes (all below 0x80) are
 * never the bit pattern of a NaN, the one kind of double an engine may
 * rewrite. (Its memory may hold other bytes; then it is copied with `copy`.)
 */
export class AsciiPiece {
  readonly words: Float64Array;
  /** The same memory as `words`, for writing the text. */
  readonly bytes: Buffer;
  length = 0;

  constructor(capacityBytes: number) {
    this.words = new Float64Array(Math.ceil(capacityBytes / 8));
    this.bytes = Buffer.from(this.words.buffer);
  }

  /** A piece holding `text`, or null when it is not ASCII. */
  static of(text: string | Uint8Array): AsciiPiece | null {
    const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    for (const b of bytes) if (b >= 0x80) return null;
    const piece = new AsciiPiece(bytes.length);
    piece.bytes.set(bytes);
    piece.length = bytes.length;
    return piece;
  }
}

/**
 * An NDJSON line builder that writes bytes straight into a growing Buffer:
 * at a million rows a second, building each row as a string and encoding
 * the concatenation to UTF-8 afterwards costs more than computing the row
 * (the rope of small strings must be flattened, then transcoded). Numbers
 * are formatted in place, fixed ASCII parts copied eight bytes at a time,
 * short byte ranges byte by byte; other text goes through Buffer#write as
 * UTF-8.
 */
export class NdjsonBytes {
  private buffer: Buffer;
  private view: DataView;
  private length = 0;
  /** Buffers given back by `recycle`, for `take` to continue in. */
  private readonly spare: Buffer[] = [];

  constructor(initialBytes = 1 << 19) {
    this.buffer = Buffer.allocUnsafeSlow(initialBytes);
    this.view = viewOf(this.buffer);
  }

  /**
   * A builder that writes into `memory` (shared memory, say, that another
   * thread reads) from its start, with `byteLength` bytes written; `reserve`
   * beyond its end moves on to fresh memory, so size it for the rows.
   */
  static over(memory: Buffer): NdjsonBytes {
    const bytes = new NdjsonBytes(0);
    bytes.buffer = memory;
    bytes.view = viewOf(memory);
    return bytes;
  }

  /** Whether everything written so far is in `memory` (no `reserve` outgrew it). */
  isIn(memory: Buffer): boolean {
    return this.buffer === memory;
  }

  get byteLength(): number {
    return this.length;
  }

  /** Makes room for `bytes` more bytes. */
  reserve(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
    this.view = viewOf(grown);
  }

  /** Appends text known to be ASCII (JSON keys and punctuation, formatted numbers). Call `reserve` first. */
  ascii(text: string): void {
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Appends any text as UTF-8 (ASCII copied directly). */
  text(text: string): void {
    this.reserve(text.length * 3);
    const buffer = this.buffer;
    const start = this.length;
    let at = start;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) {
        this.length = start + buffer.write(text, start, "utf8");
        return;
      }
      buffer[at++] = c;
    }
    this.length = at;
  }

  /** Appends pre-encoded bytes. */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.copy(bytes, 0, bytes.length);
  }

  /**
   * Appends an ASCII piece. Call `reserve` first, with up to 7 bytes to
   * spare: the last word is written whole (what lies past the piece's end
   * is overwritten by what comes next, or never handed out).
   */
  piece(piece: AsciiPiece): void {
    const view = this.view;
    const words = piece.words;
    const at = this.length;
    const count = (piece.length + 7) >> 3;
    for (let i = 0; i < count; i++) view.setFloat64(at + 8 * i, words[i]!, HOST_LITTLE_ENDIAN);
    this.length = at + piece.length;
  }

  /** Appends source[start, end). Call `reserve` first. */
  copy(source: Uint8Array, start: number, end: number): void {
    const buffer = this.buffer;
    let at = this.length;
    // A row's pieces are a few bytes to a few dozen: a loop beats the native copy's call.
    if (end - start <= 64) for (let i = start; i < end; i++) buffer[at++] = source[i]!;
    else {
      buffer.set(source.subarray(start, end), at);
      at += end - start;
    }
    this.length = at;
  }

  /** Appends one byte. Call `reserve` first. */
  byte(value: number): void {
    this.buffer[this.length++] = value;
  }

  /**
   * A number as JSON: what JSON.stringify writes (the shortest round-trip
   * decimal, null when not finite), formatted in place. Call `reserve` first
   * (SHORTEST_DECIMAL_WORD_BYTES: the last word is written whole).
   */
  number(x: number): void {
    if (x - x === 0) this.length = writeShortestDecimalWords(x, this.view, this.buffer, this.length);
    else {
      const buffer = this.buffer;
      const at = this.length;
      buffer[at] = 110;
      buffer[at + 1] = 117;
      buffer[at + 2] = 108;
      buffer[at + 3] = 108;
      this.length = at + 4;
    }
  }

  /**
   * A number as a CSV/TSV cell: its shortest round-trip decimal (what
   * `String(x)` writes), nothing for NaN (an empty cell), `Infinity` or
   * `-Infinity` for those. Call `reserve` first, as for `number`.
   */
  cell(x: number): void {
    if (x - x === 0) this.length = writeShortestDecimalWords(x, this.view, this.buffer, this.length);
    else if (!Number.isNaN(x)) this.ascii(x > 0 ? "Infinity" : "-Infinity");
  }

  /** The bytes so far, handed over (a recycled or fresh buffer continues). */
  take(): Buffer {
    const out = this.buffer.subarray(0, this.length);
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.buffer.length);
    this.view = viewOf(this.buffer);
    this.length = 0;
    return out;
  }

  /**
   * Gives back bytes `take` handed over, once they are written: the next
   * `take` continues in their memory. At a chunk a millisecond, a fresh
   * megabyte per chunk costs page faults and garbage collections (each
   * buffer is its own allocation, from `allocUnsafeSlow`). A buffer
   * outgrown in the meantime is dropped; at most two are kept.
   */
  recycle(taken: Buffer): void {
    const memory = taken.buffer;
    if (taken.byteOffset !== 0 || memory.byteLength !== this.buffer.length || this.spare.length >= 2) return;
    this.spare.push(Buffer.from(memory));
  }
}

function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
}
