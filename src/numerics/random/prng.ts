/**
 * The one seeded pseudo-random number generator of hftlab: xoshiro256**
 * (Blackman & Vigna), seeded through SplitMix64, written with 32-bit integer
 * halves so every step is exact integer arithmetic (no floating-point state):
 * the same seed gives the same numbers on every machine and every Node
 * version.
 *
 * Method:
 * - seeding: the seed as a 64-bit two's-complement integer is the start of a
 *   SplitMix64 sequence (Steele, Lea & Flood 2014); its first four outputs
 *   are the 256-bit xoshiro state, as the xoshiro authors recommend.
 * - output: `rotl(s1·5, 7)·9` (mod 2^64), then the xorshift state update.
 * - `nextUint32` is the upper half of a 64-bit output (the better bits);
 *   `nextFloat` takes its upper 53 bits times 2^-53, so it is a multiple of
 *   2^-53 in [0, 1).
 * - `normal` is Marsaglia's polar method (pairs of uniforms in the unit disc;
 *   the second value of a pair is kept for the next call). It uses only
 *   `Math.log` and `Math.sqrt`, which V8 computes identically everywhere.
 * - `split(i)` returns the stream `i + 1` jumps of 2^128 steps ahead, so
 *   streams do not overlap for 2^128 draws (the authors' `jump()`).
 *
 * References:
 * - D. Blackman, S. Vigna (2021), "Scrambled linear pseudorandom number
 *   generators", ACM Trans. Math. Softw. 47(4), 36. doi:10.1145/3460772;
 *   reference code https://prng.di.unimi.it/xoshiro256starstar.c
 * - G. L. Steele, D. Lea, C. H. Flood (2014), "Fast splittable pseudorandom
 *   number generators", OOPSLA '14. doi:10.1145/2660193.2660195
 * - G. Marsaglia, T. A. Bray (1964), "A convenient method for generating
 *   normal variables", SIAM Review 6(3), 260–264. doi:10.1137/1006063
 *
 * @example
 * const rng = new Prng(42);
 * rng.nextBigUint64(); // => 1546998764402558742n (reference C code, seed 42 via SplitMix64)
 * new Prng(42).nextFloat(); // => 0.08386297105988216
 */
export class Prng {
  // State words s0..s3 as (high, low) unsigned 32-bit halves.
  private s0h = 0;
  private s0l = 0;
  private s1h = 0;
  private s1l = 0;
  private s2h = 0;
  private s2l = 0;
  private s3h = 0;
  private s3l = 0;
  // Output of the last step, (high, low).
  private outHigh = 0;
  private outLow = 0;
  private spareNormal = Number.NaN;

  /**
   * @param seed a safe integer (negative seeds are taken as 64-bit two's complement)
   * @throws RangeError when `seed` is not a safe integer
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Prng seed must be a safe integer, got ${seed}`);
    let counter = BigInt.asUintN(64, BigInt(seed));
    const words: bigint[] = [];
    for (let i = 0; i < 4; i++) {
      counter = BigInt.asUintN(64, counter + 0x9e3779b97f4a7c15n);
      words.push(splitMix64Mix(counter));
    }
    this.setState(words[0]!, words[1]!, words[2]!, words[3]!);
  }

  /**
   * A generator with the given raw 256-bit state (for reproducing the
   * reference test vectors; ordinary code seeds with `new Prng(seed)`).
   * @throws RangeError when the state is all zero (a fixed point of xoshiro)
   */
  static fromState(s0: bigint, s1: bigint, s2: bigint, s3: bigint): Prng {
    if ((s0 | s1 | s2 | s3) === 0n) throw new RangeError("xoshiro256** state must not be all zero");
    const rng = new Prng(0);
    rng.setState(s0, s1, s2, s3);
    return rng;
  }

  /** Next 32-bit unsigned integer (upper half of a 64-bit output), in [0, 2^32). */
  nextUint32(): number {
    this.step();
    return this.outHigh;
  }

  /** Next float in [0, 1): the upper 53 bits of a 64-bit output times 2^-53. */
  nextFloat(): number {
    this.step();
    return (this.outHigh * 2097152 + (this.outLow >>> 11)) * 1.1102230246251565e-16;
  }

  /** Next full 64-bit output as a bigint (slow; for tests and tools). */
  nextBigUint64(): bigint {
    this.step();
    return (BigInt(this.outHigh) << 32n) | BigInt(this.outLow);
  }

