/**
 * The most probable state path of a hidden Markov chain (Viterbi 1967), in
 * log space so that no length underflows:
 *   δ_0(j) = ln π_j + ln b_0(j),
 *   δ_t(j) = max_i [δ_{t−1}(i) + ln a_ij] + ln b_t(j),   ψ_t(j) = argmax_i,
 * then backtracking from argmax_j δ_{T−1}(j). Ties go to the lowest index.
 *
 * Works for any emission model: `logEmission` is T×K of ln b_t(k).
 *
 * References: A. J. Viterbi (1967), IEEE Trans. Inf. Theory 13(2), 260–269,
 * doi:10.1109/TIT.1967.1054010; Rabiner (1989), §III.B.
 *
 * @returns the log probability of the best path jointly with the data, ln p(x, s*)
 * @example
 * // Wikipedia's "Healthy/Fever" example: observations normal, cold, dizzy
 * viterbi(logB, 3, 2, logPi, logA, path) // => ln 0.01512; path => [0, 0, 1] (Healthy, Healthy, Fever)
 */
export function viterbi(
  logEmission: Float64Array,
  rows: number,
  states: number,
  logStartProb: Float64Array,
  logTransmat: Float64Array,
  path: Int32Array,
): number {
  const k = states;
  if (rows === 0) return 0;
  const backPointer = new Int32Array(rows * k);
  let delta = new Float64Array(k);
  let next = new Float64Array(k);
  for (let j = 0; j < k; j++) delta[j] = logStartProb[j]! + logEmission[j]!;
  for (let t = 1; t < rows; t++) {
    const o = t * k;
    for (let j = 0; j < k; j++) {
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let i = 0; i < k; i++) {
        const v = delta[i]! + logTransmat[i * k + j]!;
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      next[j] = best + logEmission[o + j]!;
      backPointer[o + j] = arg;
    }
    const swap = delta;
    delta = next;
    next = swap;
  }
  let best = Number.NEGATIVE_INFINITY;
  let state = 0;
  for (let j = 0; j < k; j++) {
    if (delta[j]! > best) {
      best = delta[j]!;
      state = j;
    }
  }
  path[rows - 1] = state;
  for (let t = rows - 1; t > 0; t--) {
    state = backPointer[t * k + state]!;
    path[t - 1] = state;
  }
  return best;
}

/** Element-wise natural logarithm (ln 0 = −Infinity), for π and A before `viterbi`. */
export function logOf(x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!);
  return out;
}
