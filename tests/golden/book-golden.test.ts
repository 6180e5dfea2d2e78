import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab, ROOT } from "../cli/run.js";

/**
 * Regression guards, not evidence: the pinned output of `book` on the
 * synthetic fixtures/book-sample.csv (396 L3 events from the seeded test
 * stream, with one `clear`). Evidence lives in tests/unit/book-*.test.ts.
 * Refresh after an intended change with UPDATE_GOLDEN=1 npx vitest run tests/golden.
 */
const cases: Array<[string, string[]]> = [
  ["book-sample", ["book", "--json", "fixtures/book-sample.csv"]],
  ["book-sample-every-100", ["book", "--every", "100", "--depth", "3", "fixtures/book-sample.csv"]],
  [
    "book-sample-at",
    ["book", "--json", "--depth", "5", "--at", "34200005000000", "fixtures/book-sample.csv"],
  ],
];

describe("book golden output (regression guard)", () => {
  for (const [name, args] of cases) {
    it(`${name} matches its pinned output`, () => {
      const r = hftlab(args);
      expect(r.status).toBe(0);
      const path = join(ROOT, "tests/golden", `${name}.${args.includes("--json") ? "json" : "ndjson"}`);
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, r.stdout);
      expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 once`).toBe(true);
      expect(r.stdout).toBe(readFileSync(path, "utf8"));
    });
  }
});
