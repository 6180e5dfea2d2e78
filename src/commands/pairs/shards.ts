import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { inputError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { fileSystemError } from "../../io/fileSystemError.js";
import type { DataSummary } from "../../output/json.js";
import { type PairRecord, pairRecord, type ScanParams } from "./results.js";
import type { TestedPairs } from "./selection.js";

/**
 * `--shard K/N` and `--merge`: a scan as N independent jobs. A shard's JSON
 * carries every pair of its slice before any filter (the q-values need all
 * the p-values, and the merge may filter differently), with a fingerprint
 * of the scan — a hash of the parsed data, the settings that shape the
 * numbers, N and K — so that the merge refuses shards of different scans,
 * a missing shard or one given twice.
 */

/** The `shard` key of a shard's result. */
export interface ShardInfo {
  index: number;
  count: number;
  /** Pairs in the whole scan, and this slice of them [from, to). */
  pairs: number;
  from: number;
  to: number;
  fingerprint: { data: string; scan: ScanParams };
}

/** A shard's result: its pairs, every one, in pair order, without q-values. */
export interface ShardResult {
  shard: ShardInfo;
  tested: number;
  pairs: Omit<PairRecord, "qValue">[];
}

/**
 * SHA-256 of the data a scan tests: the symbols, the number of rows, the
 * first and last time stamps and every price as its 8 bytes. Two shards of
 * one file agree; another file, column selection or missing-value policy
 * does not.
 */
export function dataFingerprint(frame: Frame): string {
  const hash = createHash("sha256");
  const rows = frame.time.length;
  hash.update(
    JSON.stringify([
      frame.symbols,
      rows,
      rows > 0 ? frame.time.at(0) : null,
      rows > 0 ? frame.time.at(rows - 1) : null,
    ]),
  );
  for (const column of frame.columns)
    hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  return `sha256:${hash.digest("hex")}`;
}

export function shardResult(info: ShardInfo, records: PairRecord[]): ShardResult {
  return {
    shard: info,
    tested: records.length,
    pairs: records.map(({ qValue: _, ...rest }) => rest),
  };
}

/** What the merge takes from the shards: the scan, one shard's envelope parts, and every pair. */
export interface MergedShards {
  scan: ScanParams;
  data: DataSummary;
  warnings: string[];
  pairs: TestedPairs;
}

interface ShardDocument {
  path: string;
  data: DataSummary;
  warnings: string[];
  result: ShardResult;
}

function notAShard(path: string, why: string) {
  return inputError(
    "not_a_shard",
    `${path} is not the output of 'hftlab pairs --shard K/N' (${why})`,
    { file: path },
    "merge the JSON files the shards wrote, e.g. hftlab pairs --merge part*.json",
  );
}

async function readShard(path: string): Promise<ShardDocument> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw fileSystemError(error, path);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw notAShard(path, "not JSON");
  }
  const envelope = document as {
    command?: unknown;
    data?: DataSummary;
    warnings?: string[];
    result?: ShardResult;
  };
  if (envelope?.command !== "pairs") throw notAShard(path, "not pairs output");
  const result = envelope.result;
  const shard = result?.shard;
  if (shard === undefined || typeof shard.index !== "number" || !Array.isArray(result?.pairs)) {
    throw notAShard(path, "no shard in its result");
  }
  if (result!.pairs.length !== shard.to - shard.from) {
    throw inputError(
      "shard_incomplete",
      `${path} holds ${result!.pairs.length} pairs, not its slice's ${shard.to - shard.from}`,
      {
        file: path,
      },
    );
  }
  return { path, data: envelope.data!, warnings: envelope.warnings ?? [], result: result! };
}

/** The first setting two scans differ in, as "name: x, not y". */
function firstDifference(a: ScanParams, b: ScanParams): string {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) {
      return `${key} ${JSON.stringify(b[key])}, not ${JSON.stringify(a[key])}`;
    }
  }
  return "";
}

/** Reads and checks the shards (exit 3 for shards of different scans, a missing or a repeated one). */
export async function mergeShards(paths: string[]): Promise<MergedShards> {
  const documents = await Promise.all(paths.map(readShard));
  const first = documents[0]!;
  const reference = first.result.shard;
  const byIndex = new Map<number, ShardDocument>();
  for (const document of documents) {
    const shard = document.result.shard;
    if (shard.fingerprint.data !== reference.fingerprint.data) {
      throw inputError(
        "shard_mismatch",
        `${document.path} is a shard of other data than ${first.path} (another file, columns or --missing)`,
        { file: document.path },
      );
    }
    const difference = firstDifference(reference.fingerprint.scan, shard.fingerprint.scan);
    if (difference !== "") {
      throw inputError(
        "shard_mismatch",
        `${document.path} was scanned with other settings than ${first.path}: ${difference}`,
        { file: document.path },
      );
    }
    if (shard.count !== reference.count || shard.pairs !== reference.pairs) {
      throw inputError(
        "shard_mismatch",
        `${document.path} is shard ${shard.index}/${shard.count}, ${first.path} one of ${reference.count}`,
        { file: document.path },
      );
    }
    const twin = byIndex.get(shard.index);
    if (twin !== undefined) {
      throw inputError(
        "shard_repeated",
        `shard ${shard.index}/${shard.count} is given twice (${twin.path} and ${document.path})`,
        { file: document.path },
      );
    }
    byIndex.set(shard.index, document);
  }
  const missing: number[] = [];
  for (let k = 1; k <= reference.count; k++) if (!byIndex.has(k)) missing.push(k);
  if (missing.length > 0) {
    throw inputError(
      "shard_missing",
      `${missing.length === 1 ? "shard" : "shards"} ${missing.map((k) => `${k}/${reference.count}`).join(", ")} ` +
        `${missing.length === 1 ? "is" : "are"} missing: the q-values need every pair's p-value`,
      {},
      `merge all ${reference.count} shards`,
    );
  }
  const records: Omit<PairRecord, "qValue">[] = [];
  for (let k = 1; k <= reference.count; k++) for (const r of byIndex.get(k)!.result.pairs) records.push(r);
  const number = (x: number | null | undefined): number => (typeof x === "number" ? x : Number.NaN);
  const pValues = Float64Array.from(records, (r) => number(r.pValue));
  return {
    scan: reference.fingerprint.scan,
    data: first.data,
    warnings: first.warnings,
    pairs: {
      pValues,
      describe: async (indices, deliver) => {
        const chunk: PairRecord[] = [];
        for (const k of indices) {
          const r = records[k]!;
          chunk.push(
            pairRecord(
              r.a,
              r.b,
              {
                hedgeRatio: number(r.hedgeRatio),
                intercept: number(r.intercept),
                stat: number(r.stat),
                pValue: number(r.pValue),
                lags: number(r.lags),
                halfLife: number(r.halfLife),
                hurst: number(r.hurst),
                correlation: number(r.correlation),
              },
              Number.NaN,
            ),
          );
        }
        await deliver(chunk);
      },
    },
  };
}
