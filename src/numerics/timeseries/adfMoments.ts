import { laggedProductsWasm } from "./laggedProductsKernel.js";
/**
 * Cross products of the augmented Dickey–Fuller regression design
 *
 *     Δy_s  on  [ (1), y_{s−1}, Δy_{s−1}, …, Δy_{s−p} ],   s = s0 … N−1
 *
 * for any sample start s0 ≤ maxLag and lag count p ≤ s0, built from one set
 * of O(N·maxLag) sums instead of one regression per lag.
 *
 * Notation (0-based): d_u = y_{u+1} − y_u for u = 0 … M−1 (M = N − 1), and
 * the regression row for d_s has level y_s and lags d_{s−1} … d_{s−p}. Both
 * series are shifted first by their means (d̃ = d − c_d, ỹ = y − c_y) so no
 * sum suffers cancellation against a large mean (prices ~1e3 over millions
 * of rows).
 *
 * Method:
 * - every lag–lag product is a windowed autocovariance sum
 *   W_k(a, b) = Σ_{u=a}^{b} d̃_u d̃_{u+k}; the full sums G_k (u = 0 … M−1−k,
 *   k = 0 … maxLag) take one pass over the data per 4 lags (register-blocked,
 *   accumulated in chunks and folded with Neumaier compensation), and every
 *   window is G_k minus O(maxLag) head and tail terms, tabulated once;
 * - level–lag products use y_s = y_{s−j} + d_{s−1} + … + d_{s−j}, so
 *   Σ ỹ_s d̃_{s−j} = Σ ỹ_{s−j} d̃_{s−j} + Σ_{i≤j} (lag i · lag j) + j·c_d·Σ d̃_{s−j}:
 *   a windowed sum of ỹ_u d̃_u plus entries already in the Gram matrix;
 * - the constant is handled by centring: with an intercept, the Gram of
 *   the other columns is Σab − (Σa)(Σb)/n; without, the shifts are added
 *   back exactly (Σab + c_a Σb + c_b Σa + n c_a c_b).
 * Construction costs O(N·maxLag); each `gram` call O(lags²).
 *
 * Reference for the regression itself: S. E. Said, D. A. Dickey (1984),
 * "Testing for unit roots in autoregressive-moving average models of
 * unknown order", Biometrika 71(3), 599–607. doi:10.1093/biomet/71.3.599
 */
export class AdfMoments {
  /** Number of differences M = N − 1. */
  readonly differences: number;
  readonly maxLag: number;
  private readonly levelShift: number;
  private readonly differenceShift: number;
  /** G_k = Σ_{u=0}^{M−1−k} d̃_u d̃_{u+k}. */
  private readonly autocovariance: Float64Array;
  /** head[k·(maxLag+1) + a] = Σ_{u<a} d̃_u d̃_{u+k}. */
  private readonly productHead: Float64Array;
  /** tail[k·(maxLag+1) + j] = Σ_{u=M−j}^{M−1−k} d̃_u d̃_{u+k}, j ≥ k. */
  private readonly productTail: Float64Array;
  /** For ỹ², ỹd̃, ỹ, d̃ (in that order): totals over u = 0 … M−1, heads (u < a) and tails (u ≥ M − j). */
  private readonly seriesTotal: Float64Array;
  private readonly seriesHead: Float64Array;
  private readonly seriesTail: Float64Array;
  /** Trend sums, built on the first `trendCross` call (ct and ctt only). */
  private trend: TrendSums | undefined;
  private readonly level: Float64Array;
  private readonly centredDifference: Float64Array;
  /** The memory the sums live in, and scratch for the regressions built from them. */
  readonly memory: AdfWorkspace;

