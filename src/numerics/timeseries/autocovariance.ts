/**
 * Biased sample autocovariances of a sequence, at every lag, by FFT:
 *
 *     acov[k] = (1/N)·Σ_{t=0}^{N−1−k} (x_t − x̄)(x_{t+k} − x̄),   k = 0..N−1
 *
 * (the "biased" estimator Geyer (1992) recommends for the initial sequence
 * estimators; acov[0] is the variance with ddof = 0).
 *
 * Method: the centred series is zero-padded to a power of two M ≥ 2N, so the
 * circular correlation computed as IFFT(|FFT(x)|²) equals the linear one;
 * O(N log N). Stan and the R package `posterior` compute the same quantity
 * the same way (posterior rescales by N² instead of N·M, which coincides
 * only when N is 2-3-5-smooth; this follows the definition).
 *
 * Reference: C. J. Geyer (1992), "Practical Markov chain Monte Carlo",
 * Statistical Science 7(4), 473–483. doi:10.1214/ss/1177011137
 *
 * @param x the sequence (not modified)
 * @returns a new Float64Array of N autocovariances
 * @example
 * autocovariance(Float64Array.of(1, 2, 3, 4)); // => [1.25, 0.3125, -0.375, -0.5625]
 */
export function autocovariance(x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let size = 1;
  while (size < 2 * n) size *= 2;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < n; i++) re[i] = x[i]! - mean;
  fftInPlace(re, im, false);
  for (let i = 0; i < size; i++) {
    re[i] = re[i]! * re[i]! + im[i]! * im[i]!;
    im[i] = 0;
  }
  fftInPlace(re, im, true);
  const scale = 1 / (size * n);
  for (let k = 0; k < n; k++) out[k] = re[k]! * scale;
  return out;
}

/**
 * Iterative radix-2 Cooley–Tukey FFT of (re, im) in place; `inverse`
 * flips the sign of the exponent and does not divide by the length.
 * The length must be a power of two.
 */
export function fftInPlace(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  for (let length = 2; length <= n; length <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / length;
    const half = length >> 1;
    for (let k = 0; k < half; k++) {
      // Twiddles from the angle directly (not by repeated multiplication), so errors do not accumulate.
      const wr = Math.cos(angle * k);
      const wi = Math.sin(angle * k);
      for (let start = 0; start < n; start += length) {
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}
