import { isAscii } from "node:buffer";
import { BytesIndex } from "../io/ticks/bytesIndex.js";
import type { NamedHmm } from "../io/files/hmmModelFile.js";
import { NdjsonTickScanner, TickBytes } from "../io/ticks/tickBytes.js";
import {
  type CsvTickLayout,
  parseCsvTick,
  parseCsvTickHeader,
  parseNdjsonTick,
  type Tick,
  type TickProblem,
} from "../io/ticks/tickParser.js";
import type { EmissionFactors } from "../numerics/hmm/gaussianEmission.js";
import { HmmFilter } from "../numerics/hmm/filter.js";
import { TickSignals, type TickSignalSettings } from "../numerics/timeseries/tickSignals.js";
import type { LatencyHistogram } from "./latencyHistogram.js";
import { AsciiPiece, NdjsonBytes } from "../output/ndjsonBytes.js";
import {
  SHORTEST_DECIMAL_MAX_BYTES,
  SHORTEST_DECIMAL_WORD_BYTES,
  writeShortestDecimal,
} from "../output/shortestDecimal.js";

export type TickFormat = "ndjson" | "csv";

/** `--model`: a one-feature HMM, and which symbols' returns it filters (decided once, at a symbol's first tick). */
export interface StreamModel {
  named: NamedHmm;
  factors: EmissionFactors;
  appliesTo: (symbol: string) => boolean;
}

/** A line that is not a tick: its number (1-based; a CSV header is line 1), column and reason. */
export interface MalformedLine {
  line: number;
  column: number;
  message: string;
  /** A CSV header without the tick columns: no line after it can be read, so the run must stop. */
  fatal: boolean;
}

interface SymbolState {
  signals: TickSignals;
  /**
   * The row between time and mean, as UTF-8: `,"symbol":"…","price":`
   * (`prefixLength` bytes), `lastPrice` as JSON and `,"mean":`.
   */
  middle: AsciiPiece;
  prefixLength: number;
  /** Whether `middle` is ASCII, so that it may be copied by words. */
  middleIsAscii: boolean;
  lastPrice: number;
}

const piece = (text: string): AsciiPiece => AsciiPiece.of(text)!;
const TIME_KEY = piece('{"time":');
const MEAN_KEY = Buffer.from(',"mean":');
const STD_KEY = piece(',"std":');
const Z_KEY = piece(',"z":');
/** `,"position":P,"ewmaVol":` for P = −1, 0, 1. */
const POSITION_EWMA_KEYS = [-1, 0, 1].map((position) => piece(`,"position":${position},"ewmaVol":`));
const QUOTE = 34;
const LINE_FEED = 10;
/** Room for one row besides its time and symbol: 6 numbers (each written in whole words), keys and punctuation. */
const ROW_BYTES = 6 * SHORTEST_DECIMAL_WORD_BYTES + 64;
/** Room for each regime probability `,"pK":…`. */
const REGIME_BYTES = SHORTEST_DECIMAL_WORD_BYTES + 16;

/** Text of bytes[start, end), a line: Latin-1 (the fastest decoder) for ASCII, else UTF-8. */
function lineText(bytes: Buffer, start: number, end: number): string {
  return bytes.toString(isAscii(bytes.subarray(start, end)) ? "latin1" : "utf8", start, end);
}

/**
 * The heart of `stream`: lines (or ready ticks) in, NDJSON signal rows out.
 * Splits input into lines, parses each as a tick, drops replayed sequence
 * numbers, pushes the price through the symbol's `TickSignals` and appends
 * `{time, symbol, price, mean, std, z, position, ewmaVol[, p0..]}` to the
 * pending output, which the caller takes and writes (with backpressure).
 * Malformed lines go to `onMalformed` (which may throw, for --strict).
 *
 * Bytes (files, stdin) take a fast path for NDJSON: each line is scanned in
 * place (`NdjsonTickScanner`), the symbol's state found by its bytes and the
 * time copied to the output as bytes, so a tick makes no string at all; a
 * line the scanner does not take, and every CSV line, is decoded and read
 * by the text path, which decides every message.
 */
export class TickEngine {
  ticks = 0;
  skipped = 0;
  duplicates = 0;
  /** Number of the last line read (the header counts as line 1). */
  lineNumber = 0;
  private readonly out = new NdjsonBytes();
  private partial = "";
  /** An unfinished last line of bytes, kept for the next chunk. */
  private carry: Buffer | null = null;
  private format: TickFormat | undefined;
  private layout: CsvTickLayout | undefined;
  private readonly states = new Map<string, SymbolState>();
  private readonly tick: Tick = { timeJson: "", symbol: "", price: 0, seq: Number.NaN };
  private readonly scanned = new TickBytes();
  private readonly scanner = new NdjsonTickScanner();
  /** The same states by the bytes of their symbol, for the byte path. */
  private readonly byBytes = new BytesIndex<SymbolState>();
  private readonly rowBytes: number;
  /** `,"pK":` for each regime K of the model. */
  private readonly regimeKeys: AsciiPiece[];

