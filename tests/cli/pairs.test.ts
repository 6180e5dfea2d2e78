import { describe, expect, it } from "vitest";
import { Prng } from "../../src/numerics/random/prng.js";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab, shell } from "./run.js";

/**
 * `hftlab pairs` through the built binary: its numbers against `meanrev
 * --pair` and statsmodels, a seeded universe with planted pairs, the
 * q-values, shards and merge, threads, and the refusals.
 */

interface PairJson {
  a: string;
  b: string;
  hedgeRatio: number | null;
  intercept: number | null;
  stat: number | null;
  pValue: number | null;
  qValue: number | null;
  lags: number | null;
  halfLife: number | null;
  hurst: number | null;
  correlation: number | null;
}

interface PairsJson {
  params: Record<string, unknown>;
  result: { tested: number; passed: number; pairs: PairJson[] };
  warnings: string[];
}

function pairs(args: string[]): PairsJson {
  const r = hftlab(["pairs", "--json", ...args]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as PairsJson;
}

function close(actual: number | null, expected: number, tolerance: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected) / Math.abs(expected)).toBeLessThan(tolerance);
}

const files = temporaryFiles("hftlab-pairs-");

/**
 * A seeded universe (the project's one PRNG, xoshiro256**): `walks`
 * independent geometric random walks W00…, then planted pairs (A_k, B_k):
 * log B_k a random walk, log A_k = 0.5 + β_k·log B_k + s_k with s_k an AR(1)
 * of coefficient 2^(−1/halfLife) (so the spread's half-life is halfLife bars).
 * Prices with 6 decimals, as the peers' generator writes them.
 */
const PLANTED = [
  { beta: 0.8, halfLife: 4 },
  { beta: 1.2, halfLife: 8 },
  { beta: 0.6, halfLife: 12 },
  { beta: 1.4, halfLife: 16 },
];

function universe(seed: number, walks: number, rows: number): string {
  const rng = new Prng(seed);
  const columns: Float64Array[] = [];
  const names: string[] = [];
  const walk = (): Float64Array => {
    const c = new Float64Array(rows);
    let x = Math.log(50 + 100 * rng.nextFloat());
    for (let i = 0; i < rows; i++) {
      x += 0.015 * rng.normal();
      c[i] = x;
    }
    return c;
  };
  for (let j = 0; j < walks; j++) {
    columns.push(walk());
    names.push(`W${String(j).padStart(2, "0")}`);
  }
  PLANTED.forEach(({ beta, halfLife }, k) => {
    const b = walk();
    const a = new Float64Array(rows);
    const phi = 2 ** (-1 / halfLife);
    let s = 0;
    for (let i = 0; i < rows; i++) {
      s = phi * s + 0.01 * rng.normal();
      a[i] = 0.5 + beta * b[i]! + s;
    }
    columns.push(a, b);
    names.push(`A${k}`, `B${k}`);
  });
  const lines = [`date,${names.join(",")}`];
  for (let i = 0; i < rows; i++)
    lines.push(`${i},${columns.map((c) => Math.exp(c[i]!).toFixed(6)).join(",")}`);
  return `${lines.join("\n")}\n`;
}

// 40 walks + 4 planted pairs = 48 columns, 1,128 pairs of 2,000 rows.
const UNIVERSE = files("universe.csv", universe(19, 40, 2000));

