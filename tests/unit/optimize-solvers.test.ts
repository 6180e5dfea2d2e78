import { describe, expect, it } from "vitest";
import { criticalLine, pointOnSegment } from "../../src/numerics/portfolio/criticalLine.js";
import {
  maximumSharpe,
  minimumVarianceCorner,
  portfolioAtMean,
  portfolioAtVariance,
  unboundedFrontier,
} from "../../src/numerics/portfolio/efficientFrontier.js";
import { PortfolioSolverError } from "../../src/numerics/portfolio/freeSetInverse.js";
import {
  maximumSharpeHomogenised,
  maximumSharpePortfolio,
  minimumVariance,
  type PortfolioProblem,
} from "../../src/numerics/portfolio/construction.js";
import { Prng } from "../../src/numerics/random/prng.js";
import { FIVE_ASSET_COVARIANCE } from "./optimize-helpers.js";
import { solveBoxQuadraticProgram } from "../../src/numerics/portfolio/quadraticProgram.js";

/**
 * A 5-asset problem stated exactly (annual-looking numbers; the solvers are
 * scale-free). Reference weights from cvxopt 1.3.0 (`solvers.qp`, abstol =
 * reltol = feastol = 1e-14) and numpy 1.24.2, run with /usr/bin/python3:
 *   qp(λ, lo, hi) = solvers.qp(S, −λμ, [−I; I], [−lo; hi], 1ᵀ, 1)
 */
const S = FIVE_ASSET_COVARIANCE;
const MU = Float64Array.of(0.08, 0.06, 0.12, 0.04, 0.15);
const N = 5;
const cvxoptBounded: Array<[number, number[]]> = [
  [0, [0.1482323400650068, 0.3086458078993542, 0.05951837251894413, 0.39999999999999913, 0.0836034795166958]],
  [
    0.05,
    [0.14302532998991344, 0.2500846567658213, 0.08830014927819874, 0.39999999999970404, 0.11858986396636251],
  ],
  [
    0.2,
    [0.17965266888168813, 0.215750611604071, 0.2201879824784483, 0.13438106387810617, 0.25002767315768637],
  ],
  [
    1,
    [0.09999999999995933, 0.050000000000056194, 0.3999999999999784, 0.05000000000000966, 0.3999999999999964],
  ],
];
/** numpy: inv(S)@1/(1@inv(S)@1), the closed-form minimum-variance portfolio (all weights positive here). */
const closedFormMinVar = [
  0.10674312274753733, 0.19640352330357244, 0.02335412791479038, 0.6109218325959289, 0.0625773934381711,
];
/** numpy: inv(S)@(μ−0.02)/(1@inv(S)@(μ−0.02)), the tangency portfolio for rf = 0.02. */
const closedFormTangency = [
  0.17670602294500734, 0.21496869727120127, 0.2122329243481334, 0.15364050237771362, 0.2424518530579445,
];

const fill = (x: number) => new Float64Array(N).fill(x);

function expectWeights(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tolerance);
}

/** A random SPD covariance A·Aᵀ/m + small ridge, and random means, from the one PRNG. */
function randomProblem(seed: number, n: number): { covariance: Float64Array; mean: Float64Array } {
  const prng = new Prng(seed);
  const m = n + 3;
  const a = Float64Array.from({ length: n * m }, () => prng.normal() * 0.01);
  const covariance = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += a[i * m + k]! * a[j * m + k]!;
      covariance[i * n + j] = s / m + (i === j ? 1e-6 : 0);
    }
  const mean = Float64Array.from({ length: n }, () => 0.0005 + prng.normal() * 0.001);
  return { covariance, mean };
}

/** Checks every KKT condition of min ½wᵀΣw − cᵀw s.t. 1ᵀw = 1, lo ≤ w ≤ hi at w. */
function expectKkt(covariance: Float64Array, c: Float64Array, w: Float64Array, lo: number, hi: number): void {
  const n = w.length;
  expect(Math.abs(w.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-12);
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = -c[i]!;
    for (let j = 0; j < n; j++) s += covariance[i * n + j]! * w[j]!;
    g[i] = s;
  }
  const free = Array.from({ length: n }, (_, i) => i).filter((i) => w[i]! > lo + 1e-12 && w[i]! < hi - 1e-12);
  expect(free.length).toBeGreaterThan(0);
  const nu = free.reduce((s, i) => s + g[i]!, 0) / free.length;
  const scale = Math.max(...g.map(Math.abs), 1e-300);
  for (let i = 0; i < n; i++) {
    expect(w[i]!).toBeGreaterThanOrEqual(lo - 1e-14);
    expect(w[i]!).toBeLessThanOrEqual(hi + 1e-14);
    const kappa = g[i]! - nu;
    if (free.includes(i)) expect(Math.abs(kappa)).toBeLessThan(1e-9 * scale);
    else if (Math.abs(w[i]! - lo) <= 1e-12) expect(kappa).toBeGreaterThan(-1e-9 * scale);
    else expect(kappa).toBeLessThan(1e-9 * scale);
  }
}

