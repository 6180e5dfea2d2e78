import { availableParallelism } from "node:os";

/**
 * How many threads besides the main one hftlab may use: one less than the
 * cores Node reports, or than `HFTLAB_THREADS` when that is set to a
 * positive integer (`HFTLAB_THREADS=1` keeps everything on the main thread,
 * for shared machines). Every number hftlab prints is the same whatever this is.
 *
 * @example
 * extraThreads({ HFTLAB_THREADS: "1" }); // => 0
 */
export function extraThreads(env: NodeJS.ProcessEnv = process.env): number {
  const cores = availableParallelism();
  const wanted = Number(env.HFTLAB_THREADS);
  const threads = Number.isInteger(wanted) && wanted >= 1 ? Math.min(wanted, cores) : cores;
  return Math.max(0, threads - 1);
}
