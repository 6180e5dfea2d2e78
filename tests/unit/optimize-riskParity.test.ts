import { describe, expect, it } from "vitest";
import { hierarchicalRiskParity } from "../../src/numerics/portfolio/hierarchicalRiskParity.js";
import {
  conditionNumber,
  portfolioMoments,
  riskContributions,
} from "../../src/numerics/portfolio/statistics.js";
import { Prng } from "../../src/numerics/random/prng.js";
import { riskParity } from "../../src/numerics/portfolio/riskParity.js";
import { FIVE_ASSET_COVARIANCE } from "./optimize-helpers.js";

/** Σ from vols and one constant correlation. */
function constantCorrelation(vols: number[], rho: number): Float64Array {
  const n = vols.length;
  return Float64Array.from({ length: n * n }, (_, k) => {
    const i = Math.floor(k / n);
    const j = k % n;
    return vols[i]! * vols[j]! * (i === j ? 1 : rho);
  });
}

describe("equal risk contribution (Spinu's programme)", () => {
  it("gives the textbook 48/24/16/12 % for vols 10/20/30/40 % and one correlation", () => {
    // Maillard, Roncalli & Teïletche (2010), §2: with a constant correlation the ERC portfolio is
    // w_i ∝ 1/σ_i, i.e. (10, 5, 3.33, 2.5)/20.83 = 48 %, 24 %, 16 %, 12 %
    const solution = riskParity(constantCorrelation([0.1, 0.2, 0.3, 0.4], 0.5), 4);
    const expected = [0.48, 0.24, 0.16, 0.12];
    solution.w.forEach((w, i) => {
      expect(w).toBeCloseTo(expected[i]!, 14);
    });
    expect(solution.converged).toBe(true);
  });

  it("equalises the risk contributions to 1e-10 on random correlated covariances", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const prng = new Prng(seed);
      const n = 2 + (seed % 30);
      const m = n + 5;
      const a = Float64Array.from({ length: n * m }, () => prng.normal());
      const h = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < m; k++) s += a[i * m + k]! * a[j * m + k]!;
          h[i * n + j] = s / m + (i === j ? 0.01 : 0) + 0.3;
        }
      const { w, maxError } = riskParity(h, n);
      const rc = riskContributions(w, h);
      for (let i = 0; i < n; i++) {
        expect(w[i]!).toBeGreaterThan(0);
        expect(Math.abs(rc[i]! - 1 / n)).toBeLessThanOrEqual(1e-10);
      }
      expect(maxError).toBeLessThanOrEqual(1e-10);
      expect(Math.abs(w.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-14);
    }
  });

  it("matches scipy's trust-exact solution of the same programme (peers.py riskparity_scipy)", () => {
    // the 3×3 Σ = [[0.04, 0.006, 0.01], [0.006, 0.0225, 0.0045], [0.01, 0.0045, 0.0625]]; /usr/bin/python3,
    // scipy 1.10.1, riskparity_scipy's f/g/H with gtol 1e-11 on this Σ: w below, max RC error 1.9e-14
    const h = Float64Array.of(0.04, 0.006, 0.01, 0.006, 0.0225, 0.0045, 0.01, 0.0045, 0.0625);
    const scipy = [0.3110162707267322, 0.4306148307957924, 0.25836889847747546];
    riskParity(h, 3).w.forEach((w, i) => {
      expect(w).toBeCloseTo(scipy[i]!, 12);
    });
  });
});

describe("hierarchical risk parity", () => {
  it("equals López de Prado's published code (scipy single linkage) on a 5-asset covariance", () => {
    // /usr/bin/python3, scipy 1.10.1 + the paper's getQuasiDiag/getRecBipart (2016, appendix),
    // on FIVE_ASSET_COVARIANCE: sortIx = [4, 2, 0, 1, 3], weights in asset order:
    const s = FIVE_ASSET_COVARIANCE;
    const hrp = hierarchicalRiskParity(s, 5);
    expect(Array.from(hrp.order)).toEqual([4, 2, 0, 1, 3]);
    const reference = [
      0.1438019976679879, 0.21580674974705258, 0.09137276005815217, 0.48556518693086825, 0.06345330559593901,
    ];
    hrp.w.forEach((w, i) => {
      expect(w).toBeCloseTo(reference[i]!, 14);
    });
    // scipy's linkage rows [left, right] with their merge distances 0.89578165, 0.89580188, 0.8963152, 0.9353309
    expect(hrp.linkage.map((row) => [row[0], row[1]])).toEqual([
      [1, 3],
      [0, 5],
      [2, 6],
      [4, 7],
    ]);
    expect(hrp.linkage[0]![2]).toBeCloseTo(0.89578165, 7);
  });

  it("reduces to inverse variance for uncorrelated assets", () => {
    const w = hierarchicalRiskParity(Float64Array.of(1, 0, 0, 4), 2).w;
    expect(w[0]).toBeCloseTo(0.8, 15);
    expect(w[1]).toBeCloseTo(0.2, 15);
  });
});