describe("active-set QP (min-variance under bounds)", () => {
  it("reproduces the closed form Σ⁻¹1/(1ᵀΣ⁻¹1) when no bound binds", () => {
    const problem: PortfolioProblem = { mean: MU, covariance: S, lower: fill(0), upper: fill(1) };
    expectWeights(minimumVariance(problem).w, closedFormMinVar, 1e-14);
  });

  it("matches cvxopt on the bounded problem 0.05 ≤ w ≤ 0.4 (w₄ at its upper bound)", () => {
    const w = minimumVariance({ mean: MU, covariance: S, lower: fill(0.05), upper: fill(0.4) }).w;
    expectWeights(w, cvxoptBounded[0]![1], 1e-12);
    expect(w[3]).toBe(0.4);
  });

  it("solves the unbounded problem in closed form (allow-short without --min-weight)", () => {
    const w = minimumVariance({ mean: MU, covariance: S, lower: fill(-Infinity), upper: fill(Infinity) }).w;
    expectWeights(w, closedFormMinVar, 1e-14);
  });

  it("satisfies the KKT conditions on 60 random problems (property test)", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const n = 3 + (seed % 17);
      const { covariance } = randomProblem(seed, n);
      const lo = seed % 3 === 0 ? -0.2 : 0;
      const hi = seed % 2 === 0 ? Math.max(0.3, 1.5 / n) : 1;
      const c = new Float64Array(n);
      const solution = solveBoxQuadraticProgram({
        n,
        hessian: covariance,
        linear: c,
        equality: new Float64Array(n).fill(1),
        rhs: 1,
        lower: new Float64Array(n).fill(lo),
        upper: new Float64Array(n).fill(hi),
      });
      expectKkt(covariance, c, solution.w, lo, hi);
    }
  });

  it("reports a singular free set (more assets than periods) instead of inventing weights", () => {
    // 3 assets over 2 periods, rows (1, 2, 3) and (2, 1, 5): the sample covariance 2·vvᵀ with
    // v = (−0.5, 0.5, −1) has rank 1, and its minimum variance (0) needs two assets at once
    const h = Float64Array.of(0.5, -0.5, 1, -0.5, 0.5, -1, 1, -1, 2);
    const problem: PortfolioProblem = {
      mean: new Float64Array(3),
      covariance: h,
      lower: new Float64Array(3),
      upper: new Float64Array(3).fill(1),
    };
    expect(() => minimumVariance(problem)).toThrow(PortfolioSolverError);
    expect(() => minimumVariance(problem)).toThrow(/singular/);
  });
});

