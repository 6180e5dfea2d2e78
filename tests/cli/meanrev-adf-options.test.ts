import { describe, expect, it } from "vitest";
import { hftlab } from "./run.js";

/**
 * `--adf-autolag` and `--adf-lags` through the built binary, against
 * statsmodels 0.13.5 (Debian python3-statsmodels) on fixtures/eustocks.csv:
 * `adfuller(eu.DAX, maxlag, regression="c", autolag)` and
 * `coint(eu.DAX, eu.CAC, trend="c", maxlag, autolag)`.
 */

interface AdfJson {
  stat: number;
  pValue: number;
  lags: number;
  nobs?: number;
}

function run(args: string[]): { params: Record<string, unknown>; series: AdfJson; eg?: AdfJson } {
  const result = hftlab(["meanrev", "--json", "--no-hurst", ...args, "fixtures/eustocks.csv"]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  const document = JSON.parse(result.stdout);
  return {
    params: document.params,
    series: document.result.series[0].adf,
    eg: document.result.pair?.engleGranger,
  };
}

function close(actual: number, expected: number, tolerance = 1e-12): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance);
}

describe("meanrev --adf-autolag and --adf-lags (statsmodels adfuller and coint)", () => {
  it("--adf-autolag t-stat: adfuller(DAX, autolag='t-stat') = (2.295810802589855, 0.9989525065082031, 24, 1835)", () => {
    const { params, series } = run(["--columns", "DAX", "--adf-autolag", "t-stat"]);
    expect([series.lags, series.nobs]).toEqual([24, 1835]);
    close(series.stat, 2.295810802589855);
    close(series.pValue, 0.9989525065082031);
    expect([params.adfAutolag, params.adfLags]).toEqual(["t-stat", null]);
  });

  it("--adf-lags 3 alone fixes the lag: adfuller(DAX, maxlag=3, autolag=None) = (2.0202723094915234, 0.9986987208023517, 3, 1856)", () => {
    const { params, series } = run(["--columns", "DAX", "--adf-lags", "3"]);
    expect([series.lags, series.nobs]).toEqual([3, 1856]);
    close(series.stat, 2.0202723094915234);
    close(series.pValue, 0.9986987208023517);
    expect([params.adfAutolag, params.adfLags]).toEqual(["none", 3]);
  });

  it("applies to the Engle–Granger test of --pair, as coint's maxlag and autolag", () => {
    // coint(DAX, CAC, maxlag=3, autolag="bic") = (-2.3795763713193443, 0.3345881090913221, …)
    const bic = run(["--pair", "DAX,CAC", "--adf-lags", "3", "--adf-autolag", "bic"]).eg!;
    close(bic.stat, -2.3795763713193443);
    close(bic.pValue, 0.3345881090913221);
    // coint(DAX, CAC, maxlag=5, autolag=None) = (-2.357511434954493, 0.34523323269306033, …)
    const fixed = run(["--pair", "DAX,CAC", "--adf-lags", "5"]).eg!;
    expect(fixed.lags).toBe(5);
    close(fixed.stat, -2.357511434954493);
    close(fixed.pValue, 0.34523323269306033);
    // coint(DAX, CAC, autolag="t-stat") = (-1.9707470409988677, 0.5437465971863995, …)
    const tStat = run(["--pair", "DAX,CAC", "--adf-autolag", "t-stat"]).eg!;
    close(tStat.stat, -1.9707470409988677);
    close(tStat.pValue, 0.5437465971863995);
  });

  it("--adf-regression ct: adfuller(DAX, regression='ct') and coint(DAX, CAC, trend='ct')", () => {
    // adfuller(eu.DAX, regression="ct", autolag="AIC") = (0.002305420827228626, 0.9942564255737106, 24, 1835)
    const { params, series, eg } = run(["--pair", "DAX,CAC", "--adf-regression", "ct"]);
    expect([series.lags, series.nobs]).toEqual([24, 1835]);
    expect(Math.abs(series.stat - 0.002305420827228626)).toBeLessThan(1e-14);
    close(series.pValue, 0.9942564255737106);
    // coint(eu.DAX, eu.CAC, trend="ct", autolag="aic") = (-4.2730578441843114, 0.011956535922519367,
    //   [-4.335935165452745, -3.78568947008592, -3.500121483880312])
    // (our cointegrating regression solves centred normal equations, statsmodels a pinv: 1e-12 apart)
    close(eg!.stat, -4.2730578441843114, 1e-10);
    close(eg!.pValue, 0.011956535922519367, 1e-10);
    expect(params.adfRegression).toBe("ct");
  });

  it("keeps the default (AIC over the default maximum lag) when neither is given", () => {
    const { params, series } = run(["--columns", "DAX"]);
    const aic = run(["--columns", "DAX", "--adf-autolag", "aic"]);
    expect(aic.series).toEqual(series);
    expect([params.adfRegression, params.adfAutolag, params.adfLags]).toEqual(["c", "aic", null]);
  });

  it("rejects an impossible lag (exit 3), a negative or non-integer lag and an unknown rule (exit 2), in one line", () => {
    const tooLarge = hftlab(["meanrev", "--adf-lags", "2000", "fixtures/eustocks.csv"]);
    expect(tooLarge.status).toBe(3);
    expect(tooLarge.stderr).toMatch(
      /^hftlab: error: too few rows for --adf-lags 2000: 1860 rows allow at most 928 \(fixtures\/eustocks\.csv\)\n/,
    );
    const pairCap = hftlab([
      "meanrev",
      "--pair",
      "DAX,CAC",
      "--no-adf",
      "--adf-lags",
      "930",
      "fixtures/eustocks.csv",
    ]);
    expect(pairCap.status).toBe(3);
    expect(pairCap.stderr).toContain("at most 929 for the Engle-Granger test");
    for (const bad of [
      ["--adf-lags", "-1"],
      ["--adf-lags", "2.5"],
      ["--adf-lags", "x"],
      ["--adf-autolag", "aicc"],
      ["--adf-regression", "cct"],
    ]) {
      const r = hftlab(["meanrev", ...bad, "fixtures/eustocks.csv"]);
      expect(r.status, bad.join(" ")).toBe(2);
      expect(r.stderr.split("\n")[0]).toMatch(/^hftlab: error: option '--adf-/);
      expect(r.stdout).toBe("");
    }
  });
});
