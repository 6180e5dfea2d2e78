import { PortfolioSolverError } from "./freeSetInverse.js";

export interface RiskParityOptions {
  /** Risk budgets b_i > 0 (default 1/n each: equal risk contribution). */
  budgets?: Float64Array;
  /** Stop when max_i |RC_i − b_i/Σb| ≤ tolerance (RC as fractions of the variance). */
  tolerance?: number;
  maxSweeps?: number;
}

export interface RiskParitySolution {
  w: Float64Array;
  /** max_i |RC_i − b_i/Σb| at the returned weights. */
  maxError: number;
  sweeps: number;
  newtonSteps: number;
  converged: boolean;
}

/** Default stopping rule: risk-contribution fractions exact to 1e-10 (SPEC §2), polished further when cheap. */
export const RISK_PARITY_TOLERANCE = 1e-10;

/** Coordinate sweeps before Newton steps take over (typical problems need 10–30 sweeps). */
export const NEWTON_AFTER_SWEEPS = 200;

/**
 * Long-only risk-budgeting (equal risk contribution by default) weights:
 * w_i·(Σw)_i / wᵀΣw = b_i/Σb, found as the unique minimiser of Spinu's
 * strictly convex programme
 *
 *   f(x) = ½·xᵀΣx − Σ_i b_i·ln x_i,   x > 0,   then w = x/Σx,
 *
 * whose stationarity condition is exactly x_i·(Σx)_i = b_i.
 *
 * Method: cyclical coordinate descent — each coordinate is minimised
 * exactly, x_i = (−c_i + sqrt(c_i² + 4·Σ_ii·b_i))/(2Σ_ii) with
 * c_i = (Σx)_i − Σ_ii·x_i, and Σx is updated in O(n), so a sweep is O(n²) —
 * to 1e-3 × the tolerance; should that take more than `NEWTON_AFTER_SWEEPS`
 * sweeps, damped Newton steps on f (Hessian Σ + diag(b/x²), O(n³) each)
 * converge quadratically instead.
 *
 * References:
 * - F. Spinu (2013), "An algorithm for computing risk parity weights",
 *   SSRN 2297383. doi:10.2139/ssrn.2297383
 * - T. Griveau-Billion, J.-C. Richard, T. Roncalli (2013), "A fast algorithm
 *   for computing high-dimensional risk parity portfolios", arXiv:1311.4057.
 * - S. Maillard, T. Roncalli, J. Teïletche (2010), "The properties of
 *   equally weighted risk contribution portfolios", Journal of Portfolio
 *   Management 36(4), 60–70 (the 48/24/16/12 % example).
 *
 * @example
 * // uncorrelated assets: w ∝ 1/σ_i
 * riskParity(Float64Array.of(1, 0, 0, 4), 2).w; // => Float64Array [2/3, 1/3]
 */
export function riskParity(
  covariance: Float64Array,
  n: number,
  options: RiskParityOptions = {},
): RiskParitySolution {
  const budgets = options.budgets ?? new Float64Array(n).fill(1 / n);
  const tolerance = options.tolerance ?? RISK_PARITY_TOLERANCE;
  const maxSweeps = options.maxSweeps ?? 10_000;
  const h = covariance;
  let budgetTotal = 0;
  for (let i = 0; i < n; i++) budgetTotal += budgets[i]!;
  const x = new Float64Array(n);
  // start at inverse volatility scaled so that xᵀΣx = Σb (the optimum's scale)
  for (let i = 0; i < n; i++) x[i] = 1 / Math.sqrt(h[i * n + i]!);
  const sx = multiply(h, x, n, new Float64Array(n));
  let quadratic = 0;
  for (let i = 0; i < n; i++) quadratic += x[i]! * sx[i]!;
  const rescale = Math.sqrt(budgetTotal / quadratic);
  for (let i = 0; i < n; i++) {
    x[i]! *= rescale;
    sx[i]! *= rescale;
  }
  let sweeps = 0;
  let error = contributionError(x, sx, budgets, budgetTotal);
  // polish three orders below the tolerance: CCD converges fast here, and exactness is cheap
  const target = tolerance * 1e-3;
  while (error > target && sweeps < Math.min(maxSweeps, NEWTON_AFTER_SWEEPS)) {
    coordinateSweep(h, n, budgets, x, sx);
    sweeps++;
    error = contributionError(x, sx, budgets, budgetTotal);
  }
  // slow linear convergence (strong correlations): Newton's quadratic convergence finishes the job
  let newton = 0;
  while (error > target && newton < 8) {
    newtonStep(h, n, budgets, x, sx);
    newton++;
    error = contributionError(x, sx, budgets, budgetTotal);
  }
  while (error > tolerance && sweeps < maxSweeps) {
    coordinateSweep(h, n, budgets, x, sx);
    sweeps++;
    error = contributionError(x, sx, budgets, budgetTotal);
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i]!;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = x[i]! / total;
  return { w, maxError: error, sweeps, newtonSteps: newton, converged: error <= tolerance };
}

