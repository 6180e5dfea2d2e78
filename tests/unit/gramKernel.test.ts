import { describe, expect, it } from "vitest";
import { gramOfRows, gramRows, gramRowsScalar } from "../../src/numerics/stats/covariance.js";
import { gramLowerWasm } from "../../src/numerics/linalg/gramKernel.js";
import { Prng } from "../../src/numerics/random/prng.js";

/** x·y with the error of twice the working precision (Ogita, Rump & Oishi 2005, Dot2). */
function dot2(x: Float64Array, y: Float64Array): number {
  const split = (a: number): [number, number] => {
    const c = 134217729 * a;
    const hi = c - (c - a);
    return [hi, a - hi];
  };
  let s = 0;
  let e = 0;
  for (let t = 0; t < x.length; t++) {
    const p = x[t]! * y[t]!;
    const [xh, xl] = split(x[t]!);
    const [yh, yl] = split(y[t]!);
    const pe = xl * yl - (p - xh * yh - xl * yh - xh * yl);
    const sum = s + p;
    const z = sum - s;
    e += s - (sum - z) + (p - z) + pe;
    s = sum;
  }
  return s + e;
}

function panel(n: number, T: number, draw: () => number): Float64Array {
  const y = new Float64Array(n * T);
  for (let k = 0; k < y.length; k++) y[k] = draw();
  return y;
}

describe("the WebAssembly Gram kernel", () => {
  const rng = new Prng(20261125);

  it("is exact on small integers for every padding of rows (n mod 4) and periods (T odd/even)", () => {
    for (let n = 1; n <= 11; n++)
      for (const T of [1, 2, 3, 8, 17]) {
        const y = panel(n, T, () => Math.floor(rng.nextFloat() * 201) - 100);
        const got = gramRows(y, n, T, new Float64Array(n * n));
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let t = 0; t < T; t++) s += y[i * T + t]! * y[j * T + t]!;
            expect(got[i * n + j], `n=${n} T=${T} (${i},${j})`).toBe(s);
          }
      }
  });

  it("stays within the dot-product error bound γ_T·Σ|y_i·y_j| of a twice-precise reference", () => {
    const n = 37;
    const T = 1001;
    const y = panel(n, T, () => rng.nextFloat() - 0.5 + 1e-3 * (rng.nextFloat() - 0.5));
    const got = gramRows(y, n, T, new Float64Array(n * n));
    const gamma = (T * 2 ** -53) / (1 - T * 2 ** -53);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const a = y.subarray(i * T, i * T + T);
        const b = y.subarray(j * T, j * T + T);
        let abs = 0;
        for (let t = 0; t < T; t++) abs += Math.abs(a[t]! * b[t]!);
        const exact = dot2(a, b);
        expect(Math.abs(got[i * n + j]! - exact)).toBeLessThanOrEqual(gamma * abs);
        expect(got[j * n + i]).toBe(got[i * n + j]);
      }
  });

  it("agrees with the scalar loop to rounding and leaves nothing behind between calls", () => {
    const big = panel(23, 301, () => rng.nextFloat() * 1e6);
    gramRows(big, 23, 301, new Float64Array(23 * 23)); // fills the kernel's memory with large values
    const n = 6;
    const T = 5;
    const y = panel(n, T, () => rng.nextFloat() - 0.5);
    const wasm = gramRows(y, n, T, new Float64Array(n * n));
    const scalar = gramRowsScalar(y, n, T, new Float64Array(n * n));
    for (let k = 0; k < n * n; k++) expect(Math.abs(wasm[k]! - scalar[k]!)).toBeLessThan(1e-15);
  });

  it("writes only the lower triangle itself", () => {
    const out = new Float64Array(9).fill(-7);
    expect(gramLowerWasm(Float64Array.of(1, 2, 3, 4, 5, 6), 3, 2, out)).toBe(true);
    expect(Array.from(out)).toEqual([5, -7, -7, 11, 25, -7, 17, 39, 61]);
  });
});

describe("gramOfRows with centring", () => {
  it("shifts and sums the rows exactly as the JavaScript fallback does", () => {
    const rng = new Prng(99);
    const n = 9;
    const T = 31;
    const columns = Array.from({ length: n }, () =>
      Float64Array.from({ length: T }, () => 1e3 + rng.normal()),
    );
    const shift = Float64Array.from(columns, (c) => c.reduce((a, b) => a + b, 0) / T);
    const fill = (i: number, rows: Float64Array, offset: number) => rows.set(columns[i]!, offset);
    const kernelSums = new Float64Array(n);
    const scalarSums = new Float64Array(n);
    const viaKernel = gramOfRows(n, T, fill, new Float64Array(n * n), { shift, sums: kernelSums });
    const viaScalar = gramOfRows(n, T, fill, new Float64Array(n * n), { shift, sums: scalarSums }, false);
    expect(Array.from(kernelSums)).toEqual(Array.from(scalarSums));
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += columns[i]![t]! - shift[i]!;
      expect(kernelSums[i]).toBe(s);
    }
    for (let k = 0; k < n * n; k++) expect(Math.abs(viaKernel[k]! - viaScalar[k]!)).toBeLessThan(1e-12);
    // the centred Gram of a column with itself is T times its ddof-0 variance (≈ T here)
    for (let i = 0; i < n; i++) expect(viaKernel[i * n + i]! / T).toBeGreaterThan(0.5);
  });
});
