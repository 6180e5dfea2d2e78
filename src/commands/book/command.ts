import { type Command, InvalidArgumentError, Option } from "commander";
import { Issue, ISSUE_CODES, ISSUE_COUNT, ISSUE_PHRASES, type IssueLog } from "../../book/bookIssues.js";
import { BookReplay } from "../../book/bookReplay.js";
import { EVENT_NAMES, type EventBatch, PRICE_SCALE, SIZE_SCALE } from "../../book/events.js";
import { MatchingEngine } from "../../book/matchingEngine.js";
import { type TopOfBook, topOfBook } from "../../book/snapshot.js";
import { WARM_UP_MIN_BYTES, warmUpL3 } from "../../book/warmUp.js";
import type { RunContext } from "../../context.js";
import { inputError, usageError } from "../../errors.js";
import { type EventInputFormat, type EventReader, openEvents } from "../../io/events/readEvents.js";
import { compareDecimalText, isDecimalText } from "../../io/delimited/numberText.js";
import { finiteOrNull } from "../../output/json.js";
import { LineBuffer } from "../../output/sink.js";
import {
  addOutputOptions,
  type CommonOptions,
  checkOutputModes,
  parseInteger,
  resolveInput,
} from "../shared/options.js";
import { CommandRun } from "../shared/commandRun.js";
import type { BookFill, BookResult, BookSnapshot } from "./results.js";

export const BOOK_DEFAULTS = { depth: 10 };

interface BookOptions extends CommonOptions {
  bookFormat?: EventInputFormat;
  depth: number;
  at?: string;
  every?: number;
  interval?: number;
  match: boolean;
  lenient: boolean;
}

function positiveNumber(text: string): number {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError("--interval must be a positive number of time-stamp units.");
  }
  return value;
}

function stampArgument(text: string): string {
  const trimmed = text.trim();
  if (!isDecimalText(trimmed) && Number.isNaN(Date.parse(trimmed))) {
    throw new InvalidArgumentError(
      "--at must be a time stamp as written in the file (a number or ISO date-time).",
    );
  }
  return trimmed;
}

export function registerBook(program: Command, context: RunContext): void {
  const command = program
    .command("book")
    .summary("replay L3/L2/LOBSTER events through a limit order book, or match incoming orders")
    .description(
      "Replays events (ts,event,order_id,side,price,size: add, cancel, delete, modify, execute, trade, clear) " +
        "through a price-level book with FIFO queues per level; L2 files (ts,side,price,size; size 0 removes " +
        "the level) and LOBSTER message files (--input-format lobster) too. Prints the book at the end, at " +
        "--at TS, or every --every N events / --interval time units (as NDJSON): depth levels with size and " +
        "order count, mid, spread, microprice, imbalance, trades and traded volume/VWAP since the previous " +
        "snapshot. Unknown ids, non-positive sizes, crossed books and time going backwards stop the run with " +
        "the line number, or are counted with --lenient. With --match the rows are incoming orders (limit, " +
        "market, ioc, fok, cancel) matched by price-time priority, and the fills are reported.",
    )
    .argument("[input]", "event file (CSV/TSV, Arrow IPC, LOBSTER; optionally .gz), or - for stdin")
    .addOption(
      new Option("--input-format <format>", "input format (default: by extension, else sniffed)").choices([
        "csv",
        "tsv",
        "arrow",
        "lobster",
      ]),
    )
    .option("--depth <levels>", "levels shown per side", parseInteger("--depth", 1), BOOK_DEFAULTS.depth)
    .option(
      "--at <ts>",
      "the book as of this time stamp (after every event stamped at or before it)",
      stampArgument,
    )
    .option("--every <events>", "a snapshot every N events (NDJSON)", parseInteger("--every", 1))
    .option(
      "--interval <units>",
      "a snapshot at the end of every time bucket of this width (NDJSON)",
      positiveNumber,
    )
    .option("--match", "treat rows as incoming orders and match them (price-time priority)", false)
    .option("--lenient", "count and skip invalid events instead of stopping", false);
  addOutputOptions(command, { ndjson: true, csv: false, out: false });
  command.addHelpText(
    "after",
    `
Examples:
  hftlab book fixtures/book-sample.csv
  hftlab book --depth 5 --json fixtures/book-sample.csv
  gzip -c fixtures/book-sample.csv > events.csv.gz && hftlab book --every 100 events.csv.gz | head
  hftlab book --at 34200005000000 --json fixtures/book-sample.csv
  hftlab book --input-format lobster --lenient fixtures/book-sample-lobster.csv
  hftlab book --match --json fixtures/book-orders.csv`,
  );
  command.action(
    async (input: string | undefined, options: BookOptions & { inputFormat?: EventInputFormat }) => {
      options.bookFormat = options.inputFormat;
      await runBook(input, options, context);
    },
  );
}

