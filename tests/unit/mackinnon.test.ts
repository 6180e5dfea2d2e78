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

describe("mackinnonCriticalValues (MacKinnon 2010, as statsmodels mackinnoncrit)", () => {
  it("matches statsmodels 0.13.5 mackinnoncrit", () => {
    // /usr/bin/python3 -c "from statsmodels.tsa.adfvalues import mackinnoncrit; print(mackinnoncrit(N, reg, nobs))"
    const table: [number, TrendRegression, number, [number, number, number]][] = [
      [1, "c", 1835, [-3.4339186491956246, -2.8631163592632403, -2.5676091993407035]],
      [1, "c", Number.POSITIVE_INFINITY, [-3.43035, -2.86154, -2.56677]],
      [2, "c", 2499, [-3.9008278816192345, -3.338576110561071, -3.0461475944119143]],
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
