import { CompensatedSum, neumaierSum } from "../stats/summation.js";

/** Ornstein–Uhlenbeck parameters from an AR(1) least-squares fit (SPEC §2 meanrev). */
export interface OrnsteinUhlenbeckFit {
  /** AR(1) intercept. */
  a: number;
  /** AR(1) slope (the one-bar autoregressive coefficient). */
  b: number;
  /** Mean-reversion speed per bar, −ln b; NaN unless 0 < b < 1. */
  kappa: number;
  /** Long-run mean a/(1 − b); NaN unless −1 < b < 1. */
  mu: number;
  /** Diffusion coefficient per √bar; NaN unless 0 < b < 1. */
  sigma: number;
  /** Half-life in bars, ln 2 / kappa; NaN unless 0 < b < 1. */
  halfLife: number;
  /** OLS residual standard error sqrt(SSR/(n − 2)). */
  residualSd: number;
  /** Number of (x_{t−1}, x_t) pairs used. */
  n: number;
}

/**
 * Fits an Ornstein–Uhlenbeck process to a level series through its exact
 * discretisation, the AR(1) regression
 *
 *     x_t = a + b·x_{t−1} + e_t,      t = 1 … N−1   (n = N − 1 pairs)
 *
 * by ordinary least squares with intercept, and maps
 *
 *     kappa    = −ln b                       (per bar)
 *     mu       = a / (1 − b)
 *     sigma    = sd(e) · sqrt(2·kappa / (1 − b²)),   sd(e) = sqrt(SSR / (n − 2))
 *     halfLife = ln 2 / kappa                (bars)
 *
 * since dX = kappa(mu − X)dt + sigma dW sampled at unit steps has
 * b = e^{−kappa} and Var(e) = sigma²(1 − b²)/(2·kappa).
 *
 * Undefined cases: with b ≥ 1 (unit root or explosive) there is no mean
 * reversion, so kappa, mu, sigma and halfLife are NaN; with b ≤ 0 the series
 * oscillates and −ln b is undefined, so kappa, sigma and halfLife are NaN
 * while mu stays defined for −1 < b ≤ 0 (the AR(1)'s stationary mean). All
 * fields are NaN when there are fewer than 3 pairs or x is constant.
 *
 * Method: both regressors are centred on their compensated (Neumaier) means
 * before the cross products are formed, so a price level of 1e3 over
 * millions of rows loses no precision to cancellation; b = Sxy/Sxx,
 * a = ȳ − b·x̄, and SSR is summed from the residuals in a second pass.
 * O(N), no allocation.
 *
 * References:
 * - G. E. Uhlenbeck, L. S. Ornstein (1930), "On the theory of the Brownian
 *   motion", Phys. Rev. 36, 823. doi:10.1103/PhysRev.36.823
 * - J. D. Hamilton (1994), *Time Series Analysis*, Princeton, §8.1 (OLS).
 * - Maximum-likelihood/OLS equivalence for the OU discretisation: e.g.
 *   C. Y. Tang, S. X. Chen (2009), "Parameter estimation and bias
 *   correction for diffusion processes", J. Econometrics 149(1), 65–81.
 *
 * @param x level series (prices, or log prices)
 *
 * @example
 * fitOrnsteinUhlenbeck(new Float64Array([1, 2, 4, 3, 5]));
 * // => { a: 2.5, b: 0.4, kappa: 0.916290731874155, mu: 4.166666666666667,
 * //      sigma: 2.1404330541670245, halfLife: 0.7564707973660301,
 * //      residualSd: 1.449137674618944, n: 4 }
 */
export function fitOrnsteinUhlenbeck(x: Float64Array): OrnsteinUhlenbeckFit {
  const n = x.length - 1;
  if (n < 3) return undefinedFit(Math.max(n, 0));
  const meanPrevious = neumaierSum(x, 0, n) / n;
  const meanNext = neumaierSum(x, 1, n + 1) / n;

  // Σ(x_{t−1} − x̄)(x_t − ȳ) and Σ(x_{t−1} − x̄)², Neumaier-compensated.
  const crossSum = new CompensatedSum();
  const squareSum = new CompensatedSum();
  for (let t = 0; t < n; t++) {
    const u = x[t]! - meanPrevious;
    crossSum.add(u * (x[t + 1]! - meanNext));
    squareSum.add(u * u);
  }
  const sxy = crossSum.value();
  const sxx = squareSum.value();
  if (!(sxx > 0)) return undefinedFit(n);
  const b = sxy / sxx;
  const a = meanNext - b * meanPrevious;

  const residualSquares = new CompensatedSum();
  for (let t = 0; t < n; t++) {
    const e = x[t + 1]! - meanNext - b * (x[t]! - meanPrevious);
    residualSquares.add(e * e);
  }
  const ssr = residualSquares.value();
  const residualSd = Math.sqrt(ssr / (n - 2));

  const meanReverting = b > 0 && b < 1;
  const kappa = meanReverting ? -Math.log(b) : Number.NaN;
  return {
    a,
    b,
    kappa,
    mu: b > -1 && b < 1 ? a / (1 - b) : Number.NaN,
    sigma: meanReverting ? residualSd * Math.sqrt((2 * kappa) / (1 - b * b)) : Number.NaN,
    halfLife: meanReverting ? Math.LN2 / kappa : Number.NaN,
    residualSd,
    n,
  };
}

function undefinedFit(n: number): OrnsteinUhlenbeckFit {
  const nan = Number.NaN;
  return { a: nan, b: nan, kappa: nan, mu: nan, sigma: nan, halfLife: nan, residualSd: nan, n };
}
