import { unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * The temporary files output writers create beside their destinations
 * (written, then renamed into place). Each is registered while it exists,
 * and whatever is still registered when the process exits — an error, a
 * Ctrl-C, SIGTERM or SIGHUP, each of which the CLI turns into an exit — is
 * removed then, so no exit path leaves one behind. (kill -9 runs no code:
 * there the name, `.<file>.<pid>-<n>.tmp`, says whose it was.)
 */
const live = new Set<string>();
let counter = 0;
let watching = false;

/** A fresh temporary name beside `path`, registered for removal at exit. */
export function temporaryFileFor(path: string): string {
  counter++;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${counter}.tmp`);
  live.add(temporary);
  if (!watching) {
    watching = true;
    process.on("exit", removeAll);
  }
  return temporary;
}

/** The temporary file is gone (renamed into place or removed): forget it. */
export function settled(temporary: string): void {
  live.delete(temporary);
}

function removeAll(): void {
  for (const temporary of live) {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
  }
  live.clear();
}
