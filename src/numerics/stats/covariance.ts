import { type Centring, gramLowerFilled, gramLowerWasm, type RowFiller } from "../linalg/gramKernel.js";
import { neumaierSum } from "./summation.js";

/**
 * Covariance estimators for portfolio construction on a T×n panel of period
 * returns given as n columns (one Float64Array of length T per asset, the
 * Frame's layout). Every estimator writes a row-major n×n Float64Array.
 */

/**
 * Column means by compensated summation: out[j] = (1/T)·Σ_t x_tj.
 *
 * @example
 * columnMeans([Float64Array.of(1, 2, 3), Float64Array.of(0, 0, 3)]); // => Float64Array [2, 1]
 */
export function columnMeans(columns: Float64Array[], out = new Float64Array(columns.length)): Float64Array {
  for (let j = 0; j < columns.length; j++) out[j] = neumaierSum(columns[j]!) / columns[j]!.length;
  return out;
}

/**
 * Weights of an exponentially weighted average over T bars with the given
 * half-life (in bars), the newest bar weighted 1 and bar t by
 * 0.5^((T−1−t)/halfLife), normalised to sum to 1.
 *
 * @example
 * ewmaWeights(2, 1); // => Float64Array [1/3, 2/3]
 */
export function ewmaWeights(rows: number, halfLifeBars: number): Float64Array {
  const out = new Float64Array(rows);
  const decay = 0.5 ** (1 / halfLifeBars);
  let w = 1;
  for (let t = rows - 1; t >= 0; t--) {
    out[t] = w;
    w *= decay;
  }
  const total = neumaierSum(out);
  for (let t = 0; t < rows; t++) out[t]! /= total;
  return out;
}

/**
 * Exponentially weighted column means m_j = Σ_t w_t x_tj with `ewmaWeights`.
 *
 * @example
 * ewmaMeans([Float64Array.of(0, 3)], 1); // => Float64Array [2]
 */
export function ewmaMeans(columns: Float64Array[], halfLifeBars: number): Float64Array {
  const out = new Float64Array(columns.length);
  if (columns.length === 0) return out;
  const weights = ewmaWeights(columns[0]!.length, halfLifeBars);
  for (let j = 0; j < columns.length; j++) {
    const x = columns[j]!;
    let s = 0;
    for (let t = 0; t < x.length; t++) s += weights[t]! * x[t]!;
    out[j] = s;
  }
  return out;
}

/**
 * The Gram matrix G = Y·Yᵀ of the n rows of Y (n×T row-major, row i =
 * asset i over time), written into the row-major n×n `out` (both triangles).
 * Runs the WebAssembly SIMD kernel (`gramKernel.ts`, src/numerics/wasm/gram.wat);
 * problems too large for its 32-bit memory take `gramRowsScalar`.
 * The readable version is
 *   for i, for j ≤ i: out[i·n+j] = Σ_t y[i·T+t]·y[j·T+t].
 */
export function gramRows(y: Float64Array, n: number, rows: number, out: Float64Array): Float64Array {
  if (!gramLowerWasm(y, n, rows, out)) return gramRowsScalar(y, n, rows, out);
  mirrorLower(out, n);
  return out;
}

function mirrorLower(out: Float64Array, n: number): void {
  for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) out[r * n + c] = out[c * n + r]!;
}

/**
 * The Gram matrix G = Y·Yᵀ (both triangles) of n rows of T values that
 * `fill` writes, each row once, straight into the kernel's memory, then
 * shifted as `centring` says; the scalar loop on a materialised Y when the
 * kernel cannot take the problem, or `kernel` is false (for tests): the same
 * shifted values and sums, the Gram to rounding.
 */
export function gramOfRows(
  n: number,
  T: number,
  fill: RowFiller,
  out: Float64Array,
  centring?: Centring,
  kernel = true,
): Float64Array {
  if (!kernel || !gramLowerFilled(n, T, fill, out, centring)) {
    const y = new Float64Array(n * T);
    for (let i = 0; i < n; i++) {
      fill(i, y, i * T);
      if (centring === undefined) continue;
      const shift = centring.shift[i]!;
      let sum = 0;
      for (let t = i * T; t < (i + 1) * T; t++) {
        y[t]! -= shift;
        sum += y[t]!;
      }
      if (centring.sums !== undefined) centring.sums[i] = sum;
    }
    return gramRowsScalar(y, n, T, out);
  }
  mirrorLower(out, n);
  return out;
}

/**
 * The Gram matrix of the columns centred on `means` (and optionally scaled by
 * sqrt(w_t)), the values written straight into the kernel's memory.
 */
function centredGram(
  columns: Float64Array[],
  means: Float64Array,
  rowScale: Float64Array | undefined,
  out: Float64Array,
): Float64Array {
  const n = columns.length;
  const T = n > 0 ? columns[0]!.length : 0;
  if (rowScale === undefined)
    return gramOfRows(n, T, (j, rows, offset) => rows.set(columns[j]!, offset), out, { shift: means });
  const centre: RowFiller = (j, rows, offset) => {
    const x = columns[j]!;
    const m = means[j]!;
    for (let t = 0; t < T; t++) rows[offset + t] = (x[t]! - m) * rowScale[t]!;
  };
  return gramOfRows(n, T, centre, out);
}

