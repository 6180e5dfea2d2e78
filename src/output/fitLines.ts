import { displayWidth } from "./terminalWidth.js";

/** How far a line that was broken continues to the right of where it started. */
const CONTINUATION_INDENT = "  ";

/**
 * The lines of a report, each at most `width` columns where it can be: a
 * line that is too long is broken at its " · " separators (the report's
 * own phrasing), and a part still too long at its spaces; what follows a
 * break is indented by two. A line without a place to break (a path, a
 * chart row) stays whole. Tables and charts come already fitted and pass
 * through untouched; with no width every line does.
 *
 * @example fitLines(["a · bb · cc"], 7) // ["a · bb", "  cc"]
 */
export function fitLines(lines: readonly string[], width: number | undefined): string[] {
  const flat = lines.flatMap((line) => line.split("\n"));
  if (width === undefined) return flat;
  return flat.flatMap((line) => (displayWidth(line) <= width ? [line] : breakLine(line, width)));
}

/** A report's lines as one text, fitted to `width`, ending in a newline. */
export function fitReport(lines: readonly string[], width: number | undefined): string {
  return `${fitLines(lines, width).join("\n")}\n`;
}

function breakLine(line: string, width: number): string[] {
  const indent = /^ */.exec(line)![0];
  const parts = line.slice(indent.length).split(" · ");
  const packed: string[] = [];
  let current = indent + parts[0]!;
  for (const part of parts.slice(1)) {
    const joined = `${current} · ${part}`;
    if (displayWidth(joined) <= width) current = joined;
    else {
      packed.push(current);
      current = indent + CONTINUATION_INDENT + part;
    }
  }
  packed.push(current);
  return packed.flatMap((piece, k) =>
    wrapWords(piece, width, indent + CONTINUATION_INDENT, k === 0 ? indent : indent + CONTINUATION_INDENT),
  );
}

/** Greedy word wrap of `text` (which starts with `lead`) at its spaces; later lines start with `indent`. */
function wrapWords(text: string, width: number, indent: string, lead: string): string[] {
  if (displayWidth(text) <= width) return [text];
  const words = text.slice(lead.length).split(" ");
  const out: string[] = [];
  let current = lead + words[0]!;
  for (const word of words.slice(1)) {
    const joined = `${current} ${word}`;
    if (displayWidth(joined) <= width || current.trim() === "") current = joined;
    else {
      out.push(current);
      current = indent + word;
    }
  }
  out.push(current);
  return out;
}
