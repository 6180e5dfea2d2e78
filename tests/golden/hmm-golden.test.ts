import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab, ROOT } from "../cli/run.js";

/**
 * Regression guards, not evidence: the pinned JSON of `hmm` and `regime` on the shipped fixtures.
 * Evidence lives in tests/unit/hmm-algorithms.test.ts (Viterbi, brute force, Stata's fed funds fit,
 * parameter recovery) and tests/cli/hmm.test.ts, tests/cli/regime.test.ts.
 * Refresh after an intended change with UPDATE_GOLDEN=1 npx vitest run tests/golden/hmm-golden.test.ts.
 */
const cases: Array<[string, string[]]> = [
  ["hmm-sp500-3states", ["hmm", "--json", "--states", "3", "--restarts", "4", "fixtures/sp500-2000.csv"]],
  [
    "hmm-eustocks-dax-cac-diag",
    [
      "hmm",
      "--json",
      "--columns",
      "DAX,CAC",
      "--covariance",
      "diag",
      "--restarts",
      "3",
      "fixtures/eustocks.csv",
    ],
  ],
  ["regime-eustocks", ["regime", "--json", "--restarts", "3", "fixtures/eustocks.csv"]],
];

describe("golden JSON of hmm and regime (regression guard)", () => {
  for (const [name, args] of cases) {
    it(`${name} matches its pinned output`, () => {
      const r = hftlab(args);
      expect(r.status, r.stderr).toBe(0);
      const path = join(ROOT, "tests/golden", `${name}.json`);
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, r.stdout);
      expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 once`).toBe(true);
      expect(r.stdout).toBe(readFileSync(path, "utf8"));
    });
  }
});