  /**
   * @param y level series, length N ≥ 2·maxLag + 3
   * @param maxLag the largest lag any later `gram` call will use
   * @param workspace memory to build the sums in instead of allocating it, when its
   *   length and maxLag are these (a scan of many series of one length reuses one)
   */
  constructor(y: Float64Array, maxLag: number, workspace?: AdfWorkspace) {
    const m = y.length - 1;
    this.differences = m;
    this.maxLag = maxLag;
    const memory = workspace?.fits(y.length, maxLag) ? workspace : new AdfWorkspace(y.length, maxLag);
    this.memory = memory;
    const difference = memory.difference;
    // Readable version (neumaierSum: stats/summation.ts): d_u = y_{u+1} − y_u; levelShift = neumaierSum(y, 0, m)/m;
    // differenceShift = neumaierSum(d, 0, m)/m. The three in one pass, each sum as neumaierSum
    // forms it (the same operations in the same order, so the same doubles): two independent
    // chains of additions overlap instead of each waiting on its own latency.
    let levelSum = 0;
    let levelCompensation = 0;
    let differenceSum = 0;
    let differenceCompensation = 0;
    for (let u = 0; u < m; u++) {
      const level = y[u]!;
      const step = y[u + 1]! - level;
      difference[u] = step;
      let next = levelSum + level;
      let virtual = next - levelSum;
      levelCompensation += levelSum - (next - virtual) + (level - virtual);
      levelSum = next;
      next = differenceSum + step;
      virtual = next - differenceSum;
      differenceCompensation += differenceSum - (next - virtual) + (step - virtual);
      differenceSum = next;
    }
    this.levelShift = (levelSum + levelCompensation) / m;
    this.differenceShift = (differenceSum + differenceCompensation) / m;
    this.seriesTotal = memory.seriesTotal;
    centredSeriesSums(y, this.levelShift, difference, this.differenceShift, this.seriesTotal);
    this.level = y;
    this.centredDifference = difference;
    this.autocovariance = laggedProductSums(difference, maxLag, memory.autocovariance);

    const side = maxLag + 1;
    this.productHead = memory.productHead;
    this.productTail = memory.productTail;
    for (let k = 0; k <= maxLag; k++) {
      let head = 0;
      for (let a = 1; a <= maxLag; a++) {
        head += difference[a - 1]! * difference[a - 1 + k]!;
        this.productHead[k * side + a] = head;
      }
      let tail = 0;
      for (let j = k + 1; j <= maxLag; j++) {
        const u = m - j;
        tail += difference[u]! * difference[u + k]!;
        this.productTail[k * side + j] = tail;
      }
    }

    this.seriesHead = memory.seriesHead;
    this.seriesTail = memory.seriesTail;
    for (let a = 1; a <= maxLag; a++) {
      const u = a - 1;
      const uTail = m - a;
      addSeriesTerms(this.seriesHead, 4 * (a - 1), 4 * a, y[u]! - this.levelShift, difference[u]!);
      addSeriesTerms(this.seriesTail, 4 * (a - 1), 4 * a, y[uTail]! - this.levelShift, difference[uTail]!);
    }
  }

  /**
   * Writes the symmetric (lags+2)×(lags+2) cross-product matrix of
   * [y_{s−1}, Δy_{s−1}, …, Δy_{s−lags}, Δy_s] over s = sampleStart … M−1
   * (row-major, stride lags+2), centred on the sample means when
   * `withConstant`, raw otherwise.
   *
   * @returns the number of observations n = M − sampleStart
   */
  gram(sampleStart: number, lags: number, withConstant: boolean, out: Float64Array): number {
    const side = this.maxLag + 1;
    const size = lags + 2;
    const yIndex = lags + 1;
    const s0 = sampleStart;
    const n = this.differences - s0;
    const window = (k: number, a: number, j: number): number =>
      this.autocovariance[k]! - this.productHead[k * side + a]! - this.productTail[k * side + j]!;
    // Series window [a, M−1−j] of quantity q (0 ỹ², 1 ỹd̃, 2 ỹ, 3 d̃).
    const series = (q: number, a: number, j: number): number =>
      this.seriesTotal[q]! - this.seriesHead[4 * a + q]! - this.seriesTail[4 * j + q]!;

    // every entry of both is written below before it is read
    const sums = this.memory.sums;
    const shifts = this.memory.shifts;
    sums[0] = series(2, s0, 0);
    shifts[0] = this.levelShift;
    for (let j = 1; j <= lags; j++) {
      sums[j] = series(3, s0 - j, j);
      shifts[j] = this.differenceShift;
    }
    sums[yIndex] = series(3, s0, 0);
    shifts[yIndex] = this.differenceShift;

    out[0] = series(0, s0, 0);
    out[yIndex * size + yIndex] = window(0, s0, 0);
    out[yIndex] = series(1, s0, 0);
    for (let j = 1; j <= lags; j++) {
      out[j * size + yIndex] = window(j, s0 - j, j);
      let levelLag = series(1, s0 - j, j) + j * this.differenceShift * sums[j]!;
      for (let i = 1; i <= j; i++) {
        const lagLag = window(j - i, s0 - j, j);
        out[i * size + j] = lagLag;
        levelLag += lagLag;
      }
      out[j] = levelLag;
    }
    for (let i = 0; i < size; i++) {
      for (let j = i; j < size; j++) {
        const v = out[i * size + j]!;
        const adjusted = withConstant
          ? v - (sums[i]! * sums[j]!) / n
          : v + shifts[i]! * sums[j]! + shifts[j]! * sums[i]! + n * shifts[i]! * shifts[j]!;
        out[i * size + j] = adjusted;
        out[j * size + i] = adjusted;
      }
    }
    return n;
  }

