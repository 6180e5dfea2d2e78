import { describe, expect, it } from "vitest";
// The built modules: the pool starts its workers from dist/parallel/hmmWorker.js (npm test builds first).
import { fitGaussianHmm } from "../../dist/numerics/hmm/gaussianHmm.js";
import { Prng } from "../../dist/numerics/random/prng.js";
import { fitHmmProblems } from "../../dist/parallel/hmmPool.js";

/** A seeded two-regime return series of `rows` rows. */
function series(rows: number, seed: number): Float64Array {
  const rng = new Prng(seed);
  const x = new Float64Array(rows);
  for (let t = 0; t < rows; t++) x[t] = (Math.floor(t / 300) % 2 === 0 ? 0.01 : 0.03) * rng.normal();
  return x;
}

describe("HMM restarts on worker threads", () => {
  const options = {
    states: 3,
    covariance: "full" as const,
    init: "kmeans" as const,
    restarts: 6,
    maxIterations: 30,
    tolerance: 1e-8,
    minCovar: 1e-6,
  };
  const problems = [0, 1, 2].map((column) => {
    const x = series(8_000, 5 + column);
    return { x, rows: x.length, dimension: 1, options, seed: 42, streams: [column] };
  });

  it("choose the very fit of the one-thread restart loop, for every problem, whatever the thread count", async () => {
    const sequential = problems.map((p) =>
      fitGaussianHmm(p.x, p.rows, 1, { ...options, rng: new Prng(42).split(p.streams[0]!) }),
    );
    for (const threads of [1, 2, 3]) {
      const pooled = await fitHmmProblems(problems, threads);
      expect(pooled).toEqual(sequential);
    }
  });

  it("counts the restarts as they finish", async () => {
    const seen: number[] = [];
    await fitHmmProblems(problems, 2, (done, total) => {
      expect(total).toBe(18);
      seen.push(done);
    });
    expect(seen).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
  });
});
