import { readFile } from "node:fs/promises";
import { inputError } from "../../errors.js";

/**
 * Draws files for `mcmc --diagnose`: any sampler's draws as delimited text.
 *
 * - Stan (CmdStan) CSV: `#` comment lines anywhere (the configuration, the
 *   adaptation, the timing), one header line, one row per draw, one file
 *   per chain. Files written with `save_warmup` hold warm-up rows and are
 *   refused (their draws would be diagnosed as if they were kept).
 * - A table with a chain column (`chain` or `.chain`), as `mcmc --out`,
 *   posterior's `as_draws_df` (`.chain`, `.iteration`, `.draw`) and ArviZ's
 *   `to_dataframe()` write: the chains are that column's values, in the
 *   order they first appear.
 *
 * Parameters are every other column except the draw counters (`draw`,
 * `.draw`, `iteration`, `.iteration`) and Stan's sampler columns ending in
 * `__` (`accept_stat__`, `divergent__`, …), of which `lp__` is kept, as
 * Stan's summary keeps it.
 */

export interface DrawsTable {
  parameters: string[];
  /** chains[c][j]: the draws of parameter j in chain c. */
  chains: Float64Array[][];
  /** Where each chain came from ("file" or "file, chain 2"). */
  origins: string[];
}

const CHAIN_COLUMNS = new Set(["chain", ".chain"]);
const COUNTER_COLUMNS = new Set(["draw", ".draw", "iteration", ".iteration"]);

function isParameter(name: string): boolean {
  if (CHAIN_COLUMNS.has(name) || COUNTER_COLUMNS.has(name)) return false;
  return !name.endsWith("__") || name === "lp__";
}

function unquote(cell: string): string {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replaceAll('""', '"') : t;
}

/** Reads every file's chains; the files must name the same parameters in the same order. */
export async function readDrawsFiles(paths: string[]): Promise<DrawsTable> {
  let parameters: string[] | undefined;
  const chains: Float64Array[][] = [];
  const origins: string[] = [];
  for (const path of paths) {
    const file = await readDrawsFile(path);
    if (parameters === undefined) parameters = file.parameters;
    else if (file.parameters.join("\u0000") !== parameters.join("\u0000")) {
      throw inputError(
        "draws_mismatch",
        `${path} has parameters ${file.parameters.join(", ")}, not ${parameters.join(", ")} as ${paths[0]}`,
        { file: path },
        "give the chains of one model run",
      );
    }
    chains.push(...file.chains);
    origins.push(...file.origins);
  }
  return { parameters: parameters ?? [], chains, origins };
}

async function readDrawsFile(path: string): Promise<DrawsTable> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw inputError("draws_unreadable", `cannot read draws file: ${(error as Error).message}`, {
      file: path,
    });
  }
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  let chainColumn = -1;
  let kept: number[] = [];
  // chain id → rows of kept values
  const byChain = new Map<string, number[][]>();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNumber = index + 1;
    if (line.startsWith("#")) {
      if (/save_warmup\s*=\s*(1|true)\b/.test(line)) {
        throw inputError(
          "draws_with_warmup",
          "the file was written with save_warmup, so it holds warm-up rows",
          { file: path, line: lineNumber },
          "run the sampler without save_warmup, or remove the warm-up rows",
        );
      }
      continue;
    }
    if (line.trim() === "") continue;
    const cells = line.split(",");
    if (header === undefined) {
      header = cells.map(unquote);
      chainColumn = header.findIndex((name) => CHAIN_COLUMNS.has(name));
      kept = header.flatMap((name, j) => (isParameter(name) ? [j] : []));
      if (kept.length === 0) {
        throw inputError("no_parameters", "no parameter columns in the header", {
          file: path,
          line: lineNumber,
        });
      }
      continue;
    }
    if (cells.length !== header.length) {
      throw inputError("ragged_row", `${cells.length} fields where the header has ${header.length}`, {
        file: path,
        line: lineNumber,
      });
    }
    const chain = chainColumn < 0 ? "" : unquote(cells[chainColumn]!);
    const values = kept.map((j) => {
      const text = cells[j]!.trim();
      const value = text === "" ? Number.NaN : Number(text);
      if (!Number.isFinite(value)) {
        const column = cells.slice(0, j).reduce((n, c) => n + c.length + 1, 1);
        throw inputError("bad_draw", `${header![j]} is not a finite number: "${text}"`, {
          file: path,
          line: lineNumber,
          column,
        });
      }
      return value;
    });
    let rows = byChain.get(chain);
    if (rows === undefined) {
      rows = [];
      byChain.set(chain, rows);
    }
    rows.push(values);
  }
  if (header === undefined) throw inputError("empty_draws", "no header and no draws", { file: path });
  const parameters = kept.map((j) => header![j]!);
  const chains: Float64Array[][] = [];
  const origins: string[] = [];
  for (const [chain, rows] of byChain) {
    chains.push(parameters.map((_, k) => Float64Array.from(rows, (row) => row[k]!)));
    origins.push(chainColumn < 0 ? path : `${path}, chain ${chain}`);
  }
  return { parameters, chains, origins };
}
