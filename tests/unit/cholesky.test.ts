import { describe, expect, it } from "vitest";
import {
  backSubstitute,
  choleskyInPlace,
  forwardSubstitute,
  CHOLESKY_KERNEL_MIN_ORDER,
  choleskyScalar,
} from "../../src/numerics/linalg/cholesky.js";
import { Prng } from "../../src/numerics/random/prng.js";

describe("Cholesky factorisation and triangular solves", () => {
  it("factors a 3×3 matrix worked by hand and solves A·x = b", () => {
    // A = [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] = L·Lᵀ with L = [[2, 0, 0], [6, 1, 0], [−8, 5, 3]]
    // (the classic example, e.g. Wikipedia "Cholesky decomposition")
    const a = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);
    expect(choleskyInPlace(a, 3, 3)).toBe(3);
    expect([a[0], a[3], a[4], a[6], a[7], a[8]]).toEqual([2, 6, 1, -8, 5, 3]);
    // b = A·[1, 2, 3] = [4 + 24 − 48, 12 + 74 − 129, −16 − 86 + 294] = [−20, −43, 192]
    const x = Float64Array.of(-20, -43, 192);
    forwardSubstitute(a, 3, 3, x);
    backSubstitute(a, 3, 3, x);
    expect(Array.from(x).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, 2, 3]);
  });

  it("factors a leading block inside a larger stride and stops at a dependent column", () => {
    // columns 0 and 1 independent, column 2 = column 0 + column 1 (Gram of [u, v, u + v])
    const a = Float64Array.of(2, 1, 3, 9, 1, 2, 3, 9, 3, 3, 6, 9, 9, 9, 9, 9);
    expect(choleskyInPlace(a, 3, 4)).toBe(2);
    expect(a[0]).toBe(Math.SQRT2);
  });
});

describe("the WebAssembly Cholesky kernel (orders ≥ CHOLESKY_KERNEL_MIN_ORDER)", () => {
  /** A = B·Bᵀ + shift·I for a random B (k columns): positive definite, or of rank k when shift = 0. */
  function spd(n: number, k: number, shift: number, seed: number): Float64Array {
    const rng = new Prng(seed);
    const b = Float64Array.from({ length: n * k }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? shift : 0;
        for (let c = 0; c < k; c++) s += b[i * k + c]! * b[j * k + c]!;
        a[i * n + j] = s;
      }
    return a;
  }

  it("reconstructs A = L·Lᵀ to rounding and leaves the strict upper triangle alone", () => {
    for (const n of [CHOLESKY_KERNEL_MIN_ORDER, 61, 130]) {
      const a = spd(n, n, 1, n);
      const l = Float64Array.from(a);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = -99;
      expect(choleskyInPlace(l, n, n)).toBe(n);
      let worst = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let c = 0; c <= j; c++) s += l[i * n + c]! * l[j * n + c]!;
          worst = Math.max(worst, Math.abs(s - a[i * n + j]!) / Math.sqrt(a[i * n + i]! * a[j * n + j]!));
        }
      expect(worst).toBeLessThan(64 * n * 2 ** -53);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(-99);
    }
  });

  it("agrees with the scalar loop to rounding and stops at the same dependent column", () => {
    const n = 90;
    const a = spd(n, n, 0.5, 7);
    const wasm = Float64Array.from(a);
    const scalar = Float64Array.from(a);
    expect(choleskyInPlace(wasm, n, n)).toBe(choleskyScalar(scalar, n, n));
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++)
        expect(Math.abs(wasm[i * n + j]! - scalar[i * n + j]!)).toBeLessThan(1e-12);
    const deficient = spd(n, 60, 0, 8); // rank 60: columns from 60 on depend on the ones before
    const d1 = Float64Array.from(deficient);
    const d2 = Float64Array.from(deficient);
    expect(choleskyInPlace(d1, n, n)).toBe(60);
    expect(choleskyScalar(d2, n, n)).toBe(60);
  });
});