describe("pairs: each pair's numbers are meanrev --pair's", () => {
  const cases: [string, string, string[]][] = [
    ["DAX", "SMI", []],
    ["SMI", "FTSE", ["--log"]],
    ["DAX", "CAC", ["--log"]],
    ["CAC", "FTSE", []],
    ["DAX", "FTSE", ["--log", "--adf-regression", "ct", "--adf-autolag", "bic"]],
    ["SMI", "CAC", ["--adf-lags", "4"]],
  ];
  for (const [a, b, flags] of cases) {
    it(`${a},${b} ${flags.join(" ") || "(prices)"}: hedge ratio, intercept, stat, p-value, lags, half-life and Hurst`, () => {
      const scan = pairs([...flags, "--max-pvalue", "1", "--top", "0", "fixtures/eustocks.csv"]);
      const record = scan.result.pairs.find((p) => p.a === a && p.b === b)!;
      const meanrev = hftlab(["meanrev", "--json", "--pair", `${a},${b}`, ...flags, "fixtures/eustocks.csv"]);
      expect(meanrev.status).toBe(0);
      const pair = JSON.parse(meanrev.stdout).result.pair;
      expect(record).toEqual({
        a,
        b,
        hedgeRatio: pair.hedgeRatio,
        intercept: pair.intercept,
        stat: pair.engleGranger.stat,
        pValue: pair.engleGranger.pValue,
        qValue: record.qValue,
        lags: pair.engleGranger.lags,
        halfLife: pair.ou.halfLife,
        hurst: pair.hurst,
        correlation: record.correlation,
      });
    });
  }

  it("tests each column against --with SYM, the earlier column as A", () => {
    const scan = pairs(["--with", "CAC", "--max-pvalue", "1", "--top", "0", "fixtures/eustocks.csv"]);
    expect(scan.result.pairs.map((p) => `${p.a}~${p.b}`)).toEqual(["DAX~CAC", "SMI~CAC", "CAC~FTSE"]);
    expect(scan.result.tested).toBe(3);
  });
});

describe("pairs against statsmodels 0.13.5 on fixtures/eustocks.csv (log prices)", () => {
  // /usr/bin/python3, statsmodels 0.13.5, numpy on OpenBLAS, computed once:
  //   L = np.log(eu[["DAX", "SMI", "CAC", "FTSE"]]); for i < j: coint(L[:, i], L[:, j], trend="c", autolag="aic")
  //   q = multipletests(p, method="fdr_bh")[1]
  //   r = np.diff(P, axis=0) / P[:-1]; np.corrcoef(r, rowvar=False)[SMI, FTSE] = 0.5829738946324664
  // (critical values are not compared: statsmodels' N = 2 table has a typo in its 1 % row, SPEC §3)
  const STATSMODELS: [string, string, number, number, number][] = [
    ["DAX", "SMI", -2.502170528877535, 0.27811259367137336, 0.6009035942702388],
    ["DAX", "CAC", -1.9655022171307905, 0.5464572119312511, 0.7633981983622529],
    ["DAX", "FTSE", -2.4524081751321667, 0.3004517971351194, 0.6009035942702388],
    ["SMI", "CAC", -1.7866885136552855, 0.6361651653018774, 0.7633981983622529],
    ["SMI", "FTSE", -4.4377172011578905, 0.001547280981221629, 0.009283685887329774],
    ["CAC", "FTSE", -0.6319582522349338, 0.9534961946072619, 0.9534961946072619],
  ];

  it("gives coint's statistic and p-value and fdr_bh's q-value for every pair, in input order", () => {
    const scan = pairs(["--log", "--max-pvalue", "1", "--top", "0", "fixtures/eustocks.csv"]);
    expect(scan.result.tested).toBe(6);
    expect(scan.result.pairs.map((p) => [p.a, p.b])).toEqual(STATSMODELS.map(([a, b]) => [a, b]));
    scan.result.pairs.forEach((p, i) => {
      const [, , stat, pValue, qValue] = STATSMODELS[i]!;
      close(p.stat, stat, 1e-12);
      close(p.pValue, pValue, 1e-11);
      close(p.qValue, qValue, 1e-11);
    });
    close(scan.result.pairs[4]!.correlation, 0.5829738946324664, 1e-14);
  });

  it("lists by default the pairs at p ≤ 0.05, best first: SMI ~ FTSE alone", () => {
    const scan = pairs(["--log", "fixtures/eustocks.csv"]);
    expect(scan.result.passed).toBe(1);
    expect(scan.result.pairs.map((p) => `${p.a}~${p.b}`)).toEqual(["SMI~FTSE"]);
  });
});

