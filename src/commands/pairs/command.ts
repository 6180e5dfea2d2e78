import { type Command, Option } from "commander";
import type { RunContext } from "../../context.js";
import { usageError } from "../../errors.js";
import { shardRange } from "../../numerics/pairs/pairList.js";
import type { DataSummary } from "../../output/json.js";
import { addAdfOptions } from "../shared/adfOptions.js";
import { CommandRun, dataSummary } from "../shared/commandRun.js";
import {
  addInputOptions,
  addOutputOptions,
  checkOutputModes,
  parseInteger,
  parseNumber,
  resolveInput,
} from "../shared/options.js";
import { filtersOf, PAIRS_DEFAULTS, type PairFilters, type PairsOptions, parseShard } from "./options.js";
import {
  csvRows,
  ndjsonLine,
  type PairRecord,
  type PairsResult,
  pairsParams,
  type ScanParams,
  scanParams,
} from "./results.js";
import { describeRange, prepareFrameScan, testedFrame, testRange } from "./scan.js";
import { type TestedPairs, selectPairs } from "./selection.js";

/**
 * `hftlab pairs`: its options, the combinations they refuse, and the recipe
 * (read → test every pair → q-values, filters, ranking → render), or a
 * shard of the scan, or the merge of the shards. The maths is in
 * `numerics/pairs` (the per-pair kernel, Benjamini–Hochberg) on the threads
 * of `parallel/pairsPool.ts`.
 */

const probability = (x: number) => (x >= 0 && x <= 1 ? undefined : "must be between 0 and 1.");
const positive = (x: number) => (x > 0 ? undefined : "must be positive.");

/** Options that shape the scan itself: a merge takes them from its shards, so it refuses them. */
const SCAN_OPTIONS = [
  "with",
  "log",
  "adfRegression",
  "adfAutolag",
  "adfLags",
  "inputFormat",
  "timeCol",
  "priceCol",
  "columns",
  "missing",
  "sort",
  "shard",
];

export function registerPairs(program: Command, context: RunContext): void {
  const command = program
    .command("pairs")
    .summary("cointegrated pairs in a universe: Engle-Granger on every pair, FDR q-values, shards")
    .description(
      "Tests every unordered pair of the columns (or each against --with SYM), A before B in input order: " +
        "the OLS hedge ratio of A on B with intercept and the Engle-Granger test of the spread A - c - hB " +
        "exactly as 'meanrev --pair A,B' (ADF of the residuals, lag by AIC, MacKinnon p-value); the spread's " +
        "half-life (AR(1), meanrev's OU convention) and Hurst exponent (R/S), and the correlation of the " +
        "simple returns. q-values: Benjamini-Hochberg over all the tests. Lists the pairs passing the filters, " +
        "best p-value first. --shard K/N tests the K-th of N slices of the pair list; --merge combines the " +
        "shards' JSON into the one-process output.",
    )
    .argument(
      "[input...]",
      "price file (CSV/TSV/Arrow, optionally .gz), or - for stdin; with --merge, the shards",
    );
  command
    .option("--with <SYM>", "test every column against SYM only")
    .option("--log", "test and describe the pairs on log prices", false)
    .addOption(
      new Option("--max-pvalue <p>", "list the pairs whose Engle-Granger p-value is at most p")
        .argParser(parseNumber("--max-pvalue", probability))
        .default(PAIRS_DEFAULTS.maxPvalue),
    )
    .option(
      "--fdr <q>",
      "and whose Benjamini-Hochberg q-value is at most q (the false discovery rate)",
      parseNumber("--fdr", probability),
    )
    .option(
      "--min-half-life <bars>",
      "and whose spread's half-life is at least this",
      parseNumber("--min-half-life", positive),
    )
    .option("--max-half-life <bars>", "and at most this", parseNumber("--max-half-life", positive))
    .option("--max-hurst <h>", "and whose spread's Hurst exponent is at most h", parseNumber("--max-hurst"))
    .addOption(
      new Option("--top <n>", "list the n best by p-value; 0: every pair that passes, in pair order")
        .argParser(parseInteger("--top", 0))
        .default(PAIRS_DEFAULTS.top),
    )
    .option("--jobs <n>", "threads (default: the cores, for a large scan)", parseInteger("--jobs", 1, 1024))
    .option(
      "--shard <K/N>",
      "test only the K-th of N equal slices of the pair list; JSON for --merge",
      parseShard,
    )
    .option(
      "--merge",
      "combine the JSON of every --shard K/N run (the arguments) into the one-process output",
      false,
    );
  addAdfOptions(command);
  addInputOptions(command);
  addOutputOptions(command, { ndjson: true, csv: true, out: false });
  command.addHelpText(
    "after",
    `
Examples:
  hftlab pairs --log fixtures/eustocks.csv
  hftlab pairs --log --max-pvalue 1 --fdr 0.05 --json fixtures/eustocks.csv
  hftlab pairs --with DAX --log --max-pvalue 1 fixtures/eustocks.csv
  hftlab pairs --log --max-pvalue 1 --top 0 --ndjson fixtures/eustocks.csv | head -3
  for k in 1 2 3; do hftlab pairs --log --shard $k/3 fixtures/eustocks.csv > part$k.json; done && hftlab pairs --merge part*.json`,
  );
  command.action(async (inputs: string[], options: PairsOptions, self: Command) => {
    await runPairs(inputs, options, self, context);
  });
}

