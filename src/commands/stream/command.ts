import { stat } from "node:fs/promises";
import { type Command, Option } from "commander";
import type { RunContext } from "../../context.js";
import { safeText } from "../../output/safeText.js";
import { ExitCode, inputError, usageError } from "../../errors.js";
import { FEEDS, type Feed, feedTicks } from "../../io/feeds/exchangeFeeds.js";
import { followByteChunks, readByteChunks } from "../../io/ticks/tickSources.js";
import type { ReturnKind } from "../../numerics/timeseries/returns.js";
import { LatencyHistogram } from "../../stream/latencyHistogram.js";
import { parseInteger, parseNumber } from "../shared/options.js";
import { addSignalOptions, checkSignalOptions } from "../shared/signalOptions.js";
import { addModelFeaturesOption, checkFeatureList, matchFeatures } from "../shared/modelFeatures.js";
import {
  type MalformedLine,
  type StreamModel,
  TickEngine,
  type TickFormat,
} from "../../stream/tickEngine.js";
import { WARM_UP_MIN_BYTES, warmUpTickEngine } from "../../stream/warmUp.js";
import type { TickSignalSettings } from "../../numerics/timeseries/tickSignals.js";

export const STREAM_DEFAULTS = {
  /** RiskMetrics' decay for daily data (J.P. Morgan/Reuters 1996). */
  ewmaLambda: 0.94,
  returns: "log" as ReturnKind,
  pollMs: 100,
};

export interface StreamOptions {
  window: number;
  entry: number;
  exit: number;
  ewmaLambda: number;
  model?: string;
  features?: string[];
  returns: ReturnKind;
  follow?: string;
  poll: number;
  ws?: string;
  feed?: Feed;
  subscribe?: string;
  maxRetries?: number;
  inputFormat?: TickFormat;
  priceCol?: string;
  strict: boolean;
  quiet: boolean;
  timings: boolean;
  debug: boolean;
}

