import { InvalidArgumentError } from "commander";
import type { AdfCommandOptions } from "../shared/adfOptions.js";
import type { CommonOptions } from "../shared/options.js";

/**
 * `hftlab pairs`' option defaults and parsed options, apart from the command
 * so that the scan, the selection and the results read them without
 * importing the command back.
 */
export const PAIRS_DEFAULTS = {
  /** A pair is listed when its Engle–Granger p-value is at most this. */
  maxPvalue: 0.05,
  /** How many pairs to list, best p-value first (0: every pair that passes, in pair order). */
  top: 20,
};

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export interface PairsOptions extends CommonOptions, AdfCommandOptions {
  with?: string;
  log: boolean;
  maxPvalue: number;
  fdr?: number;
  minHalfLife?: number;
  maxHalfLife?: number;
  maxHurst?: number;
  top: number;
  jobs?: number;
  shard?: Shard;
  merge: boolean;
}

/** The filters and the listing: what `--merge` applies anew to the shards' pairs. */
export interface PairFilters {
  maxPvalue: number;
  fdr: number | null;
  minHalfLife: number | null;
  maxHalfLife: number | null;
  maxHurst: number | null;
  top: number;
}

export function filtersOf(options: PairsOptions): PairFilters {
  return {
    maxPvalue: options.maxPvalue,
    fdr: options.fdr ?? null,
    minHalfLife: options.minHalfLife ?? null,
    maxHalfLife: options.maxHalfLife ?? null,
    maxHurst: options.maxHurst ?? null,
    top: options.top,
  };
}

/** `--shard K/N`: the K-th (1-based) of N slices. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (match === null) throw new InvalidArgumentError("--shard takes K/N, e.g. 2/8 (the 2nd of 8 slices).");
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new InvalidArgumentError("--shard K/N needs N ≥ 1.");
  if (index < 1 || index > count) {
    throw new InvalidArgumentError(`--shard ${index}/${count}: K must be between 1 and N (${count}).`);
  }
  return { index, count };
}
