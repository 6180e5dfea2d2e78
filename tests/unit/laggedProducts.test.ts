import { describe, expect, it } from "vitest";
import { Prng } from "../../src/numerics/random/prng.js";
import { laggedProductSums } from "../../src/numerics/timeseries/adfMoments.js";

/**
 * The scalar loop of `laggedProductSums` as it was before the WebAssembly
 * block (4 lags × 4 rows, chunks of 2048 rows folded by Neumaier), kept here
 * as the reference the kernel must reproduce bit for bit.
 */
function scalarReference(d: Float64Array, maxLag: number): Float64Array {
  const m = d.length;
  const blocks = Math.ceil((maxLag + 1) / 4);
  const out = new Float64Array(blocks * 4);
  const fold = (sums: number[], compensations: number[], i: number, value: number) => {
    const s = sums[i]!;
    const t = s + value;
    compensations[i]! += Math.abs(s) >= Math.abs(value) ? s - t + value : value - t + s;
    sums[i] = t;
  };
  for (let b = 0; b < blocks; b++) {
    const k0 = b * 4;
    const sums = [0, 0, 0, 0];
    const compensations = [0, 0, 0, 0];
    const mainRows = Math.max(0, (m - 3 - k0) & ~3);
    for (let c = 0; c < mainRows; c += 2048) {
      const end = Math.min(mainRows, c + 2048);
      const a = [0, 0, 0, 0];
      for (let u = c; u < end; u += 4) {
        const x = (i: number) => d[u + k0 + i]!;
        for (let r = 0; r < 4; r++) {
          a[r]! += d[u]! * x(r) + d[u + 1]! * x(r + 1) + d[u + 2]! * x(r + 2) + d[u + 3]! * x(r + 3);
        }
      }
      for (let r = 0; r < 4; r++) fold(sums, compensations, r, a[r]!);
    }
    for (let r = 0; r < 4; r++) {
      const k = k0 + r;
      let tail = 0;
      for (let u = mainRows; u + k < m; u++) tail += d[u]! * d[u + k]!;
      fold(sums, compensations, r, tail);
      out[k] = sums[r]! + compensations[r]!;
    }
  }
  return out;
}

describe("laggedProductSums with its WebAssembly block", () => {
  it("gives the scalar loop's sums bit for bit, across lengths, lags and chunk boundaries", () => {
    const rng = new Prng(11);
    for (const [length, maxLag] of [
      [1999, 26],
      [2048 + 7, 13],
      [5000, 31],
      [700, 17],
      [300, 3],
      [66_000, 40],
    ] as const) {
      const d = Float64Array.from({ length }, () => rng.normal() * 10 ** Math.floor(rng.nextFloat() * 6 - 3));
      expect([...laggedProductSums(d, maxLag)]).toEqual([...scalarReference(d, maxLag)]);
    }
  });
});