export function registerStream(program: Command, context: RunContext): void {
  const command = program
    .command("stream")
    .summary("incremental z-score signals, EWMA volatility and regime probabilities over a live tick feed")
    .description(
      "Reads ticks as NDJSON ({ts, symbol, price[, size][, seq]}) or CSV lines (header: ts,symbol,price[,seq]) " +
        "from a file, stdin, a followed file (--follow) or a websocket (--ws, with --feed for exchange trade " +
        "messages), and writes one NDJSON line per tick: {time, symbol, price, mean, std, z, position, ewmaVol} " +
        "(plus p0..pK-1 with --model: a one-feature model filters each symbol's returns whatever the " +
        "symbol, or with --features SYMBOL that symbol's only). Per symbol, the rolling mean, sample std, z-score and hysteresis " +
        "position are meanrev's, from the same kernel, so a stream equals meanrev on the same data. " +
        "ewmaVol is the RiskMetrics EWMA of log returns: v1 = r1^2, vt = lambda*v(t-1) + (1-lambda)*rt^2, " +
        "ewmaVol = sqrt(vt) per tick. A tick whose seq is not above its symbol's last seq is a replay and is " +
        "dropped. Malformed lines are reported with their line number and skipped (exit 3 with --strict). " +
        "A summary (ticks, symbols, skipped lines, duplicates) goes to stderr at the end or on Ctrl-C.",
    )
    .argument("[input]", "tick file (NDJSON or CSV, optionally .gz), or - for stdin");
  addSignalOptions(command, "ticks")
    .option(
      "--ewma-lambda <lambda>",
      "decay of the EWMA variance of log returns (RiskMetrics)",
      parseNumber("--ewma-lambda", (x) =>
        x > 0 && x < 1 ? undefined : "must be between 0 and 1 (exclusive).",
      ),
      STREAM_DEFAULTS.ewmaLambda,
    )
    .option(
      "--model <file>",
      "an 'hmm --save' model of one feature: filtered regime probabilities p0..pK-1 of each symbol's returns",
    );
  addModelFeaturesOption(
    command,
    "--model: the one symbol whose returns the model reads (default: every symbol, whatever the feature's name)",
  )
    .addOption(
      new Option("--returns <kind>", "returns the --model reads (as hmm computed them)")
        .choices(["log", "simple"])
        .default(STREAM_DEFAULTS.returns),
    )
    .option("--follow <file>", "read the file, then follow appends (survives truncation and rotation)")
    .option(
      "--poll <ms>",
      "--follow: how often to look for appends",
      parseInteger("--poll", 1, 3_600_000),
      STREAM_DEFAULTS.pollMs,
    )
    .option("--ws <url>", "read ticks from a websocket (ws:// or wss://), reconnecting with backoff")
    .addOption(
      new Option("--feed <exchange>", "--ws messages are this exchange's public trades").choices(FEEDS),
    )
    .option("--subscribe <message>", "--ws: text message sent after every (re)connection")
    .option(
      "--max-retries <n>",
      "--ws: give up (exit 3) after this many failed connections in a row: refused, broke the protocol, or dropped before a message (default: never)",
      parseInteger("--max-retries", 0),
    )
    .addOption(
      new Option("--input-format <format>", "tick format (default: sniffed from the first line)").choices([
        "ndjson",
        "csv",
      ]),
    )
    .option("--price-col <name>", "CSV: the price column (default: price/close/value)")
    .option("--strict", "stop at the first malformed line (exit 3) instead of skipping it", false)
    .option("--timings", "add throughput and per-tick latency quantiles to the summary", false)
    .option("-q, --quiet", "no per-line warnings and no summary on stderr", false)
    .option("--debug", "show stack traces for errors", false);
  command.addHelpText(
    "after",
    `
Examples:
  hftlab stream fixtures/ticks.ndjson > signals.ndjson
  cat fixtures/ticks.csv | hftlab stream --window 50 -    # a live CSV pipe keeps its header with tail -n +1 -f (tail -f drops it)
  timeout -s INT --preserve-status 1 hftlab stream --follow fixtures/ticks.ndjson    # exits 130: follows until Ctrl-C
  hftlab hmm --columns DAX --save regimes.json fixtures/eustocks.csv && hftlab stream --model regimes.json --features DAX fixtures/ticks.ndjson    # p0..pK-1 on DAX's rows only
  hftlab stream --ws wss://stream.binance.com:9443/ws/btcusdt@trade --feed binance    # (needs a live feed)
  hftlab stream --ws wss://ws-feed.exchange.coinbase.com --feed coinbase \\
    --subscribe '{"type":"subscribe","product_ids":["BTC-USD"],"channels":["matches"]}'    # (needs a live feed)
  hftlab stream --ws wss://ws.kraken.com/v2 --feed kraken \\
    --subscribe '{"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD"]}}'    # (needs a live feed)

Output is written at the end of every input chunk, so a live feed's rows appear as its ticks arrive;
a bulk file's rows are written in 256 KiB blocks. Ctrl-C ends cleanly: rows so far, the summary, exit 130.`,
  );
  command.action(async (input: string | undefined, options: StreamOptions) => {
    await runStream(input, options, context);
  });
}

/** The engine's settings from the stream options (the CLI's and serve's StreamSignals alike). */
export function tickSettings(options: StreamOptions): TickSignalSettings {
  return {
    window: options.window,
    entry: options.entry,
    exit: options.exit,
    ewmaLambda: options.ewmaLambda,
    returns: options.returns,
  };
}

export function checkStreamOptions(input: string | undefined, options: StreamOptions): void {
  checkSignalOptions(options);
  const sources = [
    input !== undefined && "an input file",
    options.follow !== undefined && "--follow",
    options.ws !== undefined && "--ws",
  ].filter(Boolean);
  if (sources.length > 1) throw usageError(`${sources.join(" and ")} cannot be combined`, "read one source");
  if (options.feed !== undefined && options.ws === undefined) {
    throw usageError("--feed maps websocket messages; it needs --ws", "e.g. --ws wss://… --feed binance");
  }
  if (options.subscribe !== undefined && options.ws === undefined) throw usageError("--subscribe needs --ws");
  if (options.features !== undefined && options.model === undefined) {
    throw usageError("--features maps a --model's feature to a symbol; it needs --model");
  }
  if (options.ws !== undefined && !/^wss?:\/\//i.test(options.ws)) {
    throw usageError(`--ws needs a ws:// or wss:// URL, got ${options.ws}`);
  }
}

