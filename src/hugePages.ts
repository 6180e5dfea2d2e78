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
/**
 * For Parquet, also fixed malloc thresholds: the snappy decoder allocates a
 * fresh ~1 MB result per page, on the worker threads too, and glibc handed
 * that memory back and faulted it in again page by page (about 0.5 ms a page
 * in a worker). With allocations below 32 MiB kept off mmap and 64 MiB of
 * free memory kept before a trim, the 2M × 21 snappy file's load fell from
 * a median 0.67 s to 0.55 s (seven alternating runs each; the CSV's, 0.62 s).
 * The CSV reader is left as it was: the same setting made its load slower
 * (0.78 s), so it is Parquet's alone.
 */
const PARQUET_TUNABLE = `${TUNABLE}:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864`;

/** Commands that stream their input in small fixed buffers: nothing large to back with huge pages. */
const STREAMING_COMMANDS = new Set(["book", "stream"]);

export function wantsHugePages(args: string[], env: NodeJS.ProcessEnv): boolean {
  return tunablesFor(args, env) !== null;
}

/**
 * The tunables to run again with (Parquet's when a large operand is a
 * Parquet file), or null when no operand is large enough to want them.
 */
export function tunablesFor(args: string[], env: NodeJS.ProcessEnv): string | null {
  if (process.platform !== "linux") return null;
  if (env.GLIBC_TUNABLES !== undefined || env.HFTLAB_NO_HUGEPAGES === "1") return null;
  const operands = args.filter((arg) => !arg.startsWith("-"));
  if (operands.length === 0 || STREAMING_COMMANDS.has(operands[0]!)) return null;
  const large = operands.slice(1).filter(isLargeFile);
  if (large.length === 0) return null;
  return large.some((path) => /\.parquet$/i.test(path)) ? PARQUET_TUNABLE : TUNABLE;
}

function isLargeFile(path: string): boolean {
  try {
    const stats = statSync(path);
    return stats.isFile() && stats.size >= HUGE_INPUT_BYTES;
  } catch {
    return false;
  }
}

/** The child's end of the lifeline (see `rerunWithHugePages`). */
const LIFELINE_FD = 3;
const LIFELINE_ENV = "HFTLAB_LIFELINE_FD";

/**
 * Runs `entry args` again with `tunables` (from `tunablesFor`) and ends this process as the
 * child ended. The child also holds the read end of a pipe whose write end
 * only this process holds: when this process dies, however it dies (kill -9
 * included), the pipe reaches end of file and the child ends at once
 * (`watchLifeline`), instead of finishing its work unseen and writing its
 * output a minute later.
 */
export function rerunWithHugePages(entry: string, args: string[], tunables: string): void {
  const child = spawn(process.execPath, [...process.execArgv, entry, ...args], {
    stdio: ["inherit", "inherit", "inherit", "pipe"],
    env: { ...process.env, GLIBC_TUNABLES: tunables, [LIFELINE_ENV]: String(LIFELINE_FD) },
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

/**
 * In a child started by `rerunWithHugePages`: ends the process (exit 137, as
 * a kill would) as soon as the parent's end of the lifeline closes. The pipe
 * does not keep the process alive, and the variable is not passed on.
 */
export async function watchLifeline(env: NodeJS.ProcessEnv): Promise<void> {
  const fd = Number(env[LIFELINE_ENV]);
  delete env[LIFELINE_ENV];
  if (!Number.isInteger(fd) || fd < 0) return;
  const { Socket } = await import("node:net");
  const lifeline = new Socket({ fd, readable: true, writable: false });
  const die = () => process.exit(137);
  lifeline.on("end", die);
  lifeline.on("close", die);
  lifeline.on("error", die);
  lifeline.resume();
  lifeline.unref();
}
