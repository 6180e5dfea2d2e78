/**
 * An NDJSON line builder that writes bytes straight into a growing Buffer:
 * at a million rows a second, building each row as a string and encoding
 * the concatenation to UTF-8 afterwards costs more than computing the row
 * (the rope of small strings must be flattened, then transcoded). ASCII
 * text (keys, numbers) is copied char by char; other text goes through
 * Buffer#write as UTF-8.
 */
export class NdjsonBytes {
  private buffer: Buffer;
  private length = 0;

  constructor(initialBytes = 1 << 19) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  get byteLength(): number {
    return this.length;
  }

  /** Makes room for `bytes` more bytes. */
  reserve(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
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
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A number as JSON (shortest round-trip; null when not finite). Call `reserve` first (≤ 24 bytes). */
  number(x: number): void {
    // JSON.stringify formats a number 2–4× faster than String() in V8 and maps NaN/±Infinity to null.
    this.ascii(JSON.stringify(x));
  }

  /** The bytes so far, handed over (a fresh buffer continues). */
  take(): Buffer {
    const out = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    this.length = 0;
    return out;
  }
}
