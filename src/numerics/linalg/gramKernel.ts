import { GRAM_WASM_BASE64 } from "../wasm/generated/gramWasm.js";
import { ensureKernelMemory, kernelModule } from "../wasm/kernelMemory.js";

/**
 * The WebAssembly Gram kernel (src/numerics/wasm/gram.wat): G = Y·Yᵀ for the n rows
 * of Y (n×T), about five times the speed of the best scalar JavaScript loop
 * per thread, on up to two threads.
 *
 * The kernel's memory is shared. A command that will need a large Gram
 * matrix calls `startGramHelper()` (src/parallel/gramHelper.ts) before it
 * reads its input, so the helper thread boots while the file loads; each product is then cut into slices of
 * block rows (heaviest first) that both threads take from one atomic counter.
 * A helper that is not up yet simply takes nothing: the main thread does every
 * slice, and the numbers are the same whichever thread computes a slice.
 *
 * Memory layout: a control block of CONTROL_BYTES, then Y (np rows of
 * `stride` doubles, zero-padded to np = 4⌈n/4⌉ rows and an even stride),
 * then the np×np output.
 */

interface GramExports {
  gram(y: number, np: number, stride: number, out: number, i0: number, i1: number): void;
  centre(row: number, length: number, shift: number): number;
}

/**
 * Int32 slots of the control block. The counters only ever grow: a job owns
 * slices [Base, End), and End is written last, so a thread that reads a new
 * End sees that job's other parameters.
 */
export const Slot = {
  /** Bumped (and notified) when a job is posted for the helper. */
  Generation: 0,
  /** Next slice to take (compare-and-swap). */
  Next: 1,
  /** Slices finished by either thread (notified). */
  Finished: 2,
  Base: 3,
  End: 4,
  Rows: 5,
  Stride: 6,
  Y: 7,
  Out: 8,
  /** Non-zero once the helper met an error: the main thread redoes the product alone. */
  Failed: 9,
  /** Set to 1 by the helper once it waits for work. */
  HelperReady: 10,
  /** Slices the helper has computed, over the process's life. */
  HelperSlices: 11,
} as const;
export const CONTROL_BYTES = 64;
/** Rows of Y per slice (8 calls' worth of 2-row blocks): small enough to balance two threads. */
export const SLICE_ROWS = 16;
/** Largest working set (bytes) handed to the kernel; beyond it callers use the scalar loop. */
export const GRAM_KERNEL_MAX_BYTES = 2 ** 31 - CONTROL_BYTES;
const MAX_PAGES = 32768;
/** Below this many multiply-adds the helper is not woken (a wake-up costs tens of microseconds). */
const SHARE_FROM = 2e6;

interface Kernel {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  exports: GramExports;
  control: Int32Array;
}

let kernel: Kernel | undefined;
/** Whether a helper thread shares the products (see `attachGramHelper`). */
let helperAttached = false;

function instance(): Kernel {
  if (kernel === undefined) {
    const module = kernelModule(GRAM_WASM_BASE64);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GramExports;
    kernel = { memory, module, exports, control: new Int32Array(memory.buffer, 0, CONTROL_BYTES / 4) };
  }
  return kernel;
}

/** The kernel's shared memory and compiled module, for a helper thread to instantiate. */
export function gramKernelShared(): { memory: WebAssembly.Memory; module: WebAssembly.Module } {
  const { memory, module } = instance();
  return { memory, module };
}

/**
 * Records that a helper thread runs `takeSlices` on the shared control
 * block, so that large products wake it. A helper that fails mid-slice is
 * detached by the product that saw it fail.
 */
export function attachGramHelper(): void {
  helperAttached = true;
}

/** Whether a helper thread is attached now. */
export function gramHelperAttached(): boolean {
  return helperAttached;
}

/**
 * Runs slices of the posted job on the calling thread until none is left,
 * taking each with a compare-and-swap against the End read first, so that no
 * slice of a later job is ever taken with this job's parameters.
 */
export function takeSlices(exports: GramExports, control: Int32Array): number {
  const end = Atomics.load(control, Slot.End);
  const np = control[Slot.Rows]!;
  const stride = control[Slot.Stride]!;
  const y = control[Slot.Y]!;
  const out = control[Slot.Out]!;
  const base = control[Slot.Base]!;
  let taken = 0;
  for (;;) {
    const next = Atomics.load(control, Slot.Next);
    if (next >= end) return taken;
    if (Atomics.compareExchange(control, Slot.Next, next, next + 1) !== next) continue;
    taken++;
    const i1 = np - (next - base) * SLICE_ROWS;
    const i0 = Math.max(0, i1 - SLICE_ROWS);
    // two calls per slice: the first calls of a fresh thread run baseline code
    const middle = i0 + Math.ceil((i1 - i0) / 4) * 2;
    exports.gram(y, np, stride, out, i0, middle);
    exports.gram(y, np, stride, out, middle, i1);
    Atomics.add(control, Slot.Finished, 1);
    Atomics.notify(control, Slot.Finished);
  }
}

