import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { adfTest } from "../../src/numerics/timeseries/adf.js";
import { Prng } from "../../src/numerics/random/prng.js";

const realgdp = Float64Array.from(
  JSON.parse(readFileSync(new URL("./data/realgdp.json", import.meta.url), "utf8")),
);
const series = JSON.parse(readFileSync(new URL("./data/adf-series.json", import.meta.url), "utf8")) as {
  randomWalk: number[];
  ar1: number[];
};

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** fixtures/eustocks.csv (R's EuStockMarkets): columns DAX, SMI, CAC, FTSE. */
function euStocks(): Record<string, Float64Array> {
  const lines = readFileSync(new URL("../../fixtures/eustocks.csv", import.meta.url), "utf8")
    .trim()
    .split("\n");
  const names = lines[0]!.split(",").slice(1);
  const rows = lines.slice(1).map((line) => line.split(",").slice(1).map(Number));
  return Object.fromEntries(names.map((name, j) => [name, Float64Array.from(rows, (row) => row[j]!)]));
}

/** x0 = start, x_i = x_{i−1} + scale·(u_i − ½) with u from Prng(seed).nextFloat(): exactly reproducible in Python. */
function uniformWalk(seed: number, n: number, start: number, scale = 1): Float64Array {
  const rng = new Prng(seed);
  const x = new Float64Array(n);
  let v = start;
  for (let i = 0; i < n; i++) {
    if (i > 0) v += scale * (rng.nextFloat() - 0.5);
    x[i] = v;
  }
  return x;
}

describe("adfTest against statsmodels 0.13.5 adfuller", () => {
  it("reproduces statsmodels' published realgdp test (TestADFConstant: maxlag 4, no lag search)", () => {
    // statsmodels/tsa/tests/test_stattools.py, TestADFConstant: adfuller(realgdp, regression="c",
    // autolag=None, maxlag=4) → teststat 0.97505319, pvalue 0.99399563 (Stata's values, checked to
    // 5 decimals there). Running it here gives 0.9750516118294794, 0.993995613328423, nobs 198.
    const r = adfTest(realgdp, { regression: "c", maxLag: 4, autolag: null });
    expect(r.stat).toBeCloseTo(0.97505319, 5);
    expect(r.pValue).toBeCloseTo(0.99399563, 5);
    expect(relativeError(r.stat, 0.9750516118294794)).toBeLessThan(1e-10);
    expect(relativeError(r.pValue, 0.993995613328423)).toBeLessThan(1e-12);
    expect(r.lags).toBe(4);
    expect(r.nobs).toBe(198);
    expect(r.icBest).toBeNaN();
    expect(r.criticalValues["5%"]).toBeCloseTo(-2.876250632135043, 12);
  });

  it("reproduces the no-constant realgdp test (TestADFNoConstant) and the default AIC search", () => {
    // TestADFNoConstant: teststat 3.5227498 (Stata); here adfuller(realgdp, regression="n",
    // autolag=None, maxlag=4) = 3.5227466640252048, p 0.9999932685891044
    const n = adfTest(realgdp, { regression: "n", maxLag: 4, autolag: null });
    expect(n.stat).toBeCloseTo(3.5227498, 5);
    expect(relativeError(n.stat, 3.5227466640252048)).toBeLessThan(1e-10);
    expect(relativeError(n.pValue, 0.9999932685891044)).toBeLessThan(1e-12);
    // adfuller(realgdp, regression="c", autolag="AIC") = (1.7504627967647144, 0.9982455372335032, 12, 190,
    //   {...}, 2034.517123668382)
    const aic = adfTest(realgdp);
    expect(aic.lags).toBe(12);
    expect(aic.nobs).toBe(190);
    expect(aic.maxLag).toBe(15);
    expect(relativeError(aic.stat, 1.7504627967647144)).toBeLessThan(1e-10);
    expect(relativeError(aic.pValue, 0.9982455372335032)).toBeLessThan(1e-12);
    expect(relativeError(aic.icBest, 2034.517123668382)).toBeLessThan(1e-12);
  });

  it("matches the AIC and BIC searches on a 3000-point random walk and AR(1) (fixture)", () => {
    // tests/unit/data/adf-series.json: randomWalk = 100 + cumsum of Prng(1).normal(), ar1 = 50 + AR(1)
    // with b = 0.95 and Prng(2).normal() shocks, rounded to 6 decimals. statsmodels on those numbers:
    //   adfuller(rw, regression="c", autolag="AIC")  = (-2.1793347336505104, 0.21383105944313957, 0, 2999, …, 8350.516343771382)
    //   adfuller(ar1, regression="c", autolag="AIC") = (-10.04347382933957, 1.4752432473524755e-17, 2, 2997, …, 8364.734733288838)
    //   adfuller(ar1, regression="c", autolag="BIC") = (-9.853970046505282, 4.409536347247411e-17, 0, 2999, …, 8376.946121708563)
    //   adfuller(ar1 - 50, regression="n", autolag="AIC") = (-10.030080182756752, 8.573469981872607e-18, 2, 2997, …)
    const cases: [Float64Array, "c" | "n", "AIC" | "BIC", number, number, number, number][] = [
      [
        Float64Array.from(series.randomWalk),
        "c",
        "AIC",
        -2.1793347336505104,
        0.21383105944313957,
        0,
        8350.516343771382,
      ],
      [
        Float64Array.from(series.ar1),
        "c",
        "AIC",
        -10.04347382933957,
        1.4752432473524755e-17,
        2,
        8364.734733288838,
      ],
      [
        Float64Array.from(series.ar1),
        "c",
        "BIC",
        -9.853970046505282,
        4.409536347247411e-17,
        0,
        8376.946121708563,
      ],
      [
        Float64Array.from(series.ar1, (v) => v - 50),
        "n",
        "AIC",
        -10.030080182756752,
        8.573469981872607e-18,
        2,
        Number.NaN,
      ],
    ];
    for (const [x, regression, autolag, stat, pValue, lags, ic] of cases) {
      const r = adfTest(x, { regression, autolag });
      expect(r.lags).toBe(lags);
      expect(r.nobs).toBe(x.length - 1 - lags);
      expect(relativeError(r.stat, stat)).toBeLessThan(1e-10);
      expect(relativeError(r.pValue, pValue)).toBeLessThan(1e-9);
      if (!Number.isNaN(ic)) expect(relativeError(r.icBest, ic)).toBeLessThan(1e-12);
    }
  });

  it("matches statsmodels on the EuStockMarkets fixture (lags 13–24 chosen by AIC)", () => {
    // adfuller(eu[c].values, regression="c", autolag="AIC") on fixtures/eustocks.csv
    const expected: Record<string, [number, number, number, number]> = {
      DAX: [2.295810802589855, 0.9989525065082031, 24, 17954.42048019522],
      SMI: [2.2350317641691184, 0.9989101137185092, 22, 18726.48866795739],
      CAC: [1.2864127770475962, 0.9965317660326687, 17, 17207.65122222996],
      FTSE: [0.10611636882926669, 0.9664762144355074, 13, 17737.96514632077],
    };
    for (const [name, x] of Object.entries(euStocks())) {
      const [stat, pValue, lags, ic] = expected[name]!;
      const r = adfTest(x);
      expect(r.lags, name).toBe(lags);
      expect(relativeError(r.stat, stat), name).toBeLessThan(1e-10);
      expect(relativeError(r.pValue, pValue), name).toBeLessThan(1e-12);
      expect(relativeError(r.icBest, ic), name).toBeLessThan(1e-12);
    }
  });

  it("matches statsmodels on a 200,000-point random walk (AIC over 81 lags)", () => {
    // Python replica of Prng (xoshiro256**/SplitMix64, bit-exact): w = uniform_walk(11, 200_000, 1000.0);
    // adfuller(w, regression="c", autolag="AIC") = (-1.352566281329901, 0.6047935714434105, 2, 199997,
    //   {...}, 70625.08301182388), 81 s in statsmodels
    const r = adfTest(uniformWalk(11, 200_000, 1000));
    expect(r.maxLag).toBe(81);
    expect(r.lags).toBe(2);
    expect(r.nobs).toBe(199_997);
    expect(relativeError(r.stat, -1.352566281329901)).toBeLessThan(1e-9);
    expect(relativeError(r.icBest, 70625.08301182388)).toBeLessThan(1e-12);
  });

  it("matches statsmodels on 2,000,000 points with 24 lags", () => {
    // w = uniform_walk(13, 2_000_000, 1000.0); adfuller(w, regression="c", autolag=None, maxlag=24)
    //   = (1.0323839547881015, 0.9945961529834408, 24, 1999975, …)
    const r = adfTest(uniformWalk(13, 2_000_000, 1000), { maxLag: 24, autolag: null });
    expect(r.nobs).toBe(1_999_975);
    expect(relativeError(r.stat, 1.0323839547881015)).toBeLessThan(1e-9);
    expect(relativeError(r.pValue, 0.9945961529834408)).toBeLessThan(1e-12);
  });

  it("keeps precision at a level of 1e7 with increments of 0.05, where statsmodels' own regression does not", () => {
    // x = 1e7 + 0.1·uniform_walk(12, 5000, 0). The statistic is invariant to shifting x (a constant is
    // in the regression), and x − 1e7 is exact. statsmodels: adfuller(x − 1e7) = −0.5019920395707984
    // (lag 1, p 0.8916271768040617); on x itself its SVD loses digits: −0.5019920357536919.
    const walk = uniformWalk(12, 5000, 0);
    const x = walk.map((v) => 1e7 + 0.1 * v);
    const r = adfTest(x);
    expect(r.lags).toBe(1);
    expect(relativeError(r.stat, -0.5019920395707984)).toBeLessThan(1e-9);
    expect(relativeError(r.pValue, 0.8916271768040617)).toBeLessThan(1e-9);
  });

  it("uses ceil(12·(N/100)^¼) capped at ⌊N/2⌋ − ntrend − 1 as the default maximum lag", () => {
    expect(adfTest(Float64Array.from(series.ar1)).maxLag).toBe(Math.ceil(12 * (3000 / 100) ** 0.25)); // 29
    const short = Float64Array.from(series.ar1.slice(0, 20));
    expect(adfTest(short).maxLag).toBe(8); // min(10 − 1 − 1, ceil(12·0.2^¼) = 9)
    expect(adfTest(short, { regression: "n" }).maxLag).toBe(9);
  });

  it("rejects too short series and too large lags, and gives NaN for a constant series", () => {
    expect(() => adfTest(Float64Array.of(1, 2, 3))).toThrow(RangeError);
    expect(() => adfTest(Float64Array.from(series.ar1.slice(0, 20)), { maxLag: 9 })).toThrow(RangeError);
    expect(() => adfTest(Float64Array.from(series.ar1), { maxLag: -1 })).toThrow(RangeError);
    const flat = adfTest(new Float64Array(100).fill(3));
    expect(flat.stat).toBeNaN();
    expect(flat.pValue).toBeNaN();
  });
});

describe("adfTest with statsmodels' t-stat lag rule", () => {
  it("matches adfuller(x, autolag='t-stat') on realgdp and the 3000-point fixtures, with and without a constant", () => {
    // statsmodels 0.13.5 (Debian python3-statsmodels), adfuller(x, regression, autolag="t-stat")
    // → (stat, pvalue, usedlag, nobs, …, icbest = |t| of the chosen lag's last coefficient)
    const rw = Float64Array.from(series.randomWalk);
    const ar1 = Float64Array.from(series.ar1);
    const cases: [string, Float64Array, "c" | "n", number, number, number, number, number][] = [
      ["realgdp c", realgdp, "c", 1.7504627967647144, 0.9982455372335032, 12, 190, 3.0192820577620347],
      ["realgdp n", realgdp, "n", 3.2879609591902534, 0.9999647382198602, 12, 190, 2.903370591035255],
      ["rw c", rw, "c", -2.244749059428345, 0.19040665048564254, 27, 2972, 1.875612549010735],
      ["rw n", rw, "n", 0.43534964308156604, 0.8096108726484265, 27, 2972, 1.8115334759496897],
      ["ar1 c", ar1, "c", -7.288704740602482, 1.4360250194393888e-10, 23, 2976, 1.8411857518187387],
      [
        "ar1-50 n",
        ar1.map((v) => v - 50),
        "n",
        -7.26945205278116,
        1.500938284926042e-11,
        23,
        2976,
        1.832286205531125,
      ],
    ];
    for (const [name, x, regression, stat, pValue, lags, nobs, icBest] of cases) {
      const r = adfTest(x, { regression, autolag: "t-stat" });
      expect([r.lags, r.nobs], name).toEqual([lags, nobs]);
      expect(relativeError(r.stat, stat), name).toBeLessThan(1e-10);
      expect(relativeError(r.pValue, pValue), name).toBeLessThan(1e-9);
      expect(relativeError(r.icBest, icBest), name).toBeLessThan(1e-9);
    }
  });

  it("picks the lag a brute-force search of separate OLS fits picks", () => {
    // Independent truth: each prefix regression solved from its own normal equations (Gauss–Jordan on
    // the common sample), the rule applied by hand.
    const ar1 = Float64Array.from(series.ar1).subarray(0, 400);
    const maxLag = 9;
    const n = ar1.length - 1 - maxLag;
    const dy = (s: number) => ar1[s + 1]! - ar1[s]!;
    let chosen = 0;
    for (let p = maxLag; p >= 0; p--) {
      const k = p + 2; // constant, level, p lags
      const rows: number[][] = [];
      const ys: number[] = [];
      for (let s = maxLag; s < ar1.length - 1; s++) {
        const row = [1, ar1[s]!];
        for (let i = 1; i <= p; i++) row.push(dy(s - i));
        rows.push(row);
        ys.push(dy(s));
      }
      const a = Array.from({ length: k }, (_, i) => [
        ...Array.from({ length: k }, (_, j) => rows.reduce((sum, r) => sum + r[i]! * r[j]!, 0)),
        rows.reduce((sum, r, t) => sum + r[i]! * ys[t]!, 0),
        ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)),
      ]);
      for (let c = 0; c < k; c++) {
        const pivot = a[c]![c]!;
        for (let j = 0; j < a[c]!.length; j++) a[c]![j] = a[c]![j]! / pivot;
        for (let r = 0; r < k; r++) {
          if (r === c) continue;
          const f = a[r]![c]!;
          for (let j = 0; j < a[r]!.length; j++) a[r]![j] = a[r]![j]! - f * a[c]![j]!;
        }
      }
      const beta = a.map((r) => r[k]!);
      const ssr = rows.reduce(
        (sum, r, t) => sum + (ys[t]! - r.reduce((q, v, j) => q + v * beta[j]!, 0)) ** 2,
        0,
      );
      const se = Math.sqrt((ssr / (n - k)) * a[k - 1]![k + 1 + k - 1]!);
      if (Math.abs(beta[k - 1]! / se) >= 1.6448536269514722) {
        chosen = p;
        break;
      }
    }
    expect(chosen).toBe(5); // statsmodels: adfuller(ar1[:400], maxlag=9, regression="c", autolag="t-stat")[2] = 5
    expect(adfTest(ar1, { regression: "c", maxLag, autolag: "t-stat" }).lags).toBe(chosen);
  });
});

