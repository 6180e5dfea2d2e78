import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { fileErrorReason } from "../outputTarget.js";
import { settled, temporaryFileFor } from "../temporaryFiles.js";

/**
 * Writes `text` to `path` atomically: into a temporary file beside it (same
 * directory, so the same file system), flushed, then renamed over the
 * destination. rename(2) replaces the name in one step, so a reader — or the
 * next cron run after a killed one — sees either the old file or the new
 * one, never a half-written file.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = temporaryFileFor(path);
  try {
    await writeFile(temporary, text, { flush: true });
    await rename(temporary, path);
    settled(temporary);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    settled(temporary);
    // The reason in words, about the destination: the temporary name means nothing to a user.
    throw Object.assign(new Error(fileErrorReason(error)), { code: (error as NodeJS.ErrnoException).code });
  }
}

/** The file's text, or null when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
