import { describe, expect, it } from "vitest";
import { Prng } from "../../src/numerics/random/prng.js";
import { symmetricEigen } from "../../src/numerics/linalg/symmetricEigen.js";
import { symmetricEigenvalues } from "../../src/numerics/linalg/symmetricEigenvalues.js";

/** Q·diag(λ)·Qᵀ with Q a product of random Householder reflections: eigenvalues known exactly by construction. */
function withSpectrum(values: number[], rng: Prng): Float64Array {
  const n = values.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = values[i]!;
  for (let reflection = 0; reflection < 3; reflection++) {
    const u = Float64Array.from({ length: n }, () => rng.normal());
    const norm2 = u.reduce((s, x) => s + x * x, 0);
    // A ← H A H with H = I − 2uuᵀ/‖u‖²
    const au = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) au[i]! += a[i * n + j]! * u[j]!;
    const uau = u.reduce((s, x, i) => s + x * au[i]!, 0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        a[i * n + j] =
          a[i * n + j]! -
          (2 / norm2) * (u[i]! * au[j]! + au[i]! * u[j]!) +
          ((4 * uau) / (norm2 * norm2)) * u[i]! * u[j]!;
      }
    }
  }
  return a;
}

describe("symmetric eigenvalues by Householder + implicit QL", () => {
  it("gives the textbook 2×2 and the empty and 1×1 cases", () => {
    const two = symmetricEigenvalues(Float64Array.of(2, 1, 1, 2), 2);
    expect(two[0]).toBeCloseTo(1, 14);
    expect(two[1]).toBeCloseTo(3, 14);
    expect(Array.from(symmetricEigenvalues(new Float64Array(0), 0))).toEqual([]);
    expect(Array.from(symmetricEigenvalues(Float64Array.of(-4), 1))).toEqual([-4]);
  });

  it("recovers a spectrum planted by orthogonal similarity, clusters and zeros included (n = 200)", () => {
    const rng = new Prng(11);
    const planted = Array.from({ length: 200 }, (_, i) => (i < 5 ? 1 : i < 20 ? 0 : rng.normal() * 3));
    const values = symmetricEigenvalues(withSpectrum(planted, rng), 200);
    const expected = [...planted].sort((x, y) => x - y);
    for (let i = 0; i < 200; i++) expect(Math.abs(values[i]! - expected[i]!)).toBeLessThan(1e-12 * 10);
  });

  it("agrees with the Jacobi method on random symmetric matrices of every size up to 40", () => {
    const rng = new Prng(3);
    for (let n = 1; n <= 40; n++) {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const x = rng.normal();
          a[i * n + j] = x;
          a[j * n + i] = x;
        }
      }
      const ql = symmetricEigenvalues(a, n);
      const jacobi = symmetricEigen(a, n).values;
      for (let i = 0; i < n; i++) expect(Math.abs(ql[i]! - jacobi[i]!)).toBeLessThan(1e-12 * n);
    }
  });
});
