import type { NamedHmm } from "../io/hmmModelFile.js";
import {
  type CsvTickLayout,
  parseCsvTick,
  parseCsvTickHeader,
  parseNdjsonTick,
  type Tick,
  type TickProblem,
} from "../io/tickParser.js";
import type { EmissionFactors } from "../numerics/gaussianEmission.js";
import { HmmFilter } from "../numerics/hmmFilter.js";
import { TickSignals, type TickSignalSettings } from "../numerics/tickSignals.js";
import type { LatencyHistogram } from "../output/latencyHistogram.js";
import { NdjsonBytes } from "../output/ndjsonBytes.js";

export type TickFormat = "ndjson" | "csv";

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
  /** `,"symbol":"…","price":` as UTF-8, the part of the row between time and price. */
  symbolBytes: Uint8Array;
  lastPrice: number;
  lastPriceJson: string;
}

const ENCODER = new TextEncoder();
const POSITION_TEXT = ["-1", "0", "1"];
/** Room for one row besides its time and symbol: 6 numbers of at most 24 bytes, keys and punctuation. */
const ROW_BYTES = 6 * 24 + 64;

/**
 * The heart of `stream`: lines (or ready ticks) in, NDJSON signal rows out.
 * Splits text into lines, parses each as a tick, drops replayed sequence
 * numbers, pushes the price through the symbol's `TickSignals` and appends
 * `{time, symbol, price, mean, std, z, position, ewmaVol[, p0..]}` to the
 * pending output, which the caller takes and writes (with backpressure).
 * Malformed lines go to `onMalformed` (which may throw, for --strict).
 */
export class TickEngine {
  ticks = 0;
  skipped = 0;
  duplicates = 0;
  /** Number of the last line read (the header counts as line 1). */
  lineNumber = 0;
  private readonly out = new NdjsonBytes();
  private partial = "";
  private format: TickFormat | undefined;
  private layout: CsvTickLayout | undefined;
  private readonly states = new Map<string, SymbolState>();
  private readonly tick: Tick = { timeJson: "", symbol: "", price: 0, seq: Number.NaN };

  constructor(
    private readonly settings: TickSignalSettings,
    private readonly model: { named: NamedHmm; factors: EmissionFactors } | null,
    private readonly onMalformed: (problem: MalformedLine) => void,
    private readonly latency: LatencyHistogram | null = null,
    format?: TickFormat,
    private readonly priceColumn?: string,
  ) {
    this.format = format;
  }

  get symbols(): number {
    return this.states.size;
  }

  /** Output rows produced since the last call, as UTF-8 NDJSON. */
  takeOutput(): Buffer {
    return this.out.take();
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
    const signals = state.signals;
    const seq = tick.seq;
    if (!Number.isNaN(seq)) {
      // A (symbol, seq) at or below the last one seen is a replay: per-symbol sequence numbers increase.
      if (seq <= signals.lastSeq) {
        this.duplicates++;
        return;
      }
      signals.lastSeq = seq;
    }
    const price = tick.price;
    signals.push(price);
    if (price !== state.lastPrice) {
      state.lastPrice = price;
      state.lastPriceJson = JSON.stringify(price);
    }
    const out = this.out;
    out.reserve(ROW_BYTES);
    out.ascii('{"time":');
    out.text(tick.timeJson);
    out.bytes(state.symbolBytes);
    out.reserve(ROW_BYTES + (this.model === null ? 0 : 32 * this.model.named.model.states));
    out.ascii(state.lastPriceJson);
    out.ascii(',"mean":');
    out.number(signals.mean);
    out.ascii(',"std":');
    out.number(signals.std);
    out.ascii(',"z":');
    out.number(signals.z);
    out.ascii(',"position":');
    out.ascii(POSITION_TEXT[signals.position + 1]!);
    out.ascii(',"ewmaVol":');
    out.number(signals.ewmaVol);
    const regimes = signals.regimes;
    if (regimes !== null) {
      for (let k = 0; k < regimes.length; k++) {
        out.ascii(`,"p${k}":`);
        out.number(regimes[k]!);
      }
    }
    out.ascii("}\n");
    this.ticks++;
  }

  private newState(symbol: string): SymbolState {
    const filter = this.model === null ? null : new HmmFilter(this.model.named.model, this.model.factors);
    return {
      signals: new TickSignals(this.settings, filter),
      symbolBytes: ENCODER.encode(`,"symbol":${JSON.stringify(symbol)},"price":`),
      lastPrice: Number.NaN,
      lastPriceJson: "null",
    };
  }
}
