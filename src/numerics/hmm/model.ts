/**
 * The Gaussian hidden Markov model as hftlab stores it: K states, d
 * features, flat row-major Float64Arrays. Whatever the covariance type, the
 * covariances are kept as K full d×d matrices (diagonal, spherical and tied
 * models simply have the corresponding structure), which is also the model
 * file's layout (SPEC §2 `hmm`).
 */
export type CovarianceType = "full" | "diag" | "spherical" | "tied";

export interface GaussianHmm {
  /** K, the number of hidden states. */
  states: number;
  /** d, the number of features (observed columns). */
  dimension: number;
  covariance: CovarianceType;
  /** π, length K. */
  startProb: Float64Array;
  /** A, K×K row-major: transmat[i·K + j] = P(s_t = j | s_{t−1} = i). */
  transmat: Float64Array;
  /** μ, K×d row-major. */
  means: Float64Array;
  /** Σ, K×d×d row-major. */
  covars: Float64Array;
}

/**
 * Number of free parameters of the model, for AIC/BIC: (K−1) start
 * probabilities, K(K−1) transition probabilities, K·d means, and per type
 * K·d(d+1)/2 (full), K·d (diag), K (spherical) or d(d+1)/2 (tied).
 *
 * @example parameterCount(2, 1, "full") // => 1 + 2 + 2 + 2 = 7
 */
export function parameterCount(states: number, dimension: number, covariance: CovarianceType): number {
  const k = states;
  const d = dimension;
  const triangle = (d * (d + 1)) / 2;
  const covarianceParameters =
    covariance === "full"
      ? k * triangle
      : covariance === "diag"
        ? k * d
        : covariance === "spherical"
          ? k
          : triangle;
  return k - 1 + k * (k - 1) + k * d + covarianceParameters;
}

/**
 * Akaike and Bayesian information criteria: AIC = 2p − 2ℓ, BIC = p·ln T − 2ℓ
 * (Schwarz 1978, doi:10.1214/aos/1176344136), T the number of observations.
 *
 * @example informationCriteria(-100, 7, 1000) // => { aic: 214, bic: 248.35… }
 */
export function informationCriteria(
  logLikelihood: number,
  parameters: number,
  observations: number,
): { aic: number; bic: number } {
  return {
    aic: 2 * parameters - 2 * logLikelihood,
    bic: parameters * Math.log(observations) - 2 * logLikelihood,
  };
}

/**
 * The stationary distribution π of a K×K transition matrix: πA = π, Σπ = 1,
 * solved as the linear system (Aᵀ − I)π = 0 with one equation replaced by
 * Σπ = 1 (Gaussian elimination, partial pivoting). A reducible chain has no
 * unique answer: then NaNs are returned.
 *
 * @example stationaryDistribution(Float64Array.of(0.9, 0.1, 0.5, 0.5), 2) // => [0.8333…, 0.1666…]
 */
export function stationaryDistribution(transmat: Float64Array, states: number): Float64Array {
  const k = states;
  const m = new Float64Array(k * (k + 1));
  const w = k + 1;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) m[i * w + j] = transmat[j * k + i]! - (i === j ? 1 : 0);
  }
  for (let j = 0; j < k; j++) m[(k - 1) * w + j] = 1;
  m[(k - 1) * w + k] = 1;
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++)
      if (Math.abs(m[r * w + col]!) > Math.abs(m[pivot * w + col]!)) pivot = r;
    if (!(Math.abs(m[pivot * w + col]!) > 1e-13)) return new Float64Array(k).fill(Number.NaN);
    if (pivot !== col) {
      for (let c = 0; c < w; c++) {
        const tmp = m[col * w + c]!;
        m[col * w + c] = m[pivot * w + c]!;
        m[pivot * w + c] = tmp;
      }
    }
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = m[r * w + col]! / m[col * w + col]!;
      if (f === 0) continue;
      for (let c = col; c < w; c++) m[r * w + c] = m[r * w + c]! - f * m[col * w + c]!;
    }
  }
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) out[i] = Math.max(0, m[i * w + k]! / m[i * w + i]!);
  let total = 0;
  for (let i = 0; i < k; i++) total += out[i]!;
  for (let i = 0; i < k; i++) out[i] = out[i]! / total;
  return out;
}

/**
 * Expected sojourn time of each state in bars, 1/(1 − a_ii) (the mean of the
 * geometric duration distribution); Infinity for an absorbing state.
 *
 * @example expectedDurations(Float64Array.of(0.9, 0.1, 0.5, 0.5), 2) // => [10.000000000000002, 2]
 */
export function expectedDurations(transmat: Float64Array, states: number): Float64Array {
  const out = new Float64Array(states);
  for (let i = 0; i < states; i++) {
    const stay = transmat[i * states + i]!;
    out[i] = stay >= 1 ? Number.POSITIVE_INFINITY : 1 / (1 - stay);
  }
  return out;
}

/**
 * The same model with its states relabelled so that `order[new] = old`:
 * start probabilities, both indices of the transition matrix, means and
 * covariances are permuted together.
 */
export function permuteStates(model: GaussianHmm, order: ArrayLike<number>): GaussianHmm {
  const k = model.states;
  const d = model.dimension;
  const startProb = new Float64Array(k);
  const transmat = new Float64Array(k * k);
  const means = new Float64Array(k * d);
  const covars = new Float64Array(k * d * d);
  for (let a = 0; a < k; a++) {
    const oa = order[a]!;
    startProb[a] = model.startProb[oa]!;
    for (let b = 0; b < k; b++) transmat[a * k + b] = model.transmat[oa * k + order[b]!]!;
    means.set(model.means.subarray(oa * d, (oa + 1) * d), a * d);
    covars.set(model.covars.subarray(oa * d * d, (oa + 1) * d * d), a * d * d);
  }
  return { ...model, startProb, transmat, means, covars };
}

/**
 * The order that sorts states by ascending mean of the first feature (ties
 * by original index), so that state labels are stable across runs (SPEC §2).
 */
export function orderByFirstMean(model: GaussianHmm): number[] {
  const d = model.dimension;
  const order = Array.from({ length: model.states }, (_, i) => i);
  order.sort((a, b) => model.means[a * d]! - model.means[b * d]! || a - b);
  return order;
}

/**
 * Columns (one Float64Array per feature, all of length T) as the T×d
 * row-major matrix the HMM kernels read.
 *
 * @example rowMajor([Float64Array.of(1, 2), Float64Array.of(3, 4)]) // => [1, 3, 2, 4]
 */
export function rowMajor(columns: readonly Float64Array[]): Float64Array {
  const d = columns.length;
  const rows = d === 0 ? 0 : columns[0]!.length;
  const out = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) {
    const column = columns[j]!;
    for (let t = 0; t < rows; t++) out[t * d + j] = column[t]!;
  }
  return out;
}