describe("hierarchical risk parity with weight bounds (Riskfolio-Lib / skfolio clipping)", () => {
  const bounded = (covariance: Float64Array, n: number, lo: number, hi: number) =>
    hierarchicalRiskParity(covariance, n, {
      lower: new Float64Array(n).fill(lo),
      upper: new Float64Array(n).fill(hi),
    }).w;

  it("clips a two-asset split by hand: 0.8/0.2 under max 0.7 is 0.7/0.3, under min 0.25 is 0.75/0.25", () => {
    // α = 0.8; max 0.7: α = min(0.7, max(0, 0.8)) = 0.7, then 1 − min(0.7, max(0, 0.3)) = 0.7
    const capped = bounded(Float64Array.of(1, 0, 0, 4), 2, 0, 0.7);
    expect(capped[0]).toBeCloseTo(0.7, 15);
    expect(capped[1]).toBeCloseTo(0.3, 15);
    // min 0.25: α = min(1, max(0.25, 0.8)) = 0.8, then 1 − min(1, max(0.25, 0.2)) = 0.75
    const floored = bounded(Float64Array.of(1, 0, 0, 4), 2, 0.25, 1);
    expect(floored[0]).toBeCloseTo(0.75, 15);
    expect(floored[1]).toBeCloseTo(0.25, 15);
  });

  it("equals an independent transcription of the rule on the paper's recursive bisection (5 assets)", () => {
    // /usr/bin/python3 + numpy: the paper's getRecBipart over sortIx [4, 2, 0, 1, 3] with, at each
    // split, a = min(Σhi_L/W, max(Σlo_L/W, a)); a = 1 − min(Σhi_R/W, max(Σlo_R/W, 1 − a))
    // (Riskfolio-Lib HCPortfolio / skfolio HierarchicalRiskParity), weights in asset order:
    const cases: [number, number, number[]][] = [
      [0, 0.3, [0.24517393434590884, 0.3, 0.09137276005815217, 0.3, 0.06345330559593901]],
      [0.12, 1, [0.1293100908421311, 0.19405843358703662, 0.12, 0.4366314755708323, 0.12]],
      [0.1, 0.35, [0.1361158850969801, 0.31388411490301993, 0.1, 0.35, 0.09999999999999995]],
    ];
    for (const [lo, hi, reference] of cases) {
      const w = bounded(FIVE_ASSET_COVARIANCE, 5, lo, hi);
      w.forEach((v, i) => {
        expect(v, `[${lo}, ${hi}] asset ${i}`).toBeCloseTo(reference[i]!, 14);
      });
    }
  });

  it("keeps every weight within feasible bounds and the sum at 1; slack bounds change nothing", () => {
    const rng = new Prng(8);
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + Math.floor(rng.nextFloat() * 12);
      const factors = Float64Array.from({ length: n * 3 }, () => rng.normal());
      const covariance = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let v = i === j ? 0.5 + rng.nextFloat() : 0;
          for (let k = 0; k < 3; k++) v += factors[i * 3 + k]! * factors[j * 3 + k]!;
          covariance[i * n + j] = v;
        }
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) covariance[i * n + j] = covariance[j * n + i]!;
      const lo = (rng.nextFloat() * 0.9) / n;
      const hi = 1 / n + rng.nextFloat() * (1 - 1 / n);
      const w = bounded(covariance, n, lo, hi);
      let total = 0;
      for (const v of w) {
        expect(v).toBeGreaterThanOrEqual(lo - 1e-12);
        expect(v).toBeLessThanOrEqual(hi + 1e-12);
        total += v;
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-12);
      const free = hierarchicalRiskParity(covariance, n).w;
      const slack = bounded(covariance, n, 0, 1);
      free.forEach((v, i) => {
        expect(Math.abs(slack[i]! - v)).toBeLessThan(1e-15);
      });
    }
  });
});

describe("portfolio statistics", () => {
  it("annualises mean and volatility and computes the Sharpe ratio", () => {
    const m = portfolioMoments(
      Float64Array.of(1),
      Float64Array.of(0.001),
      Float64Array.of(0.0001),
      252,
      0.02,
    );
    expect(m.expectedReturn).toBeCloseTo(0.252, 15);
    expect(m.volatility).toBeCloseTo(Math.sqrt(0.0252), 15);
    expect(m.sharpe).toBeCloseTo((0.252 - 0.02) / Math.sqrt(0.0252), 14);
  });

  it("splits the variance into contributions that sum to 1", () => {
    const rc = riskContributions(Float64Array.of(0.5, 0.5), Float64Array.of(1, 0, 0, 3));
    expect(Array.from(rc)).toEqual([0.25, 0.75]);
  });

  it("measures the condition number, and calls a rank-deficient matrix infinitely ill-conditioned", () => {
    expect(conditionNumber(Float64Array.of(4, 0, 0, 1), 2)).toBe(4);
    // numpy.linalg.cond(A, 1) for A = [[2, 1], [1, 2]]: ‖A‖₁‖A⁻¹‖₁ = 3 · 1 = 3
    expect(conditionNumber(Float64Array.of(2, 1, 1, 2), 2)).toBeCloseTo(3, 14);
    expect(conditionNumber(Float64Array.of(1, 1, 1, 1), 2)).toBe(Number.POSITIVE_INFINITY);
  });
});
