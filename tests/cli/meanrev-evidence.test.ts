import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab, ROOT } from "./run.js";

/**
 * End-to-end evidence for `meanrev` on the shipped EuStockMarkets fixture:
 * every number checked against an independent computation (a naive two-pass
 * rolling window and a direct OLS written here) or against the reference
 * implementation's value recorded below (pandas 1.5.3, statsmodels 0.13.5,
 * run on fixtures/eustocks.csv on this machine:
 *   adfuller(eu[c], regression="c", autolag="AIC");
 *   eu[c].rolling(20).mean()/.std();
 *   coint(eu.DAX, eu.CAC, trend="c", autolag="aic")).
 * pandas' rolling std carries ~1e-12 relative error from its add/remove
 * update; `exactStd` is the last window's sample std in exact rational
 * arithmetic (Python fractions.Fraction on the decimal texts, then one
 * rounding), which hftlab reproduces to the last digit or one ulp.
 */
const exactStd: Record<string, number> = {
  DAX: 279.3026452076671,
  SMI: 287.91146386748096,
  CAC: 139.6035193154641,
  FTSE: 227.13990147507167,
};
const statsmodels: Record<
  string,
  { stat: number; p: number; lags: number; nobs: number; mean: number; std: number; z: number }
> = {
  DAX: {
    stat: 2.295810802589855,
    p: 0.9989525065082031,
    lags: 24,
    nobs: 1835,
    mean: 5752.501,
    std: 279.30264520763444,
    z: -0.9981323298701783,
  },
  SMI: {
    stat: 2.2350317641691184,
    p: 0.9989101137185092,
    lags: 22,
    nobs: 1837,
    mean: 8014.255,
    std: 287.9114638675625,
    z: -1.1738157121644075,
  },
  CAC: {
    stat: 1.2864127770475962,
    p: 0.9965317660326687,
    lags: 17,
    nobs: 1842,
    mean: 4096.805,
    std: 139.60351931561138,
    z: -0.72924379341643,
  },
  FTSE: {
    stat: 0.10611636882926669,
    p: 0.9664762144355074,
    lags: 13,
    nobs: 1846,
    mean: 5761.17,
    std: 227.13990147512084,
    z: -1.3479357788377644,
  },
};

function readWide(path: string): { time: string[]; columns: Record<string, number[]> } {
  const lines = readFileSync(join(ROOT, path), "utf8").trim().split("\n");
  const header = lines[0]!.split(",");
  const columns: Record<string, number[]> = {};
  for (const name of header.slice(1)) columns[name] = [];
  const time: string[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    time.push(cells[0]!);
    header.slice(1).forEach((name, j) => {
      columns[name]!.push(Number(cells[j + 1]));
    });
  }
  return { time, columns };
}

function closeTo(actual: number, expected: number, relative: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

/** Textbook two-pass mean and sample std of x[i-w+1..i]. */
function naiveWindow(x: number[], i: number, w: number): { mean: number; std: number } {
  const slice = x.slice(i - w + 1, i + 1);
  const mean = slice.reduce((a, b) => a + b, 0) / w;
  const ss = slice.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: Math.sqrt(ss / (w - 1)) };
}

const eu = readWide("fixtures/eustocks.csv");
const json = JSON.parse(hftlab(["meanrev", "--json", "fixtures/eustocks.csv"]).stdout);

