import { describe, expect, it } from "vitest";
import { criticalLine } from "../../src/numerics/portfolio/criticalLine.js";
import { maximumSharpe, minimumVarianceCorner } from "../../src/numerics/portfolio/efficientFrontier.js";
import {
  frontierPortfolios,
  maximumSharpePortfolio,
  minimumVariance,
  type PortfolioProblem,
} from "../../src/numerics/portfolio/construction.js";
import { portfolioMoments } from "../../src/numerics/portfolio/statistics.js";

/**
 * Published values: D. H. Bailey, M. López de Prado (2013), "An Open-Source
 * Implementation of the Critical-Line Algorithm for Portfolio Optimization",
 * Algorithms 6(1), 169–196, doi:10.3390/a6010169 — the data set CLA_Data.csv
 * (10 assets, 0 ≤ w ≤ 1, fully invested) and the turning points, maximum
 * Sharpe and minimum variance portfolios printed by the authors' Python code.
 * The mean and covariance go straight into our numerics: per period, no
 * annualisation (moments with P = 1, rf = 0), so "return" is μᵀw and "risk"
 * is sqrt(wᵀΣw).
 */
const MEAN = Float64Array.of(1.175, 1.19, 0.396, 1.12, 0.346, 0.679, 0.089, 0.73, 0.481, 1.08);
const COVARIANCE = Float64Array.from(
  [
    [
      0.40755159, 0.03175842, 0.05183923, 0.05663904, 0.0330226, 0.00827775, 0.02165938, 0.01332419,
      0.0343476, 0.02249903,
    ],
    [
      0.03175842, 0.9063047, 0.03136385, 0.02687256, 0.01917172, 0.00934384, 0.02495043, 0.00761036,
      0.02874874, 0.01336866,
    ],
    [
      0.05183923, 0.03136385, 0.19490901, 0.04408485, 0.03006772, 0.01322738, 0.03525971, 0.0115493,
      0.0427563, 0.02057303,
    ],
    [
      0.05663904, 0.02687256, 0.04408485, 0.19528471, 0.02777345, 0.00526665, 0.01375808, 0.00780878,
      0.02914176, 0.01640377,
    ],
    [
      0.0330226, 0.01917172, 0.03006772, 0.02777345, 0.34059105, 0.00777055, 0.02067844, 0.00736409,
      0.02542657, 0.01284075,
    ],
    [
      0.00827775, 0.00934384, 0.01322738, 0.00526665, 0.00777055, 0.15983874, 0.02105575, 0.00518686,
      0.01723737, 0.00723779,
    ],
    [
      0.02165938, 0.02495043, 0.03525971, 0.01375808, 0.02067844, 0.02105575, 0.68056711, 0.01377882,
      0.04627027, 0.01926088,
    ],
    [
      0.01332419, 0.00761036, 0.0115493, 0.00780878, 0.00736409, 0.00518686, 0.01377882, 0.95526918,
      0.0106553, 0.00760955,
    ],
    [
      0.0343476, 0.02874874, 0.0427563, 0.02914176, 0.02542657, 0.01723737, 0.04627027, 0.0106553, 0.31681584,
      0.01854318,
    ],
    [
      0.02249903, 0.01336866, 0.02057303, 0.01640377, 0.01284075, 0.00723779, 0.01926088, 0.00760955,
      0.01854318, 0.11079287,
    ],
  ].flat(),
);
const N = 10;
const PROBLEM: PortfolioProblem = {
  mean: MEAN,
  covariance: COVARIANCE,
  lower: new Float64Array(N),
  upper: new Float64Array(N).fill(1),
};

/**
 * The paper's turning points as printed (3 decimals): [number, return, risk, weights].
 * Their list has 11 entries, and point 2 repeats point 1 (the same all-in-X2
 * weights, return and risk); our corner list records that portfolio once,
 * so the paper's point 1 is our corner 0 and its point p ≥ 3 our corner p − 2.
 */
const PUBLISHED_TURNING_POINTS: Array<[number, number, number, number[]]> = [
  [1, 1.19, 0.952, [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]],
  [3, 1.18, 0.546, [0.649, 0.351, 0, 0, 0, 0, 0, 0, 0, 0]],
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: 0.434 is a published weight, not log10(e)
  [4, 1.16, 0.417, [0.434, 0.231, 0, 0.335, 0, 0, 0, 0, 0, 0]],
  [5, 1.111, 0.267, [0.127, 0.072, 0, 0.281, 0, 0, 0, 0, 0, 0.52]],
  [6, 1.108, 0.265, [0.123, 0.07, 0, 0.279, 0, 0, 0, 0.006, 0, 0.521]],
  [7, 1.022, 0.23, [0.087, 0.05, 0, 0.224, 0, 0.174, 0, 0.03, 0, 0.435]],
  [8, 1.015, 0.228, [0.085, 0.049, 0, 0.22, 0, 0.18, 0, 0.031, 0.006, 0.429]],
  [9, 0.973, 0.22, [0.074, 0.044, 0, 0.199, 0.026, 0.198, 0, 0.033, 0.028, 0.398]],
  [10, 0.95, 0.216, [0.068, 0.041, 0.015, 0.188, 0.034, 0.202, 0, 0.034, 0.034, 0.383]],
  [11, 0.803, 0.205, [0.037, 0.027, 0.095, 0.126, 0.077, 0.219, 0.03, 0.036, 0.061, 0.292]],
];
/** Printed to 4 decimals; volatility in percent to 2, Sharpe (rf = 0) to 2. */
const PUBLISHED_MAX_SHARPE = {
  volatilityPercent: 22.74,
  sharpe: 4.45,
  weights: [0.084, 0.0489, 0, 0.2183, 0.0017, 0.1812, 0, 0.0312, 0.0079, 0.4269],
};
const PUBLISHED_MIN_VARIANCE = {
  volatilityPercent: 20.52,
  weights: [0.037, 0.0269, 0.0949, 0.1258, 0.0767, 0.2194, 0.03, 0.036, 0.0613, 0.292],
};

