/**
 * Streaming reader of order book events: L3 CSV/TSV (`ts,event,order_id,
 * side,price,size`), L2 CSV/TSV (`ts,side,price,size`) and LOBSTER message
 * files, from a file, gzip or stdin (via {@link openInput} and the shared
 * line blocks). Each block of lines becomes one {@link EventBatch} of typed
 * arrays that the next block overwrites: memory stays flat in the number of
 * events, and no event is ever an object.
 *
 * Numbers are read by a byte scanner in the manner of io/delimited/scanner.ts,
 * but prices and sizes become fixed-point integers (text × 10^8) rather than
 * doubles, so that they compare and add exactly; a price with more than 8
 * decimals is an input error. Time stamps become numbers for ordering
 * (Clinger's fast path for plain decimals, `Date.parse` for ISO text); where
 * two stamps round to the same double, their texts decide (SPEC §1: stamps
 * are compared exactly). Stamps are echoed as written.
 */
import type { EventBatch } from "../../book/events.js";
import { EventKind } from "../../book/events.js";
import { inputError } from "../../errors.js";
import { bytesText } from "../delimited/scanner.js";
import { EVENT, EventScanner, ID, lobsterKinds, PRICE, SIDE, SIZE, SKIP, TIME } from "./eventScanner.js";
import { type InputSource, openInput } from "../inputSource.js";

export type EventLayout = "l3" | "l2" | "lobster";
export type EventInputFormat = "csv" | "tsv" | "arrow" | "lobster";

const LF = 10;

/** Header name (lower case) → what the column holds; a Map, so a column named `constructor` is just skipped. */
const COLUMN_NAMES = new Map<string, number>([
  ["ts", TIME],
  ["time", TIME],
  ["timestamp", TIME],
  ["event", EVENT],
  ["type", EVENT],
  ["action", EVENT],
  ["order_id", ID],
  ["orderid", ID],
  ["id", ID],
  ["oid", ID],
  ["side", SIDE],
  ["price", PRICE],
  ["size", SIZE],
  ["qty", SIZE],
  ["quantity", SIZE],
]);

/**
 * Events per batch: a batch's columns (about 45 bytes an event) and the
 * book then stay in the core's L2 cache between scanning and replay.
 */
const BATCH_ROWS = 1 << 14;

export interface EventReader {
  /** The input as named in messages. */
  file: string;
  /** Size in bytes of the (decompressed) input when known. */
  readonly sizeHint: number | undefined;
  layout: EventLayout;
  /** Most decimals seen in a price / size so far (for printing as written). */
  readonly priceDecimals: number;
  readonly sizeDecimals: number;
  /** Stamps earlier than the one before them (counted only when `lenient`). */
  readonly timeBackwards: number;
  readonly firstBackwardsLine: number;
  batches(): AsyncGenerator<EventBatch>;
}

export interface EventReaderOptions {
  format: EventInputFormat | undefined;
  stdin: NodeJS.ReadableStream;
  /** Count time going backwards instead of failing. */
  lenient: boolean;
}

/** Opens an event file; reading starts with `batches()`. */
export async function openEvents(source: string, options: EventReaderOptions): Promise<EventReader> {
  const lobster = options.format === "lobster";
  const requested = options.format === "lobster" ? "csv" : options.format;
  const input = await openInput(source, requested, options.stdin);
  if (input.format === "parquet") {
    throw inputError(
      "unsupported_format",
      `${input.file} is a Parquet file; order-book events are read from CSV/TSV, Arrow or LOBSTER files`,
      { file: input.file },
      "export the events as CSV (duckdb -c \"COPY (FROM 'events.parquet') TO 'events.csv'\")",
    );
  }
  if (input.format === "arrow") {
    const { arrowEventLines } = await import("./arrowEventText.js");
    const text: InputSource = {
      ...input,
      format: "delimited",
      delimiter: ",",
      lineBlocks: () => arrowEventLines(input),
    };
    return new DelimitedEventReader(text, false, options.lenient);
  }
  return new DelimitedEventReader(input, lobster, options.lenient);
}