/** `--model` with the symbols its rule matched so far (at their first tick), for the end-of-run check of --features. */
export type LoadedStreamModel = StreamModel & { matched: string[] };

/**
 * `hmm --model`'s rule (src/commands/shared/modelFeatures.ts) applied to each symbol as a one-column input
 * of its own, since stream filters each symbol's returns apart: a one-feature model matches every symbol by
 * position, and --features SYMBOL names the one symbol it reads. A symbol the rule does not match is no error,
 * as a stream's symbols are not known in advance: its rows carry no p0..pK-1.
 */
// The model file, the HMM kernels and the websocket client (http, https, tls, crypto) are
// imported only when asked for: a file or stdin run starts without them.
export async function loadStreamModel(
  path: string,
  features: string[] | undefined,
): Promise<LoadedStreamModel> {
  const { loadModel } = await import("../shared/hmmModel.js");
  const { emissionFactors } = await import("../../numerics/hmm/gaussianEmission.js");
  const named = await loadModel(path);
  if (named.model.dimension !== 1) {
    throw inputError(
      "model_features",
      `stream filters each symbol's returns on its own: the model needs one feature, it has ${named.model.dimension} (${named.features.join(", ")})`,
      { file: path },
      "fit it with 'hftlab hmm --columns SYMBOL --save model.json'",
    );
  }
  checkFeatureList(named.features, features);
  const factors = emissionFactors(named.model);
  if ("notPositiveDefinite" in factors) throw inputError("bad_model", "invalid model file", { file: path });
  const matched: string[] = [];
  const appliesTo = (symbol: string): boolean => {
    const applies = "columns" in matchFeatures(named.features, [symbol], features);
    if (applies) matched.push(symbol);
    return applies;
  };
  return { named, factors, appliesTo, matched };
}