describe("pairs: q-values, filters and ranking", () => {
  it("computes q by hand over all tested pairs: q_(i) = min_{j≥i} p_(j)·m/j, capped at 1", () => {
    const all = pairs(["--max-pvalue", "1", "--top", "0", UNIVERSE]).result.pairs;
    const m = all.length;
    const sorted = [...all].sort((x, y) => x.pValue! - y.pValue!);
    let running = 1;
    for (let j = m; j >= 1; j--) {
      running = Math.min(running, (sorted[j - 1]!.pValue! * m) / j);
      expect(sorted[j - 1]!.qValue).toBeCloseTo(running, 14);
    }
  });

  it("ranks by p-value, applies --fdr on q and the half-life and Hurst bounds, and says how many passed", () => {
    const all = pairs(["--max-pvalue", "1", "--top", "0", UNIVERSE]).result.pairs;
    const filtered = pairs([
      "--max-pvalue",
      "0.2",
      "--fdr",
      "0.5",
      "--min-half-life",
      "2",
      "--max-half-life",
      "60",
      "--max-hurst",
      "0.5",
      "--top",
      "7",
      UNIVERSE,
    ]).result;
    const expected = all
      .filter(
        (p) =>
          p.pValue! <= 0.2 &&
          p.qValue! <= 0.5 &&
          p.halfLife !== null &&
          p.halfLife >= 2 &&
          p.halfLife <= 60 &&
          p.hurst !== null &&
          p.hurst <= 0.5,
      )
      .map((p, index) => ({ p, index }))
      .sort((x, y) => x.p.pValue! - y.p.pValue! || x.index - y.index)
      .map(({ p }) => p);
    expect(filtered.passed).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(7);
    expect(filtered.pairs).toEqual(expected.slice(0, 7));
  });
});

describe("pairs on a seeded universe with planted cointegrated pairs", () => {
  const scan = pairs(["--log", "--max-pvalue", "1", "--top", "0", UNIVERSE]);
  const all = scan.result.pairs;
  const planted = (p: PairJson) => /^A\d$/.test(p.a) && p.b === `B${p.a.slice(1)}`;

  it("ranks the four planted pairs on top, with their hedge ratios and half-lives", () => {
    const top = [...all].sort((x, y) => x.pValue! - y.pValue!).slice(0, 4);
    expect(top.map((p) => p.a).sort()).toEqual(["A0", "A1", "A2", "A3"]);
    for (const p of top) {
      const truth = PLANTED[Number(p.a.slice(1))]!;
      expect(planted(p)).toBe(true);
      // β̂ is super-consistent (error O(1/n)): within 0.05 of β at 2,000 rows.
      expect(Math.abs(p.hedgeRatio! - truth.beta)).toBeLessThan(0.05);
      // The AR(1) coefficient's standard error is about sqrt((1 − φ²)/n) ≈ 0.005–0.01 here, so the
      // half-life −ln 2/ln φ̂ stays within 0.6–1.5 times the truth.
      expect(p.halfLife! / truth.halfLife).toBeGreaterThan(0.6);
      expect(p.halfLife! / truth.halfLife).toBeLessThan(1.5);
      expect(p.qValue!).toBeLessThanOrEqual(0.05); // a discovery at FDR 0.05
    }
  });

  it("finds about 5 % of the unrelated pairs at p < 0.05, and BH keeps them above q = 0.05", () => {
    const unrelated = all.filter((p) => !planted(p));
    expect(unrelated.length).toBe(1128 - 4);
    const rate = unrelated.filter((p) => p.pValue! < 0.05).length / unrelated.length;
    // Each test has size ≈ 0.05 under the null; the 1,124 tests share 48 series, so they are
    // correlated and the rate spreads more than a binomial's (±0.013): over ten seeds of this
    // design it ranged 0.019–0.081. Bounds 0.01–0.10 accept any seed from that spread.
    expect(rate).toBeGreaterThan(0.01);
    expect(rate).toBeLessThan(0.1);
    // BH at 0.05 bounds the expected share of false discoveries by 0.05: with four true ones, at
    // most one unrelated pair may pass (the ten seeds gave 0 or 1).
    expect(unrelated.filter((p) => p.qValue! <= 0.05).length).toBeLessThanOrEqual(1);
    expect(unrelated.filter((p) => p.qValue! > 0.05).length / unrelated.length).toBeGreaterThan(0.99);
  });
});

