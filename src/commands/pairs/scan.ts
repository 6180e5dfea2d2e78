import { inputError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { forEachPair, type PairList, pairAt, pairList } from "../../numerics/pairs/pairList.js";
import { DESCRIPTION_FIELDS, prepareUniverse, TEST_FIELDS } from "../../numerics/pairs/pairScan.js";
import { adfMinimumLength } from "../../numerics/timeseries/adf.js";
import { HURST_MIN_LENGTH } from "../../numerics/timeseries/hurst.js";
import { naturalLog } from "../../numerics/timeseries/meanReversion.js";
import { describePairs, type PairScan, pairWorkers, testPairs } from "../../parallel/pairsPool.js";
import { adfAutolagRule, checkAdfLags, checkPositivePrices } from "../shared/adfOptions.js";
import { type CommandRun, checkFinite } from "../shared/commandRun.js";
import type { PairsOptions } from "./options.js";
import { type PairRecord, pairRecord } from "./results.js";
import type { TestedPairs } from "./selection.js";

/**
 * A scan of one price file: the checks its input must pass, the universe on
 * shared memory, the test of a range of the pair list on every thread, and
 * the descriptions the selection asks for.
 */

/** A scan ready to run: the pool's view of it, the symbols, and the threads to use. */
export interface FrameScan {
  pool: PairScan;
  symbols: string[];
  workers: number;
}

/** The checks of SPEC §1 (exit 3) before any pair is tested, and the universe. */
export function prepareFrameScan(frame: Frame, options: PairsOptions, run: CommandRun): FrameScan {
  const { symbols, columns } = frame;
  const rows = frame.time.length;
  if (symbols.length < 2) {
    throw inputError(
      "too_few_columns",
      symbols.length === 1
        ? `pairs needs at least two price columns, found only ${symbols[0]}`
        : "pairs needs at least two price columns, found none",
      { file: frame.source },
      "give a file with two or more symbols, or more of them with --columns",
    );
  }
  const against = options.with === undefined ? -1 : symbols.indexOf(options.with);
  if (options.with !== undefined && against < 0) {
    throw inputError(
      "unknown_symbol",
      `--with: no column "${options.with}"`,
      { file: frame.source },
      `available: ${symbols.join(", ")}`,
    );
  }
  if (rows < adfMinimumLength("c")) {
    throw inputError(
      "too_few_rows",
      `the Engle-Granger test needs at least ${adfMinimumLength("c")} rows, found ${rows}`,
      { file: frame.source },
    );
  }
  checkFinite(frame);
  if (options.log) checkPositivePrices(frame);
  columns.forEach((values, j) => {
    if (values.every((v) => v === values[0])) {
      throw inputError(
        "constant_column",
        `${symbols[j]} is constant (${values[0]} in every row): no pair with it can be tested`,
        { file: frame.source },
        `leave it out with --columns`,
      );
    }
  });
  if (options.adfLags !== undefined) checkAdfLags(options.adfLags, rows, "n", frame.source, true);
  if (rows <= HURST_MIN_LENGTH) {
    run.warn(`${rows} rows: the Hurst exponent needs ${HURST_MIN_LENGTH + 1}, so every hurst is null`);
  }
  const list = pairList(symbols.length, against);
  const levels = options.log ? columns.map(naturalLog) : columns;
  const workers = pairWorkers(options.jobs, list.count, rows);
  const autolag = adfAutolagRule(options);
  const pool: PairScan = {
    universe: prepareUniverse(levels, columns, workers > 0),
    settings:
      options.adfLags === undefined
        ? { trend: options.adfRegression, autolag }
        : { trend: options.adfRegression, autolag, maxLag: options.adfLags },
    list,
    id: Math.random(),
  };
  return { pool, symbols: [...symbols], workers };
}

/** Tests pairs from … to − 1, with progress on the spinner; the tests, TEST_FIELDS a pair from `from`. */
export async function testRange(
  scan: FrameScan,
  from: number,
  to: number,
  run: CommandRun,
): Promise<Float64Array> {
  const width = TEST_FIELDS.length;
  const bytes = Math.max(0, to - from) * width * 8;
  const tests = new Float64Array(scan.workers > 0 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const total = (to - from).toLocaleString("en-US");
  await testPairs(scan.pool, from, to, tests, scan.workers, async (done) => {
    run.progressTo(`testing pairs: ${done.toLocaleString("en-US")} of ${total}`);
  });
  return tests;
}

/** Every p-value of a test array. */
export function pValuesOf(tests: Float64Array): Float64Array {
  const width = TEST_FIELDS.length;
  const out = new Float64Array(tests.length / width);
  for (let k = 0; k < out.length; k++) out[k] = tests[k * width + 3]!;
  return out;
}

/** Records of pairs `indices` from their tests (at (index − base)·TEST_FIELDS) and descriptions. */
function recordsOf(
  list: PairList,
  symbols: string[],
  indices: Uint32Array,
  base: number,
  tests: Float64Array,
  descriptions: Float64Array,
): PairRecord[] {
  const records: PairRecord[] = [];
  const width = DESCRIPTION_FIELDS.length;
  indices.forEach((k, i) => {
    const [a, b] = pairAt(list, k);
    const t = (k - base) * TEST_FIELDS.length;
    records.push(
      pairRecord(
        symbols[a]!,
        symbols[b]!,
        {
          hedgeRatio: tests[t]!,
          intercept: tests[t + 1]!,
          stat: tests[t + 2]!,
          pValue: tests[t + 3]!,
          lags: tests[t + 4]!,
          halfLife: descriptions[i * width]!,
          hurst: descriptions[i * width + 1]!,
          correlation: descriptions[i * width + 2]!,
        },
        Number.NaN,
      ),
    );
  });
  return records;
}

/** The whole list tested in this process, for the selection. */
export function testedFrame(scan: FrameScan, tests: Float64Array, run: CommandRun): TestedPairs {
  return {
    pValues: pValuesOf(tests),
    describe: async (indices, deliver) => {
      let done = 0;
      const total = indices.length.toLocaleString("en-US");
      await describePairs(scan.pool, indices, 0, tests, scan.workers, async (descriptions, chunk) => {
        done += chunk.length;
        run.progressTo(`describing pairs: ${done.toLocaleString("en-US")} of ${total}`);
        await deliver(recordsOf(scan.pool.list, scan.symbols, chunk, 0, tests, descriptions));
      });
    },
  };
}

/** Every pair from … to − 1, described (a shard's output), in pair order. */
export async function describeRange(
  scan: FrameScan,
  from: number,
  to: number,
  tests: Float64Array,
  run: CommandRun,
): Promise<PairRecord[]> {
  const indices = new Uint32Array(Math.max(0, to - from));
  forEachPair(scan.pool.list, from, to, (k) => {
    indices[k - from] = k;
  });
  const records: PairRecord[] = [];
  const total = indices.length.toLocaleString("en-US");
  await describePairs(scan.pool, indices, from, tests, scan.workers, async (descriptions, chunk) => {
    records.push(...recordsOf(scan.pool.list, scan.symbols, chunk, from, tests, descriptions));
    run.progressTo(`describing pairs: ${records.length.toLocaleString("en-US")} of ${total}`);
  });
  return records;
}
