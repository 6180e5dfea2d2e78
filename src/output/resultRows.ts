import type { OutputColumn } from "../io/outputColumn.js";
import { csvChunks } from "../io/write.js";
import { LineBuffer, type Sink } from "./sink.js";

/**
 * Result tables built from the very objects that go into `result`, so that
 * `--csv`, `--ndjson` and `--out` carry the same doubles as `--json`
 * (`String(x)` and `JSON.stringify` both print the shortest round-trip
 * decimal). A null (a JSON `NaN`) becomes an empty CSV cell and an Arrow null.
 */

/** A portfolio-like row: scalar statistics, then weights by symbol. */
export type WeightedRow<K extends string> = { [key in K]: number | null } & {
  weights: Record<string, number>;
};

/**
 * One row per portfolio: the `statistics` columns in the given order, then
 * one column per symbol (named by the symbol) holding its weight.
 */
export function weightedRowColumns<K extends string>(
  rows: WeightedRow<K>[],
  statistics: K[],
  symbols: string[],
): OutputColumn[] {
  const columns: OutputColumn[] = statistics.map((name) => ({
    name,
    values: Float64Array.from(rows, (row) => row[name] ?? Number.NaN),
  }));
  for (const symbol of symbols) {
    columns.push({
      name: symbol,
      values: Float64Array.from(rows, (row) => row.weights[symbol] ?? Number.NaN),
    });
  }
  return columns;
}

/** One row per symbol: `symbol`, then one column per named map of values by symbol. */
export function symbolColumns(
  symbols: string[],
  values: { name: string; bySymbol: Record<string, number> }[],
): OutputColumn[] {
  return [
    { name: "symbol", values: symbols },
    ...values.map(({ name, bySymbol }) => ({
      name,
      values: Float64Array.from(symbols, (s) => bySymbol[s] ?? Number.NaN),
    })),
  ];
}

/** The columns as CSV text for stdout, through the one CSV writer `--out` uses. */
export function csvText(columns: OutputColumn[]): string {
  return [...csvChunks(columns, ",")].join("");
}

/** `--ndjson`: one JSON object per line. */
export async function writeNdjson(rows: readonly unknown[], sink: Sink): Promise<void> {
  const out = new LineBuffer(sink);
  for (const row of rows) await out.push(`${JSON.stringify(row)}\n`);
  await out.flush();
}
