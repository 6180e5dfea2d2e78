import { multiplyBasis, partialSvd, transposeMultiply } from "./partialSvd.js";
import { gramRows } from "../stats/covariance.js";
import type { Prng } from "../random/prng.js";
import { symmetricEigenvalues } from "../linalg/symmetricEigenvalues.js";

/**
 * Principal component pursuit (robust PCA): split M = L + S into a
 * low-rank L and a sparse S by
 *
 *     minimise ‖L‖_* + λ‖S‖₁  subject to  L + S = M,   λ = 1/√max(T, N) by default,
 *
 * solved by the inexact augmented Lagrangian method (Lin, Chen & Ma 2010,
 * Alg. 5): L ← SVT_{1/μ}(M − S + Y/μ), S ← shrink_{λ/μ}(M − L + Y/μ),
 * Y ← Y + μ(M − L − S), μ ← min(ρμ, μ̄), from Y₀ = M/max(‖M‖₂, ‖M‖∞/λ),
 * μ₀ = 1.25/‖M‖₂, ρ = 1.5, μ̄ = 10⁷μ₀ (the reference code's constants).
 * The singular value thresholding uses only the singular values above 1/μ,
 * by a warm-started partial SVD ({@link partialSvd}).
 *
 * Optimality, not just feasibility: iteration continues past
 * ‖M − L − S‖_F ≤ tol·‖M‖_F until a duality gap certifies the objective to
 * `gapTolerance` (relative). The dual of PCP is max ⟨Y, M⟩ subject to
 * ‖Y‖₂ ≤ 1, ‖Y‖∞ ≤ λ. After an iteration, Y_{k+1} has ‖Y‖∞ ≤ λ (the
 * shrinkage step's optimality condition) and ‖Y‖₂ ≤ 1 + μ‖S_k − S_{k+1}‖_F
 * (the SVT step's condition gives a Ŷ with ‖Ŷ‖₂ ≤ 1 and Y_{k+1} − Ŷ =
 * μ(S_k − S_{k+1})), so Y/max(1 + μ‖ΔS‖_F, ‖Y‖∞/λ) is dual feasible and
 * its ⟨·, M⟩ a lower bound; (M − S, S) is primal feasible with
 * ‖M − S‖_* ≤ ‖L‖_* + √min(T, N)·‖M − L − S‖_F, an upper bound. When
 * that cheap bound is too loose, ‖Y‖₂ is computed from YᵀY; when even
 * then the gap is open (a huge μ stalls the dual ascent), the iteration
 * continues as ADMM with the fixed μ = TN/(4‖M‖₁) of Candès et al.
 * (2011, §5), which converges to the optimum.
 *
 * References:
 * - E. J. Candès, X. Li, Y. Ma, J. Wright (2011), "Robust principal
 *   component analysis?", J. ACM 58(3), 11. doi:10.1145/1970392.1970395
 * - Z. Lin, M. Chen, Y. Ma (2010), "The augmented Lagrange multiplier
 *   method for exact recovery of corrupted low-rank matrices",
 *   arXiv:1009.5055.
 *
 * @example
 * // a rank-one 3×3 matrix with no outliers comes back as L = M, S = 0
 * principalComponentPursuit(Float64Array.of(1, 2, 3, 2, 4, 6, 3, 6, 9), 3, 3, { lambda: 1 / Math.sqrt(3), tol: 1e-9, gapTolerance: 1e-6, maxIterations: 500 }, new Prng(42)).rank // => 1
 */
export interface PcpSettings {
  lambda: number;
  /** Relative residual ‖M − L − S‖_F / ‖M‖_F to reach. */
  tol: number;
  /** Relative duality gap to certify (SPEC: 1e-6). */
  gapTolerance: number;
  maxIterations: number;
}

export interface PcpResult {
  /** T×N row-major. */
  low: Float64Array;
  /** T×N row-major. */
  sparse: Float64Array;
  /** Singular values of L, descending. */
  singularValues: Float64Array;
  rank: number;
  iterations: number;
  relativeError: number;
  /** ‖L‖_* + λ‖S‖₁. */
  objective: number;
  /** The certified lower bound ⟨Ŷ, M⟩ and the relative gap (upper − lower)/upper. */
  dualBound: number;
  relativeGap: number;
  converged: boolean;
  /** The final multiplier Y (T×N), the dual certificate. */
  dual: Float64Array;
}

