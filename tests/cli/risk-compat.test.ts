import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hftlab } from "./run.js";

/**
 * `risk --compat empyrical` against the values empyrical asserts in its own
 * test suite: stefan-jansen/empyrical-reloaded, tests/test_stats.py (the
 * series are its tests/conftest.py fixtures `mixed_returns`,
 * `positive_returns`, `negative_returns`, `all_negative_returns`,
 * `simple_benchmark`, `weekly_returns`, `monthly_returns`; the same values
 * are in quantopian/empyrical's empyrical/tests/test_stats.py). empyrical
 * asserts to 8 decimals (`assert_almost_equal(..., DECIMAL_PLACES = 8)`),
 * so that is the tolerance here. tests/cli/data/empyrical-returns.csv holds
 * the daily fixtures, one column each, from 2000-01-30 (mixed_returns'
 * first value is NaN, an empty cell).
 */
const DAILY = "tests/cli/data/empyrical-returns.csv";
const tmp = mkdtempSync(join(tmpdir(), "hftlab-compat-"));

function series(args: string[], path = DAILY, compat = "empyrical") {
  const r = hftlab([
    "risk",
    "--input-kind",
    "returns",
    "--compat",
    compat,
    "--json",
    "--quiet",
    ...args,
    path,
  ]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout).result.series;
}

function decimals8(actual: number, expected: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThan(1.5e-8);
}

