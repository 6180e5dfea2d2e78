import type { OutputColumn } from "../../io/outputColumn.js";
import { csvChunks } from "../../io/write.js";
import { finiteOrNull } from "../../output/json.js";
import { adfAutolagOf } from "../shared/adfOptions.js";
import { sharedParams } from "../shared/commandRun.js";
import type { PairFilters, PairsOptions } from "./options.js";

/**
 * `hftlab pairs`' params and result (SPEC §3 keys), and the same records as
 * CSV and NDJSON lines. Every output is built from the JSON record, so a
 * merged run (whose numbers went through a shard's JSON) prints exactly
 * what one process prints.
 */

/** One tested pair: A hedged on B. */
export interface PairRecord {
  a: string;
  b: string;
  hedgeRatio: number | null;
  intercept: number | null;
  stat: number | null;
  pValue: number | null;
  qValue: number | null;
  lags: number | null;
  halfLife: number | null;
  hurst: number | null;
  correlation: number | null;
}

export interface PairsResult {
  /** Pairs tested: the number of p-values behind the q-values. */
  tested: number;
  /** Pairs that pass every filter (the list holds the first --top of them). */
  passed: number;
  pairs: PairRecord[];
}

/** What shapes the numbers of a scan: the same in every shard of it, and in the merge. */
export type ScanParams = Record<string, unknown>;

export function scanParams(options: PairsOptions): ScanParams {
  return {
    with: options.with ?? null,
    log: options.log,
    adfRegression: options.adfRegression,
    adfAutolag: adfAutolagOf(options),
    adfLags: options.adfLags ?? null,
    ...sharedParams(options),
  };
}

const SCAN_HEAD = ["with", "log", "adfRegression", "adfAutolag", "adfLags"];

/** The envelope's params: the scan's, with the filters after the test settings. */
export function pairsParams(scan: ScanParams, filters: PairFilters): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const key of SCAN_HEAD) params[key] = scan[key];
  Object.assign(params, filters);
  for (const key of Object.keys(scan)) if (!SCAN_HEAD.includes(key)) params[key] = scan[key];
  return params;
}

/** The numbers of a record, as the scan computes them (NaN for what is undefined). */
export interface PairNumbers {
  hedgeRatio: number;
  intercept: number;
  stat: number;
  pValue: number;
  lags: number;
  halfLife: number;
  hurst: number;
  correlation: number;
}

export function pairRecord(a: string, b: string, numbers: PairNumbers, qValue: number): PairRecord {
  return {
    a,
    b,
    hedgeRatio: finiteOrNull(numbers.hedgeRatio),
    intercept: finiteOrNull(numbers.intercept),
    stat: finiteOrNull(numbers.stat),
    pValue: finiteOrNull(numbers.pValue),
    qValue: finiteOrNull(qValue),
    lags: finiteOrNull(numbers.lags),
    halfLife: finiteOrNull(numbers.halfLife),
    hurst: finiteOrNull(numbers.hurst),
    correlation: finiteOrNull(numbers.correlation),
  };
}

/** The CSV columns: a record's keys, in order. */
export const PAIR_COLUMNS = [
  "a",
  "b",
  "hedgeRatio",
  "intercept",
  "stat",
  "pValue",
  "qValue",
  "lags",
  "halfLife",
  "hurst",
  "correlation",
] as const;

const NUMBER_COLUMNS = PAIR_COLUMNS.slice(2) as Exclude<(typeof PAIR_COLUMNS)[number], "a" | "b">[];

/** Records as CSV rows (through the one CSV writer), after the header line when `header`. */
export function csvRows(records: readonly PairRecord[], header: boolean): string {
  const columns: OutputColumn[] = [
    { name: "a", values: records.map((r) => r.a) },
    { name: "b", values: records.map((r) => r.b) },
    ...NUMBER_COLUMNS.map((key) => ({
      name: key,
      values: Float64Array.from(records, (r) => r[key] ?? Number.NaN),
    })),
  ];
  const chunks = [...csvChunks(columns, ",")];
  return (header ? chunks : chunks.slice(1)).join("");
}

export function ndjsonLine(record: PairRecord): string {
  return `${JSON.stringify(record)}\n`;
}
