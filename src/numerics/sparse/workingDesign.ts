import { GRAM_WASM_BASE64 } from "../wasm/generated/gramWasm.js";
import { ensureKernelMemory, kernelModule } from "../wasm/kernelMemory.js";
import type { CentredProblem } from "./regressionStatistics.js";

/**
 * The design [x₁ … x_p, y] of a regression with intercept as the
 * working-set elastic net (workingSet.ts) uses it: centred statistics of
 * every predictor, the gradient Xᵀr for those outside the working set, and
 * the Gram block of the working set, which grows and is never recomputed.
 *
 * Where the work runs, and why: the passes over all p predictors (the
 * statistics, Xᵀr) read the columns where the reader left them, in
 * JavaScript. Copying them into WebAssembly memory for SIMD passes would
 * touch p·n·8 bytes of fresh memory, and on this kind of machine a fresh
 * page costs more than the passes it would speed up (measured: 24 MB, about
 * 60–90 ms of page faults in a fresh process, against ~1 ms per pass). Only
 * the working set's rows are copied, centred, into the Gram kernel's memory
 * (src/numerics/wasm/gram.wat), where their block is extended as predictors join.
 *
 * Centring: y, and each predictor as it joins the block, is shifted by its
 * mean and then by the mean of what is left (a two-pass corrected mean), so
 * the centred rows sum to zero to rounding even for large offsets
 * (1e7 + noise).
 */
interface GramExports {
  gram(y: number, np: number, stride: number, out: number, i0: number, i1: number): void;
  centre(row: number, length: number, shift: number): number;
}

interface Kernel {
  memory: WebAssembly.Memory;
  exports: GramExports;
}

/** Largest memory the block may take (32-bit addresses, as the other kernels). */
const MAX_BYTES = 2 ** 31 - 65536;
/** Predictors the block holds before it first grows. */
const FIRST_CAPACITY = 64;

let kernel: Kernel | undefined;

function instance(): Kernel {
  if (kernel === undefined) {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
    const exports = new WebAssembly.Instance(kernelModule(GRAM_WASM_BASE64), { env: { memory } })
      .exports as unknown as GramExports;
    kernel = { memory, exports };
  }
  return kernel;
}

export class WorkingDesign {
  readonly p: number;
  readonly n: number;
  /** Means of the predictors; refined (second pass) for those in the block. */
  readonly means: Float64Array;
  readonly yMean: number;
  /** Xᵀy, centred. */
  readonly xty: Float64Array;
  /** ‖x_j − x̄_j‖², and its square root. */
  readonly squares: Float64Array;
  readonly norms: Float64Array;
  /** yᵀy, centred. */
  readonly yty: number;
  /** The predictors of the Gram block, in the order they joined it. */
  readonly cached: number[] = [];

  private readonly columns: Float64Array[];
  private readonly centredTarget: Float64Array;
  private readonly residual: Float64Array;
  private readonly previousResidual: Float64Array;
  /** g_j when it was last computed, and how far the residual may have moved since. */
  private readonly lastGradient: Float64Array;
  private readonly drift: Float64Array;
  private readonly stride: number;
  private capacity = 0;

  constructor(predictors: Float64Array[], target: Float64Array) {
    this.columns = predictors;
    this.p = predictors.length;
    this.n = target.length;
    this.stride = this.n + (this.n % 2);
    const { mean, centred } = centredCopy(target);
    this.yMean = mean;
    this.centredTarget = centred;
    this.residual = Float64Array.from(centred);
    this.previousResidual = new Float64Array(this.n);
    this.yty = centredProduct(centred, 0, centred);
    this.means = new Float64Array(this.p);
    this.xty = new Float64Array(this.p);
    this.squares = new Float64Array(this.p);
    for (let j = 0; j < this.p; j++) this.describe(j);
    this.norms = this.squares.map(Math.sqrt);
    this.lastGradient = Float64Array.from(this.xty);
    this.drift = new Float64Array(this.p);
  }

