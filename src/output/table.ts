import Table from "cli-table3";

type Alignment = "left" | "right" | "center";

/**
 * The one table style of hftlab's human output: cyan headings and grey
 * borders when colour is on, and no rule between body rows (a compact table
 * reads faster with many symbols).
 */
export function compactTable(head: string[], colAligns: Alignment[], color: boolean): Table.Table {
  return new Table({
    head,
    colAligns,
    style: { head: color ? ["cyan"] : [], border: color ? ["grey"] : [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
}
