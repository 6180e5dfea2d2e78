import Table from "cli-table3";
import { makeChalk } from "./color.js";
import { displayWidth, outputWidth } from "./terminalWidth.js";

export type Alignment = "left" | "right" | "center";

/** A table column, with what to do when the table is wider than the terminal. */
export interface TableColumn {
  head: string;
  /** When the table is too wide, columns go in ascending `drop` order (1 first); without one, never. */
  drop?: number;
  /** A shorter heading, used for every column that has one as soon as the table is too wide. */
  short?: string;
  /** The column's name in the "hidden" footer, for a blank heading. */
  name?: string;
}

type Cell = string | number;

/** Runs of the box-drawing characters cli-table3 draws borders with. */
const BORDER_RUNS = /[─│┌┐└┘├┤┬┴┼]+/g;

/** A cell is never narrower than one character and its padding (cli-table3 pads a space each side). */
const NARROWEST_COLUMN = 3;

/**
 * The one table style of hftlab's human output: cyan headings and grey
 * borders when colour is on, and no rule between body rows (a compact table
 * reads faster with many symbols). The table fits in `width` columns (the
 * run's output width, terminalWidth.ts): when it is wider, the headings that
 * have a short form take it, then columns are dropped in their `drop` order
 * until it fits (the first column, which names the row, is never dropped),
 * and one footer line names the hidden columns, as duckdb does. Only when
 * the columns that are never dropped are still too wide are the widest
 * cells cut (with "…"), and the footer says so. With no width (output to a
 * pipe or a file) the table is printed whole, as it always was.
 */
export function compactTable(
  columns: readonly (string | TableColumn)[],
  colAligns: readonly Alignment[],
  color: boolean,
  width: number | undefined = outputWidth(),
): CompactTable {
  return new CompactTable(
    columns.map((column) => (typeof column === "string" ? { head: column } : column)),
    colAligns,
    color,
    width,
  );
}

interface Layout {
  kept: number[];
  heads: string[];
  /** Each column's printed width, padding included, by column index. */
  widths: number[];
  /** Whether cells are cut to `widths` (cli-table3 then truncates them). */
  cut: boolean;
  footer: string;
}

export class CompactTable {
  private readonly rows: string[][] = [];
  private layout: Layout | undefined;

  constructor(
    private readonly columns: readonly TableColumn[],
    private readonly colAligns: readonly Alignment[],
    private readonly color: boolean,
    private readonly width: number | undefined,
  ) {}

  push(row: readonly Cell[]): void {
    this.rows.push(row.map(String));
    this.layout = undefined;
  }

  /**
   * Where the cells of the column with this heading are printed: the offset
   * of their first character in a line of the table, and their width; none
   * when the column is hidden. A chart's axis under the table lines up with it.
   */
  columnAt(head: string): { start: number; width: number } | undefined {
    const { kept, widths } = this.fit();
    let start = 1;
    for (const j of kept) {
      if (this.columns[j]!.head === head) return { start: start + 1, width: widths[j]! - 2 };
      start += widths[j]! + 1;
    }
    return undefined;
  }

  toString(): string {
    const { table, footer } = this.render();
    return footer === "" ? table : `${table}\n${footer}`;
  }

  /** The table and its footer line apart (empty when nothing is hidden), for a caller that prints between them. */
  render(): { table: string; footer: string } {
    const { kept, heads, widths, cut, footer } = this.fit();
    // Colour by our own chalk, never by cli-table3's: its colour library reads process.argv for
    // --no-color, so `--no-color --color` gave a table with plain headings in a coloured report.
    const c = makeChalk(this.color);
    if (!cut) {
      const text = boxTable(
        kept.map((j) => (this.color ? c.cyan(heads[j]!) : heads[j]!)),
        this.rows.map((row) => kept.map((j) => row[j] ?? "")),
        kept.map((j) => this.colAligns[j] ?? "left"),
        kept.map((j) => widths[j]!),
      );
      return {
        table: this.color ? text.replace(BORDER_RUNS, (run) => c.grey(run)) : text,
        footer: footer === "" ? "" : c.dim(footer),
      };
    }
    // Cells cut to fit (rare: the columns never dropped are wider than the terminal): cli-table3's
    // ANSI-aware truncation.
    const table = new Table({
      head: kept.map((j) => (this.color ? c.cyan(heads[j]!) : heads[j]!)),
      colAligns: kept.map((j) => this.colAligns[j] ?? "left"),
      style: { head: [], border: [] },
      chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
      ...(cut ? { colWidths: kept.map((j) => widths[j]!) } : {}),
    });
    for (const row of this.rows) table.push(kept.map((j) => row[j] ?? ""));
    const text = this.color ? table.toString().replace(BORDER_RUNS, (run) => c.grey(run)) : table.toString();
    return { table: text, footer: footer === "" ? "" : c.dim(footer) };
  }

  private fit(): Layout {
    this.layout ??= this.computeLayout();
    return this.layout;
  }

