import { LAGGEDPRODUCTS_WASM_BASE64 } from "../wasm/generated/laggedProductsWasm.js";
import { ensureKernelMemory, kernelModule } from "../wasm/kernelMemory.js";

/**
 * The WebAssembly SIMD block of `laggedProductSums` (src/numerics/wasm/laggedProducts.wat):
 * four lags over a chunk of rows in half the instructions of the scalar
 * loop, with the same doubles (each f64x2 lane adds its products in the
 * scalar order, no fused multiply-add). A pairs scan spends a quarter of
 * each Engle–Granger test here.
 *
 * Memory layout: the four sums at 0, the differences from byte 64.
 */

interface LaggedProductsExports {
  memory: WebAssembly.Memory;
  chunk(d: number, k0: number, from: number, to: number, out: number): void;
}

const DIFFERENCES = 64;

let kernel: LaggedProductsExports | undefined;

/** The kernel holding a copy of `d`, or undefined when the engine gives it no memory. */
export interface LaggedProducts {
  /** Σ over u = from, from+4, … < to of the four-lag block at k0, as laggedProductSums' scalar loop: written to sums[0…3]. */
  chunk(k0: number, from: number, to: number, sums: Float64Array): void;
}

export function laggedProductsWasm(d: Float64Array): LaggedProducts | undefined {
  kernel ??= new WebAssembly.Instance(kernelModule(LAGGEDPRODUCTS_WASM_BASE64))
    .exports as unknown as LaggedProductsExports;
  const k = kernel;
  if (!ensureKernelMemory(k.memory, DIFFERENCES + d.length * 8)) return undefined;
  new Float64Array(k.memory.buffer, DIFFERENCES, d.length).set(d);
  const out = new Float64Array(k.memory.buffer, 0, 4);
  return {
    chunk(k0, from, to, sums) {
      k.chunk(DIFFERENCES, k0, from, to, 0);
      sums.set(out);
    },
  };
}
