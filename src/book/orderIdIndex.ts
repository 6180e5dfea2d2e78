/**
 * The order-id index of an {@link OrderBook}: order id → order slot, an
 * open-addressing hash table on two typed arrays (no object per entry).
 *
 * Method. Linear probing with Fibonacci hashing of the id's two 32-bit
 * words, kept at most half full; deletion by backward shift (Knuth, TAOCP
 * vol. 3, §6.4, Algorithm R), so the table never fills with tombstones.
 * Because the values are small dense integers (pool slots), the table also
 * keeps the inverse, slot → bucket: a removal by slot needs no probe, which
 * is what the replay does after the one probe that found the order.
 *
 * Ids are integers below 2^53 held in doubles (the event columns' type).
 *
 * @example
 * const index = new OrderIdIndex(4);
 * index.insert(9_000_000_001, 0);
 * index.find(9_000_000_001); // 0
 * index.removeSlot(0);
 * index.find(9_000_000_001); // -1
 */

const NONE = -1;
const MIN_BUCKETS = 16;
const TWO_POW_MINUS_32 = 2 ** -32;

export class OrderIdIndex {
  private keys = new Float64Array(0);
  private slots = new Int32Array(0);
  /** Bucket of each slot's entry (meaningful for live slots only). */
  private bucketOf = new Int32Array(0);
  private shift = 0;

  constructor(slotCapacity: number) {
    this.resize(slotCapacity);
  }

  /** Largest slot number (exclusive) the index can hold; see {@link resize}. */
  get slotCapacity(): number {
    return this.bucketOf.length;
  }

  /** Fibonacci hashing of the id's low and high 32-bit words. */
  private hash(id: number): number {
    const low = id >>> 0;
    // id · 2^-32 is exact, like id / 2^32, and a multiplication is several times quicker.
    const high = (id * TWO_POW_MINUS_32) >>> 0;
    return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  /** The slot of `id`, or -1. */
  find(id: number): number {
    const keys = this.keys;
    const slots = this.slots;
    const mask = keys.length - 1;
    for (let b = this.hash(id); ; ) {
      // The next bucket is computed before it is known to be needed: code that runs on every
      // probe, not only after a collision, has type feedback by the time V8 optimises it.
      const next = (b + 1) & mask;
      const slot = slots[b]!;
      if (slot === NONE || keys[b] === id) return slot;
      b = next;
    }
  }

  /**
   * Adds `id` → `slot` unless `id` is already present.
   * @returns true when added, false when `id` was present (nothing changes).
   */
  insert(id: number, slot: number): boolean {
    const keys = this.keys;
    const slots = this.slots;
    const mask = keys.length - 1;
    for (let b = this.hash(id); ; ) {
      const next = (b + 1) & mask;
      const present = keys[b] === id;
      if (slots[b] === NONE) {
        keys[b] = id;
        slots[b] = slot;
        this.bucketOf[slot] = b;
        return true;
      }
      if (present) return false;
      b = next;
    }
  }

  /** Removes the entry whose value is `slot` (which must be present). */
  removeSlot(slot: number): void {
    const keys = this.keys;
    const slots = this.slots;
    const bucketOf = this.bucketOf;
    const mask = keys.length - 1;
    let hole = bucketOf[slot]!;
    // Backward shift: pull later members of the probe run into the hole. Readable version:
    //   for (j = hole + 1; slots[j] is taken; j++)
    //     if (home of keys[j] is not cyclically in (hole, j]) { move j into the hole; hole = j; }
    // written without a branch that only some runs take (see find): an entry that stays is
    // "moved" onto itself, and the cyclic test is one comparison of distances from the hole.
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const moved = slots[j]!;
      if (moved === NONE) break;
      const home = this.hash(keys[j]!);
      const stays = ((home - hole - 1) & mask) < ((j - hole) & mask);
      const to = stays ? j : hole;
      keys[to] = keys[j]!;
      slots[to] = moved;
      bucketOf[moved] = to;
      hole = stays ? hole : j;
    }
    slots[hole] = NONE;
  }

  /** Removes every entry. */
  clear(): void {
    this.slots.fill(NONE);
  }

  /**
   * Makes room for slots below `slotCapacity` (at most that many entries),
   * keeping the table at most half full; keeps every entry.
   */
  resize(slotCapacity: number): void {
    let buckets = MIN_BUCKETS;
    while (buckets < slotCapacity * 2) buckets *= 2;
    const bucketOf = new Int32Array(slotCapacity);
    bucketOf.set(this.bucketOf.subarray(0, Math.min(slotCapacity, this.bucketOf.length)));
    this.bucketOf = bucketOf;
    if (buckets === this.keys.length) return;
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    this.keys = new Float64Array(buckets);
    this.slots = new Int32Array(buckets).fill(NONE);
    this.shift = 32 - Math.log2(buckets);
    for (let b = 0; b < oldSlots.length; b++) {
      if (oldSlots[b] !== NONE) this.insert(oldKeys[b]!, oldSlots[b]!);
    }
  }
}
