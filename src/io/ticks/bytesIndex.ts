/**
 * Values found by a key of bytes — a symbol in a line of input — without
 * making a string of it: open addressing with linear probing on a hash the
 * caller computed while reading the key (`TickBytes.symbolHash`), kept at
 * most half full. Keys are compared byte by byte on a hash match.
 */
export class BytesIndex<T> {
  private keys: (Uint8Array | undefined)[];
  private values: (T | undefined)[];
  private hashes: Uint32Array;
  private used = 0;

  constructor(initialSlots = 64) {
    this.keys = new Array(initialSlots).fill(undefined);
    this.values = new Array(initialSlots).fill(undefined);
    this.hashes = new Uint32Array(initialSlots);
  }

  /** The value of the key bytes[start, end) with hash `hash` (a uint32), or undefined. */
  get(bytes: Uint8Array, start: number, end: number, hash: number): T | undefined {
    const mask = this.keys.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const key = this.keys[slot];
      if (key === undefined) return undefined;
      if (this.hashes[slot] === hash && sameBytes(key, bytes, start, end)) return this.values[slot];
    }
  }

  /** Adds the key bytes[start, end), which must not be in the index yet. */
  set(bytes: Uint8Array, start: number, end: number, hash: number, value: T): void {
    // A copy (Buffer#slice would share the input's memory, which the reader reuses).
    this.insert(Uint8Array.from(bytes.subarray(start, end)), hash, value);
    if (++this.used * 2 > this.keys.length) this.grow();
  }

  private insert(key: Uint8Array, hash: number, value: T): void {
    const mask = this.keys.length - 1;
    let slot = hash & mask;
    while (this.keys[slot] !== undefined) slot = (slot + 1) & mask;
    this.keys[slot] = key;
    this.values[slot] = value;
    this.hashes[slot] = hash;
  }

  private grow(): void {
    const { keys, values, hashes } = this;
    this.keys = new Array(keys.length * 2).fill(undefined);
    this.values = new Array(keys.length * 2).fill(undefined);
    this.hashes = new Uint32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key !== undefined) this.insert(key, hashes[i]!, values[i]!);
    }
  }
}

function sameBytes(key: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key[i] !== bytes[start + i]) return false;
  return true;
}
