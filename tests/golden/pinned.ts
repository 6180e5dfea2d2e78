import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab, ROOT } from "../cli/run.js";

/**
 * The one golden harness: each case runs the built binary and compares its
 * stdout byte for byte with tests/golden/<name>.<json|ndjson>. These are
 * regression guards, not evidence (the evidence is in tests/unit and
 * tests/cli). Refresh after an intended change with
 * UPDATE_GOLDEN=1 npx vitest run tests/golden.
 */
export type GoldenCase = [name: string, args: string[]];

export function describePinned(title: string, cases: GoldenCase[]): void {
  describe(`${title} (regression guard)`, () => {
    for (const [name, args] of cases) {
      it(`${name} matches its pinned output`, () => {
        const r = hftlab(args);
        expect(r.status, r.stderr).toBe(0);
        const extension = args.includes("--json") ? "json" : "ndjson";
        const path = join(ROOT, "tests/golden", `${name}.${extension}`);
        if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, r.stdout);
        expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 once`).toBe(true);
        expect(r.stdout).toBe(readFileSync(path, "utf8"));
      });
    }
  });
}
