import { AsyncLocalStorage } from "node:async_hooks";
import { stripVTControlCharacters } from "node:util";

/** Narrower than this, no table or chart can say anything: a smaller width is taken as this one. */
export const MINIMUM_OUTPUT_WIDTH = 20;

/**
 * How many columns the human report may use, or undefined for no limit.
 *
 * - stdout is a TTY: the terminal's own width; when the terminal does not
 *   say, `$COLUMNS`, else 80.
 * - stdout is not a TTY (a pipe, a file): `$COLUMNS` when it is set to a
 *   positive integer, else no limit, so that `| less -S`, a diff or a saved
 *   report is the full report, as it always was.
 *
 * A width below MINIMUM_OUTPUT_WIDTH is raised to it.
 *
 * @example outputWidthFor(false, undefined, {}) // undefined
 * @example outputWidthFor(false, undefined, { COLUMNS: "100" }) // 100
 * @example outputWidthFor(true, 132, { COLUMNS: "100" }) // 132
 */
export function outputWidthFor(
  stdoutIsTty: boolean,
  terminalColumns: number | undefined,
  env: NodeJS.ProcessEnv,
): number | undefined {
  const fromEnv = /^\s*\d+\s*$/.test(env.COLUMNS ?? "") ? Number(env.COLUMNS) : 0;
  let width: number | undefined;
  if (stdoutIsTty) {
    width = terminalColumns !== undefined && terminalColumns > 0 ? terminalColumns : fromEnv || 80;
  } else if (fromEnv > 0) width = fromEnv;
  return width === undefined ? undefined : Math.max(MINIMUM_OUTPUT_WIDTH, width);
}

/*
 * The width of the run in progress. Reports take it as a default argument
 * rather than from every command's signature; a scope (not a global) keeps
 * two runs in one process (tests that call main()) apart.
 */
const scope = new AsyncLocalStorage<number | undefined>();

/** Runs `body` with `width` as the output width of everything it renders. */
export function withOutputWidth<T>(width: number | undefined, body: () => T): T {
  return scope.run(width, body);
}

/** The output width of the run in progress (undefined: no limit). */
export function outputWidth(): number | undefined {
  return scope.getStore();
}

/**
 * Columns a line takes on the terminal: its code points, without the
 * escape codes of colour (chalk's), which take no room. Every glyph hftlab draws (box drawing, blocks, •, ●, ★, →) is one
 * column wide; East Asian wide characters in a symbol's name would count as
 * one and so overrun by one column each.
 *
 * @example displayWidth("\u001b[31m▁▂█\u001b[39m") // 3
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const _ of stripVTControlCharacters(text)) width++;
  return width;
}
