import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hftlab, ROOT } from "./run.js";

/**
 * `hftlab risk` against values computed independently with numpy 1.24.2,
 * scipy 1.10.1 and pandas 1.5.3 by tests/unit/data/risk_reference.py (run
 * with /usr/bin/python3; output in risk-reference.json): moments from
 * scipy.stats.skew/kurtosis (bias=True), quantiles from numpy.quantile,
 * Gaussian and EWMA VaR from scipy.stats.norm.ppf and their ES by numerical
 * integration (norm.expect), the EWMA from pandas ewm(adjust=False), beta by
 * scipy.stats.linregress, drawdowns from pandas cummax, calendar returns by
 * pandas resample, the coverage tests from binomial and Bernoulli
 * log-likelihoods and scipy.stats.chi2.sf.
 */
const reference = JSON.parse(readFileSync(`${ROOT}tests/unit/data/risk-reference.json`, "utf8"));

function json(args: string[]) {
  const r = hftlab([...args, "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

function close(actual: number, expected: number, relative = 1e-10): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    relative * Math.max(Math.abs(expected), 1e-300),
  );
}

describe("risk on the S&P 500 since 2000 (daily adjclose) against numpy/scipy/pandas", () => {
  const document = json(["risk", "--var-backtest", "250", "fixtures/sp500-2000.csv"]);
  const s = document.result.series[0];
  const ref = reference.sp500;

  it("gives the return, volatility and ratio metrics to 1e-10", () => {
    expect(s.symbol).toBe("sp500-2000"); // an OHLCV file names its one series after the file
    expect(s.observations).toBe(ref.observations);
    for (const key of [
      "totalReturn",
      "cagr",
      "annualReturn",
      "volatility",
      "sharpe",
      "sortino",
      "omega",
      "tailRatio",
      "skew",
      "kurtosis",
      "probabilisticSharpe",
      "calmar",
    ]) {
      close(s[key], ref[key]);
    }
  });

  it("gives VaR and ES by the historical, Gaussian and EWMA methods", () => {
    for (const method of ["historical", "gaussian", "ewma"]) {
      for (const level of ["0.95", "0.99"]) {
        close(s.var[method][level], ref.var[method][level]);
        // scipy's norm.expect integrates numerically (~1e-10 relative); the closed form is exact.
        close(s.es[method][level], ref.es[method][level], 1e-8);
      }
    }
  });

  it("finds the five deepest drawdowns, with dates as written and the 2008 one recovered in 2013", () => {
    expect(s.drawdowns).toHaveLength(5);
    s.drawdowns.forEach((d: Record<string, unknown>, k: number) => {
      const e = ref.drawdowns[k];
      close(d.depth as number, e.depth);
      expect([d.peak, d.trough, d.recovery, d.bars, d.recoveryBars]).toEqual([
        e.peak,
        e.trough,
        e.recovery,
        e.bars,
        e.recoveryBars,
      ]);
    });
    expect(s.maxDrawdown).toEqual(s.drawdowns[0]);
    expect(s.maxDrawdown.peak).toBe("2007-10-09");
  });

  it("compounds calendar months and years as pandas resample does", () => {
    expect(s.calendar).toHaveLength(ref.calendarMonths);
    ref.calendarFirst.forEach((e: { year: number; month: number; return: number }, k: number) => {
      expect([s.calendar[k].year, s.calendar[k].month]).toEqual([e.year, e.month]);
      close(s.calendar[k].return, e.return, 1e-12);
    });
    expect(s.years.map((y: { year: number }) => y.year)).toEqual(
      ref.years.map((y: { year: number }) => y.year),
    );
    s.years.forEach((y: { return: number }, k: number) => {
      close(y.return, ref.years[k].return, 1e-12);
    });
  });

  it("backtests the rolling 250-bar VaR: exceedances, Kupiec and Christoffersen statistics and p-values", () => {
    const backtest = s.varBacktest;
    expect(backtest.window).toBe(250);
    expect(backtest.forecasts).toBe(ref.observations - 250);
    for (const method of ["historical", "gaussian", "ewma"]) {
      for (const level of ["0.95", "0.99"]) {
        const got = backtest.methods[method][level];
        const want = ref.varBacktest250[method][level];
        expect(got.exceedances, `${method} ${level}`).toBe(want.exceedances);
        for (const test of ["kupiec", "independence", "conditionalCoverage"]) {
          close(got[test].statistic, want[test][0], 1e-9);
          close(got[test].pValue, want[test][1], 1e-8);
        }
      }
    }
  });
});

describe("risk of DAX against FTSE (eustocks) against scipy", () => {
  it("gives beta and alpha as the OLS slope and intercept, and the active-return measures", () => {
    const document = json(["risk", "--benchmark", "FTSE", "--columns", "DAX", "fixtures/eustocks.csv"]);
    expect(document.result.series.map((x: { symbol: string }) => x.symbol)).toEqual(["DAX"]);
    const b = document.result.series[0].benchmark;
    const ref = reference.eustocksDaxVsFtse;
    expect(b.symbol).toBe("FTSE");
    close(b.beta, ref.beta);
    close(b.alpha, 252 * ref.alphaPerPeriod, 1e-9);
    for (const key of ["correlation", "trackingError", "informationRatio", "upCapture", "downCapture"])
      close(b[key], ref[key]);
  });

  it("rolls 60-bar return, volatility, Sharpe, drawdown and beta as pandas rolling(60)", () => {
    const r = hftlab([
      "risk",
      "--rolling",
      "60",
      "--ndjson",
      "--benchmark",
      "FTSE",
      "--columns",
      "DAX",
      "fixtures/eustocks.csv",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rows).toHaveLength(1859);
    expect(Object.keys(rows[0])).toEqual([
      "time",
      "symbol",
      "return",
      "volatility",
      "sharpe",
      "drawdown",
      "beta",
    ]);
    expect(rows[58]).toMatchObject({
      return: null,
      volatility: null,
      sharpe: null,
      drawdown: null,
      beta: null,
    });
    for (const [t, want] of Object.entries(reference.eustocksDaxRolling60) as [
      string,
      Record<string, number>,
    ][]) {
      const got = rows[Number(t)];
      expect(got.time).toBe(want.time);
      for (const key of ["return", "volatility", "sharpe", "drawdown", "beta"])
        close(got[key], want[key]!, 1e-9);
    }
  });
});

describe("risk on Bacon's (2008) portfolio against the values PerformanceAnalytics prints for it", () => {
  // tests/cli/data/portfolio-bacon.csv: PerformanceAnalytics' data/portfolio_bacon.csv (the
  // portfolio and benchmark monthly returns of C. Bacon, *Practical Portfolio Performance
  // Measurement and Attribution*, 2nd ed., 2008), percentages written as fractions. The
  // expected values are those of PerformanceAnalytics' vignette PA-Bacon.Rnw (chunks 25, 26)
  // and its DownsideDeviation example, as printed there (two or three significant digits).
  const s = json([
    "risk",
    "--input-kind",
    "returns",
    "--periods-per-year",
    "12",
    "--mar",
    "0.06",
    "tests/cli/data/portfolio-bacon.csv",
  ]).result.series[0];

  it("has the excess (moment) kurtosis -0.57 and the moment kurtosis 2.43", () => {
    expect(s.kurtosis).toBeCloseTo(-0.57, 2);
    expect(s.kurtosis + 3).toBeCloseTo(2.43, 2);
  });

  it("has the downside deviation 0.0255 below MAR 0.005 a month (DownsideDeviation, method 'full')", () => {
    expect(s.downsideDeviation).toBeCloseTo(0.0255, 4);
  });
});
