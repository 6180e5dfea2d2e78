import { describePinned, type GoldenCase } from "./pinned.js";

/**
 * Regression guards, not evidence: the pinned JSON of `hmm` and `regime` on the shipped fixtures.
 * Evidence lives in tests/unit/hmm-algorithms.test.ts (Viterbi, brute force, Stata's fed funds fit,
 * parameter recovery) and tests/cli/hmm.test.ts, tests/cli/regime.test.ts.
 * Refresh after an intended change with UPDATE_GOLDEN=1 npx vitest run tests/golden/hmm-golden.test.ts.
 */
const cases: GoldenCase[] = [
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

describePinned("golden JSON of hmm and regime", cases);