class DelimitedEventReader implements EventReader {
  layout: EventLayout;
  priceDecimals = 0;
  sizeDecimals = 0;
  timeBackwards = 0;
  firstBackwardsLine = 0;
  readonly file: string;
  readonly sizeHint: number | undefined;
  private scanner: EventScanner | undefined;

  constructor(
    private readonly input: InputSource,
    private readonly lobster: boolean,
    private readonly lenient: boolean,
  ) {
    this.file = input.file;
    this.sizeHint = input.sizeHint;
    this.layout = lobster ? "lobster" : "l3";
  }

  async *batches(): AsyncGenerator<EventBatch> {
    for await (const block of this.input.lineBlocks()) {
      let start = block.start;
      if (this.scanner === undefined) {
        if (this.lobster) this.scanner = new EventScanner(this.file, lobsterKinds(), ",", 1, this.lenient);
        else start = this.readHeader(block.buf, start, block.end);
      }
      const scanner = this.scanner!;
      while (start < block.end) {
        start = scanner.scan(block.buf, start, block.end, BATCH_ROWS);
        this.priceDecimals = Math.max(this.priceDecimals, scanner.priceDecimals);
        this.sizeDecimals = Math.max(this.sizeDecimals, scanner.sizeDecimals);
        this.timeBackwards = scanner.timeBackwards;
        this.firstBackwardsLine = scanner.firstBackwardsLine;
        if (scanner.columns.count > 0) yield scanner.batch(block.buf);
      }
    }
    if (this.scanner === undefined && !this.lobster) {
      throw inputError("empty_input", "the input is empty: no header row", { file: this.file });
    }
  }

  /** Reads the header line; returns where the data starts. */
  private readHeader(buf: Buffer, start: number, end: number): number {
    const lineEnd = buf.indexOf(LF, start);
    const text = bytesText(buf, start, lineEnd >= 0 && lineEnd < end ? lineEnd : end, false).replace(
      /\r$/,
      "",
    );
    const delimiter = this.input.delimiter ?? (text.includes("\t") ? "\t" : text.includes(";") ? ";" : ",");
    const header = text.split(delimiter).map((name) => name.trim().replace(/^\uFEFF/, ""));
    const kinds = header.map((name) => COLUMN_NAMES.get(name.toLowerCase()) ?? SKIP);
    const has = (kind: number) => kinds.includes(kind);
    for (const kind of [TIME, EVENT, ID, SIDE, PRICE, SIZE]) {
      if (kinds.indexOf(kind) !== kinds.lastIndexOf(kind)) {
        throw inputError(
          "duplicate_column",
          `two columns mean the same field: ${header.filter((_, j) => kinds[j] === kind).join(", ")}`,
          { file: this.file, line: 1 },
        );
      }
    }
    const l3 = has(EVENT);
    this.layout = l3 ? "l3" : "l2";
    const needed = l3 ? [TIME, EVENT, ID, SIDE, PRICE, SIZE] : [TIME, SIDE, PRICE, SIZE];
    const names = ["", "ts", "event", "order_id", "side", "price", "size"];
    const missing = needed.filter((kind) => !has(kind)).map((kind) => names[kind]);
    if (missing.length > 0) {
      throw inputError(
        "missing_column",
        `no ${missing.join(", ")} column in the header "${text}"`,
        { file: this.file, line: 1 },
        "L3 files have columns ts,event,order_id,side,price,size; L2 files ts,side,price,size; " +
          "LOBSTER message files need --input-format lobster",
      );
    }
    this.scanner = new EventScanner(
      this.file,
      Uint8Array.from(kinds),
      delimiter,
      2,
      this.lenient,
      l3 ? 0 : EventKind.level,
    );
    return lineEnd >= 0 && lineEnd < end ? lineEnd + 1 : end;
  }
}