type Engine = BookReplay | MatchingEngine;

/** Stamp comparison for --at: numbers by exact decimal value, other text as text. */
function stampAfter(stamp: string, at: string): boolean {
  if (isDecimalText(stamp) && isDecimalText(at)) return compareDecimalText(stamp, at) > 0;
  return Date.parse(stamp) > Date.parse(at);
}

export async function runBook(
  input: string | undefined,
  options: BookOptions,
  context: RunContext,
): Promise<void> {
  checkOutputModes(options);
  const modes = [
    options.at !== undefined && "--at",
    options.every !== undefined && "--every",
    options.interval !== undefined && "--interval",
  ].filter(Boolean);
  if (modes.length > 1)
    throw usageError(`${modes.join(" and ")} cannot be combined`, "choose one snapshot schedule");
  if (options.match && options.bookFormat === "lobster") {
    throw usageError(
      "--match takes incoming orders, not LOBSTER messages",
      "drop --match to replay a LOBSTER file",
    );
  }
  const source = resolveInput(input, "book", context.stdinIsTty);
  const run = new CommandRun("book", options, context);
  const started = performance.now();
  const reader = await openEvents(source, {
    format: options.bookFormat,
    stdin: context.stdin,
    lenient: options.lenient,
  });
  if (!options.match && (reader.sizeHint ?? 0) >= WARM_UP_MIN_BYTES) warmUpL3();
  const series = options.every !== undefined || options.interval !== undefined;
  const streamLines = series && !options.json;
  const lines = new LineBuffer(context.stdout);
  const snapshots: BookSnapshot[] = [];
  const fills: BookFill[] = [];
  const fillLines = options.match && options.ndjson && !series;
  let engine: Engine | undefined;
  let computeMs = 0;
  let firstStamp: string | null = null;
  let lastStamp: string | null = null;
  let sinceSnapshot = 0;
  let tradesAtSnapshot = 0;
  let bucket = Number.NaN;
  let stopped = false;

  const emit = async (stamp: string | null): Promise<void> => {
    const e = engine!;
    const snapshot = snapshotOf(e, stamp, options.depth, reader.layout !== "l2", tradesAtSnapshot);
    tradesAtSnapshot = e.trades;
    sinceSnapshot = 0;
    if (streamLines) await lines.push(`${JSON.stringify(snapshot)}\n`);
    else snapshots.push(snapshot);
  };

  for await (const batch of reader.batches()) {
    if (engine === undefined) {
      engine = options.match
        ? new MatchingEngine(options.lenient)
        : new BookReplay(reader.layout === "l2" ? "l2" : "l3", options.lenient);
      firstStamp = batch.stampText(0);
    }
    let i = 0;
    while (i < batch.count) {
      let to = batch.count;
      let boundary = false;
      if (options.every !== undefined && to - i >= options.every - sinceSnapshot) {
        to = i + options.every - sinceSnapshot;
        boundary = true;
      } else if (options.at !== undefined) {
        to = firstAfter(batch, i, to, options.at);
        boundary = to < batch.count;
      } else if (options.interval !== undefined) {
        const width = options.interval;
        let j = i;
        if (Number.isNaN(bucket)) {
          bucket = Math.floor(batch.time[i]! / width);
          // Buckets are counted in doubles: past 2^53 neighbouring buckets are the same number.
          if (!(Math.abs(bucket) < 2 ** 53)) {
            throw usageError(
              `--interval ${width} is finer than the time stamps can be bucketed (${batch.stampText(i)} / ${width} is past 2^53)`,
              "use a wider --interval, in the units of the time stamps",
            );
          }
        }
        while (j < to && Math.floor(batch.time[j]! / width) === bucket) j++;
        if (j === i) {
          await emit(lastStamp);
          bucket = Math.floor(batch.time[i]! / width);
          continue;
        }
        to = j;
      }
      const t0 = performance.now();
      const reached = engine.apply(batch, i, to);
      computeMs += performance.now() - t0;
      if (reached < to) throw issueError(engine.issues, batch, reached, reader.file);
      if (engine instanceof MatchingEngine)
        await drainFills(engine, batch, streamLines ? null : fills, fillLines ? lines : null);
      sinceSnapshot += to - i;
      if (to > i) lastStamp = batch.stampText(to - 1);
      i = to;
      if (boundary && options.every !== undefined) await emit(lastStamp);
      if (boundary && options.at !== undefined) {
        stopped = true;
        break;
      }
    }
    if (stopped) break;
  }
  engine ??= options.match
    ? new MatchingEngine(options.lenient)
    : new BookReplay(reader.layout === "l2" ? "l2" : "l3", options.lenient);
  if (series && sinceSnapshot > 0) await emit(lastStamp);
  const finalSnapshot = snapshotOf(engine, lastStamp, options.depth, reader.layout !== "l2", 0);
  noteIssues(run, engine.issues, reader);
  const loadSeconds = (performance.now() - started - computeMs) / 1000;
  const outputStarted = performance.now();

  if (streamLines || fillLines) {
    await lines.flush();
    return;
  }
  const result = bookResult(
    engine,
    reader,
    finalSnapshot,
    options.json && series ? snapshots : undefined,
    options.match ? fills : undefined,
  );
  if (options.json) {
    const timings = {
      load: loadSeconds,
      compute: computeMs / 1000,
      output: (performance.now() - outputStarted) / 1000,
    };
    const data = {
      source: reader.file,
      rows: engine.events,
      columns:
        reader.layout === "l2"
          ? ["ts", "side", "price", "size"]
          : reader.layout === "lobster"
            ? ["time", "type", "order_id", "size", "price", "direction"]
            : ["ts", "event", "order_id", "side", "price", "size"],
      start: firstStamp,
      end: lastStamp,
      droppedRows: engine.issues.total - engine.issues.counts[Issue.overExecution]!,
    };
    await run.writeJson(bookParams(options), data, result, timings);
  } else if (options.ndjson) {
    await context.stdout.write(`${JSON.stringify(finalSnapshot)}\n`);
  } else {
    const { renderBookReport } = await import("./report.js");
    await context.stdout.write(
      renderBookReport(result, reader.priceDecimals, reader.sizeDecimals, run.color),
    );
  }
}