export async function runStream(
  input: string | undefined,
  options: StreamOptions,
  context: RunContext,
): Promise<void> {
  checkStreamOptions(input, options);
  const source = options.follow ?? options.ws ?? input ?? (context.stdinIsTty ? undefined : "-");
  if (source === undefined) {
    throw usageError("no input given", "usage: hftlab stream [options] <file|->, --follow FILE or --ws URL");
  }
  const sourceName = source === "-" ? "<stdin>" : source;
  const model = options.model === undefined ? null : await loadStreamModel(options.model, options.features);
  const latency = options.timings ? new LatencyHistogram() : null;
  const onMalformed = malformedLineHandler(options, sourceName, context);
  const engine = new TickEngine(
    tickSettings(options),
    model,
    onMalformed,
    latency,
    options.inputFormat,
    options.priceCol,
  );
  const notice = (text: string): void => {
    if (!options.quiet) context.stderr(`hftlab: stream: ${text}\n`);
  };
  const flush = async (): Promise<void> => {
    const out = engine.takeOutput();
    if (out.length > 0) await context.stdout.writeBytes(out, () => engine.recycleOutput(out));
  };

  const abort = new AbortController();
  let interrupted = false;
  const onInterrupt = (): void => {
    if (interrupted) process.exit(ExitCode.interrupted);
    interrupted = true;
    abort.abort();
  };
  const previousListeners = process.listeners("SIGINT");
  // Added before the CLI's handler goes: a moment without a listener closes the signal's watcher,
  // losing a Ctrl-C already delivered to it.
  process.on("SIGINT", onInterrupt);
  for (const listener of previousListeners) process.off("SIGINT", listener);
  // `performance` loads perf_hooks (a few milliseconds of start-up): only --timings reads the clock.
  const started = latency === null ? 0 : performance.now();
  // A run that fails before its first tick prints its error alone; one that dies mid-feed says what
  // it had emitted (its rows are already out), then the error.
  let failed = false;
  try {
    if (options.ws !== undefined) {
      const feed = options.feed;
      const { websocketMessages } = await import("../../io/feeds/websocketSource.js");
      for await (const item of websocketMessages(new URL(options.ws), {
        ...(options.subscribe === undefined ? {} : { subscribe: options.subscribe }),
        ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
        signal: abort.signal,
      })) {
        if (typeof item !== "string") {
          // The details quote the server (a close reason): escaped, as any input text on stderr.
          if (item.notice !== "violation") notice(`${item.notice}: ${safeText(item.detail)}`);
          else if (!options.quiet) {
            context.stderr(
              `hftlab: warning: websocket protocol violation: ${safeText(item.detail)}; connection closed (${sourceName})\n`,
            );
          }
          continue;
        }
        if (feed === undefined) {
          engine.feedText(item);
          engine.endText();
        } else {
          engine.nextMessage();
          const ticks = feedTicks(feed, item);
          if ("message" in ticks) engine.malformed(ticks);
          else for (const tick of ticks) engine.processTick(tick);
        }
        await flush();
      }
    } else {
      if (options.follow === undefined && (await fileBytes(source)) >= WARM_UP_MIN_BYTES) {
        warmUpTickEngine(engine.settings);
      }
      const chunks =
        options.follow !== undefined
          ? followByteChunks(options.follow, options.poll, abort.signal)
          : readByteChunks(source, context.stdin, abort.signal);
      for await (const chunk of chunks) {
        if (chunk instanceof Uint8Array) {
          engine.feedBytes(chunk);
          await flush();
        } else {
          if (chunk.notice === "truncated") engine.dropPartial();
          else engine.endBytes();
          notice(`${options.follow}: ${chunk.notice}, reading from its start`);
        }
      }
      if (!interrupted) engine.endBytes();
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    for (const listener of previousListeners) process.on("SIGINT", listener as () => void);
    process.off("SIGINT", onInterrupt);
    await flush();
    if (!options.quiet && options.features !== undefined && model?.matched.length === 0) {
      context.stderr(
        `hftlab: warning: --features ${options.features[0]}: no tick of ${options.features[0]} was read, so no row has p0..pK-1\n`,
      );
    }
    if (!options.quiet && (!failed || engine.ticks + engine.skipped > 0))
      context.stderr(
        summary(engine, latency, latency === null ? 0 : (performance.now() - started) / 1000, interrupted),
      );
  }
  if (interrupted) context.exitCode = ExitCode.interrupted;
}

/**
 * What a malformed line does: under --strict (or for an unusable CSV header)
 * it ends the run with exit 3, else it is skipped with a warning.
 */
export function malformedLineHandler(
  options: Pick<StreamOptions, "strict" | "quiet">,
  sourceName: string,
  context: Pick<RunContext, "stderr">,
): (bad: MalformedLine) => void {
  return (bad) => {
    if (options.strict || bad.fatal) {
      throw inputError(
        bad.fatal ? "bad_header" : "malformed_tick",
        bad.fatal ? `unusable CSV header: ${bad.message}` : `malformed tick: ${bad.message}`,
        { file: sourceName, line: bad.line, column: bad.column },
        // A bad header stops every run, --strict or not: only a --strict stop is undone by dropping it.
        bad.fatal
          ? "a CSV tick stream starts with its header (e.g. ts,symbol,price); `tail -f` drops it, `tail -n +1 -f` keeps it"
          : "fix or remove the line, or drop --strict to skip such lines",
      );
    }
    if (!options.quiet) {
      context.stderr(
        `hftlab: warning: skipped line ${bad.line}: ${safeText(bad.message)} (${sourceName}:${bad.line}:${bad.column})\n`,
      );
    }
  };
}

/** The size of a regular file (0 for stdin, anything else, or a path that cannot be read: the reader reports that). */
async function fileBytes(path: string): Promise<number> {
  if (path === "-") return 0;
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats.size : 0;
  } catch {
    return 0;
  }
}

function summary(
  engine: TickEngine,
  latency: LatencyHistogram | null,
  seconds: number,
  interrupted: boolean,
): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  let text = `hftlab: stream: ${interrupted ? "interrupted after " : ""}${plural(engine.ticks, "tick")}, ${plural(engine.symbols, "symbol")}, ${plural(engine.skipped, "skipped line")}, ${plural(engine.duplicates, "duplicate")}`;
  if (latency !== null) {
    const us = (ns: number) => (ns / 1000).toFixed(2);
    text += `; ${seconds.toFixed(3)} s, ${Math.round(engine.ticks / seconds)} ticks/s; per-tick latency p50 ${us(latency.quantile(0.5))} us, p99 ${us(latency.quantile(0.99))} us, p99.9 ${us(latency.quantile(0.999))} us, max ${us(latency.max)} us`;
  }
  return `${text}\n`;
}
