import type { RunContext } from "../../context.js";
import type { Frame } from "../../io/frame.js";
import { type ColumnHeader, type OutputColumn, Utf8Column } from "../../io/outputColumn.js";
import { delimitedText } from "../../io/rows/delimitedBytes.js";
import { outputFormat, writeDelimitedFile, writeTableBlocks } from "../../io/write.js";
import { type MeanrevRowColumns, meanrevSymbolBytes, type RowFlavour } from "../../output/meanrevRows.js";
import { type TimeTextBytes, timeTextBytes } from "../../output/timeBytes.js";
import type { MeanrevRowsSource } from "../../parallel/rowsPool.js";
import { zScore } from "../../numerics/timeseries/positions.js";
import { type RowSeries, ROW_FILE_COLUMNS } from "./results.js";

/**
 * meanrev's per-row output, `--ndjson` and `--out`: every bar, then every
 * series within it (time-major, like a feed), as time, symbol, price, mean,
 * std, z, position. Formatted from the typed arrays in chunks of whole bars
 * (on every core for NDJSON and CSV/TSV; Arrow record batches of about 64K
 * rows), so memory stays that of a few chunks whatever the rows.
 */

/** Bars of about 64K rows, the Arrow record batch a block becomes. */
const ARROW_BLOCK_ROWS = 1 << 16;

/** A column in shared memory (the row formatters' workers read it without a copy). */
function shared(values: Float64Array): Float64Array {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const copy = new Float64Array(new SharedArrayBuffer(values.byteLength));
  copy.set(values);
  return copy;
}

function rowColumns(series: RowSeries[]): MeanrevRowColumns[] {
  // The signals are in shared memory when the series pool ran on threads; a price column
  // the reader did not share (the pair's spread) is then copied, so the rows format in parallel.
  const share = series.every((s) => s.signals!.mean.buffer instanceof SharedArrayBuffer);
  return series.map((s) => ({
    price: share ? shared(s.values) : s.values,
    mean: s.signals!.mean,
    std: s.signals!.std,
    position: s.signals!.position,
  }));
}

function rowsSource(
  frame: Frame,
  series: RowSeries[],
  flavour: RowFlavour,
  quote: (text: string) => string,
): MeanrevRowsSource {
  return {
    flavour,
    times: timeTextBytes(frame.time, quote, true),
    symbols: series.map((s) => meanrevSymbolBytes(s.symbol, flavour, quote)),
    series: rowColumns(series),
  };
}

export async function writeRowsNdjson(frame: Frame, series: RowSeries[], context: RunContext): Promise<void> {
  const { writeMeanrevRowsInOrder } = await import("../../parallel/rowsPool.js");
  await writeMeanrevRowsInOrder(
    rowsSource(frame, series, { kind: "ndjson" }, JSON.stringify),
    // Resolves once the stream is done with the chunk: its memory is a slot the next chunks reuse.
    (chunk) =>
      new Promise<void>((resolve, reject) => {
        context.stdout.writeBytes(chunk, resolve).catch(reject);
      }),
  );
}

/** `--out`'s long table: CSV/TSV (optionally gzip) or Arrow, by the extension. */
export async function writeRowsFile(path: string, frame: Frame, series: RowSeries[]): Promise<void> {
  if (outputFormat(path).kind === "delimited") {
    const { writeMeanrevRowsInOrder } = await import("../../parallel/rowsPool.js");
    await writeDelimitedFile(path, [frame.timeName, ...ROW_FILE_COLUMNS], (delimiter, write) =>
      writeMeanrevRowsInOrder(
        rowsSource(frame, series, { kind: "delimited", delimiter }, (text) => delimitedText(text, delimiter)),
        write,
      ),
    );
    return;
  }
  const anyNaN = (pick: (s: RowSeries) => Float64Array) => series.some((s) => hasNaN(pick(s)));
  const header: ColumnHeader[] = [
    { name: frame.timeName, type: "utf8", nullable: false },
    { name: "symbol", type: "utf8", nullable: false },
    { name: "price", type: "float64", nullable: anyNaN((s) => s.values) },
    { name: "mean", type: "float64", nullable: anyNaN((s) => s.signals!.mean) },
    { name: "std", type: "float64", nullable: anyNaN((s) => s.signals!.std) },
    { name: "z", type: "float64", nullable: series.some(anyNaNZ) },
    { name: "position", type: "int8", nullable: false },
  ];
  const times = timeTextBytes(frame.time, (text) => text, false);
  await writeTableBlocks(path, header, arrowBlocks(frame, times, series));
}

/** Whether a column holds a NaN: a plain loop (a `some` callback per value was half a second on 40M rows). */
function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) return true;
  return false;
}

/** Whether some bar's z-score (derived from the kept price, mean and std) is NaN. */
function anyNaNZ(s: RowSeries): boolean {
  const { mean, std } = s.signals!;
  for (let i = 0; i < s.values.length; i++)
    if (Number.isNaN(zScore(s.values[i]!, mean[i]!, std[i]!))) return true;
  return false;
}

/** The time stamps of bars [from, to), each repeated once per series, as Arrow text. */
function repeatedTimes(times: TimeTextBytes, from: number, to: number, width: number): Utf8Column {
  const { bytes, ends } = times;
  const start = from === 0 ? 0 : ends[from - 1]!;
  const data = new Uint8Array((ends[to - 1]! - start) * width);
  const offsets = new Int32Array((to - from) * width + 1);
  let at = 0;
  let k = 0;
  let barStart = start;
  for (let i = from; i < to; i++) {
    const barEnd = ends[i]!;
    // A stamp is a few dozen bytes: a loop beats a subarray and a native copy per row.
    for (let j = 0; j < width; j++) {
      for (let b = barStart; b < barEnd; b++) data[at++] = bytes[b]!;
      offsets[++k] = at;
    }
    barStart = barEnd;
  }
  return new Utf8Column(data, offsets);
}

function* arrowBlocks(frame: Frame, times: TimeTextBytes, series: RowSeries[]): Generator<OutputColumn[]> {
  const bars = frame.time.length;
  const width = Math.max(1, series.length);
  const step = Math.max(1, Math.floor(ARROW_BLOCK_ROWS / width));
  const symbols = series.map((s) => Buffer.from(s.symbol, "utf8"));
  for (let from = 0; from < bars; from += step) {
    const to = Math.min(bars, from + step);
    const count = (to - from) * series.length;
    const price = new Float64Array(count);
    const mean = new Float64Array(count);
    const std = new Float64Array(count);
    const z = new Float64Array(count);
    const position = new Int8Array(count);
    // Series by series (each column read in order, written with a stride): the row-major
    // loop's per-row property reads were most of the block's time.
    for (let j = 0; j < series.length; j++) {
      const s = series[j]!;
      const values = s.values;
      const signals = s.signals!;
      const means = signals.mean;
      const stds = signals.std;
      const positions = signals.position;
      for (let i = from, k = j; i < to; i++, k += width) {
        const p = values[i]!;
        const m = means[i]!;
        const d = stds[i]!;
        price[k] = p;
        mean[k] = m;
        std[k] = d;
        z[k] = zScore(p, m, d);
        position[k] = positions[i]!;
      }
    }
    const values = [
      repeatedTimes(times, from, to, series.length),
      Utf8Column.repeating(symbols, to - from),
      price,
      mean,
      std,
      z,
      position,
    ];
    yield [frame.timeName, ...ROW_FILE_COLUMNS].map((name, j) => ({ name, values: values[j]! }));
  }
}
