import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";

/**
 * SPEC §1's error shape, checked the same way by every CLI test: one line
 * `hftlab: error: …` (after any warnings), at most a hint line, never a
 * stack trace.
 */
export function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr
    .trimEnd()
    .split("\n")
    .filter((l) => !l.startsWith("hftlab: warning:"));
  expect(lines[0]).toMatch(/^hftlab: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

/** A writer of small input files into a fresh temporary folder; returns each file's path. */
export function temporaryFiles(prefix: string): (name: string, text: string) => string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  return (name, text) => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };
}
