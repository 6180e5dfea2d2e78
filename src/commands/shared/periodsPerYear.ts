import { Option } from "commander";
import { usageError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { type Frequency, inferFrequency } from "../../io/table/frequency.js";
import { parseNumber } from "./options.js";

/**
 * `--periods-per-year`, shared by every command that annualises (optimize,
 * regime, risk, backtest): given, it is used as is; else it comes from the
 * time stamps' frequency (io/table/frequency.ts: daily 252, weekly 52,
 * monthly 12, quarterly 4, yearly 1); numeric stamps (epoch integers,
 * fractional years) keep 252; intraday stamps are a usage error that asks
 * for the flag. `params` echo the value and its source.
 */

/** Where P came from: the flag, the stamps' frequency, or the default for stamps that are numbers. */
export type PeriodsPerYearSource = "option" | Exclude<Frequency, "intraday"> | "default";

export const DEFAULT_PERIODS_PER_YEAR = 252;

export interface AnnualisedOptions {
  periodsPerYear: number;
  periodsPerYearSource?: PeriodsPerYearSource;
}

export function periodsPerYearOption(): Option {
  return new Option(
    "--periods-per-year <P>",
    "periods per year for annualisation (default: from the time stamps: daily 252, weekly 52, monthly 12, " +
      "quarterly 4, yearly 1; 252 for numeric stamps; intraday stamps need the flag)",
  ).argParser(parseNumber("--periods-per-year", (x) => (x > 0 ? undefined : "must be greater than 0.")));
}

/** Settles `options.periodsPerYear` (and its source) from the flag or from `frame`'s time stamps. */
export function resolvePeriodsPerYear(
  frame: Pick<Frame, "time" | "source">,
  options: AnnualisedOptions,
): void {
  if (options.periodsPerYear !== undefined && options.periodsPerYearSource === undefined) {
    options.periodsPerYearSource = "option";
    return;
  }
  const inferred = inferFrequency(frame.time);
  if (inferred === null) {
    options.periodsPerYear = DEFAULT_PERIODS_PER_YEAR;
    options.periodsPerYearSource = "default";
    return;
  }
  if (inferred.periodsPerYear === null) {
    throw usageError(
      `the time stamps of ${frame.source} are intraday (median step ${describeStep(inferred.medianStepSeconds)}): ` +
        "annualising needs --periods-per-year",
      "say how many bars make a year, e.g. --periods-per-year 98280 for one-minute bars of 6.5-hour sessions, 252 days a year",
    );
  }
  options.periodsPerYear = inferred.periodsPerYear;
  options.periodsPerYearSource = inferred.frequency as PeriodsPerYearSource;
}

export function periodsPerYearParams(options: AnnualisedOptions): Record<string, unknown> {
  return {
    periodsPerYear: options.periodsPerYear,
    periodsPerYearSource: options.periodsPerYearSource ?? "option",
  };
}

function describeStep(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Number((seconds / 60).toPrecision(4))} min`;
  return `${Number((seconds / 3600).toPrecision(4))} h`;
}
