import { describePinned, type GoldenCase } from "./pinned.js";

/**
 * Regression guards, not evidence: the pinned JSON of `optimize` on the
 * shipped fixtures. Evidence lives in tests/unit/optimize-* and
 * tests/cli/optimize.test.ts. Refresh after an intended change with
 * UPDATE_GOLDEN=1 npx vitest run tests/golden/optimize-golden.test.ts.
 */
const cases: GoldenCase[] = [
  ["optimize-eustocks-min-variance", ["optimize", "--json", "fixtures/eustocks.csv"]],
  [
    "optimize-eustocks-max-sharpe-bounded",
    [
      "optimize",
      "--json",
      "--method",
      "max-sharpe",
      "--min-weight",
      "0.05",
      "--max-weight",
      "0.6",
      "--risk-free",
      "0.02",
      "fixtures/eustocks.csv",
    ],
  ],
  [
    "optimize-eustocks-frontier",
    ["optimize", "--json", "--method", "frontier", "--points", "10", "fixtures/eustocks.csv"],
  ],
  [
    "optimize-eustocks-risk-parity-lw",
    ["optimize", "--json", "--method", "risk-parity", "--cov", "ledoit-wolf", "fixtures/eustocks.csv"],
  ],
  [
    "optimize-stocks-ffill-min-variance",
    ["optimize", "--json", "--missing", "ffill", "--periods-per-year", "12", "fixtures/stocks.csv"],
  ],
  [
    "optimize-stocks-hrp",
    ["optimize", "--json", "--method", "hrp", "--periods-per-year", "12", "fixtures/stocks.csv"],
  ],
  [
    "optimize-stocks-target-risk-ewma",
    [
      "optimize",
      "--json",
      "--method",
      "target-risk",
      "--target-risk",
      "0.25",
      "--cov",
      "ewma",
      "--mu",
      "ewma",
      "--halflife",
      "12",
      "--periods-per-year",
      "12",
      "fixtures/stocks.csv",
    ],
  ],
];

describePinned("golden JSON for optimize", cases);
