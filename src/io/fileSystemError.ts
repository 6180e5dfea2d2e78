/**
 * Operating-system failures as input errors (exit 3), in a module of their
 * own so that `stream` reports them without loading the table readers
 * (and zlib) at start-up.
 */
import { HftlabError, inputError } from "../errors.js";

/** Maps an operating-system error on `file` to an input error. */
export function fileSystemError(error: unknown, file: string): HftlabError {
  if (error instanceof HftlabError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return inputError("file_not_found", `no such file: ${file}`, { file }, "check the path");
  }
  if (code === "EISDIR") return inputError("not_a_file", `${file} is a directory, not a file`, { file });
  if (code === "EACCES" || code === "EPERM") {
    return inputError("permission_denied", `permission denied: ${file}`, { file });
  }
  if (typeof code === "string" && code.startsWith("Z_")) {
    return inputError(
      "bad_gzip",
      `corrupt or truncated gzip data: ${(error as Error).message}`,
      { file },
      "the compressed file is damaged or was cut short",
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return inputError("read_failed", `cannot read ${file}: ${message}`, { file });
}
