/**
 * The rules a risk number depends on, where the reference libraries
 * disagree, one preset per library (`risk --compat`). hftlab's own preset
 * is the SPEC §3 definition.
 */
import type { QuantileRounding } from "./quantile.js";
import type { CaptureRule } from "./relative.js";

export type ConventionsName = "hftlab" | "empyrical" | "performanceanalytics" | "quantstats";

export interface RiskConventions {
  name: ConventionsName;
  /** Whether rows whose return is missing count in n for the CAGR (empyrical: len(returns)). */
  missingInObservations: boolean;
  /** Annual rate → per-period rate. */
  perPeriodRate: (annual: number, periodsPerYear: number) => number;
  quantileRounding: QuantileRounding;
  /** Historical ES averages returns < q (PerformanceAnalytics) instead of ≤ q. */
  strictHistoricalShortfall: boolean;
  /** σ of the Gaussian VaR: "sample" (ddof 1) or "moment" (sqrt(m2)). */
  gaussianSd: "sample" | "moment";
  /** Sortino annualised by sqrt(P) (empyrical, quantstats) or per period (PerformanceAnalytics' SortinoRatio). */
  annualisedSortino: boolean;
  /** Up/down capture: ratio of means (PerformanceAnalytics) or of CAGRs (empyrical). */
  captureRule: CaptureRule;
}

const divide = (annual: number, periodsPerYear: number) => annual / periodsPerYear;

export const HFTLAB_CONVENTIONS: RiskConventions = {
  name: "hftlab",
  missingInObservations: false,
  perPeriodRate: divide,
  quantileRounding: "numpy",
  strictHistoricalShortfall: false,
  gaussianSd: "sample",
  annualisedSortino: true,
  captureRule: "arithmetic",
};

const PRESETS: Record<ConventionsName, RiskConventions> = {
  hftlab: HFTLAB_CONVENTIONS,
  empyrical: {
    ...HFTLAB_CONVENTIONS,
    name: "empyrical",
    missingInObservations: true,
    captureRule: "geometric",
  },
  performanceanalytics: {
    ...HFTLAB_CONVENTIONS,
    name: "performanceanalytics",
    quantileRounding: "r",
    strictHistoricalShortfall: true,
    gaussianSd: "moment",
    annualisedSortino: false,
  },
  quantstats: { ...HFTLAB_CONVENTIONS, name: "quantstats" },
};

export function conventionsNamed(name: ConventionsName): RiskConventions {
  return PRESETS[name];
}