  constructor(
    readonly settings: TickSignalSettings,
    private readonly model: StreamModel | null,
    private readonly onMalformed: (problem: MalformedLine) => void,
    private readonly latency: LatencyHistogram | null = null,
    format?: TickFormat,
    private readonly priceColumn?: string,
  ) {
    this.format = format;
    const regimes = model === null ? 0 : model.named.model.states;
    this.rowBytes = ROW_BYTES + REGIME_BYTES * regimes;
    this.regimeKeys = Array.from({ length: regimes }, (_, k) => piece(`,"p${k}":`));
  }

  get symbols(): number {
    return this.states.size;
  }

  /** Output rows produced since the last call, as UTF-8 NDJSON. */
  takeOutput(): Buffer {
    return this.out.take();
  }

  /** Gives back what `takeOutput` returned, once it is written, for the next rows to reuse its memory. */
  recycleOutput(written: Buffer): void {
    this.out.recycle(written);
  }

  /** Feeds bytes; complete lines are processed, an unfinished last line is kept for the next call. */
  feedBytes(chunk: Buffer): void {
    let start = 0;
    if (this.carry !== null) {
      const newline = chunk.indexOf(LINE_FEED);
      if (newline < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, newline + 1)]);
      this.carry = null;
      this.processBlock(line, 0, line.length);
      start = newline + 1;
    }
    const end = Math.max(chunk.lastIndexOf(LINE_FEED) + 1, start);
    if (end > start) this.processBlock(chunk, start, end);
    // A copy: the caller may reuse the chunk's memory for its next read.
    if (end < chunk.length) this.carry = Buffer.from(chunk.subarray(end));
  }

  /** End of a byte source: an unfinished last line is a line. */
  endBytes(): void {
    const last = this.carry;
    if (last !== null) {
      this.carry = null;
      this.processLine(lineText(last, 0, last.length));
    }
  }

  /** Feeds text; complete lines are processed, an unfinished last line is kept for the next call. */
  feedText(text: string): void {
    let start = 0;
    let data = text;
    if (this.partial.length > 0) {
      data = this.partial + text;
      this.partial = "";
    }
    for (;;) {
      const end = data.indexOf("\n", start);
      if (end < 0) break;
      this.processLine(data.slice(start, end));
      start = end + 1;
    }
    if (start < data.length) this.partial = data.slice(start);
  }

  /** End of a text source: an unfinished last line is a line. */
  endText(): void {
    if (this.partial.length > 0) {
      const last = this.partial;
      this.partial = "";
      this.processLine(last);
    }
  }

  /** Forgets an unfinished line (the file it came from was truncated). */
  dropPartial(): void {
    this.partial = "";
    this.carry = null;
  }

  /** The complete lines bytes[start, end) (bytes[end − 1] is a line feed). */
  private processBlock(bytes: Buffer, start: number, end: number): void {
    let p = start;
    while (p < end && this.format !== "ndjson") {
      if (this.format === "csv") {
        this.feedText(lineText(bytes, p, end));
        return;
      }
      // The first line decides the format (the text path sniffs it).
      const newline = bytes.indexOf(LINE_FEED, p);
      this.processLine(lineText(bytes, p, newline));
      p = newline + 1;
    }
    const scanned = this.scanned;
    const scanner = this.scanner;
    const latency = this.latency;
    while (p < end) {
      const started = latency === null ? 0 : performance.now();
      const newline = scanner.scan(bytes, p, scanned);
      if (newline < 0) {
        const lineEnd = bytes.indexOf(LINE_FEED, p);
        this.processLine(lineText(bytes, p, lineEnd));
        p = lineEnd + 1;
        continue;
      }
      this.lineNumber++;
      this.processScanned(bytes, scanned);
      if (latency !== null) latency.record((performance.now() - started) * 1e6);
      p = newline + 1;
    }
  }

  processLine(raw: string): void {
    const line = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    this.lineNumber++;
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0)) return;
    const started = this.latency === null ? 0 : performance.now();
    let problem: TickProblem | null;
    if (this.format === undefined) this.format = line.trimStart().startsWith("{") ? "ndjson" : "csv";
    if (this.format === "ndjson") problem = parseNdjsonTick(line, this.tick);
    else if (this.layout === undefined) {
      const header = parseCsvTickHeader(line, this.priceColumn);
      if ("message" in header) this.onMalformed({ line: this.lineNumber, ...header, fatal: true });
      else this.layout = header;
      return;
    } else problem = parseCsvTick(line, this.layout, this.tick);
    if (problem !== null) {
      this.malformed(problem);
      return;
    }
    this.processTick(this.tick);
    if (this.latency !== null) this.latency.record((performance.now() - started) * 1e6);
  }

  /** A message (or one line) that is not a tick, counted and reported against the current line number. */
  malformed(problem: TickProblem): void {
    this.onMalformed({
      line: this.lineNumber,
      column: problem.column,
      message: problem.message,
      fatal: false,
    });
    this.skipped++;
  }

  /** Counts the next message of a source that is not line-oriented (a websocket message). */
  nextMessage(): void {
    this.lineNumber++;
  }

  processTick(tick: Tick): void {
    let state = this.states.get(tick.symbol);
    if (state === undefined) {
      state = this.newState(tick.symbol);
      this.states.set(tick.symbol, state);
    }
    if (!this.accept(state.signals, tick.seq)) return;
    state.signals.push(tick.price);
    const out = this.out;
    out.reserve(16);
    out.piece(TIME_KEY);
    out.text(tick.timeJson);
    this.finishRow(state, tick.price);
  }

  /** The byte path's processTick: the symbol found by its bytes, the time copied as written. */
  private processScanned(bytes: Buffer, scanned: TickBytes): void {
    const state = this.stateOf(bytes, scanned.symbolStart, scanned.symbolEnd, scanned.symbolHash);
    if (!this.accept(state.signals, scanned.seq)) return;
    state.signals.push(scanned.price);
    const out = this.out;
    const timeStart = scanned.timeStart;
    const timeEnd = scanned.timeEnd;
    out.reserve(TIME_KEY.length + 2 + timeEnd - timeStart);
    out.piece(TIME_KEY);
    if (scanned.timeQuoted) out.copy(bytes, timeStart, timeEnd);
    else {
      out.byte(QUOTE);
      out.copy(bytes, timeStart, timeEnd);
      out.byte(QUOTE);
    }
    this.finishRow(state, scanned.price);
  }

  /** False for a replay: per-symbol sequence numbers increase, so a (symbol, seq) at or below the last is one. */
  private accept(signals: TickSignals, seq: number): boolean {
    if (Number.isNaN(seq)) return true;
    if (seq <= signals.lastSeq) {
      this.duplicates++;
      return false;
    }
    signals.lastSeq = seq;
    return true;
  }

  /** The row after its time: `,"symbol":…,"price":…,…}` and a line feed. */
  private finishRow(state: SymbolState, price: number): void {
    const out = this.out;
    const signals = state.signals;
    const middle = state.middle;
    if (price !== state.lastPrice) {
      state.lastPrice = price;
      const text = middle.bytes;
      let end = writeShortestDecimal(price, text, state.prefixLength);
      for (let i = 0; i < MEAN_KEY.length; i++) text[end++] = MEAN_KEY[i]!;
      middle.length = end;
    }
    out.reserve(middle.length + this.rowBytes);
    if (state.middleIsAscii) out.piece(middle);
    else out.copy(middle.bytes, 0, middle.length);
    out.number(signals.mean);
    out.piece(STD_KEY);
    out.number(signals.std);
    out.piece(Z_KEY);
    out.number(signals.z);
    out.piece(POSITION_EWMA_KEYS[signals.position + 1]!);
    out.number(signals.ewmaVol);
    const regimes = signals.regimes;
    if (regimes !== null) {
      for (let k = 0; k < regimes.length; k++) {
        out.piece(this.regimeKeys[k]!);
        out.number(regimes[k]!);
      }
    }
    out.byte(125);
    out.byte(LINE_FEED);
    this.ticks++;
  }

  /** The state of the symbol bytes[start, end) (ASCII), by its hash. */
  private stateOf(bytes: Buffer, start: number, end: number, hash: number): SymbolState {
    const known = this.byBytes.get(bytes, start, end, hash);
    if (known !== undefined) return known;
    const symbol = bytes.toString("latin1", start, end);
    let state = this.states.get(symbol);
    if (state === undefined) {
      state = this.newState(symbol);
      this.states.set(symbol, state);
    }
    this.byBytes.set(bytes, start, end, hash, state);
    return state;
  }

  private newState(symbol: string): SymbolState {
    const model = this.model;
    const filter =
      model === null || !model.appliesTo(symbol) ? null : new HmmFilter(model.named.model, model.factors);
    const prefix = Buffer.from(`,"symbol":${JSON.stringify(symbol)},"price":`, "utf8");
    const middle = new AsciiPiece(prefix.length + SHORTEST_DECIMAL_MAX_BYTES + MEAN_KEY.length);
    middle.bytes.set(prefix);
    return {
      signals: new TickSignals(this.settings, filter),
      middle,
      prefixLength: prefix.length,
      middleIsAscii: AsciiPiece.of(prefix) !== null,
      lastPrice: Number.NaN,
    };
  }
}
