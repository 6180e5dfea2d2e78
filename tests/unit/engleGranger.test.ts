import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { engleGranger, olsHedge, spreadSeries } from "../../src/numerics/timeseries/engleGranger.js";

const pair = JSON.parse(
  readFileSync(new URL("./data/engle-granger-series.json", import.meta.url), "utf8"),
) as {
  x: number[];
  y: number[];
  z: number[];
};
const x = Float64Array.from(pair.x);
const y = Float64Array.from(pair.y);
const z = Float64Array.from(pair.z);

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

function column(name: string): Float64Array {
  const lines = readFileSync(new URL("../../fixtures/eustocks.csv", import.meta.url), "utf8")
    .trim()
    .split("\n");
  const j = lines[0]!.split(",").indexOf(name);
  return Float64Array.from(lines.slice(1), (line) => Number(line.split(",")[j]));
}

// tests/unit/data/engle-granger-series.json (2500 rows, rounded to 6 decimals), drawn from Prng(3):
// x a random walk from 50; y = 5 + 0.8·x + s with s an AR(1) (b = 0.97) — cointegrated with x;
// z an independent random walk from 80 — not cointegrated with x.
describe("engleGranger against statsmodels 0.13.5 coint(y, x, trend='c', autolag='aic')", () => {
  it("finds the cointegrated pair cointegrated", () => {
    // coint(y, x, trend="c", autolag="aic") = (-6.3373531558002245, 2.9365215530121404e-07,
    //   [-3.9008278816192345, -3.338576110561071, -3.0461475944119143]);
    // OLS(y, add_constant(x)).params = [3.242325524594076, 0.8383589033773475];
    // adfuller(resid, regression="n", autolag="aic")[2] = 1 lag
    const r = engleGranger(y, x);
    expect(relativeError(r.hedgeRatio, 0.8383589033773475)).toBeLessThan(1e-12);
    expect(relativeError(r.intercept, 3.242325524594076)).toBeLessThan(1e-11);
    expect(relativeError(r.stat, -6.3373531558002245)).toBeLessThan(1e-10);
    expect(relativeError(r.pValue, 2.9365215530121404e-7)).toBeLessThan(1e-9);
    expect(r.lags).toBe(1);
    // 1%: statsmodels' −3.9008278816192345 carries its table's β₂ typo (statsmodels#10271); MacKinnon
    // (2010) as published, −3.89644 − 10.9519/2499 − 22.527/2499², is Stata egranger's value
    expect(r.criticalValues).toEqual({
      "1%": -3.900826120210389,
      "5%": -3.338576110561071,
      "10%": -3.0461475944119143,
    });
  });

  it("does not find two independent random walks cointegrated", () => {
    // coint(z, x, trend="c", autolag="aic") = (-1.3591915980852056, 0.8111586728299742, […]); 9 lags;
    // params [55.824620717851204, 0.5749673564887992]; with maxlag=4: (-1.4228480140252513, 0.7895743188748107)
    const r = engleGranger(z, x);
    expect(relativeError(r.stat, -1.3591915980852056)).toBeLessThan(1e-10);
    expect(relativeError(r.pValue, 0.8111586728299742)).toBeLessThan(1e-10);
    expect(r.lags).toBe(9);
    expect(relativeError(r.hedgeRatio, 0.5749673564887992)).toBeLessThan(1e-12);
    expect(relativeError(r.intercept, 55.824620717851204)).toBeLessThan(1e-12);
    const capped = engleGranger(z, x, { maxLag: 4 });
    expect(relativeError(capped.stat, -1.4228480140252513)).toBeLessThan(1e-10);
    expect(relativeError(capped.pValue, 0.7895743188748107)).toBeLessThan(1e-10);
  });

  it("matches statsmodels on EuStockMarkets DAX on CAC, in levels and in logs", () => {
    // coint(eu.DAX, eu.CAC, trend="c", autolag="aic") = (-2.2960684045060096, 0.3755162502073219,
    //   [-3.902340987071025, -3.339418741394741, -3.0467322286994256]);
    // coint(log DAX, log CAC) = (-1.9655022171308416, 0.5464572119312245, …)
    const dax = column("DAX");
    const cac = column("CAC");
    const levels = engleGranger(dax, cac);
    expect(relativeError(levels.stat, -2.2960684045060096)).toBeLessThan(1e-10);
    expect(relativeError(levels.pValue, 0.3755162502073219)).toBeLessThan(1e-10);
    expect(levels.criticalValues["5%"]).toBe(-3.339418741394741);
    const logs = engleGranger(dax.map(Math.log), cac.map(Math.log));
    expect(relativeError(logs.stat, -1.9655022171308416)).toBeLessThan(1e-10);
    expect(relativeError(logs.pValue, 0.5464572119312245)).toBeLessThan(1e-10);
  });

  it("returns −∞ and p = 0 for (almost) exactly collinear series, as statsmodels does", () => {
    const r = engleGranger(
      x.map((v) => 2 + 3 * v),
      x,
    );
    expect(r.stat).toBe(Number.NEGATIVE_INFINITY);
    expect(r.pValue).toBe(0);
    expect(r.hedgeRatio).toBeCloseTo(3, 12);
  });

  it("rejects series of different lengths", () => {
    expect(() => engleGranger(y, x.subarray(1))).toThrow(RangeError);
  });
});