/** Whether the helper thread is up, and how many slices it has computed (for tests and benches). */
export function gramHelperState(): { ready: boolean; slices: number } {
  const control = instance().control;
  return {
    ready: Atomics.load(control, Slot.HelperReady) === 1,
    slices: Atomics.load(control, Slot.HelperSlices),
  };
}

/** Bytes the kernel needs for n rows of T periods (padded to 4 rows and an even T). */
export function gramKernelBytes(n: number, T: number): number {
  const np = Math.ceil(n / 4) * 4;
  return (np * (T + (T % 2)) + np * np) * 8;
}

/**
 * Writes the row i of Y, T values, at rows[offset … offset + T). Called once
 * per row, in order; the kernel's memory is not zeroed before.
 */
export type RowFiller = (i: number, rows: Float64Array, offset: number) => void;

/**
 * Rows shifted after `fill` wrote them: y_it ← y_it − shift_i, and, when
 * `sums` is given, sums_i = Σ_t y_it (the shifted values, one running sum in
 * increasing t). Done by the kernel: a plain JavaScript loop over the values
 * runs interpreted for most of its first call.
 */
export interface Centring {
  shift: Float64Array;
  sums?: Float64Array;
}

/**
 * Writes the lower triangle of Y·Yᵀ into the row-major n×n `out` (the upper
 * triangle is left to the caller), the rows of Y written straight into the
 * kernel's memory by `fill` (no intermediate copy). Each entry is
 * Σ_{t even} y_it·y_jt + Σ_{t odd} y_it·y_jt, each partial sum in increasing t.
 * Returns false, having written nothing, when the memory cannot grow enough
 * or the problem is beyond `GRAM_KERNEL_MAX_BYTES`.
 */
export function gramLowerFilled(
  n: number,
  T: number,
  fill: RowFiller,
  out: Float64Array,
  centring?: Centring,
): boolean {
  const bytes = gramKernelBytes(n, T);
  if (bytes > GRAM_KERNEL_MAX_BYTES) return false;
  const k = instance();
  if (!ensureKernelMemory(k.memory, CONTROL_BYTES + bytes)) return false;
  const np = Math.ceil(n / 4) * 4;
  const stride = T + (T % 2);
  const memory = new Float64Array(k.memory.buffer, CONTROL_BYTES, bytes / 8);
  for (let i = 0; i < n; i++) {
    fill(i, memory, i * stride);
    if (centring !== undefined) {
      const sum = k.exports.centre(CONTROL_BYTES + i * stride * 8, T, centring.shift[i]!);
      if (centring.sums !== undefined) centring.sums[i] = sum;
    }
    if (stride !== T) memory[i * stride + T] = 0;
  }
  memory.fill(0, n * stride, np * stride);
  const outOffset = np * stride;
  const { control, exports } = k;
  const slices = Math.ceil(np / SLICE_ROWS);
  const base = Atomics.load(control, Slot.Next);
  Atomics.store(control, Slot.Base, base);
  Atomics.store(control, Slot.Rows, np);
  Atomics.store(control, Slot.Stride, stride);
  Atomics.store(control, Slot.Y, CONTROL_BYTES);
  Atomics.store(control, Slot.Out, CONTROL_BYTES + outOffset * 8);
  Atomics.store(control, Slot.End, base + slices);
  if (helperAttached && np * np * T > SHARE_FROM) {
    Atomics.add(control, Slot.Generation, 1);
    Atomics.notify(control, Slot.Generation);
  }
  takeSlices(exports, control);
  for (let done = Atomics.load(control, Slot.Finished); done < base + slices; ) {
    Atomics.wait(control, Slot.Finished, done);
    done = Atomics.load(control, Slot.Finished);
  }
  if (Atomics.load(control, Slot.Failed) !== 0) {
    helperAttached = false; // never again: redo this product alone
    Atomics.store(control, Slot.Failed, 0);
    const again = Atomics.load(control, Slot.Next);
    Atomics.store(control, Slot.Base, again);
    Atomics.store(control, Slot.End, again + slices);
    takeSlices(exports, control);
    Atomics.store(control, Slot.Finished, Atomics.load(control, Slot.Next));
  }
  for (let i = 0; i < n; i++) {
    const from = outOffset + i * np;
    out.set(memory.subarray(from, from + i + 1), i * n);
  }
  return true;
}

/** `gramLowerFilled` for Y given as an n×T row-major array. */
export function gramLowerWasm(y: Float64Array, n: number, T: number, out: Float64Array): boolean {
  return gramLowerFilled(n, T, (i, rows, offset) => rows.set(y.subarray(i * T, i * T + T), offset), out);
}
