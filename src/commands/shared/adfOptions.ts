import { type Command, Option } from "commander";
import { inputError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { type AdfAutolag, type AdfRegression, adfLagCap } from "../../numerics/timeseries/adf.js";
import { parseInteger } from "./options.js";

/**
 * The ADF and Engle–Granger options `meanrev` and `pairs` share, declared
 * once so both read and document them alike: --adf-regression, --adf-autolag
 * and --adf-lags (statsmodels' regression/trend, autolag and maxlag).
 */

/** `--adf-autolag` as written, and the rule adfTest takes for it. */
export const ADF_AUTOLAG = { aic: "AIC", bic: "BIC", "t-stat": "t-stat", none: null } as const;
export type AdfAutolagName = keyof typeof ADF_AUTOLAG;

export interface AdfCommandOptions {
  adfRegression: AdfRegression;
  adfAutolag?: AdfAutolagName;
  adfLags?: number;
}

export function addAdfOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--adf-regression <terms>",
        "deterministic terms of the ADF regression, and of the Engle-Granger cointegrating regression: " +
          "c constant, ct and trend, ctt and quadratic trend, n none",
      )
        .choices(["c", "ct", "ctt", "n"])
        .default("c"),
    )
    .addOption(
      new Option(
        "--adf-autolag <rule>",
        "ADF lag choice, as statsmodels' adfuller: aic, bic, t-stat (from the largest lag down, the first " +
          "with |t| >= 1.645) or none (the lag is --adf-lags); default aic, none when --adf-lags is given",
      ).choices(Object.keys(ADF_AUTOLAG)),
    )
    .option(
      "--adf-lags <n>",
      "ADF lag: fixed, or with --adf-autolag the largest lag searched (default ceil(12(n/100)^(1/4)))",
      parseInteger("--adf-lags", 0),
    );
}

/** The lag rule: as given, else none with a fixed --adf-lags, else aic. */
export function adfAutolagOf(options: AdfCommandOptions): AdfAutolagName {
  return options.adfAutolag ?? (options.adfLags === undefined ? "aic" : "none");
}

/** The rule adfTest and engleGranger take. */
export function adfAutolagRule(options: AdfCommandOptions): AdfAutolag | null {
  return ADF_AUTOLAG[adfAutolagOf(options)];
}

/** A lag the series cannot carry (statsmodels' ⌊n/2⌋ − ntrend − 1) is a data error, exit 3. */
export function checkAdfLags(
  lags: number,
  rows: number,
  regression: AdfRegression,
  file: string,
  forResiduals = false,
): void {
  const cap = adfLagCap(rows, regression);
  if (lags > cap) {
    throw inputError(
      "too_few_rows",
      `too few rows for --adf-lags ${lags}: ${rows} rows allow at most ${Math.max(cap, 0)}` +
        (forResiduals ? " for the Engle-Granger test" : ""),
      { file },
      "use a smaller --adf-lags or a longer file",
    );
  }
}

/** `--log` needs positive prices: the first that is not, as an input error (exit 3) with its place. */
export function checkPositivePrices(frame: Frame): void {
  frame.columns.forEach((values, j) => {
    for (let i = 0; i < values.length; i++) {
      if (!(values[i]! > 0)) {
        throw inputError(
          "non_positive_price",
          `--log needs positive prices; ${frame.symbols[j]} has ${values[i]} at ${frame.time.at(i)}`,
          { file: frame.source, ...(frame.lines ? { line: frame.lines[i]! } : {}) },
        );
      }
    }
  });
}
