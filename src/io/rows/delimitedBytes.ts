import type { NdjsonBytes } from "../../output/ndjsonBytes.js";
import { SHORTEST_DECIMAL_WORD_BYTES } from "../../output/shortestDecimal.js";
import { type OutputColumn, Utf8Column } from "../outputColumn.js";

const NEWLINE = 10;

/** Whether a text cell must be quoted (RFC 4180; and so that surrounding blanks survive). */
function needsQuotes(text: string, delimiter: string): boolean {
  return text.includes(delimiter) || /["\r\n]/.test(text) || text.trim() !== text;
}

/** The cell text of a string, quoted when needed, as CSV/TSV holds it. */
export function delimitedText(text: string, delimiter: string): string {
  return needsQuotes(text, delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Rows `from` … `to` − 1 of `columns` as CSV/TSV bytes, appended to `out`:
 * numbers as their shortest round-trip decimal (what `String(x)` writes,
 * formatted in place by the Schubfach kernel), NaN as an empty cell,
 * ±Infinity as `Infinity`/`-Infinity`, strings quoted when needed. The same
 * text as building each row as a string, without a string per cell.
 */
export function appendDelimitedRows(
  columns: OutputColumn[],
  from: number,
  to: number,
  delimiter: string,
  out: NdjsonBytes,
): void {
  const separator = delimiter.charCodeAt(0);
  // A string column repeats few values (a symbol, a time stamp per symbol): encode each once.
  const encoded = columns.map(() => new Map<string, Uint8Array>());
  for (let row = from; row < to; row++) {
    for (let j = 0; j < columns.length; j++) {
      const values = columns[j]!.values;
      out.reserve(SHORTEST_DECIMAL_WORD_BYTES + 1);
      if (j > 0) out.byte(separator);
      if (Array.isArray(values) || values instanceof Utf8Column) {
        const text = Array.isArray(values) ? values[row]! : values.at(row);
        let bytes = encoded[j]!.get(text);
        if (bytes === undefined) {
          bytes = Buffer.from(delimitedText(text, delimiter), "utf8");
          if (encoded[j]!.size > 4096) encoded[j]!.clear();
          encoded[j]!.set(text, bytes);
        }
        out.bytes(bytes);
        continue;
      }
      out.cell(values[row]!);
    }
    out.reserve(1);
    out.byte(NEWLINE);
  }
}