/** The first index in [from, to) whose stamp is after `at`, else `to`. */
function firstAfter(batch: EventBatch, from: number, to: number, at: string): number {
  const key = isDecimalText(at) ? Number(at) : Date.parse(at);
  for (let j = from; j < to; j++) {
    // Rounding to double is monotonic, so a larger double means a later stamp;
    // equal doubles can hide different long stamps, and then the texts decide.
    const t = batch.time[j]!;
    if (t > key || (t === key && stampAfter(batch.stampText(j), at))) return j;
  }
  return to;
}

function snapshotOf(
  engine: Engine,
  stamp: string | null,
  depth: number,
  withOrders: boolean,
  tradesBefore: number,
): BookSnapshot {
  const top: TopOfBook = topOfBook(engine.book, depth, withOrders);
  const { volume, vwap } = engine.takeInterval();
  return {
    ts: stamp,
    events: engine.events,
    bids: top.bids,
    asks: top.asks,
    mid: finiteOrNull(top.mid),
    spread: finiteOrNull(top.spread),
    microprice: finiteOrNull(top.microprice),
    imbalance: finiteOrNull(top.imbalance),
    trades: engine.trades - tradesBefore,
    volume: volume / SIZE_SCALE,
    vwap: finiteOrNull(vwap),
  };
}

