import { describePinned, type GoldenCase } from "./pinned.js";

/**
 * Regression guards, not evidence: the pinned output of `book` on the
 * synthetic fixtures/book-sample.csv (396 L3 events from the seeded test
 * stream, with one `clear`). Evidence lives in tests/unit/book-*.test.ts.
 * Refresh after an intended change with UPDATE_GOLDEN=1 npx vitest run tests/golden.
 */
const cases: GoldenCase[] = [
  ["book-sample", ["book", "--json", "fixtures/book-sample.csv"]],
  ["book-sample-every-100", ["book", "--every", "100", "--depth", "3", "fixtures/book-sample.csv"]],
  [
    "book-sample-at",
    ["book", "--json", "--depth", "5", "--at", "34200005000000", "fixtures/book-sample.csv"],
  ],
];

describePinned("book golden output", cases);
