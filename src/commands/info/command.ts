import type { Command } from "commander";
import type { RunContext } from "../../context.js";
import { HftlabError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import type { InputInspection, ReadOptions } from "../../io/read.js";
import type { DataSummary } from "../../output/json.js";
import { progressWanted, startProgress } from "../../output/progress.js";
import { CommandRun, dataSummary, sharedParams } from "../shared/commandRun.js";
import {
  addInputOptions,
  addOutputOptions,
  type CommonOptions,
  checkOutputModes,
  resolveInput,
} from "../shared/options.js";
import { infoResult } from "./results.js";

/**
 * `hftlab info`: how hftlab reads a file, before any analysis: the format,
 * the layout, the time column and its range, the frequency, the symbols, the
 * rows and the missing cells per symbol. Every other command's input errors
 * can point here.
 */
export function registerInfo(program: Command, context: RunContext): void {
  const command = program
    .command("info")
    .summary("how a file is read: format, layout, time column and range, frequency, symbols, missing cells")
    .description(
      "Reads the input as every command does (same input options) and reports what it found: format " +
        "(csv/tsv/arrow/parquet, delimiter, gzip), layout (wide, long, ohlcv, or single with --price-col), the header, " +
        "the time column (name, kind iso/number/monthName, first and last stamp, as written and as UTC), " +
        "the frequency the annualising commands infer (xts thresholds; null for numeric stamps), the symbols, " +
        "the rows, the missing cells per symbol before --missing, and the rows --missing drops. A file that " +
        "--missing leaves without rows is described all the same (with a warning), since that is when it helps.",
    )
    .argument("[input]", "price file, or - for stdin");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: false, csv: false, out: false });
  command.addHelpText(
    "after",
    `
Examples:
  hftlab info fixtures/stocks.csv
  hftlab info --json fixtures/sp500-2000.csv
  gzip -c fixtures/stocks.csv | hftlab info -
  hftlab info --missing ffill --columns GOOG,AAPL fixtures/stocks.csv

JSON keys (result): format {name, delimiter, gzip}, layout, header, timeColumn {name, kind,
first, last, firstUtc, lastUtc}, symbolColumn, priceColumn, frequency {frequency,
periodsPerYear, medianStepSeconds} or null, symbols, rows (data rows of the input),
timeStamps (rows of the wide table), missing [{symbol, cells}] (before --missing),
droppedRows (under --missing).`,
  );
  command.action(async (input: string | undefined, options: CommonOptions) => {
    await runInfo(input, options, context);
  });
}

interface Inspected {
  inspection: InputInspection;
  /** Null when --missing left no row. */
  frame: Frame | null;
}

/**
 * The read, with the reader's inspection. Not CommandRun.load: that read
 * offers no inspection, and a file that --missing empties is still described.
 */
async function readInspected(source: string, options: CommonOptions, run: CommandRun): Promise<Inspected> {
  const progress = await startProgress(`reading ${source}`, progressWanted(options.quiet, options.json));
  let inspection: InputInspection | undefined;
  const readOptions: ReadOptions = {
    missing: options.missing,
    sort: options.sort,
    onWarning: (message) => run.warn(message),
    stdin: run.context.stdin,
    onInspection: (found) => {
      inspection = found;
    },
  };
  if (options.inputFormat !== undefined) readOptions.inputFormat = options.inputFormat;
  if (options.timeCol !== undefined) readOptions.timeCol = options.timeCol;
  if (options.priceCol !== undefined) readOptions.priceCol = options.priceCol;
  if (options.columns !== undefined) readOptions.columns = options.columns;
  try {
    const { readFrame } = await import("../../io/read.js");
    const frame = await readFrame(source, readOptions);
    return { inspection: inspection!, frame };
  } catch (error) {
    if (!(error instanceof HftlabError && error.code === "no_rows_left" && inspection !== undefined))
      throw error;
    run.warn(`${error.message} under --missing ${options.missing}; other commands stop here (exit 3)`);
    return { inspection, frame: null };
  } finally {
    progress.stop();
  }
}

function emptyDataSummary(source: string, inspection: InputInspection): DataSummary {
  return {
    source,
    rows: 0,
    columns: inspection.symbols,
    start: null,
    end: null,
    droppedRows: inspection.time.length,
  };
}

export async function runInfo(
  input: string | undefined,
  options: CommonOptions,
  context: RunContext,
): Promise<void> {
  checkOutputModes(options);
  const source = resolveInput(input, "info", context.stdinIsTty);
  const run = new CommandRun("info", options, context);
  const started = performance.now();
  const { inspection, frame } = await readInspected(source, options, run);
  const loaded = performance.now();
  const result = infoResult(inspection, frame);
  const computed = performance.now();
  const data = frame === null ? emptyDataSummary(source, inspection) : dataSummary(frame);
  if (options.json) {
    // The run's own clock starts at load(), which this read does not go through.
    await run.writeJson(sharedParams(options), data, result, {
      load: (loaded - started) / 1000,
      compute: (computed - loaded) / 1000,
      output: (performance.now() - computed) / 1000,
    });
  } else {
    const { renderInfoReport } = await import("./report.js");
    await context.stdout.write(renderInfoReport(data, result, options.missing, run.color));
  }
}
