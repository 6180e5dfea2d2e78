/**
 * Time stamps as encoded text, one after another: made once and shared by
 * every series (and every worker thread) a row formatter writes.
 */

/** Row i's text is bytes[ends[i − 1], ends[i]) (from 0 for row 0), UTF-8. */
export interface TimeTextBytes {
  bytes: Uint8Array;
  ends: Int32Array;
}

/** Stamps to read one at a time (a Frame's TimeColumn, an array). */
export interface StampTexts {
  readonly length: number;
  at(row: number): string | undefined;
}

/**
 * The stamps, each through `encode` (JSON quoting, CSV quoting, or none), as
 * UTF-8; in shared memory when `shared`, so a worker reads it without a
 * copy. One stamp's string at a time: no array of millions of strings is
 * ever held.
 */
export function timeTextBytes(
  stamps: StampTexts,
  encode: (text: string) => string,
  shared: boolean,
): TimeTextBytes {
  const count = stamps.length;
  let buffer = Buffer.allocUnsafe(Math.max(64, count * 16));
  const ends = new Int32Array(shared ? new SharedArrayBuffer(4 * count) : new ArrayBuffer(4 * count));
  let at = 0;
  for (let i = 0; i < count; i++) {
    const text = encode(stamps.at(i)!);
    if (buffer.length - at < 3 * text.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * buffer.length, at + 3 * text.length));
      buffer.copy(grown, 0, 0, at);
      buffer = grown;
    }
    at += buffer.write(text, at);
    ends[i] = at;
  }
  const bytes = shared ? Buffer.from(new SharedArrayBuffer(at)) : Buffer.allocUnsafe(at);
  buffer.copy(bytes, 0, 0, at);
  return { bytes, ends };
}

/** The longest stamp's length in bytes. */
export function longestTimeText(times: TimeTextBytes): number {
  let longest = 0;
  let start = 0;
  for (let i = 0; i < times.ends.length; i++) {
    const end = times.ends[i]!;
    if (end - start > longest) longest = end - start;
    start = end;
  }
  return longest;
}
