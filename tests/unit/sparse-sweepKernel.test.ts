import { describe, expect, it } from "vitest";
import {
  elasticNetGram,
  type GramProblem,
  SWEEP_KERNEL_MIN_P,
} from "../../src/numerics/sparse/coordinateDescent.js";
import { Prng } from "../../src/numerics/random/prng.js";

/** A centred regression with correlated predictors (odd p, so the kernel's tail element is used). */
function problem(n: number, p: number, seed: number): GramProblem {
  const rng = new Prng(seed);
  const x = Float64Array.from({ length: n * p }, () => rng.normal());
  for (let t = 0; t < n; t++) for (let j = 1; j < p; j++) x[t * p + j]! += 0.6 * x[t * p + j - 1]!;
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) y[t] = 2 * x[t * p]! - 1.5 * x[t * p + 3]! + x[t * p + 7]! + rng.normal();
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  let yty = 0;
  for (let t = 0; t < n; t++) {
    yty += y[t]! * y[t]!;
    for (let i = 0; i < p; i++) {
      xty[i]! += x[t * p + i]! * y[t]!;
      for (let j = 0; j < p; j++) gram[i * p + j]! += x[t * p + i]! * x[t * p + j]!;
    }
  }
  return { gram, xty, yty, p, n };
}

describe("the WebAssembly coordinate-descent sweep", () => {
  it("gives bit-identical coefficients, h and iteration counts to the JavaScript sweep along a path", () => {
    const q = problem(400, 2 * SWEEP_KERNEL_MIN_P + 5, 11);
    for (const positive of [false, true])
      for (const l1Ratio of [1, 0.5]) {
        const wasm = new Float64Array(q.p);
        const js = new Float64Array(q.p);
        const hw = new Float64Array(q.p);
        const hj = new Float64Array(q.p);
        for (const alpha of [1, 0.3, 0.1, 0.03, 0.01, 1e-3, 1e-4]) {
          const settings = { alpha, l1Ratio, tol: 1e-10, maxIterations: 10000, positive };
          const a = elasticNetGram(q, settings, wasm, hw, true);
          const b = elasticNetGram(q, settings, js, hj, false);
          expect(a).toEqual(b);
          expect(Array.from(wasm)).toEqual(Array.from(js));
          expect(Array.from(hw)).toEqual(Array.from(hj));
        }
        expect(wasm.some((v) => v !== 0)).toBe(true);
      }
  });

  it("reloads the Gram when another problem comes in between", () => {
    const a = problem(200, 20, 1);
    const b = problem(200, 20, 2);
    const settings = { alpha: 0.01, l1Ratio: 1, tol: 1e-10, maxIterations: 10000, positive: false };
    const first = new Float64Array(20);
    elasticNetGram(a, settings, first);
    elasticNetGram(b, settings, new Float64Array(20));
    const again = new Float64Array(20);
    elasticNetGram(a, settings, again);
    const js = new Float64Array(20);
    elasticNetGram(a, settings, js, new Float64Array(20), false);
    expect(Array.from(again)).toEqual(Array.from(js));
    expect(Array.from(first)).toEqual(Array.from(js));
  });
});