describe("adfTest with a trend and a quadratic trend (regression ct, ctt)", () => {
  it("reproduces statsmodels' published TestADFConstantTrend on realgdp (Stata's values)", () => {
    // statsmodels/tsa/tests/test_stattools.py, class TestADFConstantTrend: adfuller(realgdp,
    // regression="ct", autolag=None, maxlag=4) → teststat −1.8566374, pvalue 0.67682968, critical
    // values [−4.007, −3.437, −3.137] (Stata's, checked there to 5 and 2 decimals)
    const r = adfTest(realgdp, { regression: "ct", maxLag: 4, autolag: null });
    expect(Math.abs(r.stat - -1.8566374)).toBeLessThan(5e-6);
    expect(Math.abs(r.pValue - 0.67682968)).toBeLessThan(5e-6);
    expect(r.criticalValues["1%"]).toBeCloseTo(-4.007, 2);
    expect(r.criticalValues["5%"]).toBeCloseTo(-3.437, 2);
    expect(r.criticalValues["10%"]).toBeCloseTo(-3.137, 2);
  });

  it("matches statsmodels 0.13.5 adfuller for ct and ctt under every lag rule", () => {
    // /usr/bin/python3: adfuller(x, regression, autolag, maxlag=4 if autolag is None else default)
    // → [series, regression, autolag, stat, pvalue, usedlag, nobs, icbest]
    const eu = euStocks();
    const data: Record<string, Float64Array> = {
      realgdp,
      rw: Float64Array.from(series.randomWalk),
      ar1: Float64Array.from(series.ar1),
      DAX: eu.DAX!,
    };
    const cases: [
      string,
      "ct" | "ctt",
      "AIC" | "BIC" | "t-stat" | null,
      number,
      number,
      number,
      number,
      number,
    ][] = [
      ["realgdp", "ct", "AIC", -1.2317718968009206, 0.9037875818651032, 12, 190, 2034.0982863559145],
      ["realgdp", "ct", "BIC", -1.7872912193445005, 0.7108538473437526, 2, 200, 2050.958749874235],
      ["realgdp", "ct", "t-stat", -1.2317718968009206, 0.9037875818651032, 12, 190, 2.906758974153608],
      ["realgdp", "ct", null, -1.8566384063254455, 0.6768291751043958, 4, 198, Number.NaN],
      ["realgdp", "ctt", "AIC", -2.231625563440862, 0.7145024076165508, 12, 190, 2030.9096153927812],
      ["realgdp", "ctt", "BIC", -2.70168436213456, 0.45334558549320103, 2, 200, 2050.5256651737295],
      ["realgdp", "ctt", "t-stat", -2.231625563440862, 0.7145024076165508, 12, 190, 2.5165186838090934],
      ["realgdp", "ctt", null, -2.658403495405464, 0.47810329761080916, 4, 198, Number.NaN],
      ["rw", "ct", "AIC", -2.1634703562649054, 0.51042350509784, 0, 2999, 8352.503292913523],
      ["rw", "ct", "t-stat", -2.1615268668498557, 0.5115181697877371, 27, 2972, 1.8762966220149446],
      ["rw", "ctt", "BIC", -3.3577848982303586, 0.1532783747636547, 0, 2999, 8373.16516103385],
      ["rw", "ctt", "t-stat", -3.1242805262816105, 0.23947067947849476, 27, 2972, 2.07725243550276],
      ["rw", "ctt", null, -3.5090968144085184, 0.11063167956635472, 4, 2995, Number.NaN],
      ["ar1", "ct", "AIC", -10.049714247526477, 1.8111711354308975e-15, 2, 2997, 8366.483493489328],
      ["ar1", "ct", "BIC", -9.86039210148474, 4.5779319217321495e-15, 0, 2999, 8384.696766804425],
      ["ar1", "ct", "t-stat", -7.295228245941178, 3.0071111586755355e-9, 23, 2976, 1.838895823509169],
      ["ar1", "ctt", "AIC", -10.067281013463578, 3.163389941140947e-15, 2, 2997, 8367.896731035646],
      ["ar1", "ctt", null, -9.608522156413699, 3.934178592282639e-14, 4, 2995, Number.NaN],
      ["DAX", "ct", "AIC", 0.002305420827228626, 0.9942564255737106, 24, 1835, 17954.133188925345],
      ["DAX", "ct", "BIC", -0.42581930642116905, 0.9860751608616419, 0, 1859, 18011.678311774136],
      ["DAX", "ct", null, -0.32760201916352416, 0.9888583620549366, 4, 1855, Number.NaN],
      ["DAX", "ctt", "AIC", -2.0123378824280094, 0.8119786328852714, 24, 1835, 17950.234669964346],
      ["DAX", "ctt", "t-stat", -2.2519382940966928, 0.7043420358897532, 22, 1837, 1.9600021414226465],
      ["DAX", "ctt", null, -2.253582063530531, 0.7035124234520869, 4, 1855, Number.NaN],
    ];
    for (const [name, regression, autolag, stat, pValue, lags, nobs, icBest] of cases) {
      const label = `${name} ${regression} ${autolag}`;
      const r = adfTest(
        data[name]!,
        autolag === null ? { regression, autolag, maxLag: 4 } : { regression, autolag },
      );
      expect([r.lags, r.nobs], label).toEqual([lags, nobs]);
      expect(relativeError(r.stat, stat), label).toBeLessThan(1e-9);
      expect(relativeError(r.pValue, pValue), label).toBeLessThan(1e-8);
      if (Number.isNaN(icBest)) expect(r.icBest, label).toBeNaN();
      else expect(relativeError(r.icBest, icBest), label).toBeLessThan(1e-10);
    }
  });

  it("is invariant to adding a linear trend to the series under ct (the trend is partialled out)", () => {
    const x = Float64Array.from(series.ar1);
    const trended = x.map((v, i) => v + 0.37 * i - 12);
    const a = adfTest(x, { regression: "ct", autolag: null, maxLag: 6 });
    const b = adfTest(trended, { regression: "ct", autolag: null, maxLag: 6 });
    expect(relativeError(b.stat, a.stat)).toBeLessThan(1e-9);
    const quadratic = x.map((v, i) => v + 1e-4 * i * i - 0.2 * i);
    const c = adfTest(x, { regression: "ctt", autolag: null, maxLag: 6 });
    const d = adfTest(quadratic, { regression: "ctt", autolag: null, maxLag: 6 });
    expect(relativeError(d.stat, c.stat)).toBeLessThan(1e-8);
  });
});
