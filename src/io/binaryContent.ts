/**
 * Recognising input that is not text before it is read as delimited text:
 * a binary file otherwise reaches the header parser, and its bytes end up in
 * the error (`no time column (… columns: PAR1\u0015…`).
 *
 * Convention (close to git's and grep's): a NUL byte among the first bytes
 * means binary; so do invalid UTF-8 together with control characters other
 * than the whitespace ones. Invalid UTF-8 alone is not enough: a Latin-1 or
 * Windows-1252 CSV (`Société`) has no control characters and stays readable
 * as before. UTF-16 text (Excel's "Unicode text") is named as such.
 */
import { inputError } from "../errors.js";

/** How many leading bytes are inspected (git looks at 8000). */
export const BINARY_SNIFF_BYTES = 8000;

const STARTS_LIKE: [string, string][] = [
  ["PAR1", "Parquet"],
  ["ARROW1", "Arrow IPC"],
];

function hasControlBytes(head: Uint8Array): boolean {
  for (const byte of head) {
    // Tab, LF, VT, FF, CR and ESC (colour codes) occur in text.
    if (
      byte < 0x20 &&
      byte !== 0x09 &&
      byte !== 0x0a &&
      byte !== 0x0b &&
      byte !== 0x0c &&
      byte !== 0x0d &&
      byte !== 0x1b
    ) {
      return true;
    }
  }
  return false;
}

function isValidUtf8(head: Uint8Array): boolean {
  try {
    // stream: a character cut at the end of the sample is not an error.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function hexStart(head: Uint8Array): string {
  const shown = Array.from(head.subarray(0, 4), (byte) => byte.toString(16).padStart(2, "0")).join(" ");
  return head.length > 4 ? `${shown} …` : shown;
}

/**
 * Throws an input error (exit 3) naming `file` when `head`, the first bytes
 * of what is about to be read as delimited text, is binary.
 */
export function rejectBinaryText(head: Uint8Array, file: string): void {
  const sample = head.subarray(0, BINARY_SNIFF_BYTES);
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw inputError(
      "utf16_text",
      `${file} is UTF-16 text, not UTF-8`,
      { file },
      "save it as UTF-8 (in Excel: CSV UTF-8), or convert it with iconv -f UTF-16 -t UTF-8",
    );
  }
  const binary = sample.includes(0) || (!isValidUtf8(sample) && hasControlBytes(sample));
  if (!binary) return;
  const text = Buffer.from(sample.buffer, sample.byteOffset, Math.min(sample.length, 8)).toString("latin1");
  const like = STARTS_LIKE.find(([magic]) => text.startsWith(magic));
  throw inputError(
    "binary_input",
    `${file} is a binary file, not CSV/TSV, Arrow or Parquet (starts with bytes ${hexStart(sample)})`,
    { file },
    like === undefined
      ? "hftlab reads delimited text (optionally gzip), Arrow IPC and Parquet files"
      : `it starts like a ${like[1]} file: pass --input-format ${like[1] === "Parquet" ? "parquet" : "arrow"} or give it the usual extension`,
  );
}
