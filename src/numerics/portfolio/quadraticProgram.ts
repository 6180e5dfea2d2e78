import { FreeSetInverse, PortfolioSolverError } from "./freeSetInverse.js";

/**
 * A convex quadratic programme with one linear equality and box bounds:
 *
 *   minimise ½·wᵀHw − cᵀw   subject to   aᵀw = b,   lower ≤ w ≤ upper,
 *
 * H symmetric positive definite on every free set visited (row-major n×n),
 * `lower` finite, `upper` finite or +Infinity.
 */
export interface BoxQuadraticProgram {
  n: number;
  hessian: Float64Array;
  linear: Float64Array;
  equality: Float64Array;
  rhs: number;
  lower: Float64Array;
  upper: Float64Array;
}

export interface QuadraticProgramSolution {
  w: Float64Array;
  /** Multiplier ν of the equality: Hw − c − νa = κ, κ ≥ 0 at lower bounds, ≤ 0 at upper, 0 when free. */
  equalityMultiplier: number;
  /** Bound multipliers κ (0 for free variables). */
  boundMultipliers: Float64Array;
  /** −1 at the lower bound, +1 at the upper, 0 free. */
  status: Int8Array;
  iterations: number;
}

/**
 * A vertex of {aᵀw = b, lower ≤ w ≤ upper}: everything at its lower bound,
 * then the remaining b − aᵀlower filled greedily, cheapest H_ii/a_i² first,
 * each variable up to its upper bound. Returns null when infeasible. The
 * last variable filled is returned as the one free variable.
 */
export function feasibleVertex(problem: BoxQuadraticProgram): { w: Float64Array; free: number } | null {
  const { n, hessian: h, equality: a, lower, upper } = problem;
  const w = Float64Array.from(lower);
  let remaining = problem.rhs;
  for (let i = 0; i < n; i++) remaining -= a[i]! * lower[i]!;
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => a[i] !== 0 && Math.sign(a[i]!) === Math.sign(remaining || 1))
    .sort((i, j) => h[i * n + i]! / (a[i]! * a[i]!) - h[j * n + j]! / (a[j]! * a[j]!) || i - j);
  let free = order[0] ?? 0;
  const tolerance = 1e-14 * Math.max(1, Math.abs(problem.rhs));
  for (const i of order) {
    if (Math.abs(remaining) <= tolerance) break;
    const room = upper[i]! - lower[i]!;
    const step = Math.min(room, remaining / a[i]!);
    // land exactly on the upper bound (lower + room need not round back to upper)
    w[i] = step === room ? upper[i]! : w[i]! + step;
    remaining = step === room ? remaining - room * a[i]! : 0;
    free = i;
  }
  if (Math.abs(remaining) > 1e-12 * Math.max(1, Math.abs(problem.rhs))) return null;
  return { w, free };
}

/**
 * Solves a `BoxQuadraticProgram` exactly by the primal active-set method:
 * from a feasible vertex, each iteration minimises the objective with the
 * working-set bounds held fixed (one bordered solve with the maintained
 * inverse of H on the free variables); a blocked step fixes the blocking
 * variable at its bound, a full step is followed by the sign test of the
 * bound multipliers κ_i = (Hw − c − νa)_i, releasing the most violated one.
 * It stops at a point satisfying every KKT condition, verified with a
 * freshly factored H_FF, so the active set — and so the answer — is exact
 * up to rounding, not to a tolerance on the objective.
 *
 * Reference: J. Nocedal, S. J. Wright (2006), *Numerical Optimization*, 2nd
 * ed., Algorithm 16.3 (active-set method for convex QP).
 *
 * @throws PortfolioSolverError on a singular free set or after `maxIterations`
 *
 * @example
 * // min ½(w₀² + w₁²) s.t. w₀ + w₁ = 1, 0 ≤ w ≤ 1 → w = [0.5, 0.5], ν = 0.5
 * solveBoxQuadraticProgram({ n: 2, hessian: Float64Array.of(1, 0, 0, 1), linear: new Float64Array(2),
 *   equality: Float64Array.of(1, 1), rhs: 1, lower: new Float64Array(2), upper: Float64Array.of(1, 1) }).w;
 * // => Float64Array [0.5, 0.5]
 */
