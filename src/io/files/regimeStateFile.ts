import { inputError, usageError } from "../../errors.js";
import { readTextIfExists, writeFileAtomic } from "./atomicFile.js";

/** What `regime --state-file` remembers per symbol. */
export interface RememberedRegime {
  regime: string;
  since: string;
  time: string;
}

/**
 * Reads the state file: null when it does not exist (a first run). The
 * symbols are kept in a Map (never a plain object indexed by symbol name, so
 * a symbol called `__proto__` is just a name). A file that is not a state
 * file is exit 3: it is safer to stop a cron job than to overwrite it.
 */
export async function readRegimeState(path: string): Promise<Map<string, RememberedRegime> | null> {
  let text: string | null;
  try {
    text = await readTextIfExists(path);
  } catch (error) {
    throw inputError("state_unreadable", `cannot read --state-file: ${(error as Error).message}`, {
      file: path,
    });
  }
  if (text === null) return null;
  const bad = (what: string) =>
    inputError(
      "bad_state_file",
      `invalid --state-file: ${what}`,
      { file: path },
      "delete it to start afresh",
    );
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw bad(`not JSON (${(error as Error).message})`);
  }
  if (typeof root !== "object" || root === null || !Object.hasOwn(root, "symbols"))
    throw bad('no "symbols" object');
  const symbols = (root as { symbols: unknown }).symbols;
  if (typeof symbols !== "object" || symbols === null || Array.isArray(symbols))
    throw bad('"symbols" is not an object');
  const out = new Map<string, RememberedRegime>();
  for (const [symbol, entry] of Object.entries(symbols)) {
    const e = entry as Record<string, unknown>;
    if (typeof e !== "object" || e === null || typeof e.regime !== "string")
      throw bad(`entry for ${symbol} has no regime`);
    out.set(symbol, {
      regime: e.regime,
      since: typeof e.since === "string" ? e.since : "",
      time: typeof e.time === "string" ? e.time : "",
    });
  }
  return out;
}

/** Replaces the state file atomically (temporary file + rename). */
export async function writeRegimeState(path: string, state: Map<string, RememberedRegime>): Promise<void> {
  const symbols: Record<string, RememberedRegime> = Object.create(null);
  for (const [symbol, entry] of state) {
    Object.defineProperty(symbols, symbol, {
      value: entry,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  try {
    await writeFileAtomic(path, `${JSON.stringify({ version: 1, symbols }, null, 2)}\n`);
  } catch (error) {
    throw usageError(`cannot write --state-file ${path}: ${(error as Error).message}`);
  }
}
