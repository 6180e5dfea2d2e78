import { workerData } from "node:worker_threads";
import { CONTROL_BYTES, Slot, takeSlices } from "../numerics/linalg/gramKernel.js";

/**
 * The Gram kernel's helper thread (see `startGramHelper`): waits for a job
 * on the shared control block and takes slices of it alongside the main
 * thread, until the process ends.
 */
const { memory, module } = workerData as { memory: WebAssembly.Memory; module: WebAssembly.Module };
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Parameters<
  typeof takeSlices
>[0];
const control = new Int32Array(memory.buffer, 0, CONTROL_BYTES / 4);
let seen = Atomics.load(control, Slot.Generation);
Atomics.store(control, Slot.HelperReady, 1);
for (;;) {
  Atomics.wait(control, Slot.Generation, seen);
  seen = Atomics.load(control, Slot.Generation);
  try {
    Atomics.add(control, Slot.HelperSlices, takeSlices(exports, control));
  } catch {
    Atomics.store(control, Slot.Failed, 1);
    Atomics.add(control, Slot.Finished, 1);
    Atomics.notify(control, Slot.Finished);
  }
}
