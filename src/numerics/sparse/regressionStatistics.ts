import { gramOfRows } from "../stats/covariance.js";
import type { GramProblem } from "./coordinateDescent.js";

/**
 * Sufficient statistics of a linear regression over a block of rows: the
 * cross-product matrix of [x₁ … x_p, y] shifted by fixed per-column offsets
 * (the full-sample means), plus the column sums. Blocks add, so the
 * statistics of any union of blocks (a cross-validation training set) are a
 * sum, and centring on that union's own means is the rank-one correction
 * Σ(x − m)(x − m)ᵀ = Σx̃x̃ᵀ − s·sᵀ/m with x̃ = x − shift and s = Σx̃.
 * Shifting by the full-sample means first keeps the correction small, so
 * no precision is lost to cancellation.
 */
export interface BlockStatistics {
  /** Rows in the block. */
  rows: number;
  /** Number of predictors p (the cross products are (p+1)×(p+1), y last). */
  p: number;
  /** Σ z̃ z̃ᵀ over the block, z = [x, y] shifted, row-major (p+1)×(p+1). */
  cross: Float64Array;
  /** Σ z̃ over the block, length p+1. */
  sums: Float64Array;
}

/** Full-sample means of the predictors and the target: the shift of every block. */
export function columnShift(predictors: Float64Array[], target: Float64Array): Float64Array {
  const p = predictors.length;
  const shift = new Float64Array(p + 1);
  const n = target.length;
  for (let j = 0; j <= p; j++) {
    const x = j < p ? predictors[j]! : target;
    let s = 0;
    for (let t = 0; t < n; t++) s += x[t]!;
    shift[j] = s / n;
  }
  return shift;
}

/**
 * The statistics of rows [from, to). Cost: one blocked Gram product,
 * (p+1)²·(to − from)/2 multiply-adds.
 */
export function blockStatistics(
  predictors: Float64Array[],
  target: Float64Array,
  shift: Float64Array,
  from: number,
  to: number,
): BlockStatistics {
  const p = predictors.length;
  const rows = to - from;
  const m = p + 1;
  const sums = new Float64Array(m);
  const cross = new Float64Array(m * m);
  gramOfRows(
    m,
    rows,
    (j, packed, base) => packed.set((j < p ? predictors[j]! : target).subarray(from, to), base),
    cross,
    { shift, sums },
  );
  return { rows, p, cross, sums };
}

/** a + sign·b, element by element (sign −1 removes a block from a union). */
export function combineStatistics(a: BlockStatistics, b: BlockStatistics, sign: 1 | -1): BlockStatistics {
  const cross = new Float64Array(a.cross.length);
  for (let k = 0; k < cross.length; k++) cross[k] = a.cross[k]! + sign * b.cross[k]!;
  const sums = new Float64Array(a.sums.length);
  for (let k = 0; k < sums.length; k++) sums[k] = a.sums[k]! + sign * b.sums[k]!;
  return { rows: a.rows + sign * b.rows, p: a.p, cross, sums };
}

/** The centred statistics of the rows of a block, with its centring means (in shifted units). */
export interface CentredProblem extends GramProblem {
  /** Means of x̃ over the rows (add the shift for the data's means). */
  xMean: Float64Array;
  /** Mean of ỹ over the rows. */
  yMean: number;
}

/** Centres a block's statistics on its own means: the Gram problem of a regression with intercept. */
export function centredProblem(stats: BlockStatistics): CentredProblem {
  const { p, rows, cross, sums } = stats;
  const m = p + 1;
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const xMean = new Float64Array(p);
  for (let i = 0; i < p; i++) xMean[i] = sums[i]! / rows;
  const yMean = sums[p]! / rows;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) gram[i * p + j] = cross[i * m + j]! - sums[i]! * xMean[j]!;
    xty[i] = cross[i * m + p]! - sums[i]! * yMean;
  }
  const yty = cross[p * m + p]! - sums[p]! * yMean;
  return { gram, xty, yty, p, n: rows, xMean, yMean };
}

/**
 * Σ_t (y_t − c − x_tᵀb)² over a block for a model fitted elsewhere, whose
 * intercept is expressed as "centre on (xMean, yMean)": c = yMean − xMeanᵀb.
 * Uses only the block's statistics: O(nnz(b)²), no pass over the rows.
 */
export function blockResidualSquares(
  stats: BlockStatistics,
  b: Float64Array,
  xMean: Float64Array,
  yMean: number,
): number {
  const { p, rows, cross, sums } = stats;
  const m = p + 1;
  // e_t = (ỹ_t − yMean) − (x̃_t − xMean)ᵀb = (ỹ_t − x̃_tᵀb) − (yMean − xMeanᵀb) = u_t − d
  let d = yMean;
  let sumU = sums[p]!;
  let uu = cross[p * m + p]!;
  for (let i = 0; i < p; i++) {
    const bi = b[i]!;
    if (bi === 0) continue;
    d -= xMean[i]! * bi;
    sumU -= sums[i]! * bi;
    uu -= 2 * bi * cross[i * m + p]!;
    const row = i * m;
    let s = 0;
    for (let j = 0; j < p; j++) {
      const bj = b[j]!;
      if (bj !== 0) s += cross[row + j]! * bj;
    }
    uu += bi * s;
  }
  return Math.max(0, uu - 2 * d * sumU + rows * d * d);
}