  /**
   * Mean, ‖x_j − x̄_j‖² and (x_j − x̄_j)ᵀy: one pass for the mean, one for
   * both products, each with four partial sums per quantity so that the
   * loops are not bound by the add's latency.
   */
  private describe(j: number): void {
    const x = this.columns[j]!;
    const y = this.centredTarget;
    const n = this.n;
    const mean = sumOf(x) / n;
    let q0 = 0;
    let q1 = 0;
    let q2 = 0;
    let q3 = 0;
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    let t = 0;
    for (; t + 3 < n; t += 4) {
      const d0 = x[t]! - mean;
      const d1 = x[t + 1]! - mean;
      const d2 = x[t + 2]! - mean;
      const d3 = x[t + 3]! - mean;
      q0 += d0 * d0;
      q1 += d1 * d1;
      q2 += d2 * d2;
      q3 += d3 * d3;
      p0 += d0 * y[t]!;
      p1 += d1 * y[t + 1]!;
      p2 += d2 * y[t + 2]!;
      p3 += d3 * y[t + 3]!;
    }
    for (; t < n; t++) {
      const d = x[t]! - mean;
      q0 += d * d;
      p0 += d * y[t]!;
    }
    this.means[j] = mean;
    this.squares[j] = q0 + q1 + (q2 + q3);
    this.xty[j] = p0 + p1 + (p2 + p3);
  }

  /**
   * r = (y − ȳ) − Σ_j b_j·(x_j − x̄_j), then out_j = (x_j − x̄_j)ᵀr for every
   * predictor not in the block that could violate its optimality condition
   * (|out_j| > l1; out_j > l1 with `positive`); out_j = 0 for the others,
   * and those in the block are left as they are. Returns how many were
   * computed.
   *
   * Screening (safe: it never skips a violator): since g_j was last computed
   * the residual has moved by at most the sum D_j of the rounds' ‖Δr‖, and
   * by Cauchy–Schwarz |g_j − g_j,last| ≤ ‖x_j‖·D_j. A predictor whose
   * |g_j,last| + ‖x_j‖·D_j stays below l1 (with a margin for rounding)
   * cannot violate now, and its pass over the rows is skipped.
   */
  gradientOutside(
    b: Float64Array,
    inBlock: Uint8Array,
    out: Float64Array,
    l1: number,
    positive: boolean,
  ): number {
    const r = this.residual;
    const previous = this.previousResidual;
    previous.set(r);
    r.set(this.centredTarget);
    for (let j = 0; j < this.p; j++) {
      const bj = b[j]!;
      if (bj === 0) continue;
      const x = this.columns[j]!;
      const mean = this.means[j]!;
      for (let t = 0; t < this.n; t++) r[t] -= bj * (x[t]! - mean);
    }
    let moved = 0;
    let size = 0;
    for (let t = 0; t < this.n; t++) {
      const d = r[t]! - previous[t]!;
      moved += d * d;
      size += r[t]! * r[t]!;
    }
    // rounding in a computed g_j is below ~n·u·‖x_j‖·‖r‖: kept out of the margin
    const rounding = 4 * this.n * Number.EPSILON * Math.sqrt(size);
    let computed = 0;
    for (let j = 0; j < this.p; j++) {
      if (inBlock[j] === 1) continue;
      this.drift[j]! += Math.sqrt(moved);
      const last = this.lastGradient[j]!;
      const reach = (positive ? last : Math.abs(last)) + this.norms[j]! * (this.drift[j]! + rounding);
      if (reach < l1) {
        out[j] = 0;
        continue;
      }
      const g = centredProduct(this.columns[j]!, this.means[j]!, r);
      out[j] = g;
      this.lastGradient[j] = g;
      this.drift[j] = 0;
      computed++;
    }
    return computed;
  }

