import { describe, expect, it } from "vitest";
import { backSubstitute, choleskyInPlace, forwardSubstitute } from "../../src/numerics/cholesky.js";

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
