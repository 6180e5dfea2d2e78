/**
 * The Arrow IPC half of writeTable. apache-arrow is imported only here and
 * only when an Arrow file is written.
 */
import type { Writable } from "node:stream";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type * as Arrow from "apache-arrow";
import { type ColumnHeader, type OutputColumn, Utf8Column } from "../outputColumn.js";

type ArrowModule = typeof Arrow;

const ROWS_PER_BATCH = 1 << 16;

function arrowType(arrow: ArrowModule, type: ColumnHeader["type"]): Arrow.DataType {
  if (type === "utf8") return new arrow.Utf8();
  if (type === "int8") return new arrow.Int8();
  if (type === "int32") return new arrow.Int32();
  return new arrow.Float64();
}

/** Arrow validity bitmap (bit set = valid) of a float slice, or null when nothing is NaN. */
function validityOf(values: Float64Array): { bitmap: Uint8Array; nullCount: number } | null {
  let nullCount = 0;
  for (let k = 0; k < values.length; k++) if (Number.isNaN(values[k])) nullCount++;
  if (nullCount === 0) return null;
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  for (let k = 0; k < values.length; k++) {
    if (!Number.isNaN(values[k])) bitmap[k >> 3]! |= 1 << (k & 7);
  }
  return { bitmap, nullCount };
}

function columnData(
  arrow: ArrowModule,
  type: Arrow.DataType,
  values: OutputColumn["values"],
  from: number,
  to: number,
): Arrow.Data {
  if (Array.isArray(values)) return arrow.vectorFromArray(values.slice(from, to), new arrow.Utf8()).data[0]!;
  if (values instanceof Utf8Column) return utf8Data(arrow, values, from, to);
  if (values instanceof Float64Array) {
    const slice = values.subarray(from, to);
    const validity = validityOf(slice);
    return arrow.makeData({
      type: type as Arrow.Float64,
      length: slice.length,
      data: slice,
      nullCount: validity?.nullCount ?? 0,
      nullBitmap: validity?.bitmap ?? null,
    });
  }
  return arrow.makeData({
    type: type as Arrow.Int8 | Arrow.Int32,
    length: to - from,
    data: values.subarray(from, to),
  });
}

/** Rows [from, to) of pre-encoded text, its offsets rebased to start at 0 as Arrow expects. */
function utf8Data(arrow: ArrowModule, column: Utf8Column, from: number, to: number): Arrow.Data {
  const base = column.offsets[from]!;
  let valueOffsets = column.offsets.subarray(from, to + 1);
  if (base !== 0) valueOffsets = valueOffsets.map((offset) => offset - base);
  return arrow.makeData({
    type: new arrow.Utf8(),
    length: to - from,
    valueOffsets,
    data: column.bytes.subarray(base, column.offsets[to]!),
  });
}

/** No values of a column's type: the columns of the one empty batch a table of no rows gets. */
function noValues(type: ColumnHeader["type"]): OutputColumn["values"] {
  if (type === "utf8") return [];
  if (type === "int8") return new Int8Array(0);
  if (type === "int32") return new Int32Array(0);
  return new Float64Array(0);
}

function* batches(
  arrow: ArrowModule,
  schema: Arrow.Schema,
  header: ColumnHeader[],
  blocks: Iterable<OutputColumn[]>,
): Generator<Arrow.RecordBatch> {
  const batchOf = (columns: OutputColumn[], from: number, to: number): Arrow.RecordBatch => {
    const children = columns.map((column, j) =>
      columnData(arrow, schema.fields[j]!.type, column.values, from, to),
    );
    const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: to - from, children });
    return new arrow.RecordBatch(schema, struct);
  };
  let written = false;
  for (const columns of blocks) {
    const rows = columns[0]?.values.length ?? 0;
    for (let from = 0; from < rows; from += ROWS_PER_BATCH) {
      yield batchOf(columns, from, Math.min(rows, from + ROWS_PER_BATCH));
      written = true;
    }
  }
  // A table of no rows is still one (empty) batch, so readers see its schema as a batch too.
  if (!written) {
    yield batchOf(
      header.map((column) => ({ name: column.name, values: noValues(column.type) })),
      0,
      0,
    );
  }
}

/**
 * The writer's byte queue, made to hold what each write produced until it
 * is taken: the writer's own queue grows without bound when the disk is
 * slower than the batches (5.7 GB at 40M rows), this one is emptied into
 * the file after every batch, waiting for the file to drain.
 */
function takingQueue(arrow: ArrowModule): Arrow.AsyncByteQueue & { take(): Uint8Array[] } {
  class TakingQueue extends arrow.AsyncByteQueue {
    private held: Uint8Array[] = [];
    override write(value: Uint8Array): void {
      if (value.byteLength > 0) this.held.push(value);
    }
    take(): Uint8Array[] {
      const taken = this.held;
      this.held = [];
      return taken;
    }
  }
  return new TakingQueue();
}

/** Writes the blocks of a table as an Arrow IPC file (or stream) into `sink`. */
export async function writeArrowStream(
  header: ColumnHeader[],
  blocks: Iterable<OutputColumn[]>,
  stream: boolean,
  sink: Writable,
): Promise<void> {
  const arrow: ArrowModule = await import("apache-arrow");
  const fields = header.map(
    (column) => new arrow.Field(column.name, arrowType(arrow, column.type), column.nullable),
  );
  const schema = new arrow.Schema(fields);
  const writer = stream ? new arrow.RecordBatchStreamWriter() : new arrow.RecordBatchFileWriter();
  const queue = takingQueue(arrow);
  writer.reset(queue);
  // How the sink ends, observed from the start so that a failure (a full disk) is never unhandled.
  const ended = finished(sink).then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  const flush = async (): Promise<void> => {
    for (const chunk of queue.take()) {
      if (!sink.write(chunk)) await once(sink, "drain");
    }
  };
  try {
    for (const batch of batches(arrow, schema, header, blocks)) {
      writer.write(batch);
      await flush();
    }
    writer.finish();
    await flush();
    sink.end();
  } catch (error) {
    sink.destroy();
    await ended;
    throw error;
  }
  const outcome = await ended;
  if (outcome !== undefined) throw outcome.error;
}