describe("--compat empyrical on empyrical's own test fixtures", () => {
  it("mixed_returns (a NaN first): annual_return counts the NaN row, the others do not", () => {
    const [mixed] = series(["--columns", "mixed"]);
    decimals8(mixed.cagr, 1.9135925373194231); // test_annual_ret, test_cagr
    decimals8(mixed.volatility, 0.9136465399704637); // test_annual_volatility
    decimals8(mixed.sharpe, 1.7238613961706866); // test_sharpe_ratio
    decimals8(mixed.sortino, 2.605531251673693); // test_sortino
    decimals8(mixed.calmar, 19.135925373194233); // test_calmar
    decimals8(mixed.maxDrawdown.depth, -0.1); // test_max_drawdown
    // test_downside_risk: 0.60448325038829653 annualised = sqrt(252)·downsideDeviation.
    decimals8(Math.sqrt(252) * mixed.downsideDeviation, 0.60448325038829653);
    // test_tail_ratio asserts 0.9473684210526313 to ONE decimal (|Δ| < 0.15); empyrical's
    // code drops the NaN and gives 0.9556962025316456, as hftlab does.
    expect(Math.abs(mixed.tailRatio - 0.9473684210526313)).toBeLessThan(0.15);
    expect(mixed.tailRatio).toBeCloseTo(0.0755 / 0.079, 12);
  });

  it("hftlab's own preset counts only the returns present (PerformanceAnalytics' Return.annualized)", () => {
    const r = hftlab(["risk", "--input-kind", "returns", "--json", "--quiet", "--columns", "mixed", DAILY]);
    const mixed = JSON.parse(r.stdout).result.series[0];
    // prod(1 + r)^(252/8) - 1 over the 8 returns present
    const growth = [0.01, 0.1, -0.04, 0.02, 0.03, 0.02, 0.01, -0.1].reduce((w, x) => w * (1 + x), 1);
    expect(mixed.cagr).toBeCloseTo(growth ** (252 / 8) - 1, 10);
    expect(mixed.cagr).toBeCloseTo(2.3303, 4);
  });

  it("omega at an annual required return (test_omega)", () => {
    const [mixed] = series(["--columns", "mixed", "--mar", "10"]);
    decimals8(mixed.omega, 0.83354263497557934);
    const file = join(tmp, "positive.csv");
    writeFileSync(
      file,
      "date,positive,negative\n2000-01-30,0.01,0\n2000-01-31,0.02,-0.06\n2000-02-01,0.01,-0.07\n2000-02-02,0.01,-0.01\n2000-02-03,0.01,-0.09\n2000-02-04,0.01,-0.02\n2000-02-05,0.01,-0.06\n2000-02-06,0.01,-0.08\n2000-02-07,0.01,-0.05\n",
    );
    // risk_free 0.011 and 0.02 per day: --risk-free is annual, so 0.011 * 252 and 0.02 * 252.
    decimals8(series(["--risk-free", String(0.011 * 252)], file)[0].omega, 1.125);
    expect(series(["--risk-free", String(0.02 * 252)], file)[0].omega).toBe(0);
    expect(series(["--risk-free", String(0.01 * 252)], file)[1].omega).toBe(0);
  });

  it("positive and negative returns: Sharpe, Sortino and the drawdown (test_sharpe_ratio, test_sortino, test_max_drawdown)", () => {
    const file = join(tmp, "signs.csv");
    writeFileSync(
      file,
      "date,positive,negative,all_negative\n2000-01-30,0.01,0,-0.02\n2000-01-31,0.02,-0.06,-0.06\n2000-02-01,0.01,-0.07,-0.07\n2000-02-02,0.01,-0.01,-0.01\n2000-02-03,0.01,-0.09,-0.09\n2000-02-04,0.01,-0.02,-0.02\n2000-02-05,0.01,-0.06,-0.06\n2000-02-06,0.01,-0.08,-0.08\n2000-02-07,0.01,-0.05,-0.05\n",
    );
    const [positive, negative, allNegative] = series([], file);
    decimals8(positive.sharpe, 52.915026221291804);
    expect(positive.sortino).toBeNull(); // empyrical: inf (no period below 0); JSON has no infinity
    decimals8(negative.sharpe, -24.406808633910085);
    decimals8(negative.sortino, -13.532743075043401);
    decimals8(negative.maxDrawdown.depth, -0.365907303498736);
    // all_negative_returns falls from the first period on: the drawdown counts from W_0 = 1.
    decimals8(allNegative.maxDrawdown.depth, -0.378589157);
  });

  it("weekly and monthly returns annualise with P = 52 and 12 (test_annual_ret, test_calmar, test_sortino)", () => {
    const values = [0, 0.01, 0.1, -0.04, 0.02, 0.03, 0.02, 0.01, -0.1];
    const file = join(tmp, "weekly.csv");
    writeFileSync(
      file,
      `date,r\n${values.map((v, k) => `2000-02-${String(k + 1).padStart(2, "0")},${v}`).join("\n")}\n`,
    );
    const [weekly] = series(["--periods-per-year", "52"], file);
    decimals8(weekly.cagr, 0.24690830513998208);
    decimals8(weekly.volatility, 0.38851569394870583);
    decimals8(weekly.calmar, 2.4690830513998208);
    decimals8(weekly.sortino, 0.50690062680370862);
    decimals8(Math.sqrt(52) * weekly.downsideDeviation, 0.25888650451930134);
    const [monthly] = series(["--periods-per-year", "12"], file);
    decimals8(monthly.cagr, 0.052242061386048144);
    decimals8(monthly.volatility, 0.18663690238892558);
    decimals8(monthly.calmar, 0.52242061386048144);
    decimals8(monthly.sortino, 0.11697706772393276);
  });

  it("benchmark measures: alpha annualised as (1 + a)^252 - 1, capture by CAGRs, information ratio per period", () => {
    // test_alpha_beta: (mixed_returns, negative_returns[1:]) -> (-0.9997853834885004, -0.71296296296296313)
    const [mixed] = series(["--columns", "mixed", "--benchmark", "negative"]);
    decimals8(mixed.benchmark.alpha, -0.9997853834885004);
    decimals8(mixed.benchmark.beta, -0.71296296296296313);
    // test_excess_sharpe: (mixed_returns, 0.0) -> 0.10859306069076737
    decimals8(
      series(["--columns", "mixed", "--benchmark", "zero"])[0].benchmark.informationRatio,
      0.10859306069076737,
    );
    // test_up_capture / test_down_capture against mixed_returns (its NaN row drops out of both sides).
    const against = series(["--columns", "positive,all_negative", "--benchmark", "mixed"]);
    decimals8(against[0].benchmark.upCapture, 0.0076167762);
    decimals8(against[0].benchmark.downCapture, -11.27400221);
    decimals8(against[1].benchmark.upCapture, -0.0004336328);
    decimals8(against[1].benchmark.downCapture, 0.99956025703798634);
  });

  it("reports VaR and ES as empyrical does, as (negative) returns: value_at_risk = np.percentile", () => {
    // test_value_at_risk: returns [1, 81, 82, 83, 84, 85], cutoff 0.1 -> 41, 0.2 -> 81, 0.3 -> 81.5
    const file = join(tmp, "var.csv");
    writeFileSync(file, "date,r\n1,1\n2,81\n3,82\n4,83\n5,84\n6,85\n");
    const [s] = series(["--confidence", "0.9,0.8,0.7"], file);
    expect(s.var.historical).toEqual({ "0.9": 41, "0.8": 81, "0.7": 81.5 });
    // conditional_value_at_risk: the mean of the returns at or below the VaR.
    expect(s.es.historical["0.9"]).toBe(1);
    expect(s.es.historical["0.8"]).toBe(41);
  });
});

