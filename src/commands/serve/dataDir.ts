import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

/**
 * The one folder whose files a request may name (`--data-dir`). A path is
 * taken relative to it, then followed through symbolic links, and must
 * still lie inside it: `../etc/passwd`, an absolute path elsewhere and a
 * link that leads out are all refused. A path inside that does not exist is
 * passed on, for the CLI to report as it reports a missing file.
 */
export class DataDir {
  private readonly root: string | null;

  constructor(folder: string | undefined) {
    this.root = folder === undefined ? null : realpathSync(resolve(folder));
  }

  /** The absolute path to read, or the reason it may not be read. */
  locate(requested: string): { path: string } | { refused: string } {
    if (this.root === null) {
      return { refused: `path ${JSON.stringify(requested)}: the server was started without --data-dir` };
    }
    const lexical = resolve(this.root, requested);
    if (!this.inside(lexical)) return { refused: this.outside(requested) };
    const real = realOrItself(lexical);
    if (!this.inside(real)) return { refused: this.outside(requested) };
    return { path: real };
  }

  /**
   * A message or warning as the client should read it: the server's own
   * folder left out, so a file is named as the request named it
   * (`eustocks.csv`, not `/srv/data/eustocks.csv`).
   */
  clientText(text: string): string {
    return this.root === null ? text : text.replaceAll(`${this.root}${sep}`, "");
  }

  private inside(path: string): boolean {
    const rest = relative(this.root!, path);
    return rest !== "" && !rest.startsWith(`..${sep}`) && rest !== ".." && !isAbsolute(rest);
  }

  private outside(requested: string): string {
    return `path ${JSON.stringify(requested)} is outside the server's --data-dir`;
  }
}

function realOrItself(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