const RHO = 1.5;
const MU_GROWTH_CAP = 1e7;
const SVD_TOL = 1e-12;
const SVD_MAX_ITERATIONS = 60;

export function principalComponentPursuit(
  m: Float64Array,
  rows: number,
  cols: number,
  settings: PcpSettings,
  rng: Prng,
): PcpResult {
  const size = rows * cols;
  const { lambda } = settings;
  let normM = 0;
  let maxM = 0;
  for (let i = 0; i < size; i++) {
    normM += m[i]! * m[i]!;
    maxM = Math.max(maxM, Math.abs(m[i]!));
  }
  normM = Math.sqrt(normM);
  const two = spectralNorm(m, rows, cols, rng);
  const low = new Float64Array(size);
  const sparse = new Float64Array(size);
  const y = new Float64Array(size);
  const work = new Float64Array(size);
  const workT = new Float64Array(size);
  const lowRow = new Float64Array(cols);
  const empty = (converged: boolean) => ({
    low,
    sparse,
    singularValues: new Float64Array(0),
    rank: 0,
    iterations: 0,
    relativeError: 0,
    objective: 0,
    dualBound: 0,
    relativeGap: 0,
    converged,
    dual: y,
  });
  if (!(normM > 0)) return empty(true);
  const scale0 = 1 / Math.max(two, maxM / lambda);
  for (let i = 0; i < size; i++) y[i] = m[i]! * scale0;
  let mu = 1.25 / two;
  let growth = RHO;
  let absoluteSum = 0;
  for (let i = 0; i < size; i++) absoluteSum += Math.abs(m[i]!);
  const fixedMu = size / (4 * absoluteSum);
  const muBar = mu * MU_GROWTH_CAP;
  let warm: { basis: Float64Array; blockSize: number } | null = null;
  let singularValues = new Float64Array(0);
  let relativeError = 1;
  let objective = Number.NaN;
  let dualBound = Number.NaN;
  let relativeGap = Number.POSITIVE_INFINITY;
  let iterations = 0;
  let converged = false;
  const rootMin = Math.sqrt(Math.min(rows, cols));
  while (iterations < settings.maxIterations) {
    iterations++;
    const inverseMu = 1 / mu;
    for (let i = 0; i < size; i++) work[i] = m[i]! - sparse[i]! + y[i]! * inverseMu;
    transposeInto(work, rows, cols, workT);
    // The SVT needs to be exact only as the iterates settle: ask for 1e-2 of the current residual.
    const svdTol = Math.max(SVD_TOL, Math.min(1e-4, 1e-2 * relativeError));
    const svd = partialSvd(work, workT, rows, cols, inverseMu, warm, rng, svdTol, SVD_MAX_ITERATIONS);
    warm = { basis: svd.basis, blockSize: svd.blockSize };
    const rank = svd.values.length;
    singularValues = new Float64Array(rank);
    let nuclear = 0;
    for (let r = 0; r < rank; r++) {
      singularValues[r] = svd.values[r]! - inverseMu;
      nuclear += singularValues[r]!;
    }
    // L row by row (L_t = Σ_r s_r·u_rt·v_r), then the S step, the multiplier step
    // and the certificate's sums for that row, in one pass over memory.
    const shrink = lambda * inverseMu;
    let residualSquares = 0;
    let changeSquares = 0;
    let l1 = 0;
    let dualInner = 0;
    let dualMax = 0;
    for (let t = 0; t < rows; t++) {
      lowRow.fill(0);
      for (let r = 0; r < rank; r++) {
        const su = singularValues[r]! * svd.left[r * rows + t]!;
        const v = r * cols;
        for (let j = 0; j < cols; j++) lowRow[j]! += su * svd.right[v + j]!;
      }
      const base = t * cols;
      for (let j = 0; j < cols; j++) {
        const i = base + j;
        const l = lowRow[j]!;
        low[i] = l;
        const g = m[i]! - l + y[i]! * inverseMu;
        const next = g > shrink ? g - shrink : g < -shrink ? g + shrink : 0;
        const change = next - sparse[i]!;
        changeSquares += change * change;
        sparse[i] = next;
        l1 += next < 0 ? -next : next;
        const z = m[i]! - l - next;
        residualSquares += z * z;
        const yi = y[i]! + mu * z;
        y[i] = yi;
        dualInner += yi * m[i]!;
        const ay = yi < 0 ? -yi : yi;
        if (ay > dualMax) dualMax = ay;
      }
    }
    relativeError = Math.sqrt(residualSquares) / normM;
    objective = nuclear + lambda * l1;
    const upper = objective + rootMin * Math.sqrt(residualSquares);
    const gapFor = (spectral: number) => {
      dualBound = dualInner / Math.max(spectral, dualMax / lambda);
      relativeGap = (upper - dualBound) / Math.max(upper, Number.MIN_VALUE);
      return relativeGap <= settings.gapTolerance;
    };
    const muUsed = mu;
    mu = Math.min(mu * growth, muBar);
    if (relativeError <= settings.tol) {
      // The cheap bound first; when it is too loose, ‖Y‖₂ itself from the Gram matrix YᵀY.
      let certified = gapFor(1 + muUsed * Math.sqrt(changeSquares));
      if (!certified) {
        transposeInto(y, rows, cols, workT);
        certified = gapFor(dualSpectralNorm(workT, rows, cols));
      }
      if (certified) {
        converged = true;
        break;
      }
      // Feasible but not yet optimal: a huge μ stalls the dual ascent, so continue as
      // ADMM with Candès et al.'s fixed μ = TN/(4‖M‖₁), which converges to the optimum.
      growth = 1;
      mu = Math.min(mu, fixedMu);
    }
  }
  return {
    low,
    sparse,
    singularValues,
    rank: singularValues.length,
    iterations,
    relativeError,
    objective,
    dualBound,
    relativeGap,
    converged,
    dual: y,
  };
}

