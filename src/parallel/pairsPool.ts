import {
  DESCRIPTION_FIELDS,
  PairScanner,
  type PairTestSettings,
  type PairUniverse,
  TEST_FIELDS,
} from "../numerics/pairs/pairScan.js";
import { forEachPair, pairAt, type PairList } from "../numerics/pairs/pairList.js";
import { extraThreads } from "./threads.js";
import { streamJobs } from "./workerPool.js";

/**
 * The two passes of a pairs scan on the main thread and `workers` worker
 * threads (pairsWorker.ts): the universe lives on a SharedArrayBuffer, each
 * job is a contiguous chunk of pair indices (or of candidates), and results
 * come back in chunk order, so every number — and the order of everything —
 * is the same whatever the number of threads.
 *
 * The pool itself is workerPool.ts.
 */

/** Below this many pair·rows (about 2,000 pairs of 2,000 rows) the default is the main thread alone. */
const PARALLEL_MIN_WORK = 4_000_000;
/** Results in flight ahead of the next to deliver, in chunks. */
const WINDOW = 8;

export interface PairScan {
  universe: PairUniverse;
  settings: PairTestSettings;
  list: PairList;
  /** Identifies the scan, so a worker keeps its scanner from one job to the next. */
  id: number;
}

export type PairJob =
  | { kind: "test"; scan: PairScan; from: number; to: number; base: number; tests: Float64Array }
  | {
      kind: "describe";
      scan: PairScan;
      /** Pair indices to describe, and where their tests are (at (index − base)·TEST_FIELDS). */
      indices: Uint32Array;
      base: number;
      tests: Float64Array;
    };

/** Threads besides the main one: `jobs − 1` when asked, else the cores' for a large enough scan. */
export function pairWorkers(jobs: number | undefined, pairs: number, rows: number): number {
  if (jobs !== undefined) return Math.max(0, jobs - 1);
  return pairs * rows < PARALLEL_MIN_WORK ? 0 : extraThreads();
}

/** Chunk length: a few chunks per thread, so the threads finish together, and progress moves. */
function chunkLength(count: number, threads: number): number {
  return Math.max(1, Math.min(1024, Math.ceil(count / (threads * 8))));
}

let scanner: { id: number; scanner: PairScanner } | undefined;

function scannerFor(scan: PairScan): PairScanner {
  if (scanner?.id !== scan.id)
    scanner = { id: scan.id, scanner: new PairScanner(scan.universe, scan.settings) };
  return scanner.scanner;
}

/** One job, on whichever thread: tests are written in place (shared memory), descriptions returned. */
export function runPairJob(job: PairJob): Float64Array | null {
  const pairs = scannerFor(job.scan);
  if (job.kind === "test") {
    forEachPair(job.scan.list, job.from, job.to, (k, a, b) => {
      pairs.test(a, b, job.tests, (k - job.base) * TEST_FIELDS.length);
    });
    return null;
  }
  const width = DESCRIPTION_FIELDS.length;
  const out = new Float64Array(job.indices.length * width);
  job.indices.forEach((k, i) => {
    const [a, b] = pairAt(job.scan.list, k);
    const at = (k - job.base) * TEST_FIELDS.length;
    pairs.describe(a, b, job.tests[at]!, job.tests[at + 1]!, out, i * width);
  });
  return out;
}

/**
 * Tests pairs from … to − 1 of the list into `tests` (shared memory, TEST_FIELDS
 * per pair from `from`), calling `progress` with the number done after each chunk.
 */
export async function testPairs(
  scan: PairScan,
  from: number,
  to: number,
  tests: Float64Array,
  workers: number,
  progress: (done: number) => Promise<void>,
): Promise<void> {
  const count = to - from;
  if (count <= 0) return;
  const chunk = chunkLength(count, workers + 1);
  const chunks = Math.ceil(count / chunk);
  let done = 0;
  await streamJobs<PairJob, Float64Array | null>(
    {
      count: chunks,
      workers: Math.min(workers, chunks - 1),
      window: chunks,
      workerUrl: new URL("./pairsWorker.js", import.meta.url),
      job: (index) => ({
        kind: "test",
        scan,
        from: from + index * chunk,
        to: Math.min(to, from + (index + 1) * chunk),
        base: from,
        tests,
      }),
      runHere: (index) =>
        runPairJob({
          kind: "test",
          scan,
          from: from + index * chunk,
          to: Math.min(to, from + (index + 1) * chunk),
          base: from,
          tests,
        }),
    },
    async (_, index) => {
      done += Math.min(chunk, count - index * chunk);
      await progress(done);
    },
  );
}

/**
 * Describes the pairs `indices` (in that order), handing each chunk's
 * descriptions (DESCRIPTION_FIELDS per pair) to `deliver` in order.
 */
export async function describePairs(
  scan: PairScan,
  indices: Uint32Array,
  base: number,
  tests: Float64Array,
  workers: number,
  deliver: (descriptions: Float64Array, indices: Uint32Array) => Promise<void>,
): Promise<void> {
  const count = indices.length;
  if (count === 0) return;
  const chunk = chunkLength(count, workers + 1);
  const chunks = Math.ceil(count / chunk);
  const job = (index: number): PairJob => ({
    kind: "describe",
    scan,
    indices: indices.slice(index * chunk, Math.min(count, (index + 1) * chunk)),
    base,
    tests,
  });
  await streamJobs<PairJob, Float64Array | null>(
    {
      count: chunks,
      workers: Math.min(workers, chunks - 1),
      window: WINDOW,
      workerUrl: new URL("./pairsWorker.js", import.meta.url),
      job,
      runHere: (index) => runPairJob(job(index)),
    },
    async (descriptions, index) => {
      await deliver(descriptions!, indices.subarray(index * chunk, Math.min(count, (index + 1) * chunk)));
    },
  );
}