function multiply(h: Float64Array, x: Float64Array, n: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += h[row + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

function coordinateSweep(
  h: Float64Array,
  n: number,
  b: Float64Array,
  x: Float64Array,
  sx: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const hii = h[row + i]!;
    const old = x[i]!;
    const c = sx[i]! - hii * old;
    const next = (-c + Math.sqrt(c * c + 4 * hii * b[i]!)) / (2 * hii);
    const change = next - old;
    if (change === 0) continue;
    x[i] = next;
    // Σ is symmetric: column i = row i
    for (let j = 0; j < n; j++) sx[j]! += h[row + j]! * change;
  }
}

/** One damped Newton step on Spinu's f. */
function newtonStep(h: Float64Array, n: number, b: Float64Array, x: Float64Array, sx: Float64Array): void {
  // gradient g = Σx − b/x, Hessian H = Σ + diag(b/x²)
  const g = new Float64Array(n);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    g[i] = sx[i]! - b[i]! / x[i]!;
    const row = i * n;
    for (let j = 0; j <= i; j++) l[row + j] = h[row + j]!;
    l[row + i]! += b[i]! / (x[i]! * x[i]!);
  }
  // Cholesky (lower, in place) then solve H·d = g
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let pivot = l[rowJ + j]!;
    for (let k = 0; k < j; k++) pivot -= l[rowJ + k]! * l[rowJ + k]!;
    if (!(pivot > 0))
      throw new PortfolioSolverError("singular", "risk parity: the Newton system is singular");
    const ljj = Math.sqrt(pivot);
    l[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = l[rowI + j]!;
      for (let k = 0; k < j; k++) s -= l[rowI + k]! * l[rowJ + k]!;
      l[rowI + j] = s / ljj;
    }
  }
  const d = g;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = d[i]!;
    for (let k = 0; k < i; k++) s -= l[row + k]! * d[k]!;
    d[i] = s / l[row + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = d[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * d[k]!;
    d[i] = s / l[i * n + i]!;
  }
  // keep x > 0: step at most 90 % of the way to the boundary
  let step = 1;
  for (let i = 0; i < n; i++) if (d[i]! > 0) step = Math.min(step, (0.9 * x[i]!) / d[i]!);
  for (let i = 0; i < n; i++) x[i]! -= step * d[i]!;
  multiply(h, x, n, sx);
}

/** max_i |x_i(Σx)_i / xᵀΣx − b_i/Σb|. */
function contributionError(x: Float64Array, sx: Float64Array, b: Float64Array, budgetTotal: number): number {
  const n = x.length;
  let quadratic = 0;
  for (let i = 0; i < n; i++) quadratic += x[i]! * sx[i]!;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs((x[i]! * sx[i]!) / quadratic - b[i]! / budgetTotal);
    if (e > worst) worst = e;
  }
  return worst;
}
