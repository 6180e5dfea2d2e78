import { spawn } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { temporaryFiles } from "./expectations.js";
import { BIN } from "./run.js";

/**
 * Ctrl-C during a long computation: the fit and the sampling run on worker
 * threads, so the main thread answers SIGINT at once with exit 130 and leaves
 * no output file. The runs asked for here would take many minutes; only a
 * prompt exit ends them within the test's timeout (the latency itself is
 * measured in bench/interrupt.mjs, not asserted here).
 */
const file = temporaryFiles("hftlab-interrupt-");
const folder = file("x", "").replace(/x$/, "");

/** `rows` returns of a seeded two-regime series, as `t,R`. */
function returnsFile(rows: number): string {
  const lines = ["t,R"];
  let seed = 11;
  const uniform = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return (seed + 0.5) / 2147483648;
  };
  for (let t = 0; t < rows; t++) {
    const scale = Math.floor(t / 500) % 2 === 0 ? 0.01 : 0.03;
    const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    lines.push(`${t},${(scale * z).toFixed(6)}`);
  }
  return file("returns.csv", `${lines.join("\n")}\n`);
}

async function interruptDuring(
  args: string[],
  outDir: string,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // Past the read (a fraction of a second) and well into the fit.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  child.kill("SIGINT");
  const code = await exited;
  expect(readdirSync(outDir)).toEqual([]);
  return { code, stderr };
}

describe("Ctrl-C during long work", () => {
  const input = returnsFile(50_000);

  it("ends an HMM fit with exit 130 and no output file", async () => {
    const outDir = join(folder, "hmm");
    mkdirSync(outDir);
    const r = await interruptDuring(
      [
        "hmm",
        "--input-kind",
        "returns",
        "--states",
        "3",
        "--tol",
        "0",
        "--max-iter",
        "1000000",
        "--out",
        join(outDir, "states.csv"),
        input,
      ],
      outDir,
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("hftlab: interrupted");
  }, 30_000);

  it("ends an HMM fit of a single restart too (it runs on a worker, not the main thread)", async () => {
    const outDir = join(folder, "hmm-one");
    mkdirSync(outDir);
    const r = await interruptDuring(
      [
        "hmm",
        "--input-kind",
        "returns",
        "--restarts",
        "1",
        "--tol",
        "0",
        "--max-iter",
        "1000000",
        "--out",
        join(outDir, "s.csv"),
        input,
      ],
      outDir,
    );
    expect(r.code).toBe(130);
  }, 30_000);

  it("ends an MCMC run with exit 130 and no output file", async () => {
    const outDir = join(folder, "mcmc");
    mkdirSync(outDir);
    const r = await interruptDuring(
      [
        "mcmc",
        "--input-kind",
        "returns",
        "--model",
        "student-t",
        "--draws",
        "10000000",
        "--out",
        join(outDir, "draws.csv"),
        input,
      ],
      outDir,
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("hftlab: interrupted");
  }, 30_000);
});
