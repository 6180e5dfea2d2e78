import type { RunContext } from "../../context.js";
import { inputError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import type { ReadOptions } from "../../io/read.js";
import { firstNonFinite } from "../../numerics/stats/finite.js";
import { decideColor } from "../../output/colorChoice.js";
import { type DataSummary, type Envelope, envelopeJson, type Timings } from "../../output/json.js";
import { type Progress, progressWanted, startProgress } from "../../output/progress.js";
import { safeText } from "../../output/safeText.js";
import type { CommonOptions } from "./options.js";

/**
 * The steps every analysis command shares: read the Frame (timed), collect
 * warnings (echoed to stderr unless --quiet, and always into the envelope),
 * and write the JSON envelope. A command file keeps only what is its own.
 */
export class CommandRun {
  readonly warnings: string[] = [];
  readonly color: boolean;
  private readonly started = performance.now();
  private loadSeconds = 0;
  private computeStarted = 0;
  private computeSeconds = 0;
  private progress: Progress | undefined;

  constructor(
    readonly command: string,
    readonly options: CommonOptions,
    readonly context: RunContext,
  ) {
    this.color = decideColor(options.color, context.env, context.stdout.isTty);
  }

  warn(text: string): void {
    const message = safeText(text);
    this.warnings.push(message);
    if (!this.options.quiet) this.context.stderr(`hftlab: warning: ${message}\n`);
  }

  async load(source: string): Promise<Frame> {
    const machine = this.options.json || this.options.ndjson || this.options.csv;
    this.progress = await startProgress(`reading ${source}`, progressWanted(this.options.quiet, machine));
    const readOptions: ReadOptions = {
      missing: this.options.missing,
      sort: this.options.sort,
      onWarning: (message) => this.warn(message),
      stdin: this.context.stdin,
    };
    if (this.options.inputFormat !== undefined) readOptions.inputFormat = this.options.inputFormat;
    if (this.options.timeCol !== undefined) readOptions.timeCol = this.options.timeCol;
    if (this.options.priceCol !== undefined) readOptions.priceCol = this.options.priceCol;
    if (this.options.columns !== undefined) readOptions.columns = this.options.columns;
    try {
      // Imported here: commands that read events or ticks (book, stream) never load the Frame reader.
      const { readFrame } = await import("../../io/read.js");
      const frame = await readFrame(source, readOptions);
      this.loadSeconds = (performance.now() - this.started) / 1000;
      this.computeStarted = performance.now();
      this.progress.update(`computing ${this.command}`);
      return frame;
    } catch (error) {
      this.progress.stop();
      throw error;
    }
  }

  /** Says how far a long computation is, on the spinner (when one is shown). */
  progressTo(text: string): void {
    this.progress?.update(text);
  }

  /** Marks the end of the numerics; output time is measured from here. */
  computed(): void {
    this.computeSeconds = (performance.now() - this.computeStarted) / 1000;
    this.progress?.stop();
  }

  timings(): Timings {
    const total = (performance.now() - this.started) / 1000;
    return {
      load: this.loadSeconds,
      compute: this.computeSeconds,
      output: Math.max(0, total - this.loadSeconds - this.computeSeconds),
    };
  }

  /**
   * The envelope on stdout. `measured` replaces the run's own clock for a
   * command that reads and computes interleaved (book), so only it knows the split.
   */
  async writeJson<R>(
    params: Record<string, unknown>,
    data: DataSummary,
    result: R,
    measured?: Timings,
  ): Promise<void> {
    const envelope: Envelope<R> = {
      command: this.command,
      version: this.context.version,
      params,
      data,
      result,
      warnings: this.warnings,
    };
    if (this.options.timings) envelope.timings = measured ?? this.timings();
    await this.context.stdout.write(envelopeJson(envelope));
  }
}

export function dataSummary(frame: Frame): DataSummary {
  const rows = frame.time.length;
  return {
    source: frame.source,
    rows,
    columns: frame.symbols,
    start: rows > 0 ? frame.time.at(0) : null,
    end: rows > 0 ? frame.time.at(rows - 1) : null,
    droppedRows: frame.droppedRows,
  };
}

/**
 * The tail every command's `params` shares, in one fixed order: the returns
 * options (for commands that have them), the input options as resolved, the
 * seed and --strict.
 */
export function sharedParams(
  options: CommonOptions & { returns?: string; inputKind?: string },
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (options.returns !== undefined) params.returns = options.returns;
  if (options.inputKind !== undefined) params.inputKind = options.inputKind;
  params.inputFormat = options.inputFormat ?? null;
  params.timeCol = options.timeCol ?? null;
  params.priceCol = options.priceCol ?? null;
  params.columns = options.columns ?? null;
  params.missing = options.missing;
  params.sort = options.sort;
  if (options.seed !== undefined) params.seed = options.seed;
  if (options.strict !== undefined) params.strict = options.strict;
  return params;
}

/**
 * Refuses a frame with a NaN or ±Infinity (a missing value kept, or the log
 * return of a zero price): exit 3, naming the column, the time and the line.
 */
export function checkFinite(frame: Frame, columns: readonly Float64Array[] = frame.columns): void {
  columns.forEach((column, j) => {
    const t = firstNonFinite(column);
    if (t < 0) return;
    throw inputError("non_finite", `${frame.symbols[j]} has a non-finite value at ${frame.time.at(t)}`, {
      file: frame.source,
      ...(frame.lines ? { line: frame.lines[t]! } : {}),
    });
  });
}

/**
 * Refuses (exit 3) a symbol named like one of the fixed columns of an output
 * table that gives every symbol a column of its own (a frontier's
 * `expectedReturn, volatility, sharpe`, a wide file's time column). Such a
 * table would hold two columns of one name: hftlab's own reader refuses it
 * as a duplicate column, and readers that key columns by name keep one and
 * silently drop the other. `output` names the table (`--out frontier.csv`);
 * `alternative`, an output that keys by symbol instead (`--json`).
 */
export function checkSymbolColumns(
  frame: Frame,
  fixedColumns: readonly string[],
  output: string,
  alternative?: string,
): void {
  const clash = frame.symbols.find((symbol) => fixedColumns.includes(symbol));
  if (clash === undefined) return;
  throw inputError(
    "symbol_column_clash",
    `symbol "${clash}" would share its column name with the ${clash} column of ${output}`,
    { file: frame.source },
    `rename the symbol in the input or leave it out with --columns${alternative === undefined ? "" : `, or use ${alternative} (weights keyed by symbol)`}`,
  );
}

/**
 * Refuses (exit 3) an input whose time column is named like one of the
 * fixed columns of a long output table (`meanrev --out`'s
 * `symbol, price, mean, …`, `hmm --out`'s `state, p0, …`): the file would
 * hold two columns of one name. Checked before any work.
 */
export function checkTimeColumn(frame: Frame, fixedColumns: readonly string[], output: string): void {
  if (!fixedColumns.includes(frame.timeName)) return;
  throw inputError(
    "time_column_clash",
    `the time column "${frame.timeName}" would share its name with the ${frame.timeName} column of ${output}`,
    { file: frame.source },
    "rename the time column in the input, or use --ndjson (keys of its own)",
  );
}

/**
 * A VAR(1) of n level series (greedy, box-tiao) needs n + 3 rows: n + 1 for
 * the lagged regression to be determined, and a few to spare (exit 3).
 */
export function checkVar1Rows(frame: Frame): void {
  const n = frame.symbols.length;
  if (frame.time.length < n + 3) {
    throw inputError(
      "too_few_rows",
      `a VAR(1) of ${n} columns needs at least ${n + 3} rows, found ${frame.time.length}`,
      { file: frame.source },
    );
  }
}