/**
 * ‖M‖₂, the largest singular value, by power iteration on MᵀM (to 1e-6
 * relative change, at most 100 steps); it only scales μ₀ and Y₀, so its
 * accuracy does not affect the solution.
 */
export function spectralNorm(m: Float64Array, rows: number, cols: number, rng: Prng): number {
  const v = new Float64Array(cols);
  for (let j = 0; j < cols; j++) v[j] = rng.normal();
  const u = new Float64Array(rows);
  let sigma = 0;
  for (let step = 0; step < 100; step++) {
    multiplyBasis(m, rows, cols, v, 1, u);
    transposeMultiply(m, rows, cols, u, 1, v);
    let norm = 0;
    for (let j = 0; j < cols; j++) norm += v[j]! * v[j]!;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) return 0;
    for (let j = 0; j < cols; j++) v[j]! /= norm;
    const next = Math.sqrt(norm);
    if (Math.abs(next - sigma) <= 1e-6 * next) return next;
    sigma = next;
  }
  return sigma;
}

/** out (N×T) = aᵀ for a T×N, in 32×32 tiles so both sides stay in cache. */
function transposeInto(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  const tile = 32;
  for (let t0 = 0; t0 < rows; t0 += tile) {
    const t1 = Math.min(rows, t0 + tile);
    for (let j0 = 0; j0 < cols; j0 += tile) {
      const j1 = Math.min(cols, j0 + tile);
      for (let t = t0; t < t1; t++) for (let j = j0; j < j1; j++) out[j * rows + t] = a[t * cols + j]!;
    }
  }
}

/**
 * ‖Y‖₂ for the certificate, from G = YᵀY (N×N): its top eigenvalue by
 * Householder + implicit QL (all eigenvalues of a 200×200 matrix in a few
 * ms; power iteration needed thousands of steps on the clustered top of an
 * optimal dual). `yt` is Yᵀ (N×T).
 */
function dualSpectralNorm(yt: Float64Array, rows: number, cols: number): number {
  const gram = new Float64Array(cols * cols);
  gramRows(yt, cols, rows, gram);
  return Math.sqrt(Math.max(0, symmetricEigenvalues(gram, cols)[cols - 1]!));
}