  /**
   * Column sums and trend cross products over s = sampleStart … M−1 for the
   * same columns as `gram` ([y_{s−1}, Δy_{s−1}, …, Δy_{s−lags}, Δy_s], each
   * shifted as there): `sums[i]` = Σ col_i, and for the trend powers
   * τ_s^k (k = 1 … order, τ_s = (s − M/2)/(M/2) ∈ [−1, 1], an affine
   * rescaling of statsmodels' 1, 2, … that spans the same columns with the
   * constant) `cross[(k−1)·size + i]` = Σ τ_s^k·col_i, and
   * `powers[k]` = Σ τ_s^k for k = 0 … 2·order.
   *
   * Σ τ_s^k d̃_{s−j} = Σ_u τ(u + j)^k d̃_u is expanded binomially in τ_u and
   * j/h, so every entry is a window of the per-u sums Σ τ_u^q d̃_u, taken
   * from totals minus heads and tails as in `gram`. O(lags·order²) a call
   * after one O(N) pass, plus O(n) for the sums of τ's powers.
   */
  trendCross(
    sampleStart: number,
    lags: number,
    order: 1 | 2,
    sums: Float64Array,
    cross: Float64Array,
    powers: Float64Array,
  ): void {
    const m = this.differences;
    const trend = this.trendSums();
    const h = trend.half;
    const size = lags + 2;
    const s0 = sampleStart;
    // window [a, M−1−j] of Σ τ_u^q d̃_u (q = 0, 1, 2) and of Σ τ_u^q ỹ_u
    const differenceWindow = (q: number, a: number, j: number): number =>
      trend.difference[q]! - trend.differenceHead[3 * a + q]! - trend.differenceTail[3 * j + q]!;
    const levelWindow = (q: number, a: number): number => trend.level[q]! - trend.levelHead[3 * a + q]!;
    const column = (j: number, out: Float64Array): void => {
      // Σ_u τ(u + j)^k d̃_u over u ∈ [s0 − j, M − 1 − j], k = 0, 1, 2
      const shift = j / h;
      const d0 = differenceWindow(0, s0 - j, j);
      const d1 = differenceWindow(1, s0 - j, j);
      const d2 = differenceWindow(2, s0 - j, j);
      out[0] = d0;
      out[1] = d1 + shift * d0;
      out[2] = d2 + 2 * shift * d1 + shift * shift * d0;
    };
    const parts = new Float64Array(3);
    // level ỹ_s, s ∈ [s0, M − 1]
    sums[0] = levelWindow(0, s0);
    cross[0] = levelWindow(1, s0);
    if (order === 2) cross[size] = levelWindow(2, s0);
    for (let i = 1; i < size; i++) {
      // column i is lag i, or Δy_s itself (lag 0) for the last
      column(i === size - 1 ? 0 : i, parts);
      sums[i] = parts[0]!;
      cross[i] = parts[1]!;
      if (order === 2) cross[size + i] = parts[2]!;
    }
    // Σ τ_s^k over s ∈ [s0, M − 1]
    powers.fill(0);
    for (let s = s0; s < m; s++) {
      const tau = (s - h) / h;
      let v = 1;
      for (let k = 0; k <= 2 * order; k++) {
        powers[k] = powers[k]! + v;
        v *= tau;
      }
    }
  }

  private trendSums(): TrendSums {
    if (this.trend !== undefined) return this.trend;
    const m = this.differences;
    const maxLag = this.maxLag;
    const half = m / 2;
    const d = this.centredDifference;
    const y = this.level;
    const shift = this.levelShift;
    const difference = new Float64Array(3);
    const level = new Float64Array(3);
    const differenceHead = new Float64Array(3 * (maxLag + 1));
    const differenceTail = new Float64Array(3 * (maxLag + 1));
    const levelHead = new Float64Array(3 * (maxLag + 1));
    const dc = new Float64Array(3);
    const lc = new Float64Array(3);
    for (let u = 0; u < m; u++) {
      const tau = (u - half) / half;
      const dv = d[u]!;
      const lv = y[u]! - shift;
      fold(difference, dc, 0, dv);
      fold(difference, dc, 1, tau * dv);
      fold(difference, dc, 2, tau * tau * dv);
      fold(level, lc, 0, lv);
      fold(level, lc, 1, tau * lv);
      fold(level, lc, 2, tau * tau * lv);
    }
    for (let q = 0; q < 3; q++) {
      difference[q] = difference[q]! + dc[q]!;
      level[q] = level[q]! + lc[q]!;
    }
    for (let a = 1; a <= maxLag; a++) {
      const u = a - 1;
      const tau = (u - half) / half;
      const uTail = m - a;
      const tauTail = (uTail - half) / half;
      for (let q = 0, head = 1, tail = 1, lhead = 1; q < 3; q++) {
        differenceHead[3 * a + q] = differenceHead[3 * (a - 1) + q]! + head * d[u]!;
        differenceTail[3 * a + q] = differenceTail[3 * (a - 1) + q]! + tail * d[uTail]!;
        levelHead[3 * a + q] = levelHead[3 * (a - 1) + q]! + lhead * (y[u]! - shift);
        head *= tau;
        lhead *= tau;
        tail *= tauTail;
      }
    }
    this.trend = { half, difference, level, differenceHead, differenceTail, levelHead };
    return this.trend;
  }
}

