import { describePinned, type GoldenCase } from "./pinned.js";

/**
 * Regression guards, not evidence: the pinned JSON of `sparse` and
 * `decompose` on the shipped fixtures. Evidence lives in
 * tests/unit/sparse-*, tests/unit/decompose-* and tests/cli/. Refresh after
 * an intended change with UPDATE_GOLDEN=1 npx vitest run tests/golden/sparse-golden.test.ts.
 */
const cases: GoldenCase[] = [
  [
    "sparse-eustocks-lasso",
    ["sparse", "--json", "--target", "DAX", "--alpha", "1e-6", "fixtures/eustocks.csv"],
  ],
  [
    "sparse-eustocks-enet-cv",
    [
      "sparse",
      "--json",
      "--method",
      "elastic-net",
      "--target",
      "CAC",
      "--n-alphas",
      "20",
      "fixtures/eustocks.csv",
    ],
  ],
  ["sparse-eustocks-greedy", ["sparse", "--json", "--method", "greedy", "--k", "3", "fixtures/eustocks.csv"]],
  [
    "sparse-stocks-pca",
    [
      "sparse",
      "--json",
      "--method",
      "sparse-pca",
      "--k",
      "2",
      "--components",
      "2",
      "--missing",
      "ffill",
      "fixtures/stocks.csv",
    ],
  ],
  ["decompose-eustocks-pcp", ["decompose", "--json", "--top", "5", "fixtures/eustocks.csv"]],
  ["decompose-eustocks-box-tiao", ["decompose", "--json", "--method", "box-tiao", "fixtures/eustocks.csv"]],
];

describePinned("golden JSON for sparse and decompose", cases);
