import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { attachGramHelper, gramHelperAttached, gramKernelShared } from "../numerics/linalg/gramKernel.js";
import { extraThreads } from "./threads.js";

/**
 * Starting the Gram kernel's helper thread (src/parallel/gramWorker.ts).
 * The kernel itself (src/numerics/linalg/gramKernel.ts) only knows that a
 * helper may take slices from its shared control block; the thread is
 * booted here, so that the numerics never touch threads or files.
 */

let helper: Worker | undefined;

/**
 * Boots the helper thread, once per process, if the built worker is there
 * (it is not when the TypeScript sources run under the test runner). It
 * never keeps the process alive.
 */
export function startGramHelper(): void {
  if (gramHelperAttached() || extraThreads() === 0) return;
  const url = new URL("./gramWorker.js", import.meta.url);
  if (!existsSync(fileURLToPath(url))) return;
  helper = new Worker(url, { workerData: gramKernelShared() });
  helper.unref();
  helper.on("error", () => {
    // a helper that fails to boot takes no slices; one that fails mid-slice sets Slot.Failed
  });
  attachGramHelper();
}

/** Inputs from this size on (and stdin) are worth a helper thread booting while they load. */
const HELPER_FROM_BYTES = 1 << 20;

/**
 * `startGramHelper()` for a command about to read `source` (a path or "-")
 * and build covariance or cross-product matrices from it: only when the
 * input is large enough for the thread to pay for itself.
 */
export function startGramHelperFor(source: string): void {
  let large = source === "-";
  if (!large) {
    try {
      large = statSync(source).size >= HELPER_FROM_BYTES;
    } catch {
      return; // the load reports the file's problem
    }
  }
  if (large) startGramHelper();
}
