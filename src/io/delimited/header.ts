/**
 * The header line of a delimited file: delimiter sniffing and field
 * splitting (RFC 4180 quoting, so a quoted header still takes the fast path).
 */
import { inputError } from "../../errors.js";

/** Delimiters tried by the sniffer; on a tie the earlier one wins. */
const CANDIDATES = [",", "\t", ";", "|"];

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) count++;
  }
  return count;
}

/**
 * The delimiter of a header line: whichever of comma, tab, semicolon and
 * pipe occurs most often outside quotes.
 */
export function sniffDelimiter(headerLine: string, file: string): string {
  let best = "";
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    const count = countOutsideQuotes(headerLine, candidate);
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  if (best === "") {
    throw inputError(
      "no_delimiter",
      "the header line has a single column (no comma, tab, semicolon or pipe)",
      { file, line: 1 },
      "a delimited file needs a time column and at least one value column",
    );
  }
  return best;
}

/** Splits one header line into trimmed names, unquoting `"a ""b"""` fields. */
export function splitHeaderLine(line: string, delimiter: string, file: string): string[] {
  const names: string[] = [];
  let field = "";
  let quoted = false;
  let wasQuoted = false;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (line[k + 1] === '"') {
        field += '"';
        k++;
      } else quoted = false;
    } else if (ch === '"' && field.trim() === "" && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      field = "";
    } else if (ch === delimiter) {
      names.push(wasQuoted ? field : field.trim());
      field = "";
      wasQuoted = false;
    } else if (!wasQuoted || ch === " " || ch === "\t") {
      if (!wasQuoted) field += ch;
    } else {
      throw inputError("bad_quote", `unexpected character after a quoted header field: "${ch}"`, {
        file,
        line: 1,
        column: names.length + 1,
      });
    }
  }
  if (quoted) {
    throw inputError("bad_quote", "unterminated quote in the header line", {
      file,
      line: 1,
      column: names.length + 1,
    });
  }
  names.push(wasQuoted ? field : field.trim());
  return names;
}

/** Strips a UTF-8 byte-order mark and a trailing CR from a decoded header line. */
export function cleanHeaderLine(line: string): string {
  let text = line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  if (text.endsWith("\r")) text = text.slice(0, -1);
  return text;
}
