import { CHOLESKY_WASM_BASE64 } from "../wasm/generated/choleskyWasm.js";
import { ensureKernelMemory, kernelModule } from "../wasm/kernelMemory.js";

/**
 * The WebAssembly SIMD Cholesky column (src/numerics/wasm/cholesky.wat), driven here
 * column by column on a compact copy of the matrix. About four times the
 * speed of the scalar loop on a 500×500 covariance, whose single running sum
 * per entry waits on the latency of each addition.
 */

interface CholeskyExports {
  memory: WebAssembly.Memory;
  column(a: number, n: number, stride: number, j: number, floor: number): number;
}

/** Largest order handed to the kernel (its matrix must fit a 2 GiB memory). */
const MAX_ORDER = 16384;

let kernel: CholeskyExports | undefined;

function instance(): CholeskyExports {
  kernel ??= new WebAssembly.Instance(kernelModule(CHOLESKY_WASM_BASE64))
    .exports as unknown as CholeskyExports;
  return kernel;
}

/**
 * `choleskyInPlace`'s contract (lower triangle read, L written over it, the
 * strict upper triangle untouched; returns the number of columns factored
 * before the first dependent one) with the sums of src/numerics/wasm/cholesky.wat.
 * Returns -1, having changed nothing, when the kernel cannot take the matrix.
 */
export function choleskyWasm(a: Float64Array, size: number, stride: number, floor: number): number {
  if (size > MAX_ORDER) return -1;
  const k = instance();
  const bytes = size * size * 8;
  if (!ensureKernelMemory(k.memory, bytes)) return -1;
  const m = new Float64Array(k.memory.buffer, 0, size * size);
  for (let i = 0; i < size; i++) m.set(a.subarray(i * stride, i * stride + i + 1), i * size);
  let factored = 0;
  while (factored < size && k.column(0, size, size, factored, floor) === 1) factored++;
  for (let i = 0; i < size; i++) a.set(m.subarray(i * size, i * size + i + 1), i * stride);
  return factored;
}
