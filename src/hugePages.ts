import { spawn } from "node:child_process";
import { statSync } from "node:fs";

/**
 * Large inputs run in a child process with glibc's `malloc.hugetlb=1`
 * tunable, which backs large allocations with transparent huge pages.
 *
 * Why: on a 388 MB file most of the load is the kernel zero-filling 320 MB of
 * fresh number columns page by page; with 2 MiB pages that cost falls by
 * half or more (measured: `timings.load` 1.3–1.5 s → 0.6–1.0 s). glibc reads
 * its tunables only at process start, so the only way to turn this on is to
 * start again with the variable set: one extra Node start-up (~0.05–0.1 s),
 * paid only when an argument names a file of 64 MiB or more, and never for
 * `book` and `stream`, which read in small buffers. Nothing changes
 * where the tunable is unknown (other libcs, older glibc) or THP is off.
 * `GLIBC_TUNABLES` already set (by the user, or by us in the child) or
 * `HFTLAB_NO_HUGEPAGES=1` skips it.
 */
const HUGE_INPUT_BYTES = 64 * 1024 * 1024;
const TUNABLE = "glibc.malloc.hugetlb=1";

/** Commands that stream their input in small fixed buffers: nothing large to back with huge pages. */
const STREAMING_COMMANDS = new Set(["book", "stream"]);

export function wantsHugePages(args: string[], env: NodeJS.ProcessEnv): boolean {
  if (process.platform !== "linux") return false;
  if (env.GLIBC_TUNABLES !== undefined || env.HFTLAB_NO_HUGEPAGES === "1") return false;
  const operands = args.filter((arg) => !arg.startsWith("-"));
  if (operands.length === 0 || STREAMING_COMMANDS.has(operands[0]!)) return false;
  return operands.slice(1).some(isLargeFile);
}

function isLargeFile(path: string): boolean {
  try {
    const stats = statSync(path);
    return stats.isFile() && stats.size >= HUGE_INPUT_BYTES;
  } catch {
    return false;
  }
}

/** Runs `entry args` again with the tunable and ends this process as the child ended. */
export function rerunWithHugePages(entry: string, args: string[]): void {
  const child = spawn(process.execPath, [...process.execArgv, entry, ...args], {
    stdio: "inherit",
    env: { ...process.env, GLIBC_TUNABLES: TUNABLE },
  });
  // The child gets Ctrl-C from the terminal itself; a signal sent to this
  // process alone is passed on, and this process waits for the child's answer.
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, forward(signal));
  child.on("exit", (code, signal) => {
    if (signal === "SIGINT") process.exit(130);
    process.exit(code ?? 1);
  });
  child.on("error", (error) => {
    process.stderr.write(`hftlab: error: internal failure: cannot start a child process: ${error.message}\n`);
    process.exit(1);
  });
}
