/**
 * What a Parquet schema's top-level columns are to hftlab: a header name
 * each, and for the columns a layout uses, how their stored values become
 * prices (numbers) or time stamps (text).
 *
 * Time text follows the Arrow reader (`timestampText.ts`): strings as
 * written; integers as their exact decimal text (INT64 through BigInt, never
 * rounded); floats as `String(x)`; DATE as `YYYY-MM-DD`; TIMESTAMP (ms, µs,
 * ns) as ISO 8601 in UTC with the shortest exact fraction, `Z`-suffixed
 * when the type is adjusted to UTC (a zoned timestamp, as Arrow's with a
 * time zone) and bare when it is not. The legacy TIMESTAMP_MILLIS/MICROS
 * converted types are UTC-adjusted by the Parquet format's definition;
 * INT96 (Impala/Spark nanoseconds) is read as a bare timestamp, as Arrow
 * does.
 */
import type { SchemaElement, SchemaTree } from "hyparquet";
import { inputError } from "../../errors.js";
import { formatDateDays, formatTimestamp } from "../table/timestampText.js";
import { isFlatNumericType } from "./flatChunk.js";

/** A top-level column of the file. */
export interface ParquetColumn {
  name: string;
  element: SchemaElement;
  /** A primitive, not repeated, not a group: the only kind a layout can use. */
  flat: boolean;
  /** Whether the column may hold nulls (definition level 1). */
  optional: boolean;
  /** Index of its (first) leaf among a row group's column chunks. */
  leaf: number;
}

function leafCount(tree: SchemaTree): number {
  return tree.children.length === 0 ? 1 : tree.children.reduce((sum, child) => sum + leafCount(child), 0);
}

/** The schema's top-level columns, in order. */
export function topLevelColumns(root: SchemaTree): ParquetColumn[] {
  let leaf = 0;
  return root.children.map((child) => {
    const element = child.element;
    const column: ParquetColumn = {
      name: String(element.name),
      element,
      flat:
        child.children.length === 0 && element.repetition_type !== "REPEATED" && element.type !== undefined,
      optional: element.repetition_type === "OPTIONAL",
      leaf,
    };
    leaf += leafCount(child);
    return column;
  });
}

/** The type as a reader would name it: `INT64 (TIMESTAMP)`, `BYTE_ARRAY (STRING)`, `group`. */
export function typeName(column: ParquetColumn): string {
  const { element } = column;
  if (!column.flat) return element.repetition_type === "REPEATED" ? "repeated" : "group (nested)";
  const logical = element.logical_type?.type ?? element.converted_type;
  return logical === undefined ? String(element.type) : `${element.type} (${logical})`;
}

const NOT_NUMBERS = new Set(["DATE", "TIME", "TIMESTAMP", "INTERVAL", "TIME_MILLIS", "TIME_MICROS"]);

function isUnsigned(element: SchemaElement): boolean {
  const converted = element.converted_type;
  if (converted === "UINT_8" || converted === "UINT_16" || converted === "UINT_32" || converted === "UINT_64")
    return true;
  const logical = element.logical_type;
  return logical?.type === "INTEGER" && !logical.isSigned;
}

function isTimestampConverted(element: SchemaElement): boolean {
  return element.converted_type === "TIMESTAMP_MILLIS" || element.converted_type === "TIMESTAMP_MICROS";
}

/** Throws unless the column holds numbers (ints, floats, decimals), as a price column must. */
export function checkNumericColumn(column: ParquetColumn, file: string): void {
  const { element } = column;
  const logical = element.logical_type?.type ?? element.converted_type;
  const numeric =
    column.flat &&
    (logical === "DECIMAL" ||
      logical === "FLOAT16" ||
      (isFlatNumericType(element.type) && !NOT_NUMBERS.has(logical ?? "") && !isTimestampConverted(element)));
  if (!numeric) {
    throw inputError(
      "bad_number",
      `column "${column.name}" has type ${typeName(column)}, not a number type`,
      { file },
    );
  }
}

/**
 * Whether `flatChunk.ts` can decode the column's chunks: a flat INT32, INT64,
 * FLOAT or DOUBLE whose stored numbers need no conversion hyparquet does
 * (unsigned reinterpretation, decimal scale).
 */
export function isFastColumn(column: ParquetColumn): boolean {
  const { element } = column;
  if (!column.flat || !isFlatNumericType(element.type) || isUnsigned(element)) return false;
  const logical = element.logical_type?.type ?? element.converted_type;
  return logical !== "DECIMAL" && logical !== "FLOAT16";
}

/** How the stored values of a time column become text. */
export type TimeText =
  | { kind: "integer" }
  | { kind: "float" }
  | { kind: "text" }
  | { kind: "date" }
  | { kind: "timestamp"; unit: number; zoned: boolean };

const UNIT_INDEX = { MILLIS: 1, MICROS: 2, NANOS: 3 } as const;

/** The time text of a column, or an error for a type that holds no time stamp. */
export function timeTextOf(column: ParquetColumn, file: string): TimeText {
  const { element } = column;
  const logical = element.logical_type;
  const converted = element.converted_type;
  if (column.flat) {
    if (logical?.type === "TIMESTAMP") {
      return { kind: "timestamp", unit: UNIT_INDEX[logical.unit], zoned: logical.isAdjustedToUTC };
    }
    if (converted === "TIMESTAMP_MILLIS") return { kind: "timestamp", unit: 1, zoned: true };
    if (converted === "TIMESTAMP_MICROS") return { kind: "timestamp", unit: 2, zoned: true };
    if (element.type === "INT96") return { kind: "timestamp", unit: 3, zoned: false };
    if (logical?.type === "DATE" || converted === "DATE") return { kind: "date" };
    const notAnInstant =
      logical?.type === "TIME" ||
      converted === "TIME_MILLIS" ||
      converted === "TIME_MICROS" ||
      logical?.type === "DECIMAL" ||
      converted === "DECIMAL";
    if (!notAnInstant && (element.type === "INT32" || element.type === "INT64")) return { kind: "integer" };
    if (element.type === "FLOAT" || element.type === "DOUBLE") return { kind: "float" };
    if (
      element.type === "BYTE_ARRAY" &&
      (logical === undefined || logical.type === "STRING" || converted === "UTF8")
    ) {
      return { kind: "text" };
    }
  }
  throw inputError(
    "bad_time",
    `unsupported type ${typeName(column)} for the time column "${column.name}"`,
    { file },
    "time columns may be strings, integers, floats, dates or timestamps",
  );
}

/**
 * The text of one stored time value (a number or bigint as stored, or a
 * string); null and undefined are missing stamps, "".
 */
export function timeValueText(text: TimeText, value: unknown): string {
  if (value === null || value === undefined) return "";
  switch (text.kind) {
    case "timestamp":
      return formatTimestamp(BigInt(value as bigint | number), text.unit, text.zoned);
    case "date":
      return formatDateDays(Number(value));
    case "float":
      return String(Number(value));
    default:
      return String(value);
  }
}