/**
 * The values quantstats asserts in tests/data/reference_values.json (copied
 * with their source into tests/cli/data/quantstats-reference.json): where
 * a metric names an R PerformanceAnalytics 2.1.0 call, the value is that
 * call's output, so hftlab's own rules are checked against R too.
 * quantstats asserts to rel 1e-9.
 */
const QUANTSTATS = JSON.parse(readFileSync("tests/cli/data/quantstats-reference.json", "utf8"));

function fixtureFile(name: string): string {
  const returns: number[] = QUANTSTATS.fixtures[name].returns;
  const path = join(tmp, `${name}.csv`);
  // Month-end dates are immaterial here (periods come from the fixture); one row per return.
  writeFileSync(path, `t,r\n${returns.map((r, i) => `${i + 1},${r}`).join("\n")}\n`);
  return path;
}

function relative9(actual: number, expected: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.abs(expected) + 1e-12,
  );
}

describe("quantstats' reference values (R PerformanceAnalytics where it has the convention)", () => {
  for (const name of ["bacon_monthly", "tiny_sample_n7"]) {
    const periods = String(QUANTSTATS.fixtures[name].periods);
    const value = (metric: string) => QUANTSTATS.metrics[metric].values[name] as number;

    it(`${name}: hftlab's own rules give PerformanceAnalytics' annualised return, volatility, Sharpe, drawdown, Calmar, Omega`, () => {
      const r = hftlab([
        "risk",
        "--input-kind",
        "returns",
        "--periods-per-year",
        periods,
        "--json",
        "--quiet",
        fixtureFile(name),
      ]);
      expect(r.status, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout).result.series[0];
      relative9(s.volatility, value("volatility_annual")); // StdDev.annualized
      relative9(s.cagr, value("return_annual")); // Return.annualized(geometric = TRUE)
      relative9(s.sharpe, value("sharpe_annual")); // SharpeRatio.annualized(geometric = FALSE)
      relative9(s.sortino, value("sortino_annual"));
      relative9(s.maxDrawdown.depth, value("max_drawdown")); // maxDrawdown (sign: quantstats')
      relative9(s.calmar, value("calmar")); // CalmarRatio
      relative9(s.omega, value("omega_0")); // Omega(L = 0, method = "simple")
      relative9(s.var.gaussian["0.95"], -value("var_95"));
      relative9(s.es.gaussian["0.95"], -value("es_95"));
    });

    it(`${name}: --compat quantstats reports pandas' adjusted skew and kurtosis and VaR/ES as returns`, () => {
      const s = series(["--periods-per-year", periods], fixtureFile(name), "quantstats")[0];
      relative9(s.skew, value("skewness")); // skewness(method = "fisher")
      relative9(s.kurtosis, value("kurtosis")); // kurtosis(method = "sample_excess")
      relative9(s.var.gaussian["0.95"], value("var_95")); // quantstats' value_at_risk is the Gaussian one
      relative9(s.es.gaussian["0.95"], value("es_95"));
      relative9(s.sharpe, value("sharpe_annual"));
      relative9(s.sortino, value("sortino_annual"));
    });
  }
});

