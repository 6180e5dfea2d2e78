import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab, ROOT } from "../cli/run.js";

/**
 * Regression guards, not evidence: the pinned JSON of `mcmc` (deterministic with the seed).
 * Evidence lives in tests/unit/mcmc-*.test.ts (closed-form posteriors, diagnostics against a
 * transcription of posterior, gradient checks) and tests/cli/mcmc.test.ts.
 * Refresh after an intended change with UPDATE_GOLDEN=1 npx vitest run tests/golden/mcmc-golden.test.ts.
 */
const cases: Array<[string, string[]]> = [
  ["mcmc-sp500-normal", ["mcmc", "--json", "--draws", "300", "--warmup", "200", "fixtures/sp500-2000.csv"]],
  [
    "mcmc-sp500-student-t-flat",
    [
      "mcmc",
      "--json",
      "--model",
      "student-t",
      "--prior",
      "flat",
      "--draws",
      "200",
      "--warmup",
      "200",
      "--chains",
      "2",
      "fixtures/sp500-2000.csv",
    ],
  ],
  [
    "mcmc-eustocks-ou-rwm",
    [
      "mcmc",
      "--json",
      "--model",
      "ou",
      "--sampler",
      "rwm",
      "--columns",
      "DAX",
      "--draws",
      "500",
      "--warmup",
      "500",
      "--chains",
      "2",
      "fixtures/eustocks.csv",
    ],
  ],
];

describe("golden JSON of mcmc (regression guard)", () => {
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
