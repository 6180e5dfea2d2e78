/**
 * Eigen-decomposition of a small real symmetric matrix by the cyclic
 * Jacobi method: A = V·diag(λ)·Vᵀ with orthonormal V.
 *
 * Method: sweeps of plane rotations annihilating each off-diagonal entry
 * in turn (Rutishauser's formulation, with the threshold strategy of the
 * first three sweeps), until the off-diagonal mass is below machine
 * precision relative to the diagonal. Jacobi computes small eigenvalues to
 * high relative accuracy, which matters here: the predictability
 * eigenvalues of Box–Tiao and greedy search are the *smallest* ones.
 * O(n³) per sweep, about 6–10 sweeps: meant for n up to a few hundred.
 *
 * References:
 * - H. Rutishauser (1966), "The Jacobi method for real symmetric matrices",
 *   Numer. Math. 9, 1–10. doi:10.1007/BF02165223
 * - W. H. Press et al. (2007), *Numerical Recipes*, 3rd ed., §11.1.
 * - J. Demmel, K. Veselić (1992), "Jacobi's method is more accurate than QR",
 *   SIAM J. Matrix Anal. Appl. 13(4). doi:10.1137/0613074
 *
 * @param a symmetric n×n, row-major (not modified)
 * @returns eigenvalues ascending; vectors n×n row-major, column k the
 *   eigenvector of values[k], sign fixed so its largest-magnitude entry is positive
 *
 * @example
 * symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
 * // => { values: [1, 3], vectors: [0.7071…, 0.7071…, -0.7071…, 0.7071…] }
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a.subarray(0, n * n));
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const d = new Float64Array(n);
  const b = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    d[i] = m[i * n + i]!;
    b[i] = d[i]!;
  }
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) off += Math.abs(m[p * n + q]!);
    if (off === 0) break;
    const threshold = sweep < 3 ? (0.2 * off) / (n * n) : 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        const g = 100 * Math.abs(apq);
        if (sweep > 3 && Math.abs(d[p]!) + g === Math.abs(d[p]!) && Math.abs(d[q]!) + g === Math.abs(d[q]!)) {
          m[p * n + q] = 0;
          continue;
        }
        if (Math.abs(apq) <= threshold) continue;
        const hdiff = d[q]! - d[p]!;
        let t: number;
        if (Math.abs(hdiff) + g === Math.abs(hdiff)) t = apq / hdiff;
        else {
          const theta = (0.5 * hdiff) / apq;
          t = 1 / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
          if (theta < 0) t = -t;
        }
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        const tau = s / (1 + c);
        const h = t * apq;
        z[p]! -= h;
        z[q]! += h;
        d[p]! -= h;
        d[q]! += h;
        m[p * n + q] = 0;
        for (let j = 0; j < p; j++) rotate(m, j * n + p, j * n + q, s, tau);
        for (let j = p + 1; j < q; j++) rotate(m, p * n + j, j * n + q, s, tau);
        for (let j = q + 1; j < n; j++) rotate(m, p * n + j, q * n + j, s, tau);
        for (let j = 0; j < n; j++) rotate(v, j * n + p, j * n + q, s, tau);
      }
    }
    for (let p = 0; p < n; p++) {
      b[p]! += z[p]!;
      d[p] = b[p]!;
      z[p] = 0;
    }
  }
  return sortedPairs(d, v, n);
}

function rotate(m: Float64Array, ij: number, kl: number, s: number, tau: number): void {
  const g = m[ij]!;
  const h = m[kl]!;
  m[ij] = g - s * (h + g * tau);
  m[kl] = h + s * (g - h * tau);
}

function sortedPairs(
  d: Float64Array,
  v: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]! || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, k) => {
    values[k] = d[from]!;
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(v[i * n + from]!) > Math.abs(v[big * n + from]!)) big = i;
    const sign = v[big * n + from]! < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vectors[i * n + k] = sign * v[i * n + from]!;
  });
  return { values, vectors };
}
