import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab } from "./run.js";

describe("hftlab decompose", () => {
  it("runs pcp with the SPEC keys and writes L and S in the input's wide layout", () => {
    const dir = mkdtempSync(join(tmpdir(), "hftlab-decompose-"));
    const low = join(dir, "low.csv");
    const sparse = join(dir, "sparse.csv");
    const r = hftlab([
      "decompose",
      "--json",
      "--top",
      "3",
      "--out-low-rank",
      low,
      "--out-sparse",
      sparse,
      "fixtures/eustocks.csv",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const { result, params } = JSON.parse(r.stdout);
    for (const key of [
      "lambda",
      "iterations",
      "converged",
      "rank",
      "sparsity",
      "relativeError",
      "outliers",
      "explainedVariance",
    ])
      expect(result).toHaveProperty(key);
    expect(result.converged).toBe(true);
    expect(result.relativeError).toBeLessThanOrEqual(1e-7);
    expect(result.lambda).toBeCloseTo(1 / Math.sqrt(1859), 15);
    expect(params.lambda).toBe(result.lambda);
    expect(result.outliers).toHaveLength(3);
    expect(Object.keys(result.outliers[0])).toEqual(["time", "symbol", "value"]);
    const lowLines = readFileSync(low, "utf8").trim().split("\n");
    expect(lowLines[0]).toBe("t,DAX,SMI,CAC,FTSE");
    expect(lowLines).toHaveLength(1860);
    // L + S reproduces the returns: first row
    const s = readFileSync(sparse, "utf8").trim().split("\n")[1]!.split(",").map(Number);
    const l = lowLines[1]!.split(",").map(Number);
    expect(l[1]! + s[1]!).toBeCloseTo(1613.63 / 1628.75 - 1, 8);
  });

  it("runs box-tiao with portfolios ordered by predictability", () => {
    const r = hftlab(["decompose", "--method", "box-tiao", "--json", "fixtures/eustocks.csv"]);
    expect(r.status, r.stderr).toBe(0);
    const { portfolios } = JSON.parse(r.stdout).result;
    expect(portfolios).toHaveLength(4);
    for (let k = 1; k < 4; k++)
      expect(portfolios[k].predictability).toBeGreaterThanOrEqual(portfolios[k - 1].predictability);
    expect(portfolios[0]).toHaveProperty("halfLife");
  });

  it("refuses --input-kind returns and --returns log for box-tiao, which works on price levels (exit 2)", () => {
    for (const flags of [
      ["--input-kind", "returns"],
      ["--returns", "log"],
    ]) {
      const r = hftlab(["decompose", "--method", "box-tiao", ...flags, "fixtures/eustocks.csv"]);
      expect(r.status, flags.join(" ")).toBe(2);
      expect(r.stderr.split("\n")[0]).toMatch(
        new RegExp(
          `^hftlab: error: --method box-tiao works on price levels, so ${flags.join(" ")} does not apply$`,
        ),
      );
    }
    // pcp works on returns and takes a returns file as is
    expect(hftlab(["decompose", "--input-kind", "returns", "--json", "fixtures/eustocks.csv"]).status).toBe(
      0,
    );
  });

  it("refuses every pcp option with --method box-tiao instead of ignoring it (exit 2)", () => {
    const dir = mkdtempSync(join(tmpdir(), "hftlab-decompose-"));
    const pcpOnly = [
      ["--lambda", "0.05"],
      ["--tol", "1e-6"],
      ["--max-iter", "500"],
      ["--top", "2"],
      ["--out-low-rank", join(dir, "low.csv")],
      ["--out-sparse", join(dir, "sparse.csv")],
    ];
    for (const flags of pcpOnly) {
      const r = hftlab(["decompose", "--method", "box-tiao", ...flags, "fixtures/eustocks.csv"]);
      expect(r.status, flags.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n").slice(0, 2)).toEqual([
        `hftlab: error: ${flags[0]} applies to --method pcp only, not box-tiao`,
        "hint: drop it, or use --method pcp (the default)",
      ]);
    }
    expect(existsSync(join(dir, "low.csv")) || existsSync(join(dir, "sparse.csv"))).toBe(false);
    // Only flags given count: box-tiao alone still runs and echoes pcp's defaults in params.
    const boxTiao = hftlab(["decompose", "--method", "box-tiao", "--json", "fixtures/eustocks.csv"]);
    expect(boxTiao.status, boxTiao.stderr).toBe(0);
    expect(JSON.parse(boxTiao.stdout).params).toMatchObject({
      lambda: null,
      tol: 1e-7,
      maxIter: 1000,
      top: 20,
    });
    // pcp takes them all.
    const pcp = hftlab(["decompose", ...pcpOnly.flat(), "--json", "fixtures/eustocks.csv"]);
    expect(pcp.status, pcp.stderr).toBe(0);
    expect(JSON.parse(pcp.stdout).params).toMatchObject({ lambda: 0.05, tol: 1e-6, maxIter: 500, top: 2 });
    expect(existsSync(join(dir, "low.csv")) && existsSync(join(dir, "sparse.csv"))).toBe(true);
  });

  it("rejects a bad --lambda with exit 2", () => {
    expect(hftlab(["decompose", "--lambda", "-1", "fixtures/eustocks.csv"]).status).toBe(2);
  });
});
