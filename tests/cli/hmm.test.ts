import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab } from "./run.js";

const tmp = mkdtempSync(join(tmpdir(), "hftlab-hmm-"));

function json(args: string[]) {
  const r = hftlab([...args, "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("hftlab hmm", () => {
  it("fits the SPEC keys, with states ordered by mean and a path per return", () => {
    const d = json(["hmm", "--states", "3", "--restarts", "3", "fixtures/sp500-2000.csv"]);
    const r = d.result;
    for (const key of [
      "states",
      "logLikelihood",
      "aic",
      "bic",
      "iterations",
      "converged",
      "startProb",
      "transmat",
      "means",
      "covars",
      "stationary",
      "expectedDurations",
      "path",
    ]) {
      expect(r).toHaveProperty(key);
    }
    expect(r.path).toHaveLength(d.data.rows);
    expect(r.means[0][0]).toBeLessThan(r.means[1][0]);
    expect(r.means[1][0]).toBeLessThan(r.means[2][0]);
    for (const row of r.transmat) expect(row.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 12);
    expect(d.params).toMatchObject({
      states: 3,
      covariance: "full",
      init: "kmeans",
      restarts: 3,
      returns: "log",
      seed: 42,
    });
    // p = (K−1) + K(K−1) + K + K = 2 + 6 + 3 + 3 = 14 parameters
    expect(r.bic - r.aic).toBeCloseTo(14 * Math.log(d.data.rows) - 28, 8);
  });

  it("is deterministic: the same seed gives byte-identical JSON", () => {
    const args = [
      "hmm",
      "--states",
      "2",
      "--restarts",
      "2",
      "--json",
      "fixtures/eustocks.csv",
      "--columns",
      "DAX,CAC",
    ];
    expect(hftlab(args).stdout).toBe(hftlab(args).stdout);
  });

  it("--tol 0 runs exactly --max-iter iterations", () => {
    const d = json(["hmm", "--tol", "0", "--max-iter", "7", "--restarts", "1", "fixtures/sp500-2000.csv"]);
    expect(d.result.iterations).toBe(7);
    expect(d.warnings).toEqual([]);
  });

  it("--strict turns non-convergence into exit 4; without it a warning", () => {
    const args = ["hmm", "--max-iter", "2", "--restarts", "1", "fixtures/sp500-2000.csv", "--json"];
    const lax = hftlab(args);
    expect(lax.status).toBe(0);
    expect(JSON.parse(lax.stdout).warnings[0]).toMatch(/did not converge/);
    expect(hftlab([...args, "--strict"]).status).toBe(4);
  });

  it("multivariate full covariance on two columns, diag and spherical have their structure", () => {
    const full = json(["hmm", "--columns", "DAX,CAC", "--restarts", "2", "fixtures/eustocks.csv"]).result;
    expect(full.covars[0]).toHaveLength(2);
    expect(full.covars[0][0][1]).not.toBe(0);
    expect(full.covars[0][0][1]).toBe(full.covars[0][1][0]);
    const diag = json([
      "hmm",
      "--columns",
      "DAX,CAC",
      "--covariance",
      "diag",
      "--restarts",
      "2",
      "fixtures/eustocks.csv",
    ]);
    expect(diag.result.covars[1][0][1]).toBe(0);
    const sph = json([
      "hmm",
      "--columns",
      "DAX,CAC",
      "--covariance",
      "spherical",
      "--restarts",
      "2",
      "fixtures/eustocks.csv",
    ]);
    expect(sph.result.covars[0][0][0]).toBe(sph.result.covars[0][1][1]);
    const tied = json([
      "hmm",
      "--columns",
      "DAX,CAC",
      "--covariance",
      "tied",
      "--restarts",
      "2",
      "fixtures/eustocks.csv",
    ]);
    expect(tied.result.covars[0]).toEqual(tied.result.covars[1]);
  });

  it("--save then --model decodes without refitting: same path and log-likelihood", () => {
    const model = join(tmp, "model.json");
    const fitted = json([
      "hmm",
      "--states",
      "2",
      "--restarts",
      "2",
      "--save",
      model,
      "fixtures/sp500-2000.csv",
    ]);
    const saved = JSON.parse(readFileSync(model, "utf8"));
    expect(Object.keys(saved)).toEqual([
      "states",
      "features",
      "covariance",
      "startProb",
      "transmat",
      "means",
      "covars",
    ]);
    const decoded = json(["hmm", "--model", model, "fixtures/sp500-2000.csv"]);
    expect(decoded.result.path).toEqual(fitted.result.path);
    expect(decoded.result.logLikelihood).toBeCloseTo(fitted.result.logLikelihood, 8);
    expect(decoded.result.converged).toBeNull();
  });

  it("a bad model file is exit 3 with a one-line reason", () => {
    const bad = join(tmp, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({ states: 2, features: ["adjclose"], covariance: "full", startProb: [1, 0] }),
    );
    const r = hftlab(["hmm", "--model", bad, "fixtures/sp500-2000.csv"]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^hftlab: error: invalid model file: "transmat"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("--ndjson gives {time, state, p0..pK-1} per row", () => {
    const r = hftlab(["hmm", "--restarts", "1", "--ndjson", "fixtures/sp500-2000.csv"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(5104); // one per return: 5105 prices
    const first = JSON.parse(lines[0]!);
    expect(Object.keys(first)).toEqual(["time", "state", "p0", "p1"]);
    expect(first.time).toBe("2000-01-04");
    expect(first.p0 + first.p1).toBeCloseTo(1, 12);
  });

  it("--select 1..3 compares BIC and keeps the smallest", () => {
    const d = json(["hmm", "--select", "1..3", "--restarts", "2", "fixtures/sp500-2000.csv"]);
    const bics = d.result.selection.map((s: { bic: number }) => s.bic);
    expect(d.result.selection.map((s: { states: number }) => s.states)).toEqual([1, 2, 3]);
    expect(d.result.states).toBe(d.result.selection[bics.indexOf(Math.min(...bics))].states);
  });

  it("the human report shows the states, transitions and the fit", () => {
    const r = hftlab(["hmm", "--restarts", "1", "fixtures/sp500-2000.csv"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/log-likelihood .* AIC .* BIC/);
    expect(r.stdout).toMatch(/Viterbi path, last 72 bars/);
  });
});
