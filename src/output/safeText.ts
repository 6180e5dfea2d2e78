/**
 * Text from the input, made safe to print in an error message: control
 * characters (a file could carry terminal escapes, `ESC[2J` clears the
 * screen) become visible escapes, and a long quoted excerpt is cut, so one
 * bad 100 MB cell is not copied whole to stderr.
 */

/** Longest quoted excerpt kept whole; longer ones keep their first EXCERPT characters. */
const LONGEST_QUOTE = 120;
const EXCERPT = 80;
/** A message longer than this is cut at the end. */
const LONGEST_MESSAGE = 2000;

/**
 * @example safeText('unparseable number "\u001b[2J"') // => 'unparseable number "\\x1b[2J"'
 * @example safeText(`"${"x".repeat(500)}"`) // => '"xxx…x…" (500 characters)' with 80 x's kept
 */
export function safeText(text: string): string {
  const quotesCut = text.replace(/"([^"]*)"/g, (whole, inside: string) =>
    inside.length <= LONGEST_QUOTE
      ? whole
      : `"${inside.slice(0, EXCERPT)}…" (${inside.length.toLocaleString("en-US")} characters)`,
  );
  let escaped = "";
  for (const char of quotesCut) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) escaped += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code >= 0xd800 && code <= 0xdfff) escaped += `\\u${code.toString(16)}`;
    else escaped += char;
  }
  return escaped.length <= LONGEST_MESSAGE
    ? escaped
    : `${escaped.slice(0, LONGEST_MESSAGE)}… (${escaped.length.toLocaleString("en-US")} characters)`;
}
