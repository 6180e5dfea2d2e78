import type { MissingPolicy } from "../shared/options.js";
import type { DataSummary } from "../../output/json.js";
import { makeChalk } from "../../output/color.js";
import { formatFixed } from "../../output/format.js";
import { compactTable } from "../../output/table.js";
import type { InfoResult } from "./results.js";

const KIND_NAMES = { iso: "ISO dates", number: "numbers", monthName: "month-name dates" } as const;

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function delimiterName(delimiter: string): string {
  return delimiter === "\t" ? "tab" : JSON.stringify(delimiter);
}

function stepText(seconds: number): string {
  if (seconds === 86_400) return "1 day";
  if (seconds >= 86_400) return `${Number((seconds / 86_400).toPrecision(4))} days`;
  if (seconds >= 3600) return `${Number((seconds / 3600).toPrecision(4))} h`;
  if (seconds >= 60) return `${Number((seconds / 60).toPrecision(4))} min`;
  return `${seconds} s`;
}

function formatLine(result: InfoResult): string {
  const { name, delimiter, gzip } = result.format;
  return `${name}${delimiter === null ? "" : `, delimiter ${delimiterName(delimiter)}`}${gzip ? ", gzip" : ""}`;
}

/** Header names shown before "…" (the JSON has them all). */
const SHOWN_COLUMNS = 12;

function layoutLine(result: InfoResult): string {
  const header = result.header;
  const shown = header.slice(0, SHOWN_COLUMNS).join(", ") + (header.length > SHOWN_COLUMNS ? ", …" : "");
  const columns = `${plural(header.length, "column")}: ${shown}`;
  if (result.layout === "wide") return `wide, ${columns}`;
  const symbols = result.symbolColumn === null ? "" : `symbols in "${result.symbolColumn}", `;
  return `${result.layout}, ${symbols}prices in "${result.priceColumn}"; ${columns}`;
}

function frequencyLine(result: InfoResult): string {
  const frequency = result.frequency;
  if (frequency === null) {
    return result.timeColumn.kind === "number"
      ? "none (numeric stamps carry no calendar; annualising commands use 252)"
      : "none (fewer than two rows)";
  }
  const perYear =
    frequency.periodsPerYear === null
      ? "annualising needs --periods-per-year"
      : `${frequency.periodsPerYear} periods a year`;
  return `${frequency.frequency}, ${perYear} (median step ${stepText(frequency.medianStepSeconds)})`;
}

function rowsLine(data: DataSummary, result: InfoResult, missing: MissingPolicy): string {
  const stamps = result.timeStamps === result.rows ? "" : `, ${plural(result.timeStamps, "time stamp")}`;
  return `${result.rows} in the input${stamps}; --missing ${missing} drops ${result.droppedRows}, ${data.rows} left`;
}

/** The human report: one line per fact, then the missing cells per symbol. */
export function renderInfoReport(
  data: DataSummary,
  result: InfoResult,
  missing: MissingPolicy,
  color: boolean,
): string {
  const c = makeChalk(color);
  const time = result.timeColumn;
  const utc = time.firstUtc === null ? [] : [`(UTC ${time.firstUtc} … ${time.lastUtc})`];
  const facts: [string, string[]][] = [
    ["format", [formatLine(result)]],
    ["layout", [layoutLine(result)]],
    ["time", [`"${time.name}", ${KIND_NAMES[time.kind]}: ${time.first} … ${time.last}`, ...utc]],
    ["frequency", [frequencyLine(result)]],
    ["rows", [rowsLine(data, result, missing)]],
    ["symbols", [String(result.symbols.length)]],
  ];
  const lines = [c.bold(data.source === "-" ? "<stdin>" : data.source)];
  for (const [label, texts] of facts) {
    texts.forEach((text, k) => {
      lines.push(`  ${(k === 0 ? label : "").padEnd(10)} ${text}`);
    });
  }
  const table = compactTable(["symbol", "missing", "missing %"], ["left", "right", "right"], color);
  for (const { symbol, cells } of result.missing) {
    const share = result.timeStamps === 0 ? Number.NaN : (100 * cells) / result.timeStamps;
    table.push([symbol, String(cells), formatFixed(share, 1)]);
  }
  return `${lines.join("\n")}\n${table.toString()}\n`;
}