export function solveBoxQuadraticProgram(
  problem: BoxQuadraticProgram,
  maxIterations = 20 * problem.n + 100,
): QuadraticProgramSolution {
  const { n, hessian: h, linear: c, equality: a, lower, upper } = problem;
  const start = feasibleVertex(problem);
  if (start === null) throw new RangeError("solveBoxQuadraticProgram: the constraints are infeasible");
  const w = start.w;
  const status = new Int8Array(n);
  for (let i = 0; i < n; i++) status[i] = w[i] === upper[i] ? 1 : -1;
  status[start.free] = 0;
  const free = new FreeSetInverse(h, n);
  free.add(start.free);

  const rhsFree = new Float64Array(n); // c − H_FB·w_B, indexed by asset
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const gradient = new Float64Array(n);
  const multipliers = new Float64Array(n);
  let nu = 0;
  let atSubproblemMinimum = false;
  let fresh = false;
  let updatesSinceRefresh = 0;
  let iterations = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(c[i]!), h[i * n + i]!);

  for (; iterations < maxIterations; iterations++) {
    if (!atSubproblemMinimum) {
      nu = solveSubproblem();
      const k = free.size;
      let step = 1;
      let blocking = -1;
      let blockingBound = 0;
      for (let p = 0; p < k; p++) {
        const i = free.indices[p]!;
        const target = x[p]! + nu * y[p]!;
        const delta = target - w[i]!;
        if (delta < 0 && lower[i]! - w[i]! > step * delta) {
          step = (lower[i]! - w[i]!) / delta;
          blocking = i;
          blockingBound = -1;
        } else if (delta > 0 && upper[i]! - w[i]! < step * delta) {
          step = (upper[i]! - w[i]!) / delta;
          blocking = i;
          blockingBound = 1;
        }
      }
      for (let p = 0; p < k; p++) {
        const i = free.indices[p]!;
        const target = x[p]! + nu * y[p]!;
        w[i] =
          step === 1 ? target : Math.min(upper[i]!, Math.max(lower[i]!, w[i]! + step * (target - w[i]!)));
      }
      if (blocking >= 0 && free.size > 1) {
        w[blocking] = blockingBound < 0 ? lower[blocking]! : upper[blocking]!;
        status[blocking] = blockingBound;
        free.remove(blocking);
        changed();
        continue;
      }
      atSubproblemMinimum = true;
    }
    // multiplier test on the bounded variables
    computeGradient();
    let worst = -1;
    let worstViolation = 1e-13 * Math.max(scale, Math.abs(nu));
    for (let i = 0; i < n; i++) {
      if (status[i] === 0) continue;
      const kappa = gradient[i]! - nu * a[i]!;
      const violation = status[i]! < 0 ? -kappa : kappa;
      if (violation > worstViolation) {
        worstViolation = violation;
        worst = i;
      }
    }
    if (worst < 0) {
      if (fresh) break;
      free.refresh();
      fresh = true;
      updatesSinceRefresh = 0;
      atSubproblemMinimum = false;
      continue;
    }
    status[worst] = 0;
    free.add(worst);
    changed();
  }
  if (iterations >= maxIterations) {
    throw new PortfolioSolverError(
      "iterations",
      `the active-set QP did not finish in ${maxIterations} iterations`,
    );
  }
  computeGradient();
  for (let i = 0; i < n; i++) multipliers[i] = status[i] === 0 ? 0 : gradient[i]! - nu * a[i]!;
  return { w, equalityMultiplier: nu, boundMultipliers: multipliers, status, iterations };

  function changed(): void {
    atSubproblemMinimum = false;
    fresh = false;
    if (++updatesSinceRefresh >= 64) {
      free.refresh();
      updatesSinceRefresh = 0;
    }
  }

  /** x = M·(c − H_FB w_B)_F, y = M·a_F and the ν that meets aᵀw = b. */
  function solveSubproblem(): number {
    const k = free.size;
    let rhs = problem.rhs;
    for (let p = 0; p < k; p++) rhsFree[free.indices[p]!] = c[free.indices[p]!]!;
    for (let j = 0; j < n; j++) {
      if (status[j] === 0 || w[j] === 0) continue;
      const wj = w[j]!;
      rhs -= a[j]! * wj;
      const row = j * n;
      for (let p = 0; p < k; p++) rhsFree[free.indices[p]!]! -= h[row + free.indices[p]!]! * wj;
    }
    free.solve(rhsFree, x);
    free.solve(a, y);
    let ax = 0;
    let ay = 0;
    for (let p = 0; p < k; p++) {
      const ap = a[free.indices[p]!]!;
      ax += ap * x[p]!;
      ay += ap * y[p]!;
    }
    return ay === 0 ? 0 : (rhs - ax) / ay;
  }

  function computeGradient(): void {
    for (let i = 0; i < n; i++) gradient[i] = -c[i]!;
    for (let j = 0; j < n; j++) {
      const wj = w[j]!;
      if (wj === 0) continue;
      const row = j * n;
      for (let i = 0; i < n; i++) gradient[i]! += h[row + i]! * wj;
    }
  }
}
