import { describe, expect, it } from "vitest";
import {
  mackinnonCriticalValues,
  mackinnonPValue,
  type TrendRegression,
} from "../../src/numerics/timeseries/mackinnon.js";
import { erfc, normalCdf } from "../../src/numerics/special/normalDistribution.js";

function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

describe("normalCdf and erfc", () => {
  it("match scipy.special.ndtr and erfc from the deep left tail to the right", () => {
    // /usr/bin/python3 -c "from scipy.special import ndtr; print(repr(float(ndtr(x))))" (scipy 1.10.1)
    const ndtr: [number, number][] = [
      [-37, 5.7255712225239266e-300],
      [-20, 2.7536241186061556e-89],
      [-10, 7.61985302416047e-24],
      [-5, 2.866515718791933e-7],
      [-1.959963984540054, 0.025],
      [-0.5, 0.3085375387259869],
      [0, 0.5],
      [1, 0.8413447460685429],
      [3, 0.9986501019683699],
      [8, 0.9999999999999993],
    ];
    for (const [x, expected] of ndtr) {
      expect(relativeError(normalCdf(x), expected), `x = ${x}`).toBeLessThan(x < -3 ? 1e-13 : 2e-15);
    }
    // scipy.special.erfc(z)
    const erfcValues: [number, number][] = [
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028516],
      [2, 0.004677734981047266],
      [5, 1.5374597944280347e-12],
      [10, 2.0884875837625446e-45],
      [26, 5.663192408856145e-296],
    ];
    for (const [z, expected] of erfcValues) {
      expect(relativeError(erfc(z), expected), `z = ${z}`).toBeLessThan(1e-14);
    }
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028516, 15);
    expect(normalCdf(Number.NaN)).toBeNaN();
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
  });
});

describe("mackinnonPValue (MacKinnon 1994, as statsmodels mackinnonp)", () => {
  it("gives p ≈ 0.05 at the tabulated 5% asymptotic critical value", () => {
    // MacKinnon (2010): the 5% asymptotic tau critical value, constant, N = 1, is −2.86154 (−2.8621 in 1994);
    // statsmodels: mackinnonp(-2.8621, "c", 1) = 0.049936096264282435, mackinnonp(-2.86154, "c", 1) = 0.050006651165625596
    expect(relativeError(mackinnonPValue(-2.8621, "c", 1), 0.049936096264282435)).toBeLessThan(1e-13);
    expect(relativeError(mackinnonPValue(-2.86154, "c"), 0.050006651165625596)).toBeLessThan(1e-13);
  });

  it("matches statsmodels 0.13.5 mackinnonp over regressions, N and both branches", () => {
    // /usr/bin/python3 -c "from statsmodels.tsa.adfvalues import mackinnonp;
    //   print([repr(float(mackinnonp(t, regression=reg, N=N))) for t in [-5.0, -3.0, -2.0, 0.0]])"
    const table: [TrendRegression, number, [number, number, number, number]][] = [
      ["n", 1, [1.0570487880413703e-6, 0.0026637350127542685, 0.043520623056049056, 0.6842796360469544]],
      ["n", 2, [1.793803451613028e-5, 0.027033337926474103, 0.2366216480043815, 0.9403596669881464]],
      ["n", 6, [0.008469594728357198, 0.5840073338802116, 0.9422313028645191, 0.9999030368909955]],
      ["c", 1, [2.2193154713956276e-5, 0.034894400275345266, 0.28657309916843154, 0.958532086060056]],
      ["c", 2, [0.00016464262671930766, 0.1102054949706574, 0.5285780802451076, 0.9859002580259643]],
      ["c", 3, [0.0007698368160730042, 0.24154168474025267, 0.7341365326385638, 0.9951914365103041]],
      ["c", 6, [0.021849061154535287, 0.7367213297019012, 0.9757841020974386, 0.9999607444306813]],
      ["ct", 1, [0.00020574728263882532, 0.1320809847799973, 0.6014337722402741, 0.9942331676947893]],
      ["ct", 3, [0.0030649564383527853, 0.4299022633617552, 0.8838798889301969, 0.999361279259567]],
      ["ctt", 1, [0.0010263486522916546, 0.295182559744655, 0.8167402369138229, 0.9989573259007248]],
      ["ctt", 6, [0.09187038487923732, 0.9216775180378336, 0.9972976158167867, 0.9999997146834694]],
    ];
    const stats = [-5, -3, -2, 0];
    for (const [regression, n, expected] of table) {
      stats.forEach((stat, i) => {
        expect(
          relativeError(mackinnonPValue(stat, regression, n), expected[i]!),
          `${regression} N=${n} τ=${stat}`,
        ).toBeLessThan(1e-13);
      });
    }
  });

  it("gives 0 below tau_min, 1 above tau_max, NaN for NaN", () => {
    // statsmodels: mackinnonp(-25, "c", 1) = 0.0, mackinnonp(3, "c", 1) = 1.0, mackinnonp(50, "n", 1) = 1.0
    expect(mackinnonPValue(-25, "c")).toBe(0);
    expect(mackinnonPValue(Number.NEGATIVE_INFINITY, "c", 2)).toBe(0);
    expect(mackinnonPValue(3, "c")).toBe(1);
    expect(mackinnonPValue(50, "n")).toBe(1); // tau_max is +∞ for "n", N = 1: the cubic's tail
    expect(mackinnonPValue(Number.NaN, "c")).toBeNaN();
  });

  it("rejects N outside 1–6", () => {
    expect(() => mackinnonPValue(-2, "c", 0)).toThrow(RangeError);
    expect(() => mackinnonPValue(-2, "c", 7)).toThrow(RangeError);
  });
});

