import { GRAM_WASM_BASE64 } from "../wasm/generated/gramWasm.js";
import { ROWS_WASM_BASE64 } from "../wasm/generated/rowsWasm.js";
import type { CentredProblem } from "./regressionStatistics.js";
import { ensureKernelMemory, kernelModule } from "./kernelMemory.js";

/**
 * The centred design [x₁ … x_p, y] of a regression with intercept, copied
 * once into WebAssembly memory, for the working-set elastic net
 * (workingSet.ts): every pass over the predictors (Xᵀr, r = y − Xb) runs
 * there in SIMD (src/wasm/rows.wat), and the Gram block of the predictors
 * the fit has needed so far is kept and extended (src/wasm/gram.wat), never
 * recomputed.
 *
 * Centring: each column is shifted by its mean and then by the mean of what
 * is left (a two-pass corrected mean), so the rows sum to zero to rounding
 * even for large offsets (1e7 + noise); `means` are the two shifts added.
 *
 * Memory (doubles, rows of `stride` = n rounded up to even, zero-padded):
 * X (p rows) | y | r (the residual) | cache (`capacity` rows: the predictors
 * of the Gram block, in the order they were added) | the capacity×capacity
 * Gram block (lower triangle authoritative).
 */
interface RowsExports {
  dot(a: number, b: number, length: number): number;
  axpy(alpha: number, x: number, y: number, length: number): void;
  sum(row: number, length: number): number;
  shiftSum(row: number, length: number, by: number): number;
}

interface GramExports {
  gram(y: number, np: number, stride: number, out: number, i0: number, i1: number): void;
}

interface Kernels {
  memory: WebAssembly.Memory;
  rows: RowsExports;
  gram: GramExports;
}

/** Largest memory the design may take (32-bit addresses, as the other kernels). */
const MAX_BYTES = 2 ** 31 - 65536;

let kernels: Kernels | undefined;

function instances(): Kernels {
  if (kernels === undefined) {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
    const env = { env: { memory } };
    kernels = {
      memory,
      rows: new WebAssembly.Instance(kernelModule(ROWS_WASM_BASE64), env).exports as unknown as RowsExports,
      gram: new WebAssembly.Instance(kernelModule(GRAM_WASM_BASE64), env).exports as unknown as GramExports,
    };
  }
  return kernels;
}

/** Bytes of the design of p predictors over n rows with a Gram block of `capacity` predictors. */
function designBytes(p: number, n: number, capacity: number): number {
  const stride = n + (n % 2);
  return 8 * ((p + 2 + capacity) * stride + capacity * capacity);
}

export class ResidentDesign {
  readonly p: number;
  readonly n: number;
  /** Means of the predictors (data units). */
  readonly means: Float64Array;
  readonly yMean: number;
  /** Xᵀy, centred. */
  readonly xty: Float64Array;
  /** ‖x_j‖², centred. */
  readonly squares: Float64Array;
  /** yᵀy, centred. */
  readonly yty: number;
  /** The predictors of the Gram block, in the order they were added. */
  readonly cached: number[] = [];

  private readonly stride: number;
  private readonly rowBytes: number;
  private readonly kernels: Kernels;
  private values: Float64Array;
  private capacity = 0;
  private cacheRow = 0;
  private gramBlock = 0;

  /**
   * The design of `predictors` (columns) and `target`, or null when it
   * cannot fit the kernel's memory (the caller then uses the whole-Gram path).
   */
  static load(predictors: Float64Array[], target: Float64Array): ResidentDesign | null {
    const p = predictors.length;
    const n = target.length;
    const capacity = Math.min(roundUp4(p), 64);
    if (n === 0 || designBytes(p, n, capacity) > MAX_BYTES) return null;
    const k = instances();
    if (!ensureKernelMemory(k.memory, designBytes(p, n, capacity))) return null;
    return new ResidentDesign(predictors, target, k, capacity);
  }

