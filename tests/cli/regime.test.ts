import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab } from "./run.js";

const tmp = mkdtempSync(join(tmpdir(), "hftlab-regime-"));

interface Segment {
  start: string;
  end: string;
  regime: string;
}

function regimeAt(segments: Segment[], day: string): string {
  const s = segments.find((g) => g.start <= day && day <= g.end);
  if (s === undefined) throw new Error(`no segment covers ${day}`);
  return s.regime;
}

describe("hftlab regime on the S&P 500 2000–2020", () => {
  const r = hftlab(["regime", "--json", "--segments", "100000", "fixtures/sp500-2000.csv"]);
  const d = JSON.parse(r.stdout);
  const s = d.result.series[0];

  it("reports the SPEC keys with bear/sideways/bull ordered by annualised mean", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(["symbol", "current", "regimes", "transmat", "segments"]),
    );
    expect(s.regimes.map((g: { label: string }) => g.label)).toEqual(["bear", "sideways", "bull"]);
    expect(s.regimes[0].mean).toBeLessThan(s.regimes[1].mean);
    expect(s.regimes[1].mean).toBeLessThan(s.regimes[2].mean);
    expect(s.regimes.reduce((a: number, g: { share: number }) => a + g.share, 0)).toBeCloseTo(1, 12);
    expect(Object.keys(s.current)).toEqual(["regime", "probability", "since", "bars"]);
    expect(s.segments.at(-1).regime).toBe(s.current.regime);
    expect(s.segments.at(-1).start).toBe(s.current.since);
  });

  it("the autumn of 2008 and March 2020 fall in the most volatile regime", () => {
    const vols = s.regimes.map((g: { volatility: number }) => g.volatility);
    const mostVolatile = s.regimes[vols.indexOf(Math.max(...vols))].label;
    for (const day of [
      "2008-10-10",
      "2008-10-15",
      "2008-11-20",
      "2008-12-01",
      "2020-03-12",
      "2020-03-16",
      "2020-03-23",
    ]) {
      expect(regimeAt(s.segments, day), day).toBe(mostVolatile);
    }
  });

  it("2 states are calm/turbulent, ordered by volatility", () => {
    const two = JSON.parse(
      hftlab(["regime", "--states", "2", "--restarts", "3", "--json", "fixtures/sp500-2000.csv"]).stdout,
    );
    const regimes = two.result.series[0].regimes;
    expect(regimes.map((g: { label: string }) => g.label)).toEqual(["calm", "turbulent"]);
    expect(regimes[0].volatility).toBeLessThan(regimes[1].volatility);
  });

  it("the human report has the table and the regime-coloured price chart", () => {
    const human = hftlab(["regime", "--restarts", "2", "fixtures/sp500-2000.csv"]);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/is (bear|sideways|bull) \(p = /);
    expect(human.stdout).toMatch(/volatility \(ann\.\)/);
    expect(human.stdout).toMatch(/┤/);
  });
});

describe("regime for cron: --state-file and --exit-on-change", () => {
  // Two files whose last months differ: the 2020 crash, and the same series cut before it.
  const lines = readFileSync("fixtures/sp500-2000.csv", "utf8").trimEnd().split("\n");
  // OHLCV files name their one symbol after the file: same name, two directories.
  mkdirSync(join(tmp, "a"));
  mkdirSync(join(tmp, "b"));
  const full = join(tmp, "b", "spx.csv");
  const beforeCrash = join(tmp, "a", "spx.csv");
  writeFileSync(full, `${lines.join("\n")}\n`);
  const cut = lines.findIndex((l) => l.startsWith("2020-01-15"));
  writeFileSync(beforeCrash, `${lines.slice(0, cut).join("\n")}\n`);

  it("first run: no change (exit 0); same regime again: exit 0; a changed regime: exit 10 and still a report", () => {
    const state = join(tmp, "state.json");
    const args = ["regime", "--restarts", "2", "--state-file", state, "--exit-on-change", "--json"];
    const first = hftlab([...args, beforeCrash]);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).result.changed).toEqual([]);
    expect(existsSync(state)).toBe(true);
    const remembered = JSON.parse(readFileSync(state, "utf8"));
    const before = JSON.parse(first.stdout).result.series[0].current.regime;
    expect(remembered.symbols.spx.regime).toBe(before);

    const again = hftlab([...args, beforeCrash]);
    expect(again.status).toBe(0);

    const crash = hftlab([...args, full]);
    const after = JSON.parse(crash.stdout).result.series[0].current.regime;
    expect(after).not.toBe(before);
    expect(crash.status).toBe(10);
    expect(JSON.parse(crash.stdout).result.changed).toEqual(["spx"]);
    // Written by rename: no temporary file is left beside it.
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("--exit-on-change without --state-file is a usage error; a corrupt state file is exit 3", () => {
    expect(hftlab(["regime", "--exit-on-change", full]).status).toBe(2);
    const corrupt = join(tmp, "corrupt.json");
    writeFileSync(corrupt, "{not json");
    const r = hftlab(["regime", "--restarts", "1", "--state-file", corrupt, full]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/invalid --state-file/);
  });
});

describe("regime over a universe", () => {
  it("fits symbols on worker threads with the same bytes as on one thread, and warnings name the symbol", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    // 6 random walks whose volatility switches between two levels: 24,000 cells, enough for the pool.
    let seed = 4242;
    const uniform = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed + 0.5) / 2147483648;
    };
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const level = new Array<number>(6).fill(100);
    const lines = ["t,A,B,C,D,E,F"];
    for (let t = 0; t < 4000; t++) {
      const vol = Math.floor(t / 500) % 2 === 0 ? 0.005 : 0.02;
      for (let j = 0; j < 6; j++) level[j]! *= Math.exp(vol * normal());
      lines.push(`${t},${level.map((v) => v.toFixed(6)).join(",")}`);
    }
    const path = join(mkdtempSync(join(tmpdir(), "hftlab-regime-")), "universe.csv");
    writeFileSync(path, `${lines.join("\n")}\n`);
    // 6 × 4,000 rows × 2 states × 3 restarts: past the work a worker pays for, so the restarts run on threads.
    const args = ["regime", "--states", "2", "--restarts", "3", "--max-iter", "2", "--json", path];
    const pooled = hftlab(args);
    const single = hftlab(args, { env: { HFTLAB_THREADS: "1" } });
    const jobs = hftlab([...args, "--jobs", "3"]);
    expect(pooled.status, pooled.stderr).toBe(0);
    expect(pooled.stdout).toBe(single.stdout);
    expect(jobs.stdout).toBe(single.stdout);
    expect(pooled.stderr).toBe(single.stderr);
    const warnings = JSON.parse(pooled.stdout).warnings as string[];
    expect(warnings.map((w) => w.split(":")[0])).toEqual(["A", "B", "C", "D", "E", "F"]);
  });
});
