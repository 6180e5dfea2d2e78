import { describePinned, type GoldenCase } from "./pinned.js";

/**
 * Regression guards, not evidence: the pinned JSON of `meanrev` on every
 * shipped fixture. Evidence lives in tests/unit and tests/cli/meanrev-evidence.
 * Refresh after an intended change with UPDATE_GOLDEN=1 npx vitest run tests/golden.
 */
const cases: GoldenCase[] = [
  ["meanrev-eustocks", ["meanrev", "--json", "fixtures/eustocks.csv"]],
  [
    "meanrev-eustocks-pair-log-dfa",
    ["meanrev", "--json", "--pair", "DAX,CAC", "--log", "--hurst-method", "dfa", "fixtures/eustocks.csv"],
  ],
  ["meanrev-sp500", ["meanrev", "--json", "fixtures/sp500-2000.csv"]],
  ["meanrev-stocks-ffill", ["meanrev", "--json", "--missing", "ffill", "fixtures/stocks.csv"]],
  ["meanrev-stocks", ["meanrev", "--json", "fixtures/stocks.csv"]],
];

describePinned("golden JSON", cases);