  private constructor(predictors: Float64Array[], target: Float64Array, k: Kernels, capacity: number) {
    this.p = predictors.length;
    this.n = target.length;
    this.stride = this.n + (this.n % 2);
    this.rowBytes = this.stride * 8;
    this.kernels = k;
    this.values = new Float64Array(k.memory.buffer);
    this.means = new Float64Array(this.p);
    this.xty = new Float64Array(this.p);
    this.squares = new Float64Array(this.p);
    this.yMean = this.centredCopy(this.p, target);
    this.yty = k.rows.dot(this.rowAddress(this.p), this.rowAddress(this.p), this.stride);
    const y = this.rowAddress(this.p);
    for (let j = 0; j < this.p; j++) {
      this.means[j] = this.centredCopy(j, predictors[j]!);
      const x = this.rowAddress(j);
      this.xty[j] = k.rows.dot(x, y, this.stride);
      this.squares[j] = k.rows.dot(x, x, this.stride);
    }
    this.place(capacity);
  }

  /** Copies `column` into row `row`, centres it, and returns the mean removed. */
  private centredCopy(row: number, column: Float64Array): number {
    const { rows } = this.kernels;
    const at = row * this.stride;
    this.values.set(column, at);
    if (this.stride !== this.n) this.values[at + this.n] = 0;
    const address = this.rowAddress(row);
    const mean = rows.sum(address, this.n) / this.n;
    const left = rows.shiftSum(address, this.n, mean) / this.n;
    rows.shiftSum(address, this.n, left);
    return mean + left;
  }

  private rowAddress(row: number): number {
    return row * this.rowBytes;
  }

  /** Lays out the cache rows and the Gram block for `capacity` predictors. */
  private place(capacity: number): void {
    this.capacity = capacity;
    this.cacheRow = this.p + 2;
    this.gramBlock = (this.cacheRow + capacity) * this.stride;
  }

  /**
   * r = y − Σ_j b_j·x_j (centred), then out_j = x_jᵀr for every predictor
   * not in the Gram block (those in it are left as they are).
   */
  gradientOutside(b: Float64Array, inBlock: Uint8Array, out: Float64Array): void {
    const { rows } = this.kernels;
    const r = this.rowAddress(this.p + 1);
    const at = (this.p + 1) * this.stride;
    this.values.copyWithin(at, this.p * this.stride, (this.p + 1) * this.stride);
    for (let j = 0; j < this.p; j++) if (b[j] !== 0) rows.axpy(-b[j]!, this.rowAddress(j), r, this.stride);
    for (let j = 0; j < this.p; j++)
      if (inBlock[j] === 0) out[j] = rows.dot(this.rowAddress(j), r, this.stride);
  }

  /**
   * Adds predictors to the Gram block: their rows are copied into the cache
   * and only the new rows of the block's lower triangle are computed. When
   * the capacity is exceeded it doubles and the block is recomputed once.
   * False (nothing added) when the memory cannot grow.
   */
  extend(features: number[]): boolean {
    const size = this.cached.length + features.length;
    let first = this.cached.length;
    if (size > this.capacity) {
      const capacity = Math.min(roundUp4(this.p), Math.max(roundUp4(size), 2 * this.capacity));
      const k = this.kernels;
      if (!ensureKernelMemory(k.memory, designBytes(this.p, this.n, capacity))) return false;
      this.values = new Float64Array(k.memory.buffer);
      this.place(capacity);
      first = 0;
    }
    for (const j of features) {
      const to = (this.cacheRow + this.cached.length) * this.stride;
      this.values.copyWithin(to, j * this.stride, (j + 1) * this.stride);
      this.cached.push(j);
    }
    // gram works on pairs of rows from an even row; rows past the cache only touch the upper triangle
    const from = first - (first % 2);
    this.kernels.gram.gram(
      this.rowAddress(this.cacheRow),
      this.capacity,
      this.stride,
      this.gramBlock * 8,
      from,
      size,
    );
    return true;
  }

  /** The centred Gram problem of the predictors in the block, in block order. */
  problem(): CentredProblem {
    const size = this.cached.length;
    const gram = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j <= i; j++) {
        const v = this.values[this.gramBlock + i * this.capacity + j]!;
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
}

function roundUp4(k: number): number {
  return Math.ceil(k / 4) * 4;
}