function bookResult(
  engine: Engine,
  reader: EventReader,
  snapshot: BookSnapshot,
  snapshots: BookSnapshot[] | undefined,
  fills: BookFill[] | undefined,
): BookResult {
  const issues: Record<string, number> = {};
  for (let k = 0; k < ISSUE_COUNT; k++) issues[ISSUE_CODES[k]!] = engine.issues.counts[k]!;
  issues[ISSUE_CODES[Issue.timeBackwards]] = reader.timeBackwards;
  const result: BookResult = {
    layout: engine instanceof MatchingEngine ? "match" : reader.layout,
    ...snapshot,
    liveOrders: reader.layout === "l2" ? null : engine.book.orderCount,
    levels: { bids: engine.book.levels(0), asks: engine.book.levels(1) },
    totalVolume: engine.totalVolume / SIZE_SCALE,
    halts: engine instanceof BookReplay ? engine.halts : 0,
    issues,
  };
  if (snapshots !== undefined) result.snapshots = snapshots;
  if (fills !== undefined && engine instanceof MatchingEngine) {
    result.fills = fills;
    result.unfilled = engine.unfilled / SIZE_SCALE;
  }
  return result;
}

async function drainFills(
  engine: MatchingEngine,
  batch: EventBatch,
  /** Where the fills go: NDJSON lines, a list for the report, or nowhere (snapshot series). */
  fills: BookFill[] | null,
  lines: LineBuffer | null,
): Promise<void> {
  const log = engine.fills;
  for (let k = 0; k < log.count; k++) {
    const fill: BookFill = {
      ts: batch.stampText(log.eventIndex[k]!),
      taker: log.takerId[k]!,
      maker: log.makerId[k]!,
      side: log.takerSide[k] === 0 ? "buy" : "sell",
      price: log.price[k]! / PRICE_SCALE,
      size: log.size[k]! / SIZE_SCALE,
    };
    if (lines !== null) await lines.push(`${JSON.stringify(fill)}\n`);
    else fills?.push(fill);
  }
  log.count = 0;
}

function issueError(issues: IssueLog, batch: EventBatch, index: number, file: string) {
  const issue = issues.failedIssue;
  const event = EVENT_NAMES[batch.kind[index]!] ?? "event";
  const id = batch.orderId[index]!;
  const what = Number.isNaN(id) ? event : `${event} of order ${id}`;
  return inputError(
    ISSUE_CODES[issue],
    `${ISSUE_PHRASES[issue]}: ${what}`,
    { file, line: batch.line[index]! },
    "--lenient counts and skips invalid events instead of stopping",
  );
}

function noteIssues(run: CommandRun, issues: IssueLog, reader: EventReader): void {
  for (let k = 0; k < ISSUE_COUNT; k++) {
    const count = issues.counts[k]!;
    if (count === 0) continue;
    const action = k === Issue.overExecution ? "filled only what rested" : "skipped";
    run.warn(
      `${count} event${count === 1 ? "" : "s"} ${action}: ${ISSUE_PHRASES[k]} (first at line ${issues.firstLines[k]})`,
    );
  }
  if (reader.timeBackwards > 0) {
    run.warn(
      `${reader.timeBackwards} event${reader.timeBackwards === 1 ? "" : "s"} with time going backwards, applied in file order (first at line ${reader.firstBackwardsLine})`,
    );
  }
}

export function bookParams(options: BookOptions): Record<string, unknown> {
  return {
    inputFormat: options.bookFormat ?? null,
    depth: options.depth,
    at: options.at ?? null,
    every: options.every ?? null,
    interval: options.interval ?? null,
    match: options.match,
    lenient: options.lenient,
  };
}
