/**
 * The Arrow IPC half of writeTable. apache-arrow is imported only here and
 * only when an Arrow file is written.
 */
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type * as Arrow from "apache-arrow";
import type { ColumnHeader, OutputColumn } from "../outputColumn.js";

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
  // A sink that fails (a full disk) ends the loop and is reported once, as this call's rejection.
  let failure: { error: unknown } | undefined;
  const done = pipeline(writer.toNodeStream(), sink).catch((error: unknown) => {
    failure = { error };
  });
  for (const batch of batches(arrow, schema, header, blocks)) {
    if (failure !== undefined) break;
    writer.write(batch);
    // Let the sink drain between batches so memory stays bounded.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (failure === undefined) {
    writer.finish();
    writer.close();
  }
  await done;
  if (failure !== undefined) throw failure.error;
}
