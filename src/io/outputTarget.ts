import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ExitCode, HftlabError } from "../errors.js";

/**
 * An output file's target, checked before any input is read: a command that
 * cannot write its file must say so at once, not after minutes of work (and
 * not after printing a JSON document that then goes with a failure exit).
 * The check is what writing needs: a known format for a table, a directory
 * that exists and may be written (the file is written beside its
 * destination and renamed into place), and a destination that is not a
 * directory. A bad target is a bad flag value: exit 2.
 */

export type TargetKind = "table" | "json" | "html";

/**
 * @throws HftlabError (exit 2) naming the flag, the path and why it cannot be written
 */
export function checkOutputTarget(
  flag: string,
  path: string,
  kind: TargetKind,
  checkFormat: (path: string) => void,
): void {
  if (kind === "table") checkFormat(path);
  const directory = dirname(resolve(path));
  let folder: ReturnType<typeof statSync> | undefined;
  try {
    folder = statSync(directory);
  } catch (error) {
    throw unwritable(flag, path, error);
  }
  if (!folder.isDirectory()) throw unwritable(flag, path, Object.assign(new Error(), { code: "ENOTDIR" }));
  try {
    accessSync(directory, constants.W_OK);
  } catch (error) {
    throw unwritable(flag, path, error);
  }
  const existing = (() => {
    try {
      return statSync(path);
    } catch {
      return undefined;
    }
  })();
  if (existing?.isDirectory()) throw unwritable(flag, path, Object.assign(new Error(), { code: "EISDIR" }));
}

/** Why a file cannot be written, in the user's words (never a temporary file's name). */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such directory";
  if (code === "ENOTDIR") return "a part of the path is not a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  if (code === "ENOSPC") return "no space left on the device";
  if (code === "EROFS") return "read-only file system";
  return error instanceof Error && error.message !== "" ? error.message : String(code ?? error);
}

function unwritable(flag: string, path: string, error: unknown): HftlabError {
  return new HftlabError(
    ExitCode.usage,
    "output_unwritable",
    `cannot write ${flag} ${path}: ${fileErrorReason(error)}`,
    `check the ${flag} path`,
  );
}
