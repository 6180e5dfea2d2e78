import { writeFileAtomic } from "../../io/files/atomicFile.js";
import { ExitCode, HftlabError } from "../../errors.js";

/**
 * Writes a report page atomically (a temporary file beside it, renamed into
 * place): a reader, or a mail job picking the file up, sees the previous
 * report or the new one, never half a page.
 *
 * @throws HftlabError (exit 2) naming --report, the path and why it could not be written
 */
export async function writeReport(path: string, html: string): Promise<void> {
  try {
    await writeFileAtomic(path, html);
  } catch (error) {
    throw new HftlabError(
      ExitCode.usage,
      "output_unwritable",
      `cannot write --report ${path}: ${(error as Error).message}`,
      "check the --report path",
    );
  }
}