describe("critical line algorithm (the exact frontier)", () => {
  const line = criticalLine(MU, S, fill(0.05), fill(0.4));

  it("starts at the maximum-return portfolio and ends at the bounded minimum variance", () => {
    expectWeights(line.corners[0]!.w, [0.1, 0.05, 0.4, 0.05, 0.4], 1e-15);
    expectWeights(minimumVarianceCorner(line).w, cvxoptBounded[0]![1], 1e-12);
    expect(line.segments.length).toBe(line.corners.length - 1);
  });

  it("equals cvxopt's solution of min ½wᵀΣw − λμᵀw at λ = 0.05, 0.2 and 1", () => {
    for (const [lambda, expected] of cvxoptBounded.slice(1)) {
      const segment = line.segments.find((s) => s.lambdaLow <= lambda && lambda <= s.lambdaHigh);
      // above the first corner's λ the answer is the maximum-return corner itself
      const w = segment === undefined ? line.corners[0]!.w : pointOnSegment(segment, lambda);
      expect(segment === undefined).toBe(lambda > line.corners[0]!.lambda);
      expectWeights(w, expected, 1e-11);
    }
  });

  it("has corners whose weights satisfy the KKT conditions at their λ", () => {
    for (const corner of line.corners) {
      const c = Float64Array.from(MU, (m) => corner.lambda * m);
      expectKkt(S, c, corner.w, 0.05, 0.4);
    }
  });

  it("is continuous at every corner and increasing in mean and variance with λ", () => {
    for (let k = 0; k < line.segments.length; k++) {
      const s = line.segments[k]!;
      expectWeights(pointOnSegment(s, s.lambdaHigh), line.corners[k]!.w, 1e-13);
      expectWeights(pointOnSegment(s, s.lambdaLow), line.corners[k + 1]!.w, 1e-13);
      expect(line.corners[k]!.mean).toBeGreaterThanOrEqual(line.corners[k + 1]!.mean - 1e-15);
      expect(line.corners[k]!.variance).toBeGreaterThanOrEqual(line.corners[k + 1]!.variance - 1e-15);
    }
  });

  it("agrees with the active-set QP on random long-only problems at the minimum variance", () => {
    for (let seed = 100; seed < 130; seed++) {
      const n = 4 + (seed % 13);
      const { covariance, mean } = randomProblem(seed, n);
      const lo = new Float64Array(n);
      const hi = new Float64Array(n).fill(1);
      const viaLine = minimumVarianceCorner(criticalLine(mean, covariance, lo, hi)).w;
      const viaQp = minimumVariance({ mean, covariance, lower: lo, upper: hi }).w;
      expectWeights(viaLine, viaQp, 1e-10);
    }
  });

  it("hits a target mean exactly, and a target variance exactly", () => {
    const target = 0.1;
    const w = portfolioAtMean(line, target)!;
    expect(w.reduce((s, v, i) => s + v * MU[i]!, 0)).toBeCloseTo(target, 14);
    const variance = 0.02;
    const v = portfolioAtVariance(line, variance)!;
    let q = 0;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) q += v[i]! * S[i * N + j]! * v[j]!;
    expect(q).toBeCloseTo(variance, 14);
    expect(portfolioAtMean(line, 0.2)).toBeNull(); // above the 0.123 maximum
    expect(portfolioAtVariance(line, 0.001)).toBeNull(); // below the minimum variance
  });
});

describe("maximum Sharpe", () => {
  it("is the tangency portfolio Σ⁻¹(μ − rf)/1ᵀΣ⁻¹(μ − rf) without bounds", () => {
    const line = unboundedFrontier(MU, S);
    expectWeights(maximumSharpe(line, 0.02)!, closedFormTangency, 1e-13);
  });

  it("is the same portfolio long-only by homogenisation, by the critical line and in closed form (no bound binds)", () => {
    const problem: PortfolioProblem = { mean: MU, covariance: S, lower: fill(0), upper: fill(1) };
    expectWeights(maximumSharpeHomogenised(problem, 0.02).w, closedFormTangency, 1e-13);
    expectWeights(maximumSharpe(criticalLine(MU, S, fill(0), fill(1)), 0.02)!, closedFormTangency, 1e-12);
  });

  it("agrees between homogenisation and the critical line on random long-only problems with binding bounds", () => {
    for (let seed = 200; seed < 230; seed++) {
      const n = 4 + (seed % 11);
      const { covariance, mean } = randomProblem(seed, n);
      const problem: PortfolioProblem = {
        mean,
        covariance,
        lower: new Float64Array(n),
        upper: new Float64Array(n).fill(1),
      };
      const homogenised = maximumSharpePortfolio(problem, 0);
      const line = maximumSharpe(criticalLine(mean, covariance, problem.lower, problem.upper), 0);
      if (homogenised === null) {
        expect(line).toBeNull();
        continue;
      }
      expectWeights(homogenised.w, line!, 1e-9);
    }
  });

  it("does not exist when every mean is below the risk-free rate (no sign-flipped portfolio)", () => {
    const problem: PortfolioProblem = { mean: MU, covariance: S, lower: fill(0), upper: fill(1) };
    expect(maximumSharpePortfolio(problem, 0.2)).toBeNull();
    expect(maximumSharpe(criticalLine(MU, S, fill(0.05), fill(0.4)), 0.2)).toBeNull();
    // without bounds the closed form would return the negative-Sharpe point: refused too
    expect(maximumSharpe(unboundedFrontier(MU, S), 0.2)).toBeNull();
  });
});

describe("the top of the long-only frontier", () => {
  it("is the highest-mean asset alone, exactly, not α + λβ with 1e-16 residues", () => {
    const line = criticalLine(MU, S, fill(0), fill(1));
    const best = MU.indexOf(Math.max(...MU));
    const top = portfolioAtMean(line, line.corners[0]!.mean)!;
    for (let i = 0; i < MU.length; i++) expect(top[i]).toBe(i === best ? 1 : 0);
  });
});
