import { describe, expect, it } from "vitest";
import {
  expectedRescaledRange,
  HURST_MIN_LENGTH,
  hurstDfa,
  hurstRescaledRange,
  hurstWindowSizes,
} from "../../src/numerics/timeseries/hurst.js";
import { Prng } from "../../src/numerics/random/prng.js";

const N = 65_536;

function whiteNoise(seed: number, n: number): Float64Array {
  const rng = new Prng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

/** Increments of an AR(1)/OU level series x_t = b·x_{t−1} + ε (b = 0.5: strongly mean-reverting). */
function meanRevertingIncrements(seed: number, n: number, b: number): Float64Array {
  const rng = new Prng(seed);
  const out = new Float64Array(n);
  let level = 0;
  for (let i = 0; i < n; i++) {
    const next = b * level + rng.normal();
    out[i] = next - level;
    level = next;
  }
  return out;
}

/** Persistent increments: an AR(1) with positive coefficient (trends persist). */
function persistentIncrements(seed: number, n: number, phi: number): Float64Array {
  const rng = new Prng(seed);
  const out = new Float64Array(n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    e = phi * e + rng.normal();
    out[i] = e;
  }
  return out;
}

describe("expectedRescaledRange (Anis–Lloyd with Peters' (n − ½)/n)", () => {
  it("matches the formula worked by hand for n = 2 … 5", () => {
    // E_n = (n − ½)/n · Γ((n−1)/2)/(√π Γ(n/2)) · Σ_{i=1}^{n−1} √((n − i)/i), with Γ(½) = √π,
    // Γ(1) = Γ(2) = 1, Γ(3/2) = √π/2, Γ(5/2) = 3√π/4:
    // n = 2: 3/4 · 1 · 1 = 0.75
    // n = 3: 5/6 · 2/π · (√2 + √½) = 5/(π√2)
    // n = 4: 7/8 · ½ · (√3 + 1 + √⅓) = 7/16 · (1 + 4/√3)
    // n = 5: 9/10 · 4/(3π) · (2 + √(3/2) + √(2/3) + ½)
    expect(expectedRescaledRange(2)).toBeCloseTo(0.75, 15);
    expect(expectedRescaledRange(3)).toBeCloseTo(5 / (Math.PI * Math.SQRT2), 15);
    expect(expectedRescaledRange(4)).toBeCloseTo((7 / 16) * (1 + 4 / Math.sqrt(3)), 15);
    expect(expectedRescaledRange(5)).toBeCloseTo(
      0.9 * (4 / (3 * Math.PI)) * (2.5 + Math.sqrt(1.5) + Math.sqrt(2 / 3)),
      14,
    );
  });

  it("approaches Weron's large-n form (n − ½)/n · Σ√((n−i)/i) / √(nπ/2) for large n", () => {
    for (const n of [341, 1000, 100_000]) {
      let sum = 0;
      for (let i = 1; i < n; i++) sum += Math.sqrt((n - i) / i);
      const asymptotic = (((n - 0.5) / n) * sum) / Math.sqrt((n * Math.PI) / 2);
      // Γ((n−1)/2)/Γ(n/2) = √(2/n)·(1 + 3/(4n) + O(n⁻²)), so the forms differ by ≈ 0.75/n
      expect(Math.abs(expectedRescaledRange(n) / asymptotic - 1 - 0.75 / n)).toBeLessThan(2 / n ** 2);
    }
  });

  it("is NaN below n = 2", () => {
    expect(expectedRescaledRange(1)).toBeNaN();
    expect(expectedRescaledRange(2.5)).toBeNaN();
  });
});

describe("Hurst exponent of increments", () => {
  it("uses log-spaced windows from 16 to N/4, at most 20 of them", () => {
    expect(hurstWindowSizes(200)).toEqual([16, 23, 32, 45]);
    expect(hurstWindowSizes(127)).toEqual([16, 23]);
    expect(hurstWindowSizes(2_000_000).length).toBe(20);
    expect(hurstWindowSizes(2_000_000).at(-1)).toBe(500_000);
  });

  it("is ≈ 0.5 for iid increments (a random walk in levels), within 0.05 on 65,536 points", () => {
    // Weron (2002): the corrected R/S and DFA are unbiased for white noise, sd ≈ 0.02 at this length
    for (const seed of [1, 2, 3]) {
      const x = whiteNoise(seed, N);
      expect(Math.abs(hurstRescaledRange(x) - 0.5)).toBeLessThan(0.05);
      expect(Math.abs(hurstDfa(x) - 0.5)).toBeLessThan(0.05);
    }
  });

  it("is clearly below 0.5 for the increments of a strongly mean-reverting level series", () => {
    const x = meanRevertingIncrements(4, N, 0.5);
    expect(hurstRescaledRange(x)).toBeLessThan(0.25);
    expect(hurstDfa(x)).toBeLessThan(0.25);
  });

  it("is clearly above 0.5 for persistent increments", () => {
    const x = persistentIncrements(5, N, 0.9);
    expect(hurstRescaledRange(x)).toBeGreaterThan(0.6);
    expect(hurstDfa(x)).toBeGreaterThan(0.6);
  });

  it("does not depend on the increments' mean or scale", () => {
    const x = whiteNoise(6, 4096);
    const moved = x.map((v) => 1e3 + 250 * v);
    expect(hurstRescaledRange(moved)).toBeCloseTo(hurstRescaledRange(x), 10);
    expect(hurstDfa(moved)).toBeCloseTo(hurstDfa(x), 10);
  });

  it(`is NaN below ${HURST_MIN_LENGTH} points and for constant increments`, () => {
    expect(hurstRescaledRange(whiteNoise(7, HURST_MIN_LENGTH - 1))).toBeNaN();
    expect(hurstDfa(whiteNoise(7, HURST_MIN_LENGTH - 1))).toBeNaN();
    expect(hurstRescaledRange(whiteNoise(7, HURST_MIN_LENGTH))).not.toBeNaN();
    expect(hurstDfa(whiteNoise(7, HURST_MIN_LENGTH))).not.toBeNaN();
    expect(hurstRescaledRange(new Float64Array(1000).fill(0.5))).toBeNaN();
    expect(hurstDfa(new Float64Array(1000).fill(0.5))).toBeNaN();
    expect(hurstDfa(new Float64Array(0))).toBeNaN();
  });
});