describe("pairs: threads, shards and merge give the one-process bytes", () => {
  it("--jobs 1 and --jobs 4 write the same bytes", () => {
    const args = ["pairs", "--log", "--max-pvalue", "1", "--top", "0", "--json", UNIVERSE];
    const one = hftlab([...args, "--jobs", "1"]);
    const four = hftlab([...args, "--jobs", "4"]);
    expect(one.status).toBe(0);
    expect(four.stdout).toBe(one.stdout);
    const table = (jobs: string) => hftlab(["pairs", "--log", "--jobs", jobs, UNIVERSE]).stdout;
    expect(table("3")).toBe(table("1"));
  });

  function shards(count: number, flags: string[]): string[] {
    return Array.from({ length: count }, (_, i) => {
      const r = hftlab(["pairs", ...flags, "--shard", `${i + 1}/${count}`, UNIVERSE]);
      expect(r.status, r.stderr).toBe(0);
      return files(`part-${flags.join("")}-${i + 1}of${count}.json`, r.stdout);
    });
  }

  it("merge(3 shards) = one run, byte for byte, in every format, q-values included", () => {
    const parts = shards(3, ["--log"]);
    for (const format of [["--json"], ["--csv"], ["--ndjson"], []]) {
      const one = hftlab(["pairs", "--log", ...format, UNIVERSE]);
      const merged = hftlab(["pairs", "--merge", ...format, ...parts.reverse()]);
      expect(merged.stderr).toBe("");
      expect(merged.stdout).toBe(one.stdout);
    }
  });

  it("the merge applies its own filters and --top as a one-process run with them would", () => {
    const parts = shards(4, ["--log", "--jobs", "2"]);
    const filters = ["--fdr", "0.9", "--max-pvalue", "0.5", "--max-hurst", "0.55", "--top", "0", "--json"];
    const merged = hftlab(["pairs", "--merge", ...filters, ...parts]);
    expect(merged.stdout).toBe(hftlab(["pairs", "--log", ...filters, UNIVERSE]).stdout);
  });

  it("a shard carries every pair of its slice before any filter, with the scan's fingerprint", () => {
    const r = hftlab(["pairs", "--log", "--shard", "2/3", UNIVERSE]);
    const result = JSON.parse(r.stdout).result;
    expect(result.shard).toMatchObject({ index: 2, count: 3, pairs: 1128, from: 376, to: 752 });
    expect(result.shard.fingerprint.data).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.shard.fingerprint.scan.log).toBe(true);
    expect(result.pairs.length).toBe(376);
    expect(result.pairs.some((p: PairJson) => p.pValue! > 0.5)).toBe(true);
  });
});

describe("pairs --ndjson and --csv", () => {
  it("with --top 0, one line per passing pair in pair order, the same records as --json", () => {
    const args = ["pairs", "--log", "--max-pvalue", "0.3", "--top", "0"];
    const json = JSON.parse(hftlab([...args, "--json", UNIVERSE]).stdout).result.pairs as PairJson[];
    const lines = hftlab([...args, "--ndjson", UNIVERSE])
      .stdout.trimEnd()
      .split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual(json);
    const csv = hftlab([...args, "--csv", UNIVERSE])
      .stdout.trimEnd()
      .split("\n");
    expect(csv[0]).toBe("a,b,hedgeRatio,intercept,stat,pValue,qValue,lags,halfLife,hurst,correlation");
    expect(csv.length).toBe(json.length + 1);
    expect(csv[1]).toBe(
      Object.values(json[0]!)
        .map((v) => (v === null ? "" : String(v)))
        .join(","),
    );
  });

  it("stops quietly, with 0, when the reader does (| head)", () => {
    const r = shell(
      `set -o pipefail; node bin/hftlab pairs --max-pvalue 1 --top 0 --ndjson ${UNIVERSE} | head -2`,
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split("\n").length).toBe(2);
  });
});

