/**
 * Arrow IPC (file and stream formats) into a RawTable, one record batch at a
 * time. apache-arrow is imported lazily, so commands that never touch Arrow
 * (and `hftlab --version`) do not load it.
 *
 * Time columns: Utf8 as written; integers as their exact decimal text (Int64
 * via BigInt); floats as `String(x)`; Date and Timestamp as `timestampText.ts`
 * writes them (the Parquet reader's convention too): `YYYY-MM-DD`, with a UTC
 * time when a millisecond date is not at midnight; ISO 8601 in UTC,
 * `Z`-suffixed when the type has a time zone.
 */
import type * as Arrow from "apache-arrow";
import { HftlabError, inputError } from "../../errors.js";
import type { InputSource } from "../inputSource.js";
import { type Layout, type LayoutOptions, resolveLayout } from "../table/layout.js";
import type { RawTable } from "../table/rawTable.js";
import { TableBuilder } from "../table/tableBuilder.js";
import { formatDateMs, formatTimestamp } from "../table/timestampText.js";

type ArrowModule = typeof Arrow;

/** Any failure while reading Arrow input, as the one input error users see (exit 3). */
export function arrowError(file: string, error: unknown): HftlabError {
  if (error instanceof HftlabError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return inputError("bad_arrow", `not a readable Arrow IPC file: ${message}`, { file });
}

type Formatter = (vector: Arrow.Vector, row: number) => string;

function timeFormatter(arrow: ArrowModule, type: Arrow.DataType, name: string, file: string): Formatter {
  const textOf = (value: unknown) => (value === null || value === undefined ? "" : String(value));
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isDictionary(type)) {
    return (vector, row) => textOf(vector.get(row));
  }
  if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type)) {
    return (vector, row) => textOf(vector.get(row));
  }
  if (arrow.DataType.isDate(type)) {
    return (vector, row) => {
      const value = vector.get(row) as number | null;
      return value === null ? "" : formatDateMs(value);
    };
  }
  if (arrow.DataType.isTimestamp(type)) {
    const unit = (type as Arrow.Timestamp).unit as number;
    const zoned = Boolean((type as Arrow.Timestamp).timezone);
    return (vector, row) => {
      if (!vector.isValid(row)) return "";
      const data = vector.data[0]!;
      return formatTimestamp(BigInt((data.values as BigInt64Array)[row]!), unit, zoned);
    };
  }
  throw inputError(
    "bad_time",
    `unsupported type ${String(type)} for the time column "${name}"`,
    { file },
    "time columns may be strings, integers, floats, dates or timestamps",
  );
}

function checkNumericTypes(arrow: ArrowModule, schema: Arrow.Schema, layout: Layout, file: string): void {
  for (const field of layout.valueFields) {
    const type = schema.fields[field]!.type;
    if (!arrow.DataType.isInt(type) && !arrow.DataType.isFloat(type)) {
      throw inputError(
        "bad_number",
        `column "${schema.fields[field]!.name}" has type ${String(type)}, not a number type`,
        { file },
      );
    }
  }
}

/** Values stored one per row in a plain typed array (ints, float32, float64; not float16). */
function isDirectNumeric(type: Arrow.DataType): boolean {
  if (type.typeId === 2) return true; // Type.Int
  return type.typeId === 3 && (type as Arrow.Float).precision !== 0; // Type.Float, not HALF
}

/**
 * Appends one numeric column of a batch at row `at`; NaN and nulls are
 * missing cells. Returns whether any cell was missing.
 */
function appendNumeric(
  vector: Arrow.Vector,
  out: Float64Array,
  at: number,
  name: string,
  file: string,
): boolean {
  let missing = false;
  let row = at;
  for (const data of vector.data) {
    const values = data.values as ArrayLike<number | bigint>;
    const direct = isDirectNumeric(data.type);
    const withNulls = data.nullCount > 0;
    for (let k = 0; k < data.length; k++, row++) {
      let value: number;
      if (withNulls && !data.getValid(k)) value = Number.NaN;
      else if (direct) value = Number(values[k]!);
      else value = Number(vector.get(row - at));
      if (Number.isNaN(value)) missing = true;
      else if (value === Infinity || value === -Infinity) {
        throw inputError("non_finite", `non-finite value ${value} in column ${name} (row ${row + 1})`, {
          file,
        });
      }
      out[row] = value;
    }
  }
  return missing;
}

/** An opened record-batch reader over a whole buffer or a file handle's stream (file or stream format). */
export async function openBatches(
  arrow: ArrowModule,
  source: Awaited<ReturnType<InputSource["binaryInput"]>>,
): Promise<Arrow.RecordBatchReader> {
  const reader =
    source instanceof Uint8Array
      ? arrow.RecordBatchReader.from(source)
      : await arrow.RecordBatchReader.from(source);
  await reader.open();
  return reader;
}

export async function readArrow(input: InputSource, options: LayoutOptions): Promise<RawTable> {
  const file = input.file;
  const arrow: ArrowModule = await import("apache-arrow");
  const source = await input.binaryInput();
  try {
    const reader = await openBatches(arrow, source);
    const schema = reader.schema;
    const header = schema.fields.map((field) => field.name);
    const layout = resolveLayout(header, options, file, input.singleName);
    checkNumericTypes(arrow, schema, layout, file);
    const formatTime = timeFormatter(
      arrow,
      schema.fields[layout.timeField]!.type,
      header[layout.timeField]!,
      file,
    );
    const builder = new TableBuilder(file, "row", header, layout);
    for await (const batch of reader as AsyncIterable<Arrow.RecordBatch>) {
      appendBatch(builder, layout, batch, formatTime, arrow);
    }
    if (builder.rows === 0) throw inputError("no_data_rows", "no data rows", { file });
    return builder.finish();
  } catch (error) {
    throw arrowError(file, error);
  } finally {
    if (!(source instanceof Uint8Array)) await source.close().catch(() => undefined);
  }
}

function appendBatch(
  builder: TableBuilder,
  layout: Layout,
  batch: Arrow.RecordBatch,
  formatTime: Formatter,
  arrow: ArrowModule,
): void {
  const count = batch.numRows;
  const at = builder.rows;
  builder.reserve(count);
  for (const data of batch.getChildAt(layout.timeField)!.data) {
    const part = arrow.makeVector(data);
    for (let k = 0; k < data.length; k++) builder.time.push(formatTime(part, k));
  }
  if (layout.symbolField >= 0) {
    const symbols = batch.getChildAt(layout.symbolField)!;
    for (let k = 0; k < count; k++) {
      const value = symbols.get(k);
      builder.symbol.push(value === null || value === undefined ? "" : String(value));
    }
  }
  layout.valueFields.forEach((field, slot) => {
    const vector = batch.getChildAt(field)!;
    if (appendNumeric(vector, builder.values[slot]!, at, builder.header[field]!, builder.file)) {
      builder.anyMissing = true;
    }
  });
  for (let k = 0; k < count; k++) builder.lines[at + k] = at + k + 1;
  builder.rows = at + count;
}
