import type { TimeColumn } from "../frame.js";
import { isoKey, monthNameKey } from "./timeStamps.js";

/**
 * The sampling frequency of a time column, for the default of
 * `--periods-per-year`.
 *
 * Rule (xts's `periodicity()`, which PerformanceAnalytics' annualisation
 * reads): the median step between consecutive date stamps is intraday below
 * one day; daily at exactly one day (a business-day calendar's weekends and
 * holidays do not move the median); weekly up to 7 days; monthly up to 31;
 * quarterly up to 92 (xts's older bound of 91 days calls calendar quarters,
 * whose steps are 90–92 days with a median of 91.5, yearly); yearly above. Periods per year are
 * PerformanceAnalytics': daily 252, weekly 52, monthly 12, quarterly 4,
 * yearly 1. Intraday is not guessed (as PerformanceAnalytics refuses "data
 * periodicity too high"): sessions, hours and calendars differ too much.
 * Numbers (epoch integers, fractional years) carry no calendar: no
 * inference, the caller keeps its default.
 *
 * References: J. A. Ryan, J. M. Ulrich, xts `periodicity.R`;
 * B. G. Peterson, P. Carl, PerformanceAnalytics `Return.annualized`.
 */
export type Frequency = "intraday" | "daily" | "weekly" | "monthly" | "quarterly" | "yearly";

export interface InferredFrequency {
  frequency: Frequency;
  /** Periods per year (null for intraday). */
  periodsPerYear: number | null;
  /** The median step, seconds. */
  medianStepSeconds: number;
}

const PERIODS: Record<Exclude<Frequency, "intraday">, number> = {
  daily: 252,
  weekly: 52,
  monthly: 12,
  quarterly: 4,
  yearly: 1,
};

const DAY = 86_400;

/** Steps sampled at most (evenly spaced), so a 2M-row file costs a few thousand parses. */
const MAX_STEPS = 4001;

/**
 * The frequency of `time`, or null when its stamps are not dates (numbers)
 * or there are fewer than two.
 *
 * @example inferFrequency(TimeColumn.fromStrings(["2000-01-31", "2000-02-29", "2000-03-31"])) // => monthly, 12
 */
export function inferFrequency(time: TimeColumn): InferredFrequency | null {
  const n = time.length;
  if (n < 2) return null;
  const parse =
    isoKey(time.at(0)) !== undefined ? isoKey : monthNameKey(time.at(0)) !== undefined ? monthNameKey : null;
  if (parse === null) return null;
  const count = Math.min(n - 1, MAX_STEPS);
  const steps = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const i = count === n - 1 ? k : Math.floor((k * (n - 2)) / (count - 1));
    const a = parse(time.at(i));
    const b = parse(time.at(i + 1));
    if (a === undefined || b === undefined) return null;
    steps[k] = (b - a) / 1000;
  }
  steps.sort();
  const median = count % 2 === 1 ? steps[(count - 1) / 2]! : (steps[count / 2 - 1]! + steps[count / 2]!) / 2;
  const frequency = frequencyOfStep(median);
  return {
    frequency,
    periodsPerYear: frequency === "intraday" ? null : PERIODS[frequency],
    medianStepSeconds: median,
  };
}

/** xts's thresholds on the median step in seconds. */
export function frequencyOfStep(seconds: number): Frequency {
  if (seconds < DAY) return "intraday";
  if (seconds === DAY) return "daily";
  if (seconds <= 7 * DAY) return "weekly";
  if (seconds <= 31 * DAY) return "monthly";
  if (seconds <= 92 * DAY) return "quarterly";
  return "yearly";
}