  /**
   * Adds predictors to the Gram block: their centred rows are copied into
   * the kernel's memory and only the new rows of the block's lower triangle
   * are computed. When the capacity is exceeded it doubles and the block is
   * recomputed once. False (nothing added) when the memory cannot grow.
   */
  extend(features: number[]): boolean {
    const size = this.cached.length + features.length;
    let first = this.cached.length;
    const k = instance();
    if (size > this.capacity) {
      const capacity = Math.min(
        roundUp4(this.p),
        Math.max(roundUp4(size), 2 * this.capacity, FIRST_CAPACITY),
      );
      if (this.blockBytes(capacity) > MAX_BYTES || !ensureKernelMemory(k.memory, this.blockBytes(capacity)))
        return false;
      this.capacity = capacity;
      first = 0;
    }
    const values = new Float64Array(k.memory.buffer);
    for (const j of features) {
      const row = this.cached.length;
      const at = row * this.stride;
      values.set(this.columns[j]!, at);
      if (this.stride !== this.n) values[at + this.n] = 0;
      const address = at * 8;
      const left = k.exports.centre(address, this.n, this.means[j]!) / this.n;
      k.exports.centre(address, this.n, left);
      this.means[j]! += left;
      this.cached.push(j);
    }
    // gram works on pairs of rows from an even row; rows past the cache only touch the upper triangle
    k.exports.gram(0, this.capacity, this.stride, this.gramOffset() * 8, first - (first % 2), size);
    return true;
  }

  /** The centred Gram problem of the predictors in the block, in block order. */
  problem(): CentredProblem {
    const size = this.cached.length;
    const values = new Float64Array(instance().memory.buffer);
    const block = this.gramOffset();
    const gram = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j <= i; j++) {
        const v = values[block + i * this.capacity + j]!;
        gram[i * size + j] = v;
        gram[j * size + i] = v;
      }
    }
    return {
      gram,
      xty: Float64Array.from(this.cached, (j) => this.xty[j]!),
      yty: this.yty,
      p: size,
      n: this.n,
      xMean: new Float64Array(size),
      yMean: 0,
    };
  }

  /** Where the Gram block starts (doubles): after `capacity` rows. */
  private gramOffset(): number {
    return this.capacity * this.stride;
  }

  private blockBytes(capacity: number): number {
    return 8 * (capacity * this.stride + capacity * capacity);
  }
}

/** The values minus their two-pass corrected mean, and that mean. */
function centredCopy(values: Float64Array): { mean: number; centred: Float64Array } {
  const n = values.length;
  const first = n > 0 ? sumOf(values) / n : 0;
  const centred = new Float64Array(n);
  for (let t = 0; t < n; t++) centred[t] = values[t]! - first;
  const left = n > 0 ? sumOf(centred) / n : 0;
  for (let t = 0; t < n; t++) centred[t]! -= left;
  return { mean: first + left, centred };
}

/** Σ_t values_t, in four partial sums (t mod 4). */
function sumOf(values: Float64Array): number {
  const n = values.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < n; t += 4) {
    s0 += values[t]!;
    s1 += values[t + 1]!;
    s2 += values[t + 2]!;
    s3 += values[t + 3]!;
  }
  for (; t < n; t++) s0 += values[t]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Σ_t (x_t − xMean)·y_t, four partial sums so the loop is not bound by the
 * add's latency.
 */
function centredProduct(x: Float64Array, xMean: number, y: Float64Array): number {
  const n = y.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < n; t += 4) {
    s0 += (x[t]! - xMean) * y[t]!;
    s1 += (x[t + 1]! - xMean) * y[t + 1]!;
    s2 += (x[t + 2]! - xMean) * y[t + 2]!;
    s3 += (x[t + 3]! - xMean) * y[t + 3]!;
  }
  for (; t < n; t++) s0 += (x[t]! - xMean) * y[t]!;
  return s0 + s1 + (s2 + s3);
}

function roundUp4(k: number): number {
  return Math.ceil(k / 4) * 4;
}
