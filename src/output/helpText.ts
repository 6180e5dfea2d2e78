import { displayWidth } from "./terminalWidth.js";

/** Help is never wider than this, however wide the terminal: prose past 80 columns is hard to read. */
export const HELP_WIDTH = 80;

/**
 * Help text (commander's, and the examples and notes each command adds
 * after it) within `width` columns. Commander wraps its own part to the
 * same width, so only the added text has lines to break:
 * - prose (lines at the left margin) is re-flowed as paragraphs, a
 *   paragraph ending at a blank line, an indented line, or a line that
 *   ends a sentence or opens a list ("." or ":");
 * - an indented line is broken at its spaces, continuing under the text
 *   after its label ("  ou:   mu ~ …") or two columns in;
 * - an example command (an indented line that runs `hftlab`, or continues
 *   one that ends in "\") is never broken: it is meant to be copied.
 * A paragraph whose lines all fit is left as written.
 */
export function wrapHelpText(text: string, width: number): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.some((line) => displayWidth(line) > width))
      out.push(...wrapWords(paragraph.join(" "), width, 0, 0));
    else out.push(...paragraph);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line !== "" && !line.startsWith(" ")) {
      paragraph.push(line);
      if (/[.:]$/.test(line)) flush();
      continue;
    }
    flush();
    if (line === "" || isCommand(line, lines[i - 1] ?? "")) {
      out.push(line);
      continue;
    }
    // An indented item and the lines that continue it under its text, as one block.
    const hang = hangingIndent(line);
    let end = i + 1;
    while (end < lines.length && /^ */.exec(lines[end]!)![0].length === hang && hang > indentOf(line)) end++;
    const block = lines.slice(i, end);
    if (block.some((l) => displayWidth(l) > width)) {
      out.push(
        ...wrapWords([line, ...block.slice(1).map((l) => l.trim())].join(" "), width, keptOf(line), hang),
      );
    } else out.push(...block);
    i = end - 1;
  }
  flush();
  return out.join("\n");
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

function isCommand(line: string, previous: string): boolean {
  return /(^|\s)hftlab\s/.test(line) || previous.trimEnd().endsWith("\\");
}

/**
 * An indented item's label: its indent and a short "label:" with the spaces
 * after it ("  ou:   mu ~ …"), kept as written when it is broken; its
 * continuation starts under the text after the label, or two columns in.
 */
const LABEL = /^ +[^: ][^:]{0,27}: +/;

function keptOf(line: string): number {
  return LABEL.exec(line)?.[0].length ?? indentOf(line);
}

function hangingIndent(line: string): number {
  return LABEL.exec(line)?.[0].length ?? indentOf(line) + 2;
}

/**
 * Greedy word wrap: the first `keep` columns of the first line stay as
 * written, the other lines start with `continuation` spaces.
 */
function wrapWords(text: string, width: number, keep: number, continuation: number): string[] {
  const words = text.slice(keep).trim().split(/ +/);
  const out: string[] = [];
  let current = text.slice(0, keep) + words[0]!;
  for (const word of words.slice(1)) {
    if (displayWidth(`${current} ${word}`) <= width) current = `${current} ${word}`;
    else {
      out.push(current);
      current = " ".repeat(continuation) + word;
    }
  }
  out.push(current);
  return out;
}
