/** Shared helpers of the io-*.test.ts files: temporary files and error capture. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { HftlabError } from "../../src/errors.js";

export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

const directory = mkdtempSync(join(tmpdir(), "hftlab-io-test-"));

let counter = 0;

/** Writes `content` to a fresh temporary file named `name` and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  counter++;
  const sub = mkdtempSync(join(directory, `${counter}-`));
  const path = join(sub, name);
  writeFileSync(path, content);
  return path;
}

/** A fresh temporary directory. */
export function tempDir(): string {
  counter++;
  return mkdtempSync(join(directory, `${counter}-`));
}

export function stdinOf(content: string | Uint8Array, chunkSize = 7): Readable {
  const bytes = typeof content === "string" ? Buffer.from(content) : Buffer.from(content);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  return Readable.from(chunks);
}

/** The HftlabError a promise rejects with (fails the test when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<HftlabError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HftlabError) return error;
    throw new Error(`expected an HftlabError, got ${String(error)}`);
  }
  throw new Error("expected the promise to reject");
}