describe("mackinnonCriticalValues (MacKinnon 2010, as published)", () => {
  it("equals Stata's egranger critical values (T = 199) for N = 2–4, constant, trend and quadratic trend", () => {
    // Stata egranger (MacKinnon 2010 as published), as quoted by statsmodels' own test suite:
    // statsmodels/tsa/tests/test_stattools.py, class TestCoint_t, res_egranger[trend][case] =
    // [Zt, cv1, cv5, cv10] for nobs = 200 (coint evaluates c(T) at T = nobs − 1). Case 0 is N = 2,
    // cases 1 and 2 are N = 3, case 3 is N = 4. statsmodels overrides c/N=2/1% with its own
    // −3.952321293401682 ("discrepancy starting at 4th decimal"): its table's β₂ = −33.527 typo.
    const stata: [TrendRegression, number, [number, number, number]][] = [
      ["c", 2, [-3.952043522638, -3.367006313729, -3.065831247948]],
      ["c", 3, [-4.367111915942, -3.783961136005, -3.483501524709]],
      ["c", 4, [-4.735249216434, -4.152738973763, -3.852480848968]],
      ["ct", 2, [-4.406102369132, -3.82866685109, -3.532082997903]],
      ["ct", 3, [-4.758609717199, -4.179130554708, -3.880909696863]],
      ["ct", 4, [-5.08363327039, -4.502469783057, -4.2031051091]],
      ["ctt", 2, [-4.796038299708, -4.221469431008, -3.926472577178]],
      ["ctt", 3, [-5.111158174219, -4.53317278104, -4.23601008516]],
      ["ctt", 4, [-5.406880189412, -4.826111619543, -4.527090164875]],
    ];
    for (const [regression, n, expected] of stata) {
      const values = mackinnonCriticalValues(n, regression, 199);
      const got = [values["1%"], values["5%"], values["10%"]];
      for (let k = 0; k < 3; k++) {
        // Stata prints 13 significant digits
        expect(Math.abs(got[k]! - expected[k]!), `${regression} N=${n} level ${k}`).toBeLessThan(1e-11);
      }
    }
  });

  it("uses the published coefficients where statsmodels' table has typos (statsmodels#10271)", () => {
    // c(T) = β∞ + β₁/T + β₂/T² + β₃/T³ by hand with MacKinnon (2010) Table 2 as printed
    const c = (b: number[], T: number) => b[0]! + b[1]! / T + b[2]! / T ** 2 + b[3]! / T ** 3;
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-14 * Math.abs(b);
    expect(close(mackinnonCriticalValues(2, "c", 500)["1%"], c([-3.89644, -10.9519, -22.527, 0], 500))).toBe(
      true,
    );
    expect(
      close(mackinnonCriticalValues(3, "c", 500)["5%"], c([-3.74066, -8.5631, -10.852, 27.982], 500)),
    ).toBe(true);
    expect(close(mackinnonCriticalValues(5, "c", 500)["5%"], c([-4.41519, -14.0406, -12.575, 0], 500))).toBe(
      true,
    );
    expect(
      close(mackinnonCriticalValues(7, "c", 500)["10%"], c([-4.69648, -15.7315, -6.922, 67.721], 500)),
    ).toBe(true);
  });

  it("matches statsmodels 0.13.5 mackinnoncrit outside its typos", () => {
    // /usr/bin/python3 -c "from statsmodels.tsa.adfvalues import mackinnoncrit; print(mackinnoncrit(N, reg, nobs))"
    const table: [number, TrendRegression, number, [number, number, number]][] = [
      [1, "c", 1835, [-3.4339186491956246, -2.8631163592632403, -2.5676091993407035]],
      [1, "c", Number.POSITIVE_INFINITY, [-3.43035, -2.86154, -2.56677]],
      // 1%: statsmodels −3.9008278816192345 with its β₂ typo; the published β₂ gives −3.89644 − 10.9519/2499 − 22.527/2499²
      [2, "c", 2499, [-3.900826120210389, -3.338576110561071, -3.0461475944119143]],
      [1, "n", 100, [-2.5884606999999997, -1.943991277, -1.614410036]],
      [3, "ct", 500, [-4.700785938048, -4.142759905344, -3.8532883327759997]],
      [6, "ctt", 250, [-5.914263776576, -5.339652366208, -5.042686133184]],
      [12, "c", 1000, [-6.688233076378, -6.149090290198, -5.867228901884]],
    ];
    for (const [n, regression, nobs, expected] of table) {
      const values = mackinnonCriticalValues(n, regression, nobs);
      expect([values["1%"], values["5%"], values["10%"]], `${regression} N=${n} T=${nobs}`).toEqual(expected);
    }
  });

  it("gives NaN for the no-constant case beyond N = 1 (not tabulated) and rejects N outside 1–12", () => {
    expect(Number.isNaN(mackinnonCriticalValues(2, "n", 100)["5%"])).toBe(true);
    expect(() => mackinnonCriticalValues(13, "c", 100)).toThrow(RangeError);
  });
});
