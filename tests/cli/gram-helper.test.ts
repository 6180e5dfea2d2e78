import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, hftlab, ROOT } from "./run.js";

/**
 * The Gram kernel's helper thread needs the built worker (npm test builds
 * first), so these tests use dist/ and the binary: the product must be
 * bit-identical whether the helper took slices of it or not.
 */
describe("the Gram kernel's helper thread", () => {
  it("computes slices bit-identical to the main thread's", async () => {
    const kernel = await import(`${ROOT}dist/numerics/linalg/gramKernel.js`);
    const { startGramHelper } = await import(`${ROOT}dist/parallel/gramHelper.js`);
    const n = 203;
    const T = 2001;
    const y = Float64Array.from({ length: n * T }, (_, k) => Math.sin(k * 0.7) + 1e-3 * Math.cos(k * k));
    const alone = new Float64Array(n * n);
    expect(kernel.gramLowerWasm(y, n, T, alone)).toBe(true);
    startGramHelper();
    for (let wait = 0; wait < 200 && !kernel.gramHelperState().ready; wait++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(kernel.gramHelperState().ready).toBe(true);
    const shared = new Float64Array(n * n);
    let rounds = 0;
    // the split is a race: repeat until the helper has taken part at least once
    for (const before = kernel.gramHelperState().slices; rounds < 50; rounds++) {
      shared.fill(Number.NaN);
      expect(kernel.gramLowerWasm(y, n, T, shared)).toBe(true);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) expect(shared[i * n + j]).toBe(alone[i * n + j]);
      if (kernel.gramHelperState().slices > before) break;
    }
    expect(rounds).toBeLessThan(50);
  });

  it("gives byte-identical optimize output with HFTLAB_THREADS=1 and with the helper", () => {
    const dir = mkdtempSync(join(tmpdir(), "hftlab-gram-"));
    const file = join(dir, "returns.csv");
    const assets = 120;
    const lines = [`date,${Array.from({ length: assets }, (_, j) => `A${j}`).join(",")}`];
    for (let t = 0; t < 1500; t++) {
      const day = new Date(Date.UTC(2000, 0, 1) + t * 86400000).toISOString().slice(0, 10);
      const row = Array.from({ length: assets }, (_, j) =>
        (0.01 * Math.sin(t * (j + 1) * 0.37) + 0.004 * Math.cos(t * 1.3 + j)).toFixed(6),
      );
      lines.push(`${day},${row.join(",")}`);
    }
    writeFileSync(file, `${lines.join("\n")}\n`);
    const args = ["optimize", "--method", "min-variance", "--input-kind", "returns", "--json", file];
    const threaded = hftlab(args);
    const single = hftlab(args, { env: { HFTLAB_THREADS: "1" } });
    expect(threaded.status, threaded.stderr).toBe(0);
    expect(single.status, single.stderr).toBe(0);
    expect(threaded.stdout).toBe(single.stdout);
    // and the process exits promptly with the helper alive (it never keeps the process up)
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(0);
  });
});
