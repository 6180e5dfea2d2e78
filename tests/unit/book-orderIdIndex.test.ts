import { describe, expect, it } from "vitest";
import { OrderIdIndex } from "../../src/book/orderIdIndex.js";
import { Prng } from "../../src/numerics/random/prng.js";

/**
 * The order-id index against a JavaScript Map on long random sequences of
 * inserts, duplicate inserts, removals and lookups, with ids drawn to
 * collide: runs of consecutive ids, ids that share their low or high
 * 32-bit word, multiples of the table size, and ids near 2^53.
 */
function idPool(rng: Prng, size: number): number[] {
  const ids: number[] = [];
  for (let k = 0; k < size; k++) {
    const shape = k % 6;
    if (shape === 0) ids.push(k);
    else if (shape === 1)
      ids.push((k % 7) * 2 ** 32 + 5); // same low word
    else if (shape === 2)
      ids.push(2 ** 32 * 3 + k * 4096); // same high word, multiples of a table size
    else if (shape === 3) ids.push(2 ** 53 - 1 - k);
    else if (shape === 4) ids.push(10_000_000 + k);
    else ids.push(Math.floor(rng.nextFloat() * 2 ** 40));
  }
  return [...new Set(ids)];
}

function check(seed: number, steps: number, capacity: number): void {
  const rng = new Prng(seed);
  const ids = idPool(rng, 600);
  let slotCapacity = capacity;
  const index = new OrderIdIndex(slotCapacity);
  const model = new Map<number, number>();
  const freeSlots: number[] = [];
  let nextSlot = 0;
  for (let step = 0; step < steps; step++) {
    const id = ids[Math.floor(rng.nextFloat() * ids.length)]!;
    const u = rng.nextFloat();
    if (u < 0.55) {
      // Insert (or fail as a duplicate), growing like the book's pool when the slots run out.
      const slot = freeSlots.length > 0 ? freeSlots.pop()! : nextSlot;
      if (slot === slotCapacity) {
        slotCapacity *= 2;
        index.resize(slotCapacity);
      }
      const added = index.insert(id, slot);
      expect(added).toBe(!model.has(id));
      if (added) {
        model.set(id, slot);
        if (slot === nextSlot) nextSlot++;
      } else if (slot !== nextSlot) freeSlots.push(slot);
    } else if (u < 0.9) {
      const slot = model.get(id);
      if (slot !== undefined) {
        index.removeSlot(slot);
        model.delete(id);
        freeSlots.push(slot);
      }
    } else if (u < 0.995) {
      expect(index.find(id)).toBe(model.get(id) ?? -1);
    } else {
      index.clear();
      model.clear();
      freeSlots.length = 0;
      nextSlot = 0;
    }
    if (step % 97 === 0) {
      for (const probe of ids) expect(index.find(probe)).toBe(model.get(probe) ?? -1);
    }
  }
  for (const probe of ids) expect(index.find(probe)).toBe(model.get(probe) ?? -1);
}

describe("OrderIdIndex", () => {
  it("agrees with a Map on random inserts, removals and lookups of colliding ids (3 seeds)", () => {
    for (const seed of [1, 2, 3]) check(seed, 20_000, 1024);
  });

  it("agrees with a Map while growing from a tiny table (every resize rehashes)", () => {
    check(7, 10_000, 2);
  });

  it("answers -1 for NaN and for absent ids, and keeps ids 2^32 apart distinct", () => {
    const index = new OrderIdIndex(8);
    expect(index.insert(0, 0)).toBe(true);
    expect(index.insert(2 ** 32, 1)).toBe(true);
    expect(index.find(Number.NaN)).toBe(-1);
    expect(index.find(1)).toBe(-1);
    expect(index.find(0)).toBe(0);
    expect(index.find(2 ** 32)).toBe(1);
    expect(index.insert(2 ** 32, 2)).toBe(false);
    index.removeSlot(0);
    expect([index.find(0), index.find(2 ** 32)]).toEqual([-1, 1]);
  });
});