describe("pairs refuses, in one line with SPEC's exit codes", () => {
  const refuse = (args: string[], exit: number, pattern: RegExp) => {
    const r = hftlab(["pairs", ...args]);
    expect(r.status).toBe(exit);
    expect(r.stdout).toBe("");
    expectOneLineError(r.stderr, pattern);
  };

  it("fewer than two columns, a constant column, too few rows, an unknown --with (exit 3)", () => {
    refuse(["--columns", "DAX", "fixtures/eustocks.csv"], 3, /at least two price columns, found only DAX/);
    refuse([files("flat.csv", "t,A,B,C\n1,1,5,2\n2,2,5,1\n3,3,5,4\n4,2,5,3\n5,4,5,1\n")], 3, /B is constant/);
    refuse([files("short.csv", "t,A,B\n1,1,2\n2,2,1\n3,3,4\n")], 3, /at least 4 rows, found 3/);
    refuse(["--with", "NIKKEI", "fixtures/eustocks.csv"], 3, /--with: no column "NIKKEI"/);
    refuse(["--log", files("zero.csv", "t,A,B\n1,1,2\n2,0,1\n3,3,4\n4,2,2\n5,1,3\n")], 3, /positive prices/);
  });

  it("--shard 3/2, 0/2 or x (exit 2), and --shard with --csv", () => {
    refuse(["--shard", "3/2", "fixtures/eustocks.csv"], 2, /--shard 3\/2: K must be between 1 and N/);
    refuse(["--shard", "0/2", "fixtures/eustocks.csv"], 2, /K must be between 1 and N/);
    refuse(["--shard", "x", "fixtures/eustocks.csv"], 2, /--shard takes K\/N/);
    refuse(["--shard", "1/2", "--csv", "fixtures/eustocks.csv"], 2, /--shard writes JSON/);
  });

  it("merging shards of different scans, a missing or a repeated shard, or not a shard (exit 3)", () => {
    const part = (args: string[], name: string) => {
      const r = hftlab(["pairs", ...args]);
      expect(r.status).toBe(0);
      return files(name, r.stdout);
    };
    const a1 = part(["--log", "--shard", "1/2", "fixtures/eustocks.csv"], "a1.json");
    const a2 = part(["--log", "--shard", "2/2", "fixtures/eustocks.csv"], "a2.json");
    const levels2 = part(["--shard", "2/2", "fixtures/eustocks.csv"], "levels2.json");
    const other2 = part(
      ["--log", "--shard", "2/2", "--columns", "DAX,SMI,CAC", "fixtures/eustocks.csv"],
      "o2.json",
    );
    const three3 = part(["--log", "--shard", "3/3", "fixtures/eustocks.csv"], "t3.json");
    refuse(
      ["--merge", a1, levels2],
      3,
      /levels2\.json was scanned with other settings than .*a1\.json: log false, not true/,
    );
    refuse(["--merge", a1, other2], 3, /o2\.json is a shard of other data than .*a1\.json/);
    refuse(["--merge", a1, three3], 3, /t3\.json is shard 3\/3, .*a1\.json one of 2/);
    refuse(["--merge", a1], 3, /shard 2\/2 is missing/);
    refuse(["--merge", a1, a2, a1], 3, /shard 1\/2 is given twice/);
    refuse(["--merge", a1, "fixtures/eustocks.csv"], 3, /is not the output of 'hftlab pairs --shard K\/N'/);
    refuse(["--merge", a1, files("nope.json", '{"command":"meanrev"}')], 3, /not pairs output/);
    expect(hftlab(["pairs", "--merge", a1, a2]).status).toBe(0);
  });

  it("scan settings given to --merge, and two price files without it (exit 2)", () => {
    refuse(["--merge", "--log", "x.json"], 2, /--merge takes the scan's settings from its shards, so --log/);
    refuse(["fixtures/eustocks.csv", "fixtures/stocks.csv"], 2, /pairs reads one price file, got 2/);
    refuse(
      ["--min-half-life", "50", "--max-half-life", "10", "fixtures/eustocks.csv"],
      2,
      /--min-half-life 50 is above/,
    );
  });
});
