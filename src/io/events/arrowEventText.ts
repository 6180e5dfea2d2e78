/**
 * Arrow IPC event files as CSV line blocks: each record batch is written
 * out as the text the delimited event reader already parses, so Arrow input
 * gets exactly the same grammar, fixed-point conversion, validation and
 * error messages (a row's "line" is its row number + 1, the schema being
 * line 1). One batch's text exists at a time: memory stays flat.
 *
 * Floats print as JavaScript's shortest round-trip decimal (100.01 stays
 * "100.01", so prices keep their decimals exactly); Int64 values go through
 * BigInt; timestamps become ISO 8601 (timestampText.ts, as readArrow.ts writes them).
 */
import type * as Arrow from "apache-arrow";
import type { InputSource } from "../inputSource.js";
import type { LineBlock } from "../delimited/lineBlocks.js";
import { arrowError, openBatches } from "../arrow/readArrow.js";
import { formatTimestamp } from "../table/timestampText.js";

type Cell = (vector: Arrow.Vector, row: number) => string;

function cellWriter(arrow: typeof Arrow, type: Arrow.DataType): Cell {
  if (arrow.DataType.isTimestamp(type)) {
    const unit = (type as Arrow.Timestamp).unit as number;
    const zoned = Boolean((type as Arrow.Timestamp).timezone);
    return (vector, row) => {
      if (!vector.isValid(row)) return "";
      const raw = vector.data[0]!.values as BigInt64Array;
      return formatTimestamp(BigInt(raw[row]!), unit, zoned);
    };
  }
  return (vector, row) => {
    const value = vector.get(row) as unknown;
    if (value === null || value === undefined) return "";
    return String(value);
  };
}

/** The event file's text, one block per record batch (header first). */
export async function* arrowEventLines(input: InputSource): AsyncGenerator<LineBlock> {
  const file = input.file;
  const arrow: typeof Arrow = await import("apache-arrow");
  const source = await input.binaryInput();
  try {
    const reader = await openBatches(arrow, source);
    const fields = reader.schema.fields;
    const cells = fields.map((field) => cellWriter(arrow, field.type));
    const header = Buffer.from(`${fields.map((field) => field.name).join(",")}\n`);
    yield { buf: header, start: 0, end: header.length };
    for await (const batch of reader as AsyncIterable<Arrow.RecordBatch>) {
      const columns = fields.map((_, j) => batch.getChildAt(j)!);
      const lines: string[] = new Array(batch.numRows);
      for (let row = 0; row < batch.numRows; row++) {
        let line = cells[0]!(columns[0]!, row);
        for (let j = 1; j < columns.length; j++) line += `,${cells[j]!(columns[j]!, row)}`;
        lines[row] = line;
      }
      if (lines.length === 0) continue;
      const text = Buffer.from(`${lines.join("\n")}\n`);
      yield { buf: text, start: 0, end: text.length };
    }
  } catch (error) {
    throw arrowError(file, error);
  } finally {
    if (!(source instanceof Uint8Array)) await source.close().catch(() => undefined);
  }
}