/**
 * `gramRows` in plain JavaScript, for problems beyond the kernel's memory.
 *
 * Method: register blocking, 4 assets × 4 assets per pass over time, so that
 * each loaded value feeds 4 multiply-adds (about 1.2× faster than 2×4 here,
 * and time-tiling gains nothing more).
 */
export function gramRowsScalar(y: Float64Array, n: number, rows: number, out: Float64Array): Float64Array {
  const T = rows;
  const blocked = n - (n % 4);
  for (let i = 0; i < blocked; i += 4) {
    const a0 = i * T;
    const a1 = a0 + T;
    const a2 = a1 + T;
    const a3 = a2 + T;
    for (let j = 0; j <= i; j += 4) {
      const b0 = j * T;
      const b1 = b0 + T;
      const b2 = b1 + T;
      const b3 = b2 + T;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      let s20 = 0;
      let s21 = 0;
      let s22 = 0;
      let s23 = 0;
      let s30 = 0;
      let s31 = 0;
      let s32 = 0;
      let s33 = 0;
      for (let t = 0; t < T; t++) {
        const x0 = y[a0 + t]!;
        const x1 = y[a1 + t]!;
        const x2 = y[a2 + t]!;
        const x3 = y[a3 + t]!;
        const z0 = y[b0 + t]!;
        const z1 = y[b1 + t]!;
        const z2 = y[b2 + t]!;
        const z3 = y[b3 + t]!;
        s00 += x0 * z0;
        s01 += x0 * z1;
        s02 += x0 * z2;
        s03 += x0 * z3;
        s10 += x1 * z0;
        s11 += x1 * z1;
        s12 += x1 * z2;
        s13 += x1 * z3;
        s20 += x2 * z0;
        s21 += x2 * z1;
        s22 += x2 * z2;
        s23 += x2 * z3;
        s30 += x3 * z0;
        s31 += x3 * z1;
        s32 += x3 * z2;
        s33 += x3 * z3;
      }
      const r0 = i * n + j;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      out[r0] = s00;
      out[r0 + 1] = s01;
      out[r0 + 2] = s02;
      out[r0 + 3] = s03;
      out[r1] = s10;
      out[r1 + 1] = s11;
      out[r1 + 2] = s12;
      out[r1 + 3] = s13;
      out[r2] = s20;
      out[r2 + 1] = s21;
      out[r2 + 2] = s22;
      out[r2 + 3] = s23;
      out[r3] = s30;
      out[r3 + 1] = s31;
      out[r3 + 2] = s32;
      out[r3 + 3] = s33;
    }
  }
  for (let i = blocked; i < n; i++) {
    const a0 = i * T;
    for (let j = 0; j <= i; j++) {
      const b0 = j * T;
      let s = 0;
      for (let t = 0; t < T; t++) s += y[a0 + t]! * y[b0 + t]!;
      out[i * n + j] = s;
    }
  }
  // the diagonal 4×4 blocks wrote their upper parts too; the lower triangle is authoritative
  for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) out[r * n + c] = out[c * n + r]!;
  return out;
}

/**
 * Sample covariance Σ_ij = Σ_t (x_ti − x̄_i)(x_tj − x̄_j)/(T − ddof), two-pass
 * (means first, by compensated summation), row-major n×n. numpy:
 * `np.cov(X, rowvar=False, ddof=ddof)`.
 *
 * Reference: Chan, Golub & LeVeque (1983), "Algorithms for computing the
 * sample variance", The American Statistician 37(3) — the two-pass algorithm.
 *
 * @example
 * sampleCovariance([Float64Array.of(1, 2, 3), Float64Array.of(1, 0, 2)], 1);
 * // => Float64Array [1, 0.5, 0.5, 1]
 */
export function sampleCovariance(columns: Float64Array[], ddof = 1): Float64Array {
  const n = columns.length;
  const T = n > 0 ? columns[0]!.length : 0;
  const out = new Float64Array(n * n);
  centredGram(columns, columnMeans(columns), undefined, out);
  const scale = 1 / (T - ddof);
  for (let k = 0; k < n * n; k++) out[k]! *= scale;
  return out;
}

/**
 * Exponentially weighted covariance Σ = Σ_t w_t (x_t − m)(x_t − m)ᵀ with the
 * normalised `ewmaWeights` (newest bar weight 1, half-life `halfLifeBars`)
 * and m the EWMA mean with the same weights; no bias correction (the
 * RiskMetrics convention, J.P. Morgan/Reuters 1996, *RiskMetrics — Technical
 * Document*, §5.2), so a constant weight (halfLife → ∞) gives the ddof-0
 * sample covariance.
 *
 * @example
 * ewmaCovariance([Float64Array.of(1, 3)], 1e300); // => Float64Array [1]
 */
export function ewmaCovariance(columns: Float64Array[], halfLifeBars: number): Float64Array {
  const n = columns.length;
  const T = n > 0 ? columns[0]!.length : 0;
  const weights = ewmaWeights(T, halfLifeBars);
  const root = new Float64Array(T);
  for (let t = 0; t < T; t++) root[t] = Math.sqrt(weights[t]!);
  const out = new Float64Array(n * n);
  centredGram(columns, ewmaMeans(columns, halfLifeBars), root, out);
  return out;
}
