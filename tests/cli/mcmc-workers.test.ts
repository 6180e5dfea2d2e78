import { describe, expect, it } from "vitest";
import { ROOT } from "./run.js";

/**
 * Worker threads need the built JavaScript (npm test builds first), so this test imports
 * the pool from dist/: the same chains run on the main thread only and on a worker must
 * give bit-identical draws.
 */
describe("mcmc chains on worker threads", () => {
  it("gives the same draws as on the main thread", async () => {
    const pool = await import(`${ROOT}dist/parallel/mcmcPool.js`);
    const priorsModule = await import(`${ROOT}dist/numerics/mcmc/posteriorPriors.js`);
    const series = Float64Array.from(
      { length: 300 },
      (_, i) => 0.01 * Math.sin(i * 1.7) + 0.002 * Math.cos(i * i),
    );
    const spec = {
      kind: "student-t",
      priors: priorsModule.resolvePriors("student-t", "default", series),
      series,
    };
    const settings = { sampler: "nuts", warmup: 100, draws: 100, targetAccept: 0.8, maxDepth: 10 };
    const here = await pool.runChains(spec, settings, 3, 42, 0);
    const threaded = await pool.runChains(spec, settings, 3, 42, 1);
    for (let c = 0; c < 3; c++) {
      expect(Array.from(threaded[c].draws)).toEqual(Array.from(here[c].draws));
      expect(threaded[c].stepSize).toBe(here[c].stepSize);
    }
  });
});