/** Length of `laggedProductSums`' output: maxLag + 1 rounded up to a multiple of 4. */
export function laggedProductLength(maxLag: number): number {
  return Math.ceil((maxLag + 1) / 4) * 4;
}

/**
 * The memory `AdfMoments` builds its sums in, for one series length and one
 * maxLag. A pairs scan runs one ADF regression per pair on residuals of the
 * same length: reusing one workspace saves ~20 kB of allocation per test and
 * the garbage collection it causes, and changes no number (every entry read
 * is either written again by the next construction or never written, so 0).
 */
export class AdfWorkspace {
  readonly difference: Float64Array;
  readonly autocovariance: Float64Array;
  readonly productHead: Float64Array;
  readonly productTail: Float64Array;
  readonly seriesTotal = new Float64Array(4);
  readonly seriesHead: Float64Array;
  readonly seriesTail: Float64Array;
  /** Scratch for a (maxLag+2)² cross-product matrix and vectors of maxLag+2 (`gram`, `adfTest`). */
  readonly matrix: Float64Array;
  readonly vector: Float64Array;
  readonly sums: Float64Array;
  readonly shifts: Float64Array;

  constructor(
    readonly length: number,
    readonly maxLag: number,
  ) {
    const side = maxLag + 1;
    this.difference = new Float64Array(Math.max(0, length - 1));
    this.autocovariance = new Float64Array(laggedProductLength(maxLag));
    this.productHead = new Float64Array(side * side);
    this.productTail = new Float64Array(side * side);
    this.seriesHead = new Float64Array(4 * side);
    this.seriesTail = new Float64Array(4 * side);
    this.matrix = new Float64Array((maxLag + 2) * (maxLag + 2));
    this.vector = new Float64Array(maxLag + 2);
    this.sums = new Float64Array(maxLag + 2);
    this.shifts = new Float64Array(maxLag + 2);
  }

  /** Whether this workspace is laid out for a series of `length` values and `maxLag`. */
  fits(length: number, maxLag: number): boolean {
    return this.length === length && this.maxLag === maxLag;
  }
}

interface TrendSums {
  half: number;
  /** Σ τ_u^q d̃_u and Σ τ_u^q ỹ_u over u = 0 … M−1, q = 0, 1, 2. */
  difference: Float64Array;
  level: Float64Array;
  /** Over u < a (index 3a + q) and, for differences, over u ≥ M − j (index 3j + q). */
  differenceHead: Float64Array;
  differenceTail: Float64Array;
  levelHead: Float64Array;
}

function addSeriesTerms(
  table: Float64Array,
  from: number,
  to: number,
  level: number,
  difference: number,
): void {
  table[to] = table[from]! + level * level;
  table[to + 1] = table[from + 1]! + level * difference;
  table[to + 2] = table[from + 2]! + level;
  table[to + 3] = table[from + 3]! + difference;
}

const CHUNK = 2048;

/** Rows × lag blocks from which `laggedProductSums` runs the WebAssembly block. */
const LAGGED_KERNEL_MIN_WORK = 2048;

/** Neumaier-folds `value` into (sums[i], compensations[i]). */
function fold(sums: Float64Array, compensations: Float64Array, i: number, value: number): void {
  const s = sums[i]!;
  const t = s + value;
  compensations[i] = compensations[i]! + (Math.abs(s) >= Math.abs(value) ? s - t + value : value - t + s);
  sums[i] = t;
}

/**
 * Centres the differences in place (d̃ = d − differenceShift), then Σỹ², Σỹd̃, Σỹ, Σd̃
 * (ỹ = y − levelShift) over u = 0 … M−1, chunked and Neumaier-folded; one pass for both.
 */
