import { inputError } from "../../errors.js";
import type { InlineTable } from "./callProtocol.js";

/**
 * A request's inline Table as the CSV text the CLI reads on standard input,
 * so that an inline table goes through the very reader, checks and
 * `--missing` policy a file does. Numbers are written as JavaScript's
 * shortest round-trip decimals, which read back as the same doubles; NaN is
 * written `NaN`, a missing cell (SPEC §1).
 */
export function tableCsv(table: InlineTable): string {
  checkTableShape(table);
  const header = ["time", ...table.columns.map((column) => column.name)].map(csvText).join(",");
  const lines: string[] = [header];
  for (let i = 0; i < table.time.length; i++) {
    let line = csvText(table.time[i]!);
    for (const column of table.columns) line += `,${numberText(column.values[i]!)}`;
    lines.push(line);
  }
  return `${lines.join("\n")}\n`;
}

/** Every column must give one value per time stamp (exit 3, as a ragged CSV row would be). */
function checkTableShape(table: InlineTable): void {
  if (table.columns.length === 0) {
    throw inputError("no_columns", "the request's data has no columns", { file: "data" });
  }
  for (const column of table.columns) {
    if (column.values.length !== table.time.length) {
      throw inputError(
        "ragged_table",
        `column ${JSON.stringify(column.name)} has ${column.values.length} values for ${table.time.length} time stamps`,
        { file: "data" },
        "give every column one value per entry of data.time",
      );
    }
  }
}

function numberText(value: number): string {
  return Number.isNaN(value) ? "NaN" : String(value);
}

/** A cell quoted as RFC 4180 wants when it holds a delimiter, a quote, a line break or edge spaces. */
function csvText(text: string): string {
  return /[",\n\r]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
