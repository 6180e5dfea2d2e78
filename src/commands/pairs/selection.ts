import { benjaminiHochberg } from "../../numerics/pairs/benjaminiHochberg.js";
import { finiteOrNull } from "../../output/json.js";
import type { PairFilters } from "./options.js";
import type { PairRecord } from "./results.js";

/**
 * From every tested pair's p-value to the listed pairs, the same for one
 * process and for a merge of shards: Benjamini–Hochberg q-values over all
 * the tests, the filters, the ranking and --top.
 *
 * Why the order of work: the q-values need every p-value, and a p-value is
 * all the test gives (the half-life, Hurst exponent and correlation cost as
 * much again). So the pairs that fail the p and q filters are never
 * described; with a ranking and no half-life or Hurst filter only the
 * --top best are. Because q is non-decreasing in p, the pairs passing both
 * are a prefix of the p-value order.
 */

/** The scan's pairs as the selection sees them. */
export interface TestedPairs {
  /** The p-value of every pair of the scan, in pair order (NaN: no test). */
  pValues: Float64Array;
  /** The records of the pairs at `indices`, in that order, chunk by chunk (their qValue is set here). */
  describe(indices: Uint32Array, deliver: (records: PairRecord[]) => Promise<void>): Promise<void>;
}

export interface SelectionCounts {
  tested: number;
  passed: number;
}

/**
 * Hands the listed records to `emit`: with `top` > 0 the first `top` that
 * pass, by p-value (ties in pair order); with `top` 0 every one that
 * passes, in pair order, as soon as its chunk is described.
 */
export async function selectPairs(
  pairs: TestedPairs,
  filters: PairFilters,
  emit: (record: PairRecord) => Promise<void>,
): Promise<SelectionCounts> {
  const p = pairs.pValues;
  const q = new Float64Array(p.length);
  const ranked = benjaminiHochberg(p, q);
  const fdr = filters.fdr ?? Number.POSITIVE_INFINITY;
  const passesTest = (k: number): boolean => p[k]! <= filters.maxPvalue && q[k]! <= fdr;
  const describedFilters =
    filters.minHalfLife !== null || filters.maxHalfLife !== null || filters.maxHurst !== null;
  const passesDescription = (record: PairRecord): boolean =>
    (filters.minHalfLife === null || (record.halfLife !== null && record.halfLife >= filters.minHalfLife)) &&
    (filters.maxHalfLife === null || (record.halfLife !== null && record.halfLife <= filters.maxHalfLife)) &&
    (filters.maxHurst === null || (record.hurst !== null && record.hurst <= filters.maxHurst));

  let candidates: Uint32Array;
  if (filters.top > 0) {
    let prefix = 0;
    while (prefix < ranked.length && passesTest(ranked[prefix]!)) prefix++;
    candidates = ranked.subarray(0, describedFilters ? prefix : Math.min(prefix, filters.top));
    if (!describedFilters) {
      await describeInto(pairs, candidates, q, emit, () => true);
      return { tested: ranked.length, passed: prefix };
    }
  } else {
    const inOrder: number[] = [];
    for (let k = 0; k < p.length; k++) if (passesTest(k)) inOrder.push(k);
    candidates = Uint32Array.from(inOrder);
  }
  const limit = filters.top > 0 ? filters.top : Number.POSITIVE_INFINITY;
  let passed = 0;
  await describeInto(
    pairs,
    candidates,
    q,
    async (record) => {
      if (++passed <= limit) await emit(record);
    },
    passesDescription,
  );
  return { tested: ranked.length, passed };
}

async function describeInto(
  pairs: TestedPairs,
  indices: Uint32Array,
  q: Float64Array,
  emit: (record: PairRecord) => Promise<void>,
  keep: (record: PairRecord) => boolean,
): Promise<void> {
  let at = 0;
  await pairs.describe(indices, async (records) => {
    for (const record of records) {
      record.qValue = finiteOrNull(q[indices[at++]!]!);
      if (keep(record)) await emit(record);
    }
  });
}
