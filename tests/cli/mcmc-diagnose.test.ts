import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hftlab, ROOT } from "./run.js";

/**
 * `mcmc --diagnose`: other samplers' draws through the built binary, against
 * the values R's posterior package publishes for Stan's example draws (as
 * Stan's own tests quote them; see tests/unit/mcmc-published-rhat.test.ts and
 * mcmc-published-diagnostics.test.ts for the sources), and against mcmc's own
 * report of its own draws.
 */

const tmp = mkdtempSync(join(tmpdir(), "hftlab-diagnose-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const DATA = join(ROOT, "tests/unit/data");
const BERNOULLI = [1, 2, 3, 4].map((i) => join(DATA, `bernoulli/bern${i}.csv`));

function diagnose(files: string[], extra: string[] = []) {
  const r = hftlab(["mcmc", "--json", ...extra, "--diagnose", ...files]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** The draws file as CmdStan writes it: comments, the sampler columns, comments between and after the draws. */
function asStanCsv(file: string, chain: number): string {
  const [header, ...rows] = readFileSync(file, "utf8").trimEnd().split("\n");
  expect(header).toBe("lp__,theta");
  const out = [
    "# stan_version_major = 2",
    "# model = bernoulli_model",
    `#     id = ${chain}`,
    "#     save_warmup = 0",
    "lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,theta",
    "# Adaptation terminated",
    "# Step size = 0.93",
    "# Diagonal elements of inverse mass matrix:",
    "# 0.53",
    ...rows.map((row, i) => {
      const [lp, theta] = row.split(",");
      return `${lp},0.9${i % 10},0.93,1,3,0,${7 + (i % 3)},${theta}`;
    }),
    "# ",
    "#  Elapsed Time: 0.003 seconds (Warm-up)",
  ];
  return `${out.join("\n")}\n`;
}

describe("hftlab mcmc --diagnose", () => {
  it("gives posterior's published R-hat on Stan's bernoulli chains, one plain or CmdStan CSV per chain", () => {
    // posterior::rhat() = max(bulk, tail): lp__ 1.0007301, theta 1.0067897 (7 decimals, rounded)
    const plain = diagnose(BERNOULLI);
    expect(plain.result.chains).toBe(4);
    expect(plain.result.draws).toBe(1000);
    expect(Math.abs(plain.result.params.lp__.rhat - 1.0007301)).toBeLessThanOrEqual(5e-8);
    expect(Math.abs(plain.result.params.theta.rhat - 1.0067897)).toBeLessThanOrEqual(5e-8);
    // the same chains with Stan's comment lines and sampler columns: the same numbers
    const stan = BERNOULLI.map((file, i) => {
      const path = join(tmp, `output_${i + 1}.csv`);
      writeFileSync(path, asStanCsv(file, i + 1));
      return path;
    });
    const fromStan = diagnose(stan);
    expect(Object.keys(fromStan.result.params)).toEqual(["lp__", "theta"]);
    expect(fromStan.result.params).toEqual(plain.result.params);
  });

  it("gives posterior's published ESS and MCSE on eight schools, read from one table with a chain column", () => {
    // chainset_test.cpp (from posterior): bulk/tail ESS printed as floor(ESS), MCSE of the mean to 7 digits
    const ESS_BULK = [348, 370, 600, 638, 765, 608, 629, 274, 517, 112];
    const ESS_TAIL = [845, 858, 874, 726, 620, 753, 826, 628, 587, 108];
    const MCSE = [
      0.288379, 0.4741815, 0.2741001, 0.3294614, 0.2473758, 0.2665048, 0.2701363, 0.4740092, 0.3621771,
      0.3832464,
    ];
    const chains = [1, 2].map((c) =>
      readFileSync(join(DATA, `eight_schools/eight_schools_${c}.csv`), "utf8")
        .trimEnd()
        .split("\n"),
    );
    const header = chains[0]![0]!;
    const rows = chains.flatMap((lines, c) => lines.slice(1).map((row, i) => `${c + 1},${i + 1},${row}`));
    const file = join(tmp, "eight_schools.csv");
    writeFileSync(file, `chain,draw,${header}\n${rows.join("\n")}\n`);
    const result = diagnose([file]).result;
    expect([result.chains, result.draws]).toEqual([2, 500]);
    Object.values(result.params).forEach((p, j) => {
      const q = p as { essBulk: number; essTail: number; mcse: number };
      expect(q.essBulk).toBeGreaterThanOrEqual(ESS_BULK[j]!);
      expect(q.essBulk).toBeLessThan(ESS_BULK[j]! + 1);
      expect(q.essTail).toBeGreaterThanOrEqual(ESS_TAIL[j]!);
      expect(q.essTail).toBeLessThan(ESS_TAIL[j]! + 1);
      expect(Math.abs(q.mcse - MCSE[j]!)).toBeLessThanOrEqual(5e-8);
    });
  });

  it("reports mcmc's own --out draws exactly as mcmc reported them, under the same keys", () => {
    const out = join(tmp, "draws.csv");
    const sampled = hftlab([
      "mcmc",
      "--draws",
      "200",
      "--warmup",
      "150",
      "--json",
      "--out",
      out,
      "fixtures/sp500-2000.csv",
    ]);
    expect(sampled.status, sampled.stderr).toBe(0);
    const own = JSON.parse(sampled.stdout).result.params;
    const again = diagnose([out]).result.params;
    expect(Object.keys(again)).toEqual(Object.keys(own));
    for (const name of Object.keys(own)) {
      for (const key of Object.keys(own[name])) {
        // the CSV keeps the draws' shortest round-trip text, so the numbers are the same doubles
        expect(again[name][key], `${name}.${key}`).toBe(own[name][key]);
      }
    }
    const text = hftlab(["mcmc", "--diagnose", out]);
    expect(text.stdout).toMatch(/^mcmc --diagnose · .*draws\.csv · 4 chains × 200 draws\n/);
    const csv = hftlab(["mcmc", "--csv", "--diagnose", out]);
    expect(csv.stdout.split("\n")[0]).toBe("parameter,mean,sd,q05,q50,q95,rhat,essBulk,essTail,mcse");
  });

  it("refuses one chain, ragged chains, a bad cell, warm-up rows and mismatched files, in one line each", () => {
    const write = (name: string, text: string) => {
      const path = join(tmp, name);
      writeFileSync(path, text);
      return path;
    };
    const cases: [string[], number, RegExp][] = [
      [
        [BERNOULLI[0]!],
        3,
        /^hftlab: error: the draws hold one chain \(.*bern1\.csv\): R-hat and ESS compare chains/,
      ],
      [
        [write("ragged.csv", "chain,mu\n1,0.1\n1,0.2\n1,0.3\n1,0.4\n2,0.1\n2,0.2\n2,0.3\n")],
        3,
        /^hftlab: error: chains of unequal length: .*chain 1 has 4 draws, .*chain 2 has 3/,
      ],
      [
        [write("bad.csv", "chain,mu\n1,0.1\n1,abc\n")],
        3,
        /^hftlab: error: mu is not a finite number: "abc" \(.*bad\.csv:3:3\)/,
      ],
      [
        [write("warm.csv", "# save_warmup = 1\nlp__,mu\n1,2\n"), BERNOULLI[1]!],
        3,
        /^hftlab: error: the file was written with save_warmup, so it holds warm-up rows \(.*warm\.csv:1\)/,
      ],
      [
        [BERNOULLI[0]!, write("other.csv", "lp__,mu\n1,2\n")],
        3,
        /^hftlab: error: .*other\.csv has parameters lp__, mu, not lp__, theta/,
      ],
      [[join(tmp, "missing.csv"), BERNOULLI[0]!], 3, /^hftlab: error: cannot read draws file/],
    ];
    for (const [files, status, pattern] of cases) {
      const r = hftlab(["mcmc", "--diagnose", ...files]);
      expect(r.status, files.join(" ")).toBe(status);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
    }
    const both = hftlab(["mcmc", "fixtures/sp500-2000.csv", "--diagnose", BERNOULLI[0]!, BERNOULLI[1]!]);
    expect(both.status).toBe(2);
  });
});
