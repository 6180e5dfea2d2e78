import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab } from "./run.js";

const tmp = mkdtempSync(join(tmpdir(), "hftlab-mcmc-"));
// Few draws keep the suite quick; the statistics are tested in tests/unit/mcmc-*.test.ts.
const QUICK = ["--draws", "200", "--warmup", "150"];

function json(args: string[]) {
  const r = hftlab(["mcmc", ...QUICK, ...args, "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("hftlab mcmc", () => {
  it("reports the SPEC keys per parameter and echoes every resolved option, priors included", () => {
    const d = json(["fixtures/sp500-2000.csv"]);
    expect(Object.keys(d.result.params)).toEqual(["mu", "sigma"]);
    for (const p of Object.values(d.result.params) as Record<string, number>[]) {
      expect(Object.keys(p)).toEqual([
        "mean",
        "sd",
        "q05",
        "q50",
        "q95",
        "rhat",
        "essBulk",
        "essTail",
        "mcse",
      ]);
      expect(p.q05).toBeLessThan(p.q50);
      expect(p.q50).toBeLessThan(p.q95);
    }
    expect(d.result).toHaveProperty("acceptanceRate");
    expect(d.result.divergences).toBe(0);
    expect(d.result.stepSize).toBeGreaterThan(0);
    expect(d.result.chains).toHaveLength(4);
    expect(d.params).toMatchObject({
      model: "normal",
      prior: "default",
      sampler: "nuts",
      chains: 4,
      draws: 200,
      warmup: 150,
      targetAccept: 0.8,
      maxDepth: 10,
      returns: "log",
      inputKind: "prices",
      seed: 42,
    });
    expect(d.params.priors.mu.distribution).toBe("normal");
    expect(d.params.priors.sigma.distribution).toBe("exponential");
    expect(d.data.rows).toBe(5104);
  });

  it("is deterministic: the same seed gives byte-identical JSON, another seed other draws", () => {
    const args = [
      "mcmc",
      ...QUICK,
      "--model",
      "student-t",
      "--chains",
      "2",
      "--json",
      "fixtures/sp500-2000.csv",
    ];
    const a = hftlab(args);
    const b = hftlab(args);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const c = hftlab([...args, "--seed", "7"]);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it("names the parameters of student-t and ou, and keeps the proper nu/kappa priors under --prior flat", () => {
    const t = json(["--model", "student-t", "--prior", "flat", "--chains", "2", "fixtures/sp500-2000.csv"]);
    expect(Object.keys(t.result.params)).toEqual(["mu", "sigma", "nu"]);
    expect(t.params.priors).toEqual({
      mu: { distribution: "flat" },
      sigma: { distribution: "flat-log" },
      nu: { distribution: "gamma", shape: 2, rate: 0.1, lower: 2 },
    });
    expect(t.result.params.nu.q05).toBeGreaterThan(2);
    const ou = json(["--model", "ou", "--chains", "2", "--columns", "DAX", "fixtures/eustocks.csv"]);
    expect(Object.keys(ou.result.params)).toEqual(["kappa", "mu", "sigma"]);
    expect(ou.params.priors.kappa).toEqual({ distribution: "exponential", rate: 1 });
    expect(ou.result.params.kappa.mean).toBeGreaterThan(0);
  });

  it("refuses --model ou on a returns file (it models levels)", () => {
    const r = hftlab(["mcmc", "--model", "ou", "--input-kind", "returns", ...QUICK, "fixtures/eustocks.csv"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /hftlab: error: --model ou models price levels, so --input-kind returns does not apply/,
    );
    expect(r.stdout).toBe("");
  });

  it("writes every draw with --out as chain, draw, parameters", () => {
    const out = join(tmp, "draws.csv");
    const r = hftlab([
      "mcmc",
      "--draws",
      "50",
      "--warmup",
      "100",
      "--chains",
      "3",
      "--out",
      out,
      "fixtures/sp500-2000.csv",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("chain,draw,mu,sigma");
    expect(lines).toHaveLength(1 + 150);
    expect(lines[1]!.startsWith("1,1,")).toBe(true);
    expect(lines[150]!.startsWith("3,50,")).toBe(true);
  });

  it("prints a Stan-like summary table with density and trace sketches, and --csv the summary", () => {
    const r = hftlab(["mcmc", ...QUICK, "fixtures/sp500-2000.csv"]);
    expect(r.status, r.stderr).toBe(0);
    for (const heading of ["mean", "mcse", "ess_bulk", "ess_tail", "r_hat", "density"])
      expect(r.stdout).toContain(heading);
    expect(r.stdout).toContain("trace of chain 1");
    const csv = hftlab(["mcmc", ...QUICK, "--csv", "fixtures/sp500-2000.csv"]);
    expect(csv.stdout.split("\n")[0]).toBe("parameter,mean,sd,q05,q50,q95,rhat,essBulk,essTail,mcse");
  });

  it("warns as Stan does when ESS is below 400, and fails with exit 4 under --strict", () => {
    const args = [
      "mcmc",
      "--draws",
      "30",
      "--warmup",
      "30",
      "--chains",
      "2",
      "--json",
      "fixtures/sp500-2000.csv",
    ];
    const r = hftlab(args);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.warnings.some((w: string) => w.includes("bulk ESS below 400"))).toBe(true);
    expect(r.stderr).toContain("hftlab: warning:");
    const strict = hftlab([...args, "--strict"]);
    expect(strict.status).toBe(4);
  });

  it("rejects several series (exit 2) and a constant one (exit 3)", () => {
    const many = hftlab(["mcmc", ...QUICK, "fixtures/eustocks.csv"]);
    expect(many.status).toBe(2);
    expect(many.stderr).toContain("--columns");
    const constant = hftlab(["mcmc", ...QUICK, "--input-kind", "returns", "-"], {
      input: "date,R\n2020-01-01,0.01\n2020-01-02,0.01\n2020-01-03,0.01\n2020-01-06,0.01\n",
    });
    expect(constant.status).toBe(3);
    expect(hftlab(["mcmc", "--chains", "0", "fixtures/sp500-2000.csv"]).status).toBe(2);
  });

  it("has help with the priors and examples", () => {
    const r = hftlab(["mcmc", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("nu ~ gamma(2, 0.1)");
    expect(r.stdout).toContain("Examples:");
  });
});