describe("olsHedge and spreadSeries", () => {
  it("fit y on x with intercept by the closed-form OLS", () => {
    // x = [1, 2, 3], y = [3, 5, 7.5]: slope Σ(x − 2)(y − 31/6)/Σ(x − 2)² = 4.5/2 = 2.25,
    // intercept 31/6 − 2.25·2 = 0.6666…
    const fit = olsHedge(Float64Array.of(3, 5, 7.5), Float64Array.of(1, 2, 3));
    expect(fit.hedgeRatio).toBeCloseTo(2.25, 15);
    expect(fit.intercept).toBeCloseTo(31 / 6 - 4.5, 14);
  });

  it("writes the residual spread y − (βx + c), which has zero mean for the OLS fit", () => {
    const fit = olsHedge(y, x);
    const spread = new Float64Array(y.length);
    spreadSeries(y, x, fit.hedgeRatio, fit.intercept, spread);
    expect(spread[0]).toBe(y[0]! - (fit.hedgeRatio * x[0]! + fit.intercept));
    const mean = spread.reduce((a, b) => a + b, 0) / spread.length;
    expect(Math.abs(mean)).toBeLessThan(1e-12);
  });
});

describe("engleGranger with other deterministic terms (statsmodels coint's trend)", () => {
  it("matches coint(y, x, trend, autolag='aic') for ct, ctt and n", () => {
    // statsmodels 0.13.5 (Debian python3-statsmodels): coint(a, b, trend=…, autolag="aic") →
    // (stat, pvalue, crit); the 1%/5%/10% critical values are statsmodels' own, whose Table 2 typos
    // (statsmodels#10271) touch only trend "c", so they apply unchanged here.
    const dax = column("DAX");
    const cac = column("CAC");
    const cases: [string, Float64Array, Float64Array, "ct" | "ctt" | "n", number, number, number[]][] = [
      [
        "y~x",
        y,
        x,
        "ct",
        -6.673359505666405,
        2.8385824190509036e-7,
        [-4.333803664390126, -3.7843776956913215, -3.4991449391360696],
      ],
      [
        "y~x",
        y,
        x,
        "ctt",
        -7.03739871323687,
        2.3475248080154554e-7,
        [-4.700864987498348, -4.159201233972895, -3.8776499381223775],
      ],
      ["y~x", y, x, "n", -6.314668988417617, 2.835590724447806e-8, [Number.NaN, Number.NaN, Number.NaN]],
      [
        "z~x",
        z,
        x,
        "ct",
        -1.960152315082148,
        0.7878108372843525,
        [-4.333803664390126, -3.7843776956913215, -3.4991449391360696],
      ],
      [
        "z~x",
        z,
        x,
        "ctt",
        -2.1343601208700287,
        0.8703448129570487,
        [-4.700864987498348, -4.159201233972895, -3.8776499381223775],
      ],
      ["z~x", z, x, "n", -2.305882962261143, 0.13685657628121967, [Number.NaN, Number.NaN, Number.NaN]],
      [
        "DAX~CAC",
        dax,
        cac,
        "ct",
        -4.2730578441843114,
        0.011956535922519367,
        [-4.335935165452745, -3.78568947008592, -3.500121483880312],
      ],
      [
        "DAX~CAC",
        dax,
        cac,
        "ctt",
        -4.863966770406862,
        0.005558928120474905,
        [-4.70366010529506, -4.161038723538484, -3.8790936982172335],
      ],
      [
        "DAX~CAC",
        dax,
        cac,
        "n",
        -0.5076695052864718,
        0.8585978930133374,
        [Number.NaN, Number.NaN, Number.NaN],
      ],
    ];
    for (const [name, a, b, trend, stat, pValue, critical] of cases) {
      const label = `${name} ${trend}`;
      const r = engleGranger(a, b, { trend });
      expect(relativeError(r.stat, stat), label).toBeLessThan(1e-9);
      expect(relativeError(r.pValue, pValue), label).toBeLessThan(1e-8);
      const got = [r.criticalValues["1%"], r.criticalValues["5%"], r.criticalValues["10%"]];
      for (let k = 0; k < 3; k++) {
        if (Number.isNaN(critical[k]!)) expect(got[k], label).toBeNaN();
        else expect(relativeError(got[k]!, critical[k]!), label).toBeLessThan(1e-12);
      }
      // the hedge ratio reported stays the intercept-only OLS
      expect(r.hedgeRatio).toBe(engleGranger(a, b).hedgeRatio);
    }
  });
});
