import { backSubstitute, choleskyInPlace, forwardSubstitute } from "../linalg/cholesky.js";

/**
 * Thrown by the portfolio solvers when the problem cannot be solved as
 * posed; the command maps `kind` to an exit code and a hint.
 * - `singular`: the covariance restricted to the assets in play is singular;
 * - `iterations`: the iteration cap was reached (cycling or ill-conditioning).
 */
export class PortfolioSolverError extends Error {
  constructor(
    readonly kind: "singular" | "iterations",
    message: string,
    /** The asset whose entry made the system singular, when known. */
    readonly asset?: number,
  ) {
    super(message);
    this.name = "PortfolioSolverError";
  }
}

/**
 * Relative pivot below which adding an asset to the free set is declared
 * singular: its variance not explained by the other free assets, s_j, is at
 * most this fraction of its variance H_jj (1 − R²_j ≤ 1e-12).
 */
export const FREE_SET_PIVOT_FLOOR = 1e-12;

/**
 * The inverse M = (H_FF)⁻¹ of the principal submatrix of a symmetric
 * positive-definite H (n×n, row-major) on an ordered "free" index set F,
 * kept up to date as indices enter and leave F — the linear algebra of every
 * active-set and critical-line step.
 *
 * Method: bordering. Adding j with v = H_Fj, u = M·v, s = H_jj − vᵀu (the
 * Schur complement) gives M' = [[M + uuᵀ/s, −u/s], [−uᵀ/s, 1/s]]; removing
 * position p first swaps p with the last position, then
 * M' = M₋₋ − M₋ₚ·Mₚ₋/Mₚₚ. Both are O(|F|²); `refresh()` recomputes M from
 * a fresh Cholesky factor in O(|F|³) to shed accumulated rounding.
 *
 * Reference: G. H. Golub, C. F. Van Loan (2013), *Matrix Computations*, 4th
 * ed., §3.2.11 (bordering) and §2.1.4 (Sherman–Morrison–Woodbury).
 */
export class FreeSetInverse {
  /** Free indices in their order in M. */
  readonly indices: Int32Array;
  /** Position of each index in `indices`, or −1. */
  readonly position: Int32Array;
  /** M, row-major with stride n; the leading size×size block is in use. */
  readonly inverse: Float64Array;
  size = 0;
  private readonly scratch: Float64Array;

  constructor(
    readonly hessian: Float64Array,
    readonly n: number,
  ) {
    this.indices = new Int32Array(n);
    this.position = new Int32Array(n).fill(-1);
    this.inverse = new Float64Array(n * n);
    this.scratch = new Float64Array(n);
  }

  /** Adds index j at the end; throws PortfolioSolverError("singular") on a dependent column. */
  add(j: number): void {
    const { hessian: h, n, inverse: m, indices, scratch: u } = this;
    const k = this.size;
    const rowJ = j * n;
    let s = h[rowJ + j]!;
    for (let p = 0; p < k; p++) {
      const row = p * n;
      let acc = 0;
      for (let q = 0; q < k; q++) acc += m[row + q]! * h[rowJ + indices[q]!]!;
      u[p] = acc;
    }
    for (let p = 0; p < k; p++) s -= h[rowJ + indices[p]!]! * u[p]!;
    if (!(s > FREE_SET_PIVOT_FLOOR * h[rowJ + j]!)) {
      throw new PortfolioSolverError(
        "singular",
        `the covariance is singular on the ${k + 1} assets in play (asset ${j} is a combination of the others)`,
        j,
      );
    }
    const inv = 1 / s;
    for (let p = 0; p < k; p++) {
      const row = p * n;
      const up = u[p]! * inv;
      for (let q = 0; q < k; q++) m[row + q]! += up * u[q]!;
      m[row + k] = -up;
      m[k * n + p] = -up;
    }
    m[k * n + k] = inv;
    indices[k] = j;
    this.position[j] = k;
    this.size = k + 1;
  }

  /** Removes index j from F. */
  remove(j: number): void {
    const { n, inverse: m, indices } = this;
    const p = this.position[j]!;
    const last = this.size - 1;
    if (p !== last) {
      // symmetric swap of positions p and last
      for (let r = 0; r <= last; r++) {
        const t = m[r * n + p]!;
        m[r * n + p] = m[r * n + last]!;
        m[r * n + last] = t;
      }
      for (let c = 0; c <= last; c++) {
        const t = m[p * n + c]!;
        m[p * n + c] = m[last * n + c]!;
        m[last * n + c] = t;
      }
      const moved = indices[last]!;
      indices[p] = moved;
      this.position[moved] = p;
    }
    const d = 1 / m[last * n + last]!;
    const lastRow = last * n;
    for (let r = 0; r < last; r++) {
      const f = m[r * n + last]! * d;
      const row = r * n;
      for (let c = 0; c < last; c++) m[row + c]! -= f * m[lastRow + c]!;
    }
    this.position[j] = -1;
    this.size = last;
  }

  /** Recomputes M from a fresh Cholesky factor of H_FF. */
  refresh(): void {
    const { hessian: h, n, inverse: m, indices } = this;
    const k = this.size;
    const l = new Float64Array(k * k);
    for (let p = 0; p < k; p++) {
      const row = indices[p]! * n;
      for (let q = 0; q <= p; q++) l[p * k + q] = h[row + indices[q]!]!;
    }
    if (choleskyInPlace(l, k, k) < k) {
      throw new PortfolioSolverError("singular", `the covariance is singular on the ${k} assets in play`);
    }
    const e = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      e.fill(0);
      e[c] = 1;
      forwardSubstitute(l, k, k, e);
      backSubstitute(l, k, k, e);
      for (let r = 0; r < k; r++) m[r * n + c] = e[r]!;
    }
  }

  /** out[0..size) = M·x[F] where x is indexed by asset (length n). */
  solve(x: Float64Array, out: Float64Array): Float64Array {
    const { n, inverse: m, indices } = this;
    const k = this.size;
    const gathered = this.scratch;
    for (let q = 0; q < k; q++) gathered[q] = x[indices[q]!]!;
    for (let p = 0; p < k; p++) {
      const row = p * n;
      let acc = 0;
      for (let q = 0; q < k; q++) acc += m[row + q]! * gathered[q]!;
      out[p] = acc;
    }
    return out;
  }
}
