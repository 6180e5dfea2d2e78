import { defineConfig } from "vitest/config";
import SummaryReporter from "./tests/summaryReporter.js";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
    // Two test files at a time on the 2-core CI machine: most tests wait on a child hftlab
    // process, so the second fork fills the idle core (one at a time took 11 minutes).
    maxWorkers: 2,
    reporters: ["default", new SummaryReporter()],
  },
});
