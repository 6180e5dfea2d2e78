/**
 * What the WebAssembly kernels (gramKernel, choleskyKernel,
 * coordinateDescentKernel) share: compiling a module assembled at build time
 * (src/numerics/wasm/generated/, base64) and growing a kernel's memory on demand.
 */

const PAGE = 65536;

/** The module whose binary `base64` holds (compiled synchronously: the kernels are a few hundred bytes). */
export function kernelModule(base64: string): WebAssembly.Module {
  return new WebAssembly.Module(Buffer.from(base64, "base64"));
}

/**
 * Grows `memory` until it holds at least `bytes`; false when the engine
 * will not give the memory (the caller then falls back to JavaScript).
 * Contents are kept; views on the old buffer of a non-shared memory detach.
 */
export function ensureKernelMemory(memory: WebAssembly.Memory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / PAGE));
    return true;
  } catch {
    return false;
  }
}