describe("meanrev on EuStockMarkets, against independent computations", () => {
  it("reports the envelope's data block for the file", () => {
    expect(json.command).toBe("meanrev");
    expect(json.data).toEqual({
      source: "fixtures/eustocks.csv",
      rows: 1860,
      columns: ["DAX", "SMI", "CAC", "FTSE"],
      start: "1991.496154",
      end: "1998.646154",
      droppedRows: 0,
    });
    expect(json.params.window).toBe(20);
    expect(json.params.entry).toBe(2);
    expect(json.params.exit).toBe(0.5);
  });

  it("matches exact arithmetic (and pandas to its precision) for the last bar's rolling mean/std and z", () => {
    for (const s of json.result.series) {
      const ref = statsmodels[s.symbol]!;
      closeTo(s.last.mean, ref.mean, 1e-13);
      closeTo(s.last.std, ref.std, 1e-11);
      closeTo(s.last.z, ref.z, 1e-11);
      expect(Math.abs(s.last.std - exactStd[s.symbol]!)).toBeLessThanOrEqual(
        2 * Number.EPSILON * exactStd[s.symbol]!,
      );
      const naive = naiveWindow(eu.columns[s.symbol]!, 1859, 20);
      closeTo(s.last.std, naive.std, 1e-12);
      expect(s.last.time).toBe("1998.646154");
    }
  });

  it("matches statsmodels adfuller (AIC lag search) to 1e-8", () => {
    for (const s of json.result.series) {
      const ref = statsmodels[s.symbol]!;
      expect(s.adf.lags).toBe(ref.lags);
      expect(s.adf.nobs).toBe(ref.nobs);
      closeTo(s.adf.stat, ref.stat, 1e-8);
      closeTo(s.adf.pValue, ref.p, 1e-8);
    }
    // critical values for nobs 1835 (MacKinnon 2010), statsmodels' adfuller output for DAX
    const dax = json.result.series[0];
    closeTo(dax.adf.criticalValues["1%"], -3.4339186491956246, 1e-10);
    closeTo(dax.adf.criticalValues["5%"], -2.8631163592632403, 1e-10);
    closeTo(dax.adf.criticalValues["10%"], -2.5676091993407035, 1e-10);
  });

  it("fits OU exactly as a direct AR(1) OLS written here", () => {
    for (const s of json.result.series) {
      const x = eu.columns[s.symbol]!;
      const x0 = x.slice(0, -1);
      const x1 = x.slice(1);
      const n = x0.length;
      const m0 = x0.reduce((a, b) => a + b, 0) / n;
      const m1 = x1.reduce((a, b) => a + b, 0) / n;
      let sxy = 0;
      let sxx = 0;
      for (let i = 0; i < n; i++) {
        sxy += (x0[i]! - m0) * (x1[i]! - m1);
        sxx += (x0[i]! - m0) ** 2;
      }
      const b = sxy / sxx;
      const a = m1 - b * m0;
      if (b >= 1) {
        expect(s.ou).toEqual({ kappa: null, mu: null, sigma: null, halfLife: null });
        continue;
      }
      let ssr = 0;
      for (let i = 0; i < n; i++) ssr += (x1[i]! - a - b * x0[i]!) ** 2;
      const kappa = -Math.log(b);
      closeTo(s.ou.kappa, kappa, 1e-7);
      closeTo(s.ou.mu, a / (1 - b), 1e-7);
      closeTo(s.ou.sigma, Math.sqrt(ssr / (n - 2)) * Math.sqrt((2 * kappa) / (1 - b * b)), 1e-7);
      closeTo(s.ou.halfLife, Math.LN2 / kappa, 1e-7);
    }
  });

  it("gives the positions of a hand-written hysteresis rule on naive z-scores, bar by bar", () => {
    const r = hftlab([
      "meanrev",
      "--ndjson",
      "--columns",
      "DAX",
      "--window",
      "10",
      "--entry",
      "1.5",
      "--exit",
      "0.3",
      "fixtures/eustocks.csv",
    ]);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const x = eu.columns.DAX!;
    expect(rows.length).toBe(x.length);
    let position = 0;
    let changes = 0;
    for (let i = 0; i < x.length; i++) {
      if (i >= 9) {
        const { mean, std } = naiveWindow(x, i, 10);
        const z = (x[i]! - mean) / std;
        closeTo(rows[i].z, z, 1e-9);
        const before = position;
        if (z > 1.5) position = -1;
        else if (z < -1.5) position = 1;
        else if (Math.abs(z) < 0.3) position = 0;
        if (position !== before) changes++;
      } else {
        expect(rows[i].mean).toBeNull();
        expect(rows[i].z).toBeNull();
      }
      expect(rows[i].position).toBe(position);
      expect(rows[i].time).toBe(eu.time[i]);
    }
    expect(changes).toBeGreaterThan(50);
  });

  it("matches statsmodels coint for the DAX/CAC pair, in levels and in logs", () => {
    const levels = JSON.parse(
      hftlab(["meanrev", "--json", "--pair", "DAX,CAC", "fixtures/eustocks.csv"]).stdout,
    ).result.pair;
    closeTo(levels.engleGranger.stat, -2.2960684045060096, 1e-8);
    closeTo(levels.engleGranger.pValue, 0.3755162502073219, 1e-8);
    closeTo(levels.engleGranger.criticalValues["5%"], -3.339418741394741, 1e-10);
    expect(levels.symbol).toBe("DAX-CAC");
    const logs = JSON.parse(
      hftlab(["meanrev", "--json", "--log", "--pair", "DAX,CAC", "fixtures/eustocks.csv"]).stdout,
    ).result.pair;
    closeTo(logs.engleGranger.stat, -1.9655022171308416, 1e-8);
    closeTo(logs.engleGranger.pValue, 0.5464572119312245, 1e-8);
    // the hedge ratio is the OLS slope of DAX on CAC, computed directly here
    const y = eu.columns.DAX!;
    const x = eu.columns.CAC!;
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < x.length; i++) {
      sxy += (x[i]! - mx) * (y[i]! - my);
      sxx += (x[i]! - mx) ** 2;
    }
    closeTo(levels.hedgeRatio, sxy / sxx, 1e-10);
    closeTo(levels.intercept, my - (sxy / sxx) * mx, 1e-9);
  });

  it("gives the same JSON for the same data read from Arrow", async () => {
    const { writeTable } = await import("../../src/io/write.js");
    const dir = mkdtempSync(join(tmpdir(), "hftlab-arrow-"));
    const path = join(dir, "eustocks.arrow");
    await writeTable(path, [
      { name: "t", values: eu.time },
      ...Object.entries(eu.columns).map(([name, values]) => ({ name, values: Float64Array.from(values) })),
    ]);
    const fromArrow = JSON.parse(hftlab(["meanrev", "--json", path]).stdout);
    expect(fromArrow.result).toEqual(json.result);
    expect({ ...fromArrow.data, source: "" }).toEqual({ ...json.data, source: "" });
  });
});