  private computeLayout(): Layout {
    const all = this.columns.map((_, j) => j);
    const heads = this.columns.map((column) => column.head);
    const cellWidths = all.map((j) => Math.max(0, ...this.rows.map((row) => displayWidth(row[j] ?? ""))));
    const widthsFor = (headings: string[]) =>
      all.map((j) => 2 + Math.max(displayWidth(headings[j]!), cellWidths[j]!));
    const total = (kept: number[], widths: number[]) =>
      kept.reduce((sum, j) => sum + widths[j]!, 0) + kept.length + 1;
    const natural = widthsFor(heads);
    const budget = this.width;
    if (budget === undefined || total(all, natural) <= budget)
      return { kept: all, heads, widths: natural, cut: false, footer: "" };

    const shortHeads = this.columns.map((column) => column.short ?? column.head);
    const widths = widthsFor(shortHeads);
    const dropOrder = all
      .filter((j) => j > 0 && this.columns[j]!.drop !== undefined)
      .sort((a, b) => this.columns[a]!.drop! - this.columns[b]!.drop! || b - a);
    let kept = all;
    for (const j of dropOrder) {
      if (total(kept, widths) <= budget) break;
      kept = kept.filter((k) => k !== j);
    }
    const hidden = all
      .filter((j) => !kept.includes(j))
      .map((j) => this.columns[j]!.name ?? this.columns[j]!.head);
    const cut = total(kept, widths) > budget;
    if (cut) {
      const squeezed = squeeze(
        kept.map((j) => widths[j]!),
        budget - kept.length - 1,
      );
      kept.forEach((j, k) => {
        widths[j] = squeezed[k]!;
      });
    }
    return { kept, heads: shortHeads, widths, cut, footer: footer(hidden, cut, budget) };
  }
}

/**
 * cli-table3's layout for tables without spans, written out: its own
 * layout manager is quadratic in the rows (a 10,000-symbol meanrev table took
 * 27 s in `fillInTable`), this is linear. Same bytes: a top border, the
 * heading row, the body rows with no rule between them, a bottom border;
 * cells padded one space each side to `widths` (padding included), aligned
 * left, right or centre (the odd space to the right). Widths are display
 * widths (ANSI colour codes take none).
 */
export function boxTable(
  heads: readonly string[],
  rows: readonly (readonly string[])[],
  aligns: readonly Alignment[],
  widths: readonly number[],
): string {
  const rule = (left: string, middle: string, right: string) =>
    left + widths.map((w) => "─".repeat(w)).join(middle) + right;
  const line = (cells: readonly string[]) => {
    let out = "│";
    for (let j = 0; j < widths.length; j++) {
      const text = cells[j] ?? "";
      const room = widths[j]! - 2 - displayWidth(text);
      const align = aligns[j] ?? "left";
      const before = align === "right" ? room : align === "center" ? Math.floor(room / 2) : 0;
      out += ` ${" ".repeat(before)}${text}${" ".repeat(room - before)} │`;
    }
    return out;
  };
  const out = [rule("┌", "┬", "┐"), line(heads)];
  for (const row of rows) out.push(line(row));
  out.push(rule("└", "┴", "┘"));
  return out.join("\n");
}

/** Column widths (padding included) narrowed, widest first, until they sum to at most `budget`. */
function squeeze(widths: number[], budget: number): number[] {
  const out = [...widths];
  let sum = out.reduce((a, b) => a + b, 0);
  while (sum > budget) {
    let widest = 0;
    for (let j = 1; j < out.length; j++) if (out[j]! > out[widest]!) widest = j;
    if (out[widest]! <= NARROWEST_COLUMN) break;
    out[widest]!--;
    sum--;
  }
  return out;
}

/**
 * "… 3 columns hidden: hurst, ADF, p", within `width`: names that do not
 * fit become "…" (a first name too long is cut); on a line too narrow for
 * any name, the count alone. Empty when nothing was hidden or cut.
 */
function footer(hidden: string[], cut: boolean, width: number): string {
  const tail = cut ? "; cells cut to fit" : "";
  if (hidden.length === 0) return cut ? "… cells cut to fit" : "";
  const lead = `… ${hidden.length} column${hidden.length === 1 ? "" : "s"} hidden`;
  const room = width - displayWidth(`${lead}: ${tail}`);
  let listed = "";
  for (let k = 0; k < hidden.length; k++) {
    const next = listed === "" ? hidden[k]! : `${listed}, ${hidden[k]!}`;
    const more = k < hidden.length - 1 ? ", …" : "";
    if (displayWidth(next + more) <= room) {
      listed = next;
      continue;
    }
    if (listed !== "") listed = `${listed}, …`;
    else if (room >= 4) listed = `${[...hidden[k]!].slice(0, room - 1).join("")}…`;
    break;
  }
  const candidates = [listed === "" ? "" : `${lead}: ${listed}${tail}`, `${lead}${tail}`, lead];
  return candidates.find((text) => text !== "" && displayWidth(text) <= width) ?? lead;
}
