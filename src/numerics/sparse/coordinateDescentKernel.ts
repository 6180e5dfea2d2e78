import { COORDINATEDESCENT_WASM_BASE64 } from "../wasm/generated/coordinateDescentWasm.js";
import { ensureKernelMemory, kernelModule } from "../wasm/kernelMemory.js";

/**
 * The WebAssembly coordinate-descent sweep (src/numerics/wasm/coordinateDescent.wat),
 * bit-identical to the JavaScript `sweep` of coordinateDescent.ts and several
 * times its speed on the O(p) column update. The Gram matrix is copied into
 * the kernel's memory once per problem (a path or a cross-validation fold
 * solves the same problem for many alphas), and the coefficients, Q·b and
 * the active set live there while a problem is being solved.
 */

interface SweepExports {
  memory: WebAssembly.Memory;
  sweep(
    gram: number,
    xty: number,
    b: number,
    h: number,
    indices: number,
    count: number,
    p: number,
    l1: number,
    l2: number,
    positive: number,
  ): number;
}

/** Largest p handed to the kernel (its Gram must fit well inside a 32-bit memory). */
const MAX_P = 12000;

/** Views of one problem's working arrays inside the kernel's memory. */
export interface SweepWorkspace {
  xty: Float64Array;
  b: Float64Array;
  h: Float64Array;
  active: Int32Array;
  /** One sweep over active[0..count) (every coordinate when `all`); returns max |δb_j|. */
  sweep(l1: number, l2: number, positive: boolean, all: boolean, count: number): number;
}

let kernel: SweepExports | undefined;
/** The Gram array whose copy the kernel's memory holds (problems never change their Gram). */
let loadedGram: Float64Array | undefined;

function instance(): SweepExports {
  kernel ??= new WebAssembly.Instance(kernelModule(COORDINATEDESCENT_WASM_BASE64))
    .exports as unknown as SweepExports;
  return kernel;
}

/**
 * The kernel's workspace for a problem with Gram matrix `gram` (p×p, not
 * modified while the workspace is in use), or null when the kernel cannot
 * take it. `xty` is copied in; `b`, `h` and `active` are for the caller to fill.
 */
export function sweepWorkspace(gram: Float64Array, xty: Float64Array, p: number): SweepWorkspace | null {
  if (p > MAX_P) return null;
  const k = instance();
  // layout: gram | xty | b | h | active (all 16-byte aligned)
  const vector = Math.ceil(p / 2) * 16;
  const gramBytes = Math.ceil((p * p) / 2) * 16;
  const bytes = gramBytes + 3 * vector + Math.ceil(p / 4) * 16;
  if (!ensureKernelMemory(k.memory, bytes)) return null;
  const buffer = k.memory.buffer;
  if (loadedGram !== gram) {
    new Float64Array(buffer, 0, p * p).set(gram.subarray(0, p * p));
    loadedGram = gram;
  }
  const xtyAt = gramBytes;
  const bAt = xtyAt + vector;
  const hAt = bAt + vector;
  const activeAt = hAt + vector;
  const workspace: SweepWorkspace = {
    xty: new Float64Array(buffer, xtyAt, p),
    b: new Float64Array(buffer, bAt, p),
    h: new Float64Array(buffer, hAt, p),
    active: new Int32Array(buffer, activeAt, p),
    sweep: (l1, l2, positive, all, count) =>
      k.sweep(0, xtyAt, bAt, hAt, all ? -1 : activeAt, count, p, l1, l2, positive ? 1 : 0),
  };
  workspace.xty.set(xty.subarray(0, p));
  return workspace;
}