/** A printed value with `decimals` digits stands for anything within half a unit of its last digit. */
function expectPrinted(actual: number, printed: number, decimals: number, what: string): void {
  const halfUnit = 0.5 * 10 ** -decimals;
  expect(Math.abs(actual - printed), `${what}: ${actual} vs printed ${printed}`).toBeLessThanOrEqual(
    halfUnit + 1e-12,
  );
}

function expectPrintedWeights(actual: Float64Array, printed: number[], decimals: number, what: string): void {
  expect(actual).toHaveLength(printed.length);
  printed.forEach((p, i) => {
    expectPrinted(actual[i]!, p, decimals, `${what} X${i + 1}`);
  });
}

function moments(w: Float64Array) {
  return portfolioMoments(w, MEAN, COVARIANCE, 1, 0);
}

describe("critical line algorithm against Bailey & López de Prado (2013), CLA_Data.csv", () => {
  const line = criticalLine(PROBLEM.mean, PROBLEM.covariance, PROBLEM.lower, PROBLEM.upper);

  it("finds ten corner portfolios, the paper's eleven turning points without its repeated second", () => {
    expect(line.corners).toHaveLength(PUBLISHED_TURNING_POINTS.length);
    for (let k = 1; k < line.corners.length; k++)
      expect(line.corners[k]!.lambda).toBeLessThan(line.corners[k - 1]!.lambda);
    expect(line.corners.at(-1)!.lambda).toBe(0);
  });

  it("gives every published turning point's weights, return and risk to the printed 3 decimals", () => {
    PUBLISHED_TURNING_POINTS.forEach(([point, ret, risk, weights], k) => {
      const corner = line.corners[k]!;
      const what = `turning point ${point} (our corner ${k})`;
      expectPrintedWeights(corner.w, weights, 3, what);
      expectPrinted(corner.mean, ret, 3, `${what} return`);
      expectPrinted(Math.sqrt(corner.variance), risk, 3, `${what} risk`);
      // the corner's stored moments are those of its weights
      expect(moments(corner.w).expectedReturn).toBeCloseTo(corner.mean, 12);
      expect(moments(corner.w).volatility).toBeCloseTo(Math.sqrt(corner.variance), 12);
    });
  });

  it("gives the published maximum-Sharpe portfolio by both of its solvers", () => {
    const homogenised = maximumSharpePortfolio(PROBLEM, 0)!;
    expect(homogenised.solver.name).toBe("active-set (homogenised)");
    const onTheLine = maximumSharpe(line, 0)!;
    for (const [name, w] of [
      ["homogenised QP", homogenised.w],
      ["critical line", onTheLine],
    ] as const) {
      expectPrintedWeights(w, PUBLISHED_MAX_SHARPE.weights, 4, `max-Sharpe (${name})`);
      const m = moments(w);
      expect((m.volatility * 100).toFixed(2)).toBe(PUBLISHED_MAX_SHARPE.volatilityPercent.toFixed(2));
      expect(m.sharpe.toFixed(2)).toBe(PUBLISHED_MAX_SHARPE.sharpe.toFixed(2));
    }
    // two exact solvers of one problem agree far beyond the printed digits
    homogenised.w.forEach((x, i) => {
      expect(x).toBeCloseTo(onTheLine[i]!, 9);
    });
  });

  it("gives the published minimum-variance portfolio by the active-set QP and as the last corner", () => {
    const qp = minimumVariance(PROBLEM).w;
    const corner = minimumVarianceCorner(line).w;
    for (const [name, w] of [
      ["active-set QP", qp],
      ["last corner", corner],
    ] as const) {
      expectPrintedWeights(w, PUBLISHED_MIN_VARIANCE.weights, 4, `min-variance (${name})`);
      expect((moments(w).volatility * 100).toFixed(2)).toBe(
        PUBLISHED_MIN_VARIANCE.volatilityPercent.toFixed(2),
      );
    }
    qp.forEach((x, i) => {
      expect(x).toBeCloseTo(corner[i]!, 9);
    });
  });

  it("gives the same corners, min-variance and max-Sharpe through frontierPortfolios (optimize --method frontier)", () => {
    const frontier = frontierPortfolios(PROBLEM, 20, 0);
    expect(frontier.corners).toHaveLength(PUBLISHED_TURNING_POINTS.length);
    PUBLISHED_TURNING_POINTS.forEach(([point, , , weights], k) => {
      expectPrintedWeights(frontier.corners[k]!, weights, 3, `turning point ${point}`);
    });
    expectPrintedWeights(frontier.minimumVariance, PUBLISHED_MIN_VARIANCE.weights, 4, "min-variance");
    expectPrintedWeights(frontier.maximumSharpe!, PUBLISHED_MAX_SHARPE.weights, 4, "max-Sharpe");
    // the sampled frontier runs from the minimum-variance return (0.803) to the top corner's (1.19)
    expectPrinted(moments(frontier.points[0]!).expectedReturn, 0.803, 3, "first frontier point");
    expect(moments(frontier.points.at(-1)!).expectedReturn).toBeCloseTo(1.19, 12);
  });
});
