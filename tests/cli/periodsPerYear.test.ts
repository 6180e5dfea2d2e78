import { describe, expect, it } from "vitest";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab } from "./run.js";

/**
 * --periods-per-year defaults to the time stamps' frequency in every command
 * that annualises (optimize, regime, risk, backtest), and params say where
 * it came from. Evidence: annualised means scale exactly with P (P·μ), so
 * the inferred run equals the run given the same P, and a run at 252 differs
 * by exactly the ratio.
 */
const file = temporaryFiles("hftlab-periods-");
const STOCKS = ["--missing", "ffill", "fixtures/stocks.csv"]; // monthly, month-name dates

function json(args: string[]) {
  const r = hftlab([...args, "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("--periods-per-year from the data's frequency", () => {
  it("optimize on monthly data annualises with 12 and says so", () => {
    const inferred = json(["optimize", "--method", "hrp", ...STOCKS]);
    const given = json(["optimize", "--method", "hrp", "--periods-per-year", "12", ...STOCKS]);
    const daily = json(["optimize", "--method", "hrp", "--periods-per-year", "252", ...STOCKS]);
    expect(inferred.params.periodsPerYear).toBe(12);
    expect(inferred.params.periodsPerYearSource).toBe("monthly");
    expect(given.params.periodsPerYearSource).toBe("option");
    expect(inferred.result).toEqual(given.result);
    expect(inferred.result.expectedReturn / daily.result.expectedReturn).toBeCloseTo(12 / 252, 14);
    expect(inferred.result.volatility / daily.result.volatility).toBeCloseTo(Math.sqrt(12 / 252), 14);
  });

  it("regime, risk and backtest take the same default", () => {
    for (const command of [["regime", "--restarts", "2"], ["risk"], ["backtest"]]) {
      const inferred = json([...command, ...STOCKS]);
      const given = json([...command, "--periods-per-year", "12", ...STOCKS]);
      expect(inferred.params.periodsPerYear, command[0]).toBe(12);
      expect(inferred.params.periodsPerYearSource, command[0]).toBe("monthly");
      expect(inferred.result, command[0]).toEqual(given.result);
    }
    const risk = json(["risk", ...STOCKS]).result.series[0];
    const daily = json(["risk", "--periods-per-year", "252", ...STOCKS]).result.series[0];
    expect(risk.annualReturn / daily.annualReturn).toBeCloseTo(12 / 252, 14);
  });

  it("daily ISO dates give 252 (inferred), numeric stamps 252 (default)", () => {
    const sp = json(["risk", "fixtures/sp500-2000.csv"]);
    expect([sp.params.periodsPerYear, sp.params.periodsPerYearSource]).toEqual([252, "daily"]);
    const eu = json(["risk", "fixtures/eustocks.csv"]);
    expect([eu.params.periodsPerYear, eu.params.periodsPerYearSource]).toEqual([252, "default"]);
  });

  it("weekly dates give 52", () => {
    const lines = ["date,A"];
    let price = 100;
    for (let i = 0; i < 60; i++) {
      const d = new Date(Date.UTC(2020, 0, 3 + 7 * i));
      price *= 1 + ((i * 7919) % 13) / 400 - 0.015;
      lines.push(`${d.toISOString().slice(0, 10)},${price.toFixed(4)}`);
    }
    const weekly = json(["risk", file("weekly.csv", `${lines.join("\n")}\n`)]);
    expect([weekly.params.periodsPerYear, weekly.params.periodsPerYearSource]).toEqual([52, "weekly"]);
  });

  it("refuses to guess for intraday stamps (exit 2) and takes the flag", () => {
    const lines = ["time,A"];
    for (let i = 0; i < 40; i++)
      lines.push(`2024-01-02T10:${String(i).padStart(2, "0")}:00Z,${100 + (i % 3)}`);
    const path = file("minutes.csv", `${lines.join("\n")}\n`);
    for (const command of ["risk", "optimize", "regime", "backtest"]) {
      const r = hftlab([command, path]);
      expect(r.status, command).toBe(2);
      expectOneLineError(r.stderr, /intraday \(median step 1 min\): annualising needs --periods-per-year/);
    }
    const ok = json(["risk", "--periods-per-year", "98280", path]);
    expect([ok.params.periodsPerYear, ok.params.periodsPerYearSource]).toEqual([98280, "option"]);
  });
});
