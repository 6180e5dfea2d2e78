/**
 * Which columns of a header hold the time, the symbols and the prices
 * (SPEC §1 "Layouts"). Decided from the header alone, before any data row is
 * read, so the scanner parses only the columns that are used.
 *
 * - *long*: a `symbol`/`ticker` column is present; the price column is
 *   `--price-col`, else the first of `price`, `adjclose`, `close`, `value`.
 * - *ohlcv* (one series): no symbol column, and the header has `close` or
 *   `adjclose` beside any of `open`/`high`/`low`/`volume`; the price is
 *   `--price-col`, else `adjclose`, else `close`.
 * - *single*: one series read the same way, from `--price-col` in a file that
 *   is neither long nor OHLCV.
 * - *wide*: otherwise; every column but the time column is a symbol.
 *
 * Names match case-insensitively with spaces, `_`, `-` and `.` ignored, so
 * Yahoo's `Adj Close` is `adjclose`.
 */
import { inputError, usageError } from "../../errors.js";
import { infoCommand } from "../infoHint.js";

export type LayoutKind = "wide" | "long" | "ohlcv" | "single";

export interface Layout {
  kind: LayoutKind;
  timeField: number;
  /** The symbol column (long layout), else -1. */
  symbolField: number;
  /** Header indices of the numeric columns to read. */
  valueFields: number[];
  /** Symbol names parallel to valueFields (wide, single); empty for long (they come from the data). */
  symbols: string[];
}

export interface LayoutOptions {
  timeCol?: string | undefined;
  priceCol?: string | undefined;
  columns?: string[] | undefined;
}

const TIME_NAMES = new Set(["time", "date", "timestamp", "t", "datetime"]);
const SYMBOL_NAMES = new Set(["symbol", "ticker"]);
const LONG_PRICE_NAMES = ["price", "adjclose", "close", "value"];
const OHLCV_PRICE_NAMES = ["adjclose", "close"];
const OHLCV_OTHER_NAMES = new Set(["open", "high", "low", "volume"]);

export function normalizeColumnName(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]/g, "");
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 20).join(", ");
  return names.length > 20 ? `${shown}, … (${names.length} in all)` : shown;
}

/** The header index named `wanted` (exact, then case-insensitive), or an error listing the header. */
function findNamed(header: string[], wanted: string, flag: string, file: string): number {
  let index = header.indexOf(wanted);
  if (index < 0) {
    const lower = wanted.toLowerCase();
    index = header.findIndex((name) => name.toLowerCase() === lower);
  }
  if (index < 0) {
    throw inputError(
      "unknown_column",
      `${flag} names no column "${wanted}" (columns: ${listNames(header)})`,
      { file },
      `check the spelling; ${flag} takes a name from the header line (${infoCommand(file)} shows them)`,
    );
  }
  return index;
}

function checkHeader(header: string[], file: string): void {
  const seen = new Map<string, number>();
  header.forEach((name, index) => {
    if (name === "") return;
    const first = seen.get(name);
    if (first !== undefined) {
      throw inputError(
        "duplicate_column",
        `duplicate column name "${name}" (columns ${first + 1} and ${index + 1})`,
        { file, line: 1, column: index + 1 },
        "rename one of the columns",
      );
    }
    seen.set(name, index);
  });
}

function findTimeField(header: string[], timeCol: string | undefined, file: string): number {
  if (timeCol !== undefined) return findNamed(header, timeCol, "--time-col", file);
  const index = header.findIndex((name) => TIME_NAMES.has(name.trim().toLowerCase()));
  if (index >= 0) return index;
  // A pandas `to_csv()` of a time-indexed frame leaves the index column unnamed.
  if (header.length > 1 && header[0] === "") return 0;
  throw inputError(
    "no_time_column",
    `no time column (looked for time, date, timestamp, t; columns: ${listNames(header)})`,
    { file, line: 1 },
    "name the time column with --time-col",
  );
}

function checkSelection(columns: string[]): void {
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) throw usageError(`--columns lists "${name}" twice`);
    seen.add(name);
  }
}

/** Throws unless every selected name is one of `available` (symbols, in order). */
export function unknownSymbolCheck(selected: string[], available: string[], file: string): void {
  const known = new Set(available);
  for (const name of selected) {
    if (!known.has(name)) {
      throw inputError(
        "unknown_column",
        `--columns names unknown symbol "${name}" (available: ${listNames(available)})`,
        { file },
        `pick symbols from the list above (${infoCommand(file)} lists every one)`,
      );
    }
  }
}

/**
 * The layout of a header.
 *
 * @param singleName the symbol name of a single-series (OHLCV) file: the file's
 *   base name without extensions (`sp500-2000`); undefined for standard input,
 *   where the price column's own name is used.
 */
export function resolveLayout(
  header: string[],
  options: LayoutOptions,
  file: string,
  singleName: string | undefined,
): Layout {
  checkHeader(header, file);
  if (options.columns !== undefined) checkSelection(options.columns);
  const timeField = findTimeField(header, options.timeCol, file);
  const normalized = header.map(normalizeColumnName);
  const candidate = (names: readonly string[]) => {
    for (const name of names) {
      const index = normalized.indexOf(name);
      if (index >= 0 && index !== timeField) return index;
    }
    return -1;
  };
  const priceFromOption =
    options.priceCol === undefined ? -1 : findNamed(header, options.priceCol, "--price-col", file);

  const symbolField = normalized.findIndex((name, index) => index !== timeField && SYMBOL_NAMES.has(name));
  if (symbolField >= 0) {
    const priceField = priceFromOption >= 0 ? priceFromOption : candidate(LONG_PRICE_NAMES);
    if (priceField < 0) {
      throw inputError(
        "no_price_column",
        `long layout (column "${header[symbolField]}") without a price column (looked for price, adjclose, close, value)`,
        { file, line: 1 },
        "name the price column with --price-col",
      );
    }
    return { kind: "long", timeField, symbolField, valueFields: [priceField], symbols: [] };
  }

  const isOhlcv = candidate(OHLCV_PRICE_NAMES) >= 0 && normalized.some((name) => OHLCV_OTHER_NAMES.has(name));
  if (isOhlcv || priceFromOption >= 0) {
    const priceField = priceFromOption >= 0 ? priceFromOption : candidate(OHLCV_PRICE_NAMES);
    const name = isOhlcv ? (singleName ?? header[priceField]!) : header[priceField]!;
    if (options.columns !== undefined) unknownSymbolCheck(options.columns, [name], file);
    return {
      kind: isOhlcv ? "ohlcv" : "single",
      timeField,
      symbolField: -1,
      valueFields: [priceField],
      symbols: [name],
    };
  }

  let valueFields = header.map((_, index) => index).filter((index) => index !== timeField);
  valueFields.forEach((index) => {
    if (header[index] === "") {
      throw inputError(
        "empty_column_name",
        `column ${index + 1} has no name`,
        { file, line: 1, column: index + 1 },
        "every value column needs a symbol name in the header",
      );
    }
  });
  if (options.columns !== undefined) {
    unknownSymbolCheck(
      options.columns,
      valueFields.map((index) => header[index]!),
      file,
    );
    valueFields = options.columns.map((name) => header.indexOf(name));
  }
  if (valueFields.length === 0) {
    throw inputError(
      "no_value_columns",
      `no value columns besides the time column "${header[timeField]}"`,
      { file, line: 1 },
      "a wide file has one numeric column per symbol after the time column",
    );
  }
  return {
    kind: "wide",
    timeField,
    symbolField: -1,
    valueFields,
    symbols: valueFields.map((index) => header[index]!),
  };
}