/**
 * quantstats' rule for a missing return: every statistic starts from
 * `_utils._prepare_returns`, which ends in `data.fillna(0)` (ranaroussi/
 * quantstats, quantstats/utils.py, in every release read for issue 15), so
 * a missing return is a 0 that counts. Its `sortino` (quantstats/stats.py)
 * is then mean(r)/sqrt(Σ min(r, 0)² / len(r)) · sqrt(periods), computed here
 * by hand on empyrical's `mixed_returns` with its NaN as 0: 2.4565, where
 * hftlab's own rule (the row dropped) gives empyrical's 2.6055.
 */
describe("--compat quantstats counts a missing return as 0, as quantstats' _prepare_returns does", () => {
  const filled = [0, 0.01, 0.1, -0.04, 0.02, 0.03, 0.02, 0.01, -0.1];
  const mean = filled.reduce((a, x) => a + x, 0) / filled.length;
  const downside = Math.sqrt(filled.reduce((a, x) => a + Math.min(x, 0) ** 2, 0) / filled.length);
  const quantstatsSortino = (Math.sqrt(252) * mean) / downside;

  function document(args: string[]) {
    const r = hftlab([
      "risk",
      "--input-kind",
      "returns",
      "--json",
      "--quiet",
      "--columns",
      "mixed",
      ...args,
      DAILY,
    ]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  }

  it("reproduces quantstats' Sortino of 2.4565 on mixed_returns, the NaN counted as a zero return", () => {
    const doc = document(["--compat", "quantstats"]);
    const [mixed] = doc.result.series;
    expect(quantstatsSortino).toBeCloseTo(2.4565, 4);
    expect(Math.abs(mixed.sortino - quantstatsSortino)).toBeLessThan(1e-12);
    expect(mixed.observations).toBe(9);
    expect(doc.data.droppedRows).toBe(0);
    expect(doc.params.missing).toBe("zero");
    expect(doc.warnings).toContain("set 1 missing value to 0");
    // Sharpe over the nine returns, sample sd: quantstats' sharpe on the same prepared series.
    const sd = Math.sqrt(filled.reduce((a, x) => a + (x - mean) ** 2, 0) / (filled.length - 1));
    expect(mixed.sharpe).toBeCloseTo((Math.sqrt(252) * mean) / sd, 12);
    expect(doc.result.conventions.observations).toMatch(/missing return is 0.*fillna\(0\)/);
  });

  it("leaves an explicit --missing in charge: --missing drop gives the dropped row's 2.6055", () => {
    const doc = document(["--compat", "quantstats", "--missing", "drop"]);
    expect(doc.result.series[0].sortino).toBeCloseTo(2.605531251673693, 12);
    expect(doc.result.series[0].observations).toBe(8);
    expect(doc.params.missing).toBe("drop");
    expect(doc.result.conventions.observations).toMatch(/after --missing drop/);
  });

  it("fills each missing cell of a wide returns file on its own, dropping no row for the other columns", () => {
    const file = join(tmp, "holes.csv");
    writeFileSync(file, "t,a,b\n1,0.01,0.02\n2,,-0.01\n3,0.03,\n4,-0.02,0.01\n5,0.01,0.04\n");
    const r = hftlab([
      "risk",
      "--input-kind",
      "returns",
      "--compat",
      "quantstats",
      "--json",
      "--quiet",
      file,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.data.droppedRows).toBe(0);
    expect(doc.warnings).toContain("set 2 missing values to 0");
    const [a, b] = doc.result.series;
    expect(a.observations).toBe(5);
    expect(b.observations).toBe(5);
    expect(a.totalReturn).toBeCloseTo(1.01 * 1 * 1.03 * 0.98 * 1.01 - 1, 14);
    expect(b.totalReturn).toBeCloseTo(1.02 * 0.99 * 1 * 1.01 * 1.04 - 1, 14);
    // hftlab's own rule drops rows 2 and 3 for both columns
    const own = hftlab(["risk", "--input-kind", "returns", "--json", "--quiet", file]);
    expect(JSON.parse(own.stdout).result.series[0].observations).toBe(3);
  });

  it("names the missing-row rule in conventions under every preset", () => {
    const rule = (compat: string) => document(["--compat", compat]).result.conventions.observations;
    expect(rule("hftlab")).toMatch(/after --missing drop: a row dropped for a missing cell counts nowhere/);
    expect(rule("performanceanalytics")).toMatch(
      /after --missing drop: a row dropped for a missing cell counts nowhere/,
    );
    expect(rule("empyrical")).toMatch(/len\(returns\)/);
    expect(rule("quantstats")).toMatch(/fillna\(0\)/);
  });
});

/**
 * `--compat performanceanalytics` against R PerformanceAnalytics 2.1.0's own
 * outputs, as recorded with the R call of each (tests/cli/data/
 * performanceanalytics-oracle.json, from WatchTree-19/vetted's oracle.json).
 * R prints 15 significant digits, so the tolerance is 1e-13 relative.
 */
const PA = JSON.parse(readFileSync("tests/cli/data/performanceanalytics-oracle.json", "utf8"));

function relative13(actual: number, expected: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-13 * Math.abs(expected) + 1e-16,
  );
}

describe("--compat performanceanalytics against R PerformanceAnalytics 2.1.0", () => {
  for (const name of ["bacon_monthly", "tiny_sample_n7"]) {
    it(`${name}: Sharpe (geometric), Sortino (per period), drawdown, Calmar, VaR and ES by method, moments`, () => {
      const periods = String(QUANTSTATS.fixtures[name].periods);
      const [s] = series(["--periods-per-year", periods], fixtureFile(name), "performanceanalytics");
      const r = (call: string) => PA.values[name][call] as number;
      relative13(s.sharpe, r("SharpeRatio.annualized(R, 0, scale, geometric=TRUE)"));
      relative13(s.sortino, r("SortinoRatio(R, MAR=0)"));
      relative13(s.downsideDeviation, r("DownsideDeviation(R, MAR=0, method='full')"));
      relative13(s.maxDrawdown.depth, r("maxDrawdown(R, geometric=TRUE)"));
      relative13(s.calmar, r("CalmarRatio(R, scale)"));
      relative13(s.var.historical["0.95"], r("VaR(R, p=0.95, method='historical')"));
      relative13(s.var.gaussian["0.95"], r("VaR(R, p=0.95, method='gaussian')"));
      relative13(s.var.cornishFisher["0.95"], r("VaR(R, p=0.95, method='modified')"));
      relative13(s.es.historical["0.95"], r("ES(R, p=0.95, method='historical')"));
      relative13(s.es.gaussian["0.95"], r("ES(R, p=0.95, method='gaussian')"));
      relative13(s.omega, r("Omega(R, L=0, method='simple')"));
      relative13(s.skew, r("skewness(R, method='moment')"));
      relative13(s.kurtosis, r("kurtosis(R, method='excess')"));
    });
  }

  it("hftlab's own Cornish-Fisher VaR is PerformanceAnalytics' modified VaR (sign aside)", () => {
    const r = hftlab([
      "risk",
      "--input-kind",
      "returns",
      "--periods-per-year",
      "12",
      "--json",
      "--quiet",
      fixtureFile("bacon_monthly"),
    ]);
    const s = JSON.parse(r.stdout).result.series[0];
    relative13(s.var.cornishFisher["0.95"], -PA.values.bacon_monthly["VaR(R, p=0.95, method='modified')"]);
  });
});

describe("the anchors' disagreement on empyrical's mixed_returns, as issue 15's research found it", () => {
  it("gives PerformanceAnalytics' CAGR 2.3303 and per-period Sortino 0.1641 beside empyrical's 1.9136 and 2.6055", () => {
    const [pa] = series(["--columns", "mixed"], DAILY, "performanceanalytics");
    expect(pa.cagr).toBeCloseTo(2.3303, 4);
    expect(pa.sortino).toBeCloseTo(0.1641, 4);
    const [empyrical] = series(["--columns", "mixed"], DAILY, "empyrical");
    expect(empyrical.cagr).toBeCloseTo(1.9136, 4);
    expect(empyrical.sortino).toBeCloseTo(2.6055, 4);
  });
});
