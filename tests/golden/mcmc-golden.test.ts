import { describePinned, type GoldenCase } from "./pinned.js";

/**
 * Regression guards, not evidence: the pinned JSON of `mcmc` (deterministic with the seed).
 * Evidence lives in tests/unit/mcmc-*.test.ts (closed-form posteriors, diagnostics against a
 * transcription of posterior, gradient checks) and tests/cli/mcmc.test.ts.
 * Refresh after an intended change with UPDATE_GOLDEN=1 npx vitest run tests/golden/mcmc-golden.test.ts.
 */
const cases: GoldenCase[] = [
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

describePinned("golden JSON of mcmc", cases);