  /** Next standard normal N(0, 1) deviate (Marsaglia polar method). */
  normal(): number {
    const spare = this.spareNormal;
    if (!Number.isNaN(spare)) {
      this.spareNormal = Number.NaN;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.nextFloat() - 1;
      v = 2 * this.nextFloat() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return u * factor;
  }

  /**
   * An independent generator for stream `streamIndex` (0, 1, 2, …): this
   * generator's current state advanced by `streamIndex + 1` jumps of 2^128
   * steps. This generator is not advanced. Cost O(streamIndex); meant for a
   * handful of chains or restarts.
   * @throws RangeError when `streamIndex` is not a non-negative safe integer
   */
  split(streamIndex: number): Prng {
    if (!Number.isSafeInteger(streamIndex) || streamIndex < 0) {
      throw new RangeError(`stream index must be a non-negative integer, got ${streamIndex}`);
    }
    const child = Prng.fromState(1n, 0n, 0n, 0n);
    child.s0h = this.s0h;
    child.s0l = this.s0l;
    child.s1h = this.s1h;
    child.s1l = this.s1l;
    child.s2h = this.s2h;
    child.s2l = this.s2l;
    child.s3h = this.s3h;
    child.s3l = this.s3l;
    for (let i = 0; i <= streamIndex; i++) child.jump();
    return child;
  }

  private setState(s0: bigint, s1: bigint, s2: bigint, s3: bigint): void {
    this.s0h = Number(BigInt.asUintN(32, s0 >> 32n));
    this.s0l = Number(BigInt.asUintN(32, s0));
    this.s1h = Number(BigInt.asUintN(32, s1 >> 32n));
    this.s1l = Number(BigInt.asUintN(32, s1));
    this.s2h = Number(BigInt.asUintN(32, s2 >> 32n));
    this.s2l = Number(BigInt.asUintN(32, s2));
    this.s3h = Number(BigInt.asUintN(32, s3 >> 32n));
    this.s3l = Number(BigInt.asUintN(32, s3));
    this.spareNormal = Number.NaN;
  }

  /** One xoshiro256** step; leaves the output in (outHigh, outLow). */
  private step(): void {
    const s1h = this.s1h;
    const s1l = this.s1l;
    // s1 · 5 (mod 2^64); every intermediate is an exact double below 2^53.
    const low5 = s1l * 5;
    const carry5 = Math.floor(low5 / 4294967296);
    const m5h = (s1h * 5 + carry5) >>> 0;
    const m5l = low5 >>> 0;
    // rotl(·, 7)
    const rh = ((m5h << 7) | (m5l >>> 25)) >>> 0;
    const rl = ((m5l << 7) | (m5h >>> 25)) >>> 0;
    // · 9 (mod 2^64)
    const low9 = rl * 9;
    const carry9 = Math.floor(low9 / 4294967296);
    this.outHigh = (rh * 9 + carry9) >>> 0;
    this.outLow = low9 >>> 0;

    // t = s1 << 17
    const th = ((s1h << 17) | (s1l >>> 15)) >>> 0;
    const tl = (s1l << 17) >>> 0;
    const s2h = (this.s2h ^ this.s0h) >>> 0;
    const s2l = (this.s2l ^ this.s0l) >>> 0;
    const s3h = (this.s3h ^ s1h) >>> 0;
    const s3l = (this.s3l ^ s1l) >>> 0;
    this.s1h = (s1h ^ s2h) >>> 0;
    this.s1l = (s1l ^ s2l) >>> 0;
    this.s0h = (this.s0h ^ s3h) >>> 0;
    this.s0l = (this.s0l ^ s3l) >>> 0;
    this.s2h = (s2h ^ th) >>> 0;
    this.s2l = (s2l ^ tl) >>> 0;
    // rotl(s3, 45) = swap the halves, then rotl by 13
    this.s3h = ((s3l << 13) | (s3h >>> 19)) >>> 0;
    this.s3l = ((s3h << 13) | (s3l >>> 19)) >>> 0;
  }

  /** The reference `jump()`: equivalent to 2^128 steps. */
  private jump(): void {
    let a0h = 0;
    let a0l = 0;
    let a1h = 0;
    let a1l = 0;
    let a2h = 0;
    let a2l = 0;
    let a3h = 0;
    let a3l = 0;
    for (let w = 0; w < 8; w++) {
      // JUMP words as 32-bit halves, low half first within each 64-bit word.
      const word = JUMP_HALVES[w]!;
      for (let b = 0; b < 32; b++) {
        if ((word >>> b) & 1) {
          a0h ^= this.s0h;
          a0l ^= this.s0l;
          a1h ^= this.s1h;
          a1l ^= this.s1l;
          a2h ^= this.s2h;
          a2l ^= this.s2l;
          a3h ^= this.s3h;
          a3l ^= this.s3l;
        }
        this.step();
      }
    }
    this.s0h = a0h >>> 0;
    this.s0l = a0l >>> 0;
    this.s1h = a1h >>> 0;
    this.s1l = a1l >>> 0;
    this.s2h = a2h >>> 0;
    this.s2l = a2l >>> 0;
    this.s3h = a3h >>> 0;
    this.s3l = a3l >>> 0;
    this.spareNormal = Number.NaN;
  }
}

/**
 * xoshiro256's jump polynomial {0x180ec6d33cfd0aba, 0xd5a61266f0c9392c,
 * 0xa9582618e03fc9aa, 0x39abdc4529b1661c}, each word split low half first
 * (the reference loops over bits from least significant).
 */
const JUMP_HALVES: readonly number[] = [
  0x3cfd0aba, 0x180ec6d3, 0xf0c9392c, 0xd5a61266, 0xe03fc9aa, 0xa9582618, 0x29b1661c, 0x39abdc45,
];

/** SplitMix64's output function of an already-incremented counter. */
function splitMix64Mix(counter: bigint): bigint {
  let z = counter;
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}
