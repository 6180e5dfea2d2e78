import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab, ROOT } from "../cli/run.js";

/**
 * Regression guards, not evidence: the pinned JSON of `meanrev` on every
 * shipped fixture. Evidence lives in tests/unit and tests/cli/meanrev-evidence.
 * Refresh after an intended change with UPDATE_GOLDEN=1 npx vitest run tests/golden.
 */
const cases: Array<[string, string[]]> = [
  ["meanrev-eustocks", ["meanrev", "--json", "fixtures/eustocks.csv"]],
  [
    "meanrev-eustocks-pair-log-dfa",
    ["meanrev", "--json", "--pair", "DAX,CAC", "--log", "--hurst-method", "dfa", "fixtures/eustocks.csv"],
  ],
  ["meanrev-sp500", ["meanrev", "--json", "fixtures/sp500-2000.csv"]],
  ["meanrev-stocks-ffill", ["meanrev", "--json", "--missing", "ffill", "fixtures/stocks.csv"]],
  ["meanrev-stocks", ["meanrev", "--json", "fixtures/stocks.csv"]],
];

describe("golden JSON (regression guard)", () => {
  for (const [name, args] of cases) {
    it(`${name} matches its pinned output`, () => {
      const r = hftlab(args);
      expect(r.status).toBe(0);
      const path = join(ROOT, "tests/golden", `${name}.json`);
      if (process.env.UPDATE_GOLDEN === "1") {
        mkdirSync(join(ROOT, "tests/golden"), { recursive: true });
        writeFileSync(path, r.stdout);
      }
      expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 once`).toBe(true);
      expect(r.stdout).toBe(readFileSync(path, "utf8"));
    });
  }
});
