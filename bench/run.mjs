#!/usr/bin/env node
// Times hftlab against the Python-stack peers on the same files, in one run.
//
//   npm run bench                      # every case below
//   npm run bench -- csv-load adf      # some cases
//
// Data: $HFTLAB_BENCH_DATA (default ./bench-data), made by the peers' generator:
//   /usr/bin/python3 ../shared/peers/gen.py bench-data --only prices_small,prices_large,returns_500,returns_100,hmm,mcmc,book,ticks,lasso,rpca,pairs
// Peers: $HFTLAB_PEERS (default ../shared/peers), run with /usr/bin/python3.
// Each side runs RUNS times (default 3) in fresh processes, alternating, and
// the medians are reported. Peak RSS comes from /usr/bin/time -f %M.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const data = resolve(process.env.HFTLAB_BENCH_DATA ?? join(root, "bench-data"));
const peers = resolve(process.env.HFTLAB_PEERS ?? join(root, "..", "shared", "peers"));
const runs = Number(process.env.RUNS ?? 3);
const bin = join(root, "bin", "hftlab");
const python = "/usr/bin/python3";

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall seconds and peak RSS (MiB) of one process, output discarded. */
function timeProcess(command, args, discardStdout = false) {
  const t0 = process.hrtime.bigint();
  const stdio = discardStdout ? ["ignore", openSync("/dev/null", "w"), "pipe"] : "pipe";
  const r = spawnSync("/usr/bin/time", ["-f", "%M", command, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-400)}`);
  const rssKiB = Number(r.stderr.trim().split("\n").at(-1));
  return { wall, rssMiB: rssKiB / 1024, stdout: r.stdout ?? "" };
}

function hftlab(args, discardStdout = false) {
  return timeProcess(process.execPath, [bin, ...args], discardStdout);
}

function peer(workload, extra = []) {
  const r = timeProcess(python, [join(peers, "peers.py"), workload, "--data", data, ...extra]);
  const lines = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  return { ...r, lines };
}

function need(file) {
  const path = join(data, file);
  if (!existsSync(path)) {
    console.error(
      `bench: ${path} is missing; generate it with:\n  ${python} ${join(peers, "gen.py")} ${data} --only prices_small,prices_large,returns_500,returns_100,hmm,mcmc,book,ticks,lasso,rpca,pairs`,
    );
    process.exit(2);
  }
  return path;
}

const rows = [];

/**
 * Runs hftlab's and the peer's measurement `runs` times each, alternating, so
 * both see the same drift in machine load; returns the two medians.
 */
function alternate(measureOurs, measureTheirs) {
  const ours = [];
  const theirs = [];
  for (let i = 0; i < runs; i++) {
    ours.push(measureOurs());
    theirs.push(measureTheirs());
  }
  return { ours: median(ours), theirs: median(theirs) };
}
function report(caseName, what, hftlabFigure, peerFigure, unit, note = "") {
  const ratio = peerFigure / hftlabFigure;
  rows.push(
    `| ${caseName} | ${what} | ${hftlabFigure.toFixed(3)} ${unit} | ${peerFigure.toFixed(3)} ${unit} | ${ratio.toFixed(2)}× | ${note} |`,
  );
  console.error(rows.at(-1));
}

const cases = {
  version() {
    const walls = [];
    for (let i = 0; i < Math.max(5, runs); i++) walls.push(hftlab(["--version"]).wall);
    rows.push(
      `| version | \`hftlab --version\` wall | ${median(walls).toFixed(3)} s | – | – | target < 0.100 s |`,
    );
    console.error(rows.at(-1));
  },
  "csv-load"() {
    const large = need("prices_wide_large.csv");
    const { ours, theirs } = alternate(
      () =>
        JSON.parse(hftlab(["meanrev", "--no-adf", "--no-hurst", "--json", "--timings", large]).stdout).timings
          .load,
      () => peer("csv-load", ["--peer", "pandas-read_csv-c-roundtrip"]).lines[0].load_s,
    );
    report(
      "csv-load",
      "load of prices_wide_large.csv (388 MB), in-process",
      ours,
      theirs,
      "s",
      "peer: pandas read_csv round_trip; target ≥ 3×",
    );
  },
  meanrev() {
    const large = need("prices_wide_large.csv");
    const rss = [];
    const { ours, theirs } = alternate(
      () => {
        const r = hftlab(["meanrev", "--no-adf", "--no-hurst", "--window", "20", "--json", large]);
        rss.push(r.rssMiB);
        return r.wall;
      },
      () => {
        const p = peer("meanrev").lines[0];
        return p.load_s + p.compute_s;
      },
    );
    report(
      "meanrev",
      "--no-adf --no-hurst, 2M × 20, whole process vs peer load+compute",
      ours,
      theirs,
      "s",
      `peak RSS ${median(rss).toFixed(0)} MiB; target ≥ 2×`,
    );
  },
  "meanrev-rows"() {
    // Per-row output (40M rows) against the --json run of the same computation, and pandas'
    // to_csv of the same long table (bench/peer_rows_to_csv.py) beside it.
    const large = need("prices_wide_large.csv");
    const dir = mkdtempSync(join(tmpdir(), "hftlab-bench-rows-"));
    const modes = [
      ["--json", ["--json"], true],
      ["--ndjson > /dev/null", ["--ndjson"], true],
      ["--out x.csv", ["--json", "--out", join(dir, "x.csv")], true],
      ["--out x.arrow", ["--json", "--out", join(dir, "x.arrow")], true],
    ];
    const figures = modes.map(() => ({ walls: [], rss: [] }));
    const toCsv = [];
    try {
      for (let i = 0; i < runs; i++) {
        modes.forEach(([, args, discard], k) => {
          const r = hftlab(["meanrev", ...args, large], discard);
          figures[k].walls.push(r.wall);
          figures[k].rss.push(r.rssMiB);
        });
        // The peer takes about six minutes (to_csv alone four and a half): once is enough.
        if (i > 0) continue;
        const p = timeProcess(python, [
          join(root, "bench", "peer_rows_to_csv.py"),
          large,
          join(dir, "pandas.csv"),
        ]);
        toCsv.push(JSON.parse(p.stdout.trim()).to_csv_s);
        rmSync(join(dir, "pandas.csv"), { force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const json = median(figures[0].walls);
    modes.forEach(([label], k) => {
      const wall = median(figures[k].walls);
      rows.push(
        `| meanrev-rows | meanrev ${label}, 2M × 20 (40M rows), whole process | ${wall.toFixed(3)} s | ${k === 2 ? `${median(toCsv).toFixed(3)} s` : "–"} | ${k === 2 ? `${(median(toCsv) / wall).toFixed(2)}×` : "–"} | ${(wall / json).toFixed(2)}× the --json run; peak RSS ${median(figures[k].rss).toFixed(0)} MiB; ${k === 2 ? "peer: pandas to_csv alone; " : ""}target ≤ 3× --json, < 1.5 GiB |`,
      );
      console.error(rows.at(-1));
    });
  },
  "meanrev-full"() {
    const large = need("prices_wide_large.csv");
    const walls = [];
    const rss = [];
    for (let i = 0; i < runs; i++) {
      const r = hftlab(["meanrev", "--json", "--timings", large]);
      walls.push(r.wall);
      rss.push(r.rssMiB);
    }
    rows.push(
      `| meanrev-full | ADF (AIC lag search) + Hurst + OU + rolling, 2M × 20, whole process | ${median(walls).toFixed(3)} s | – | – | peak RSS ${median(rss).toFixed(0)} MiB; target < 15 s |`,
    );
    console.error(rows.at(-1));
  },
  risk() {
    const large = need("prices_wide_large.csv");
    const rss = [];
    const { ours, theirs } = alternate(
      () => {
        const r = hftlab(["risk", "--json", large]);
        rss.push(r.rssMiB);
        return r.wall;
      },
      () => {
        const p = peer("risk", ["--peer", "pandas-numpy-risk-summary"]).lines[0];
        return p.load_s + p.compute_s;
      },
    );
    report(
      "risk",
      "summary metrics, 2M × 20, whole process vs peer load+compute",
      ours,
      theirs,
      "s",
      `peak RSS ${median(rss).toFixed(0)} MiB; target ≥ 4×, < 1.5 GiB`,
    );
  },
  "risk-var-backtest"() {
    // One column (S00) of the large file: the backtest's cost is per series, 2M bars, N = 250.
    const large = need("prices_wide_large.csv");
    const walls = [];
    const rss = [];
    for (let i = 0; i < runs; i++) {
      const r = hftlab(["risk", "--var-backtest", "250", "--json", "--columns", "S00", large]);
      walls.push(r.wall);
      rss.push(r.rssMiB);
    }
    rows.push(
      `| risk-var-backtest | --var-backtest 250 (four methods, two levels), 2M bars of S00, whole process | ${median(walls).toFixed(3)} s | – | – | peak RSS ${median(rss).toFixed(0)} MiB; no peer (bench/varBacktest.mjs times the kernel alone) |`,
    );
    console.error(rows.at(-1));
  },
  "risk-rolling"() {
    const large = need("prices_wide_large.csv");
    const rss = [];
    const { ours, theirs } = alternate(
      () => {
        const r = hftlab(["risk", "--rolling", "60", "--ndjson", large], true);
        rss.push(r.rssMiB);
        return r.wall;
      },
      () => {
        // The peers' README pairs this command with pandas-numpy-risk (summary + rolling, as hftlab
        // computes both); pandas-numpy-risk-rolling alone is printed beside it.
        const p = peer("risk", ["--peer", "pandas-numpy-risk"]).lines[0];
        return p.load_s + p.compute_s;
      },
    );
    report(
      "risk-rolling",
      "summary + rolling 60-bar metrics, 2M × 20: 40M NDJSON rows to /dev/null vs peer load+compute (rolling kept in memory)",
      ours,
      theirs,
      "s",
      `peak RSS ${median(rss).toFixed(0)} MiB; target ≥ 2×`,
    );
  },
  backtest() {
    const large = need("prices_wide_large.csv");
    const rss = [];
    const { ours, theirs } = alternate(
      () => {
        const r = hftlab([
          "backtest",
          "--strategy",
          "meanrev",
          "--window",
          "20",
          "--entry",
          "2",
          "--exit",
          "0.5",
          "--cost-bps",
          "5",
          "--json",
          large,
        ]);
        rss.push(r.rssMiB);
        return r.wall;
      },
      () => {
        const p = peer("backtest", ["--peer", "pandas-meanrev-backtest"]).lines[0];
        return p.load_s + p.compute_s;
      },
    );
    report(
      "backtest",
      "meanrev backtest, 2M × 20, 5 bps, whole process vs peer load+compute",
      ours,
      theirs,
      "s",
      `peak RSS ${median(rss).toFixed(0)} MiB; target ≥ 4×`,
    );
  },
  "backtest-walkforward"() {
    const returns = need("returns_500.csv");
    const rss = [];
    const { ours, theirs } = alternate(
      () => {
        const r = hftlab([
          "backtest",
          "--strategy",
          "optimize",
          "--method",
          "min-variance",
          "--cov",
          "sample",
          "--long-only",
          "--rebalance",
          "21",
          "--lookback",
          "252",
          "--cost-bps",
          "5",
          "--input-kind",
          "returns",
          "--json",
          returns,
        ]);
        rss.push(r.rssMiB);
        return r.wall;
      },
      () => {
        const p = peer("backtest", ["--peer", "cvxopt-walkforward-minvar"]).lines[0];
        return p.load_s + p.compute_s;
      },
    );
    report(
      "backtest-walkforward",
      "walk-forward long-only min-variance, 500 assets, 84 rebalances, 5 bps, whole process vs peer load+compute",
      ours,
      theirs,
      "s",
      `peak RSS ${median(rss).toFixed(0)} MiB; target ≥ 2×`,
    );
  },
  adf() {
    const small = need("prices_wide_small.csv");
    const { ours, theirs } = alternate(
      () =>
        JSON.parse(hftlab(["meanrev", "--columns", "S00", "--json", "--timings", small]).stdout).timings
          .compute,
      () => peer("adf").lines[0].compute_s,
    );
    report(
      "adf",
      "meanrev S00 of prices_wide_small (100k rows) compute vs statsmodels adfuller",
      ours,
      theirs,
      "s",
      "ours also does rolling, OU, Hurst",
    );
  },
};

/**
 * In-process compute against the peer's compute_s on the same file. The peer
 * repeats short computations in-process and reports the median (peers.py
 * `timed`); bench/warm.mjs does the same for hftlab, so the main figure is
 * that warm median, and the note gives hftlab's first run in a fresh process
 * (what a single CLI call pays, JIT warm-up included).
 */
function computeCase(name, file, workload, peerName, args) {
  return () => {
    const path = need(file);
    const firsts = [];
    const { ours, theirs } = alternate(
      () => {
        const r = timeProcess(process.execPath, [
          join(root, "bench", "warm.mjs"),
          ...args,
          "--input-kind",
          "returns",
          path,
        ]);
        const figures = JSON.parse(r.stdout);
        firsts.push(figures.first);
        return figures.median;
      },
      () => peer(workload, ["--peer", peerName]).lines[0].compute_s,
    );
    report(
      name,
      `${args.join(" ")} on ${file}, compute (warm median)`,
      ours,
      theirs,
      "s",
      `peer: ${peerName}; hftlab first run ${median(firsts).toFixed(3)} s`,
    );
  };
}
Object.assign(cases, {
  "minvar-500": computeCase("minvar-500", "returns_500.csv", "optimize", "cvxopt-qp-minvar-500", [
    "optimize",
    "--method",
    "min-variance",
  ]),
  "frontier-500": computeCase("frontier-500", "returns_500.csv", "optimize", "cvxopt-frontier20-500", [
    "optimize",
    "--method",
    "frontier",
    "--points",
    "20",
  ]),
  "riskparity-500": computeCase("riskparity-500", "returns_500.csv", "optimize", "scipy-riskparity-500", [
    "optimize",
    "--method",
    "risk-parity",
  ]),
  "minvar-100": computeCase("minvar-100", "returns_100.csv", "optimize", "cvxopt-qp-minvar-100", [
    "optimize",
    "--method",
    "min-variance",
  ]),
  "frontier-100": computeCase("frontier-100", "returns_100.csv", "optimize", "cvxopt-frontier20-100", [
    "optimize",
    "--method",
    "frontier",
    "--points",
    "20",
  ]),
  "riskparity-100": computeCase("riskparity-100", "returns_100.csv", "optimize", "scipy-riskparity-100", [
    "optimize",
    "--method",
    "risk-parity",
  ]),
});

/** The peers' HMM workload: K = 3, exactly 100 EM iterations from one start. */
const HMM_ARGS = [
  "hmm",
  "--states",
  "3",
  "--covariance",
  "full",
  "--restarts",
  "1",
  "--max-iter",
  "100",
  "--tol",
  "0",
];

/**
 * mcmc: minimum bulk ESS per second, against emcee's ESS per second. emcee's
 * seconds are its sampling + autocorrelation time in one run (no start-up, no
 * load); ours are the same span, `timings.compute` of a fresh process (JIT
 * warm-up included). The whole-process rate is given too.
 */
function mcmcCase(name, model) {
  return () => {
    const path = need("mcmc_5000.csv");
    const wholeRates = [];
    const { ours, theirs } = alternate(
      () => {
        const args = [
          "mcmc",
          "--model",
          model,
          "--prior",
          "flat",
          "--input-kind",
          "returns",
          "--json",
          "--timings",
          path,
        ];
        const r = hftlab(args);
        const out = JSON.parse(r.stdout);
        const minEss = Math.min(...Object.values(out.result.params).map((p) => p.essBulk));
        wholeRates.push(minEss / r.wall);
        return minEss / out.timings.compute;
      },
      () => peer("mcmc", ["--peer", "emcee-vectorized"]).lines[0].detail.essPerSec,
    );
    // higher is better here: report the rate ratio hftlab/peer in the ratio column
    rows.push(
      `| ${name} | mcmc --model ${model} --prior flat, min bulk ESS per compute second | ${ours.toFixed(0)} ESS/s | ${theirs.toFixed(0)} ESS/s | ${(ours / theirs).toFixed(2)}× (hftlab/peer) | peer: emcee-vectorized (normal model); hftlab per whole-process second ${median(wholeRates).toFixed(0)} ESS/s |`,
    );
    console.error(rows.at(-1));
  };
}

Object.assign(cases, {
  hmm: computeCase("hmm", "hmm_100k.csv", "hmm", "numpy-scan-em", HMM_ARGS),
  "hmm-statsmodels": computeCase("hmm-statsmodels", "hmm_100k.csv", "hmm", "statsmodels-em", HMM_ARGS),
  "mcmc-normal": mcmcCase("mcmc-normal", "normal"),
  "mcmc-student-t": mcmcCase("mcmc-student-t", "student-t"),
});

Object.assign(cases, {
  /** book: whole-process wall and events/s against the peer's load + replay. */
  book() {
    const path = need("book_5m.csv");
    const rss = [];
    const { ours, theirs } = alternate(
      () => {
        const r = hftlab(["book", "--depth", "10", "--json", path]);
        rss.push(r.rssMiB);
        return r.wall;
      },
      () => {
        const p = peer("book").lines[0];
        return p.load_s + p.compute_s;
      },
    );
    report(
      "book",
      "book --depth 10 on book_5m.csv (5M events): hftlab whole process vs peer load+replay",
      ours,
      theirs,
      "s",
      `${(5 / ours).toFixed(1)}M events/s end to end; peak RSS ${median(rss).toFixed(0)} MiB; replay alone: node bench/book.mjs`,
    );
  },
  /** stream: whole-process wall, stdout to /dev/null, both sides. */
  stream() {
    const path = need("ticks_1m.ndjson");
    const { ours, theirs } = alternate(
      () => hftlab(["stream", "--window", "20", path], true).wall,
      () => peer("stream").wall,
    );
    report(
      "stream",
      "stream --window 20 on ticks_1m.ndjson (1M ticks), whole process",
      ours,
      theirs,
      "s",
      `${(1 / ours).toFixed(2)}M ticks/s; latency quantiles: node bench/stream.mjs`,
    );
  },
});

Object.assign(cases, {
  lasso: computeCase("lasso", "lasso_5000x300.csv", "lasso", "sklearn-lasso-gram", [
    "sparse",
    "--method",
    "lasso",
    "--target",
    "Y",
    "--alpha",
    "1e-5",
  ]),
  "elastic-net": computeCase("elastic-net", "lasso_5000x300.csv", "lasso", "sklearn-elasticnet-gram", [
    "sparse",
    "--method",
    "elastic-net",
    "--l1-ratio",
    "0.5",
    "--target",
    "Y",
    "--alpha",
    "1e-5",
  ]),
  "lasso-cv": computeCase("lasso-cv", "lasso_5000x300.csv", "lasso", "sklearn-lassocv-5fold", [
    "sparse",
    "--method",
    "lasso",
    "--target",
    "Y",
    "--cv",
    "5",
  ]),
  rpca: computeCase("rpca", "rpca_2000x200.csv", "rpca", "numpy-ialm-pcp", ["decompose", "--method", "pcp"]),
});

/**
 * pairs: Engle–Granger on every pair of a universe, whole process, against the
 * peers' one-process statsmodels loop (coint on 4,950 pairs of pairs_100.csv:
 * about 265 s, so one run of it is usually enough: RUNS=1). `pairs-alone`
 * times hftlab only, on pairs_100.csv and all 124,750 pairs of
 * pairs_500.csv, with the default threads and with --jobs 1 (the per-core
 * figure), and checks what the top 20 of pairs_100 hold against the
 * generator's truth.
 */
function pairsRun(file, extra = []) {
  const r = hftlab(["pairs", "--log", "--top", "20", "--json", ...extra, file]);
  return { ...r, result: JSON.parse(r.stdout).result };
}

function plantedInTop(result, truthFile) {
  const truth = JSON.parse(readFileSync(truthFile, "utf8")).pairs.map((p) => `${p.a}~${p.b}`);
  return result.pairs.filter((p) => truth.includes(`${p.a}~${p.b}`)).length;
}

Object.assign(cases, {
  pairs() {
    const path = need("pairs_100.csv");
    const rss = [];
    let planted = 0;
    const { ours, theirs } = alternate(
      () => {
        const r = pairsRun(path);
        rss.push(r.rssMiB);
        planted = plantedInTop(r.result, path.replace(/\.csv$/, ".truth.json"));
        return r.wall;
      },
      () => {
        const p = peer("pairs", ["--peer", "statsmodels-coint-loop"]).lines[0];
        return p.load_s + p.compute_s;
      },
    );
    report(
      "pairs",
      "pairs --log --top 20 on pairs_100.csv (4,950 pairs × 2,000 rows), whole process vs peer load+compute",
      ours,
      theirs,
      "s",
      `${((ours / 4950) * 1e6).toFixed(0)} µs/pair end to end; ${planted} planted pairs in the top 20; peak RSS ${median(rss).toFixed(0)} MiB; target ≥ 100×`,
    );
  },
  "pairs-alone"() {
    for (const [file, count] of [
      ["pairs_100.csv", 4950],
      ["pairs_500.csv", 124750],
    ]) {
      const path = need(file);
      for (const jobs of [[], ["--jobs", "1"]]) {
        const walls = [];
        const rss = [];
        for (let i = 0; i < runs; i++) {
          const r = pairsRun(path, jobs);
          walls.push(r.wall);
          rss.push(r.rssMiB);
        }
        const wall = median(walls);
        rows.push(
          `| pairs-alone | pairs --log --top 20 ${jobs.join(" ") || "(all cores)"} on ${file} (${count.toLocaleString("en-US")} pairs), whole process | ${wall.toFixed(3)} s | – | – | ${((wall / count) * 1e6).toFixed(1)} µs/pair; peak RSS ${median(rss).toFixed(0)} MiB${file === "pairs_500.csv" ? "; target < 10 s" : "; target ≤ 2.6 s"} |`,
        );
        console.error(rows.at(-1));
      }
    }
  },
});

const wanted = process.argv.slice(2);
const selected = wanted.length > 0 ? wanted : Object.keys(cases);
for (const name of selected) {
  if (!(name in cases)) {
    console.error(`bench: unknown case ${name}; cases: ${Object.keys(cases).join(", ")}`);
    process.exit(2);
  }
}
console.error(`bench: ${runs} runs per side, data ${data}`);
for (const name of selected) cases[name]();
console.log("| case | what | hftlab | peer | peer/hftlab | note |\n|---|---|---|---|---|---|");
console.log(rows.join("\n"));