function centredSeriesSums(
  y: Float64Array,
  levelShift: number,
  difference: Float64Array,
  differenceShift: number,
  out: Float64Array,
): void {
  const sums = new Float64Array(4);
  const compensations = new Float64Array(4);
  const m = difference.length;
  for (let c = 0; c < m; c += CHUNK) {
    const end = Math.min(m, c + CHUNK);
    let yy = 0;
    let yd = 0;
    let ys = 0;
    let ds = 0;
    for (let u = c; u < end; u++) {
      const lv = y[u]! - levelShift;
      const dv = difference[u]! - differenceShift;
      difference[u] = dv;
      yy += lv * lv;
      yd += lv * dv;
      ys += lv;
      ds += dv;
    }
    fold(sums, compensations, 0, yy);
    fold(sums, compensations, 1, yd);
    fold(sums, compensations, 2, ys);
    fold(sums, compensations, 3, ds);
  }
  for (let q = 0; q < 4; q++) out[q] = sums[q]! + compensations[q]!;
}

/**
 * G_k = Σ_{u=0}^{M−1−k} d_u d_{u+k} for k = 0 … maxLag (entries beyond
 * maxLag up to the next multiple of 4 are computed too and can be ignored).
 *
 * Readable version: for (k) for (u) G[k] += d[u]·d[u+k]. Here the loop is
 * blocked 4 lags × 4 rows (4 + 7 loads feed 16 products; measured fastest
 * in V8 among 4/6/8 lags × 1/2/4/8 rows), one pass over d per 4 lags; sums
 * run in chunks of 2048 rows and the chunks are folded with Neumaier
 * compensation, so the rounding error grows with the chunk length, not N.
 * The inner loop runs as WebAssembly SIMD (laggedProductsKernel.ts) when the
 * series is long enough to repay copying it: the same products added in the
 * same order, so the same sums.
 */
export function laggedProductSums(
  d: Float64Array,
  maxLag: number,
  out: Float64Array = new Float64Array(laggedProductLength(maxLag)),
): Float64Array {
  const m = d.length;
  const blocks = Math.ceil((maxLag + 1) / 4);
  const sums = new Float64Array(4);
  const compensations = new Float64Array(4);
  // The WebAssembly block gives the loop's very sums; below a few hundred rows copying d costs more.
  const simd = m * blocks >= LAGGED_KERNEL_MIN_WORK ? laggedProductsWasm(d) : undefined;
  const partial = new Float64Array(4);
  for (let b = 0; b < blocks; b++) {
    const k0 = b * 4;
    sums.fill(0);
    compensations.fill(0);
    // Rows u < mainRows have all four partners d_{u+k0} … d_{u+k0+3}; a multiple of 4.
    const mainRows = Math.max(0, (m - 3 - k0) & ~3);
    for (let c = 0; c < mainRows; c += CHUNK) {
      const end = Math.min(mainRows, c + CHUNK);
      if (simd !== undefined) {
        simd.chunk(k0, c, end, partial);
        for (let r = 0; r < 4; r++) fold(sums, compensations, r, partial[r]!);
        continue;
      }
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let u = c; u < end; u += 4) {
        const v = u + k0;
        const d0 = d[u]!;
        const d1 = d[u + 1]!;
        const d2 = d[u + 2]!;
        const d3 = d[u + 3]!;
        const x0 = d[v]!;
        const x1 = d[v + 1]!;
        const x2 = d[v + 2]!;
        const x3 = d[v + 3]!;
        const x4 = d[v + 4]!;
        const x5 = d[v + 5]!;
        const x6 = d[v + 6]!;
        a0 += d0 * x0 + d1 * x1 + d2 * x2 + d3 * x3;
        a1 += d0 * x1 + d1 * x2 + d2 * x3 + d3 * x4;
        a2 += d0 * x2 + d1 * x3 + d2 * x4 + d3 * x5;
        a3 += d0 * x3 + d1 * x4 + d2 * x5 + d3 * x6;
      }
      fold(sums, compensations, 0, a0);
      fold(sums, compensations, 1, a1);
      fold(sums, compensations, 2, a2);
      fold(sums, compensations, 3, a3);
    }
    for (let r = 0; r < 4; r++) {
      const k = k0 + r;
      let tail = 0;
      for (let u = mainRows; u + k < m; u++) tail += d[u]! * d[u + k]!;
      fold(sums, compensations, r, tail);
      out[k] = sums[r]! + compensations[r]!;
    }
  }
  return out;
}