function checkOptions(inputs: string[], options: PairsOptions, self: Command): void {
  checkOutputModes(options);
  if (
    options.minHalfLife !== undefined &&
    options.maxHalfLife !== undefined &&
    options.minHalfLife > options.maxHalfLife
  ) {
    throw usageError(
      `--min-half-life ${options.minHalfLife} is above --max-half-life ${options.maxHalfLife}`,
      "no pair could pass",
    );
  }
  if (options.merge) {
    const given = SCAN_OPTIONS.find((key) => self.getOptionValueSource(key) === "cli");
    if (given !== undefined) {
      const flag = `--${given.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
      throw usageError(
        `--merge takes the scan's settings from its shards, so ${flag} does not apply`,
        `give ${flag} to the --shard runs`,
      );
    }
    if (inputs.length === 0)
      throw usageError("--merge needs the shards' JSON files", "e.g. hftlab pairs --merge part*.json");
    return;
  }
  if (inputs.length > 1) {
    throw usageError(
      `pairs reads one price file, got ${inputs.length}`,
      "to combine shards' output, add --merge",
    );
  }
  if (options.shard !== undefined && (options.csv || options.ndjson)) {
    throw usageError("--shard writes JSON for --merge", "drop --csv/--ndjson (the merge takes them)");
  }
}

export async function runPairs(
  inputs: string[],
  options: PairsOptions,
  self: Command,
  context: RunContext,
): Promise<void> {
  checkOptions(inputs, options, self);
  const run = new CommandRun("pairs", options, context);
  const filters = filtersOf(options);
  if (options.merge) {
    const { mergeShards } = await import("./shards.js");
    const merged = await mergeShards(inputs);
    run.warnings.push(...merged.warnings);
    await writePairs(merged.pairs, merged.scan, merged.data, filters, run);
    return;
  }
  const source = resolveInput(inputs[0], "pairs", context.stdinIsTty);
  const frame = await run.load(source);
  const scan = prepareFrameScan(frame, options, run);
  const count = scan.pool.list.count;
  if (options.shard !== undefined) {
    const { dataFingerprint, shardResult } = await import("./shards.js");
    const { from, to } = shardRange(count, options.shard.index, options.shard.count);
    const tests = await testRange(scan, from, to, run);
    const records = await describeRange(scan, from, to, tests, run);
    run.computed();
    const info = {
      index: options.shard.index,
      count: options.shard.count,
      pairs: count,
      from,
      to,
      fingerprint: { data: dataFingerprint(frame), scan: scanParams(options) },
    };
    await run.writeJson(
      pairsParams(scanParams(options), filters),
      dataSummary(frame),
      shardResult(info, records),
    );
    return;
  }
  const tests = await testRange(scan, 0, count, run);
  await writePairs(testedFrame(scan, tests, run), scanParams(options), dataSummary(frame), filters, run);
}

/**
 * The selection, written in the run's format. Listing in pair order
 * (--top 0), NDJSON and CSV lines go out as their chunk is described;
 * otherwise the list is collected first (JSON and the table need the counts
 * ahead of it).
 */
async function writePairs(
  pairs: TestedPairs,
  scan: ScanParams,
  data: DataSummary,
  filters: PairFilters,
  run: CommandRun,
): Promise<void> {
  const { options, context } = run;
  const streaming = filters.top === 0 && (options.ndjson || options.csv);
  const listed: PairRecord[] = [];
  let emit = async (record: PairRecord): Promise<void> => {
    listed.push(record);
  };
  let flush = async (): Promise<void> => {};
  if (streaming) {
    const { LineBuffer } = await import("../../output/sink.js");
    const out = new LineBuffer(context.stdout);
    if (options.ndjson) {
      emit = (record) => out.push(ndjsonLine(record));
      flush = () => out.flush();
    } else {
      await out.push(csvRows([], true));
      const batch: PairRecord[] = [];
      emit = async (record) => {
        batch.push(record);
        if (batch.length >= 256) await out.push(csvRows(batch.splice(0), false));
      };
      flush = async () => {
        await out.push(csvRows(batch.splice(0), false));
        await out.flush();
      };
    }
  }
  const counts = await selectPairs(pairs, filters, emit);
  await flush();
  run.computed();
  if (streaming) return;
  const result: PairsResult = { ...counts, pairs: listed };
  if (options.json) {
    await run.writeJson(pairsParams(scan, filters), data, result);
  } else if (options.ndjson) {
    await context.stdout.write(listed.map(ndjsonLine).join(""));
  } else if (options.csv) {
    await context.stdout.write(csvRows(listed, true));
  } else {
    const { renderPairsReport } = await import("./report.js");
    await context.stdout.write(renderPairsReport(data, result, filters, scan.log === true, run.color));
  }
}
