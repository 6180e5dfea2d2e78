import { describe, expect, it } from "vitest";
import { fitOrnsteinUhlenbeck } from "../../src/numerics/timeseries/ornsteinUhlenbeck.js";
import { Prng } from "../../src/numerics/random/prng.js";

/** Exact OU discretisation: x_t = mu + b(x_{t−1} − mu) + sd·ε, b = e^{−kappa}, sd = sigma·sqrt((1 − b²)/(2 kappa)). */
function simulateOu(
  seed: number,
  n: number,
  kappa: number,
  mu: number,
  sigma: number,
  offset = 0,
): Float64Array {
  const rng = new Prng(seed);
  const b = Math.exp(-kappa);
  const sd = sigma * Math.sqrt((1 - b * b) / (2 * kappa));
  const x = new Float64Array(n);
  let v = mu;
  for (let i = 0; i < n; i++) {
    if (i > 0) v = mu + b * (v - mu) + sd * rng.normal();
    x[i] = v + offset;
  }
  return x;
}

describe("fitOrnsteinUhlenbeck", () => {
  it("matches the closed-form OLS of x_t on x_{t−1} worked by hand for [1, 2, 4, 3, 5]", () => {
    // pairs (1,2), (2,4), (4,3), (3,5): Σx = 10, Σy = 14, Σxy = 37, Σx² = 30, n = 4
    // b = (nΣxy − ΣxΣy)/(nΣx² − (Σx)²) = (148 − 140)/(120 − 100) = 0.4; a = (Σy − bΣx)/n = 2.5
    // residuals −0.9, 0.7, −1.1, 1.3: SSR = 4.2, sd(e) = sqrt(4.2/2)
    const fit = fitOrnsteinUhlenbeck(Float64Array.of(1, 2, 4, 3, 5));
    const kappa = -Math.log(0.4);
    expect(fit.n).toBe(4);
    expect(fit.b).toBeCloseTo(0.4, 15);
    expect(fit.a).toBeCloseTo(2.5, 14);
    expect(fit.residualSd).toBeCloseTo(Math.sqrt(2.1), 14);
    expect(fit.kappa).toBeCloseTo(kappa, 14);
    expect(fit.mu).toBeCloseTo(2.5 / 0.6, 14);
    expect(fit.sigma).toBeCloseTo(Math.sqrt(2.1) * Math.sqrt((2 * kappa) / (1 - 0.16)), 14);
    expect(fit.halfLife).toBeCloseTo(Math.LN2 / kappa, 14);
  });

  it("agrees with a direct (uncentred) closed-form OLS on a short noisy series", () => {
    const x = simulateOu(8, 60, 0.3, 10, 1);
    let sx = 0;
    let sy = 0;
    let sxy = 0;
    let sxx = 0;
    const n = x.length - 1;
    for (let t = 0; t < n; t++) {
      sx += x[t]!;
      sy += x[t + 1]!;
      sxy += x[t]! * x[t + 1]!;
      sxx += x[t]! * x[t]!;
    }
    const b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const a = (sy - b * sx) / n;
    let ssr = 0;
    for (let t = 0; t < n; t++) ssr += (x[t + 1]! - a - b * x[t]!) ** 2;
    const fit = fitOrnsteinUhlenbeck(x);
    expect(Math.abs(fit.b - b)).toBeLessThan(1e-12);
    expect(Math.abs(fit.a - a)).toBeLessThan(1e-11);
    expect(Math.abs(fit.residualSd - Math.sqrt(ssr / (n - 2)))).toBeLessThan(1e-12);
  });

  it("recovers kappa, mu and sigma from 200,000 bars of a simulated OU process", () => {
    // kappa 0.05/bar (b = 0.9512, half-life 13.9 bars), mu 100, sigma 2.
    // Standard errors: b̂ ≈ sqrt((1 − b²)/n) = 6.9e-4 → kappa ±0.0007; mu ≈ 0.09; sigma ≈ 0.2%.
    const fit = fitOrnsteinUhlenbeck(simulateOu(1, 200_000, 0.05, 100, 2));
    expect(Math.abs(fit.kappa - 0.05)).toBeLessThan(0.003);
    expect(Math.abs(fit.mu - 100)).toBeLessThan(0.4);
    expect(Math.abs(fit.sigma / 2 - 1)).toBeLessThan(0.02);
    expect(Math.abs(fit.halfLife - Math.LN2 / 0.05)).toBeLessThan(1);
  });

  it("loses no precision to a large price level (1e6 + OU over 100,000 bars)", () => {
    const base = fitOrnsteinUhlenbeck(simulateOu(2, 100_000, 0.1, 0, 1));
    const shifted = fitOrnsteinUhlenbeck(simulateOu(2, 100_000, 0.1, 0, 1, 1e6));
    expect(Math.abs(shifted.b - base.b)).toBeLessThan(1e-9);
    expect(Math.abs(shifted.mu - 1e6 - base.mu)).toBeLessThan(1e-6);
    expect(Math.abs(shifted.sigma / base.sigma - 1)).toBeLessThan(1e-8);
  });

  it("gives NaN kappa, mu, sigma and half-life when b ≥ 1 (no mean reversion)", () => {
    const growth = Float64Array.from({ length: 50 }, (_, i) => 1.01 ** i + (i % 2) * 1e-3);
    const fit = fitOrnsteinUhlenbeck(growth);
    expect(fit.b).toBeGreaterThanOrEqual(1);
    expect([fit.kappa, fit.mu, fit.sigma, fit.halfLife].every(Number.isNaN)).toBe(true);
    expect(fit.residualSd).toBeGreaterThan(0);
  });

  it("gives NaN kappa, sigma and half-life but a finite mu for an oscillating series (b ≤ 0)", () => {
    // AR(1) with b = −0.5 around 10: x_t = 10 − 0.5(x_{t−1} − 10) + ε
    const rng = new Prng(4);
    const zigzag = new Float64Array(2000);
    let v = 10;
    for (let i = 0; i < zigzag.length; i++) {
      v = 10 - 0.5 * (v - 10) + rng.normal();
      zigzag[i] = v;
    }
    const fit = fitOrnsteinUhlenbeck(zigzag);
    expect(Math.abs(fit.b + 0.5)).toBeLessThan(0.1);
    expect([fit.kappa, fit.sigma, fit.halfLife].every(Number.isNaN)).toBe(true);
    expect(Math.abs(fit.mu - 10)).toBeLessThan(0.1);
  });

  it("gives all NaN for fewer than three pairs or a constant series", () => {
    expect(Number.isNaN(fitOrnsteinUhlenbeck(Float64Array.of(1, 2, 3)).b)).toBe(true);
    expect(fitOrnsteinUhlenbeck(new Float64Array(0)).n).toBe(0);
    expect(Number.isNaN(fitOrnsteinUhlenbeck(new Float64Array(10).fill(7)).kappa)).toBe(true);
  });
});
