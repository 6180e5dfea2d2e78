/**
 * The rules a risk number depends on, where the reference libraries
 * disagree, one preset per library (`risk --compat`). hftlab's own preset
 * is the SPEC §3 definition. A preset exists only once that library's own
 * asserted values are reproduced by the tests.
 */
import type { CaptureRule } from "./relative.js";

export type ConventionsName = "hftlab" | "empyrical" | "quantstats" | "performanceanalytics";

export interface RiskConventions {
  name: ConventionsName;
  /** Whether rows whose return is missing count in n for the CAGR (empyrical: len(returns)). */
  missingInObservations: boolean;
  /**
   * A missing cell of a returns file: its row dropped as `--missing` says
   * (hftlab, empyrical, PerformanceAnalytics' na.omit), or the return taken
   * as 0, its row kept (quantstats' `_prepare_returns`, `fillna(0)`, before
   * every statistic). An explicit `--missing` overrides the preset.
   */
  missingReturns: "policy" | "zero";
  /** Annual rate → per-period rate. */
  perPeriodRate: (annual: number, periodsPerYear: number) => number;
  /**
   * Sortino's denominator annualised with this many periods instead of P:
   * empyrical's `sortino_ratio` gives P·mean/(sqrt(252)·DD) for weekly and
   * monthly returns (its test_sortino asserts 0.50690062680370862 for
   * `weekly_returns` with period WEEKLY, where sqrt(52)·mean/DD is 1.1159).
   * null: P.
   */
  sortinoDownsidePeriods: number | null;
  /** Up/down capture: ratio of means (hftlab, as PerformanceAnalytics' UpDownRatios) or of CAGRs (empyrical). */
  captureRule: CaptureRule;
  /**
   * Omega's per-period threshold from the annual --mar and --risk-free:
   * mar/P (hftlab), or rf/P + (1 + mar)^(1/P) − 1 (empyrical `omega_ratio`).
   */
  omegaThreshold: (mar: number, riskFree: number, periodsPerYear: number) => number;
  /** Per-period alpha α → annual: P·α (hftlab), (1 + α)^P − 1 (empyrical ≥ 0.5). */
  annualiseAlpha: (alphaPerPeriod: number, periodsPerYear: number) => number;
  /** Information ratio annualised, P·mean(a)/(sqrt(P)·sd(a)), or per period (empyrical `excess_sharpe`). */
  annualisedInformationRatio: boolean;
  /**
   * Reported skewness and excess kurtosis: the moment estimators g1, g2
   * (hftlab; scipy bias=True; PerformanceAnalytics "moment"/"excess"), or
   * the adjusted G1, G2 of pandas' skew()/kurt() (quantstats;
   * PerformanceAnalytics "fisher"/"sample_excess"). Cornish–Fisher and the
   * PSR use g1, g2 either way.
   */
  reportedMoments: "moment" | "adjusted";
  /** VaR and ES as positive losses (hftlab) or as the (negative) return quantile (empyrical, quantstats, PerformanceAnalytics). */
  lossSign: 1 | -1;
  /** Sortino per period, mean/DD, not annualised (PerformanceAnalytics `SortinoRatio`). */
  perPeriodSortino: boolean;
  /**
   * Sharpe's numerator: P·mean(r − rf/P) (hftlab), or the CAGR of r − rf/P
   * (PerformanceAnalytics `SharpeRatio.annualized`, geometric = TRUE, its default).
   */
  sharpeNumerator: "arithmetic" | "geometric";
  /** σ of the Gaussian VaR and ES: ddof 1 (hftlab), or sqrt(m2) (PerformanceAnalytics `VaR.Gaussian`). */
  gaussianSd: "sample" | "moment";
  /** Historical ES: the mean of the returns ≤ −VaR (hftlab), or < −VaR (PerformanceAnalytics `ES.historical`). */
  strictHistoricalShortfall: boolean;
  /** Drawdown depth ≤ 0 (hftlab, empyrical, quantstats) or ≥ 0 (PerformanceAnalytics `maxDrawdown`). */
  drawdownSign: 1 | -1;
}

const divide = (annual: number, periodsPerYear: number) => annual / periodsPerYear;

export const HFTLAB_CONVENTIONS: RiskConventions = {
  name: "hftlab",
  missingInObservations: false,
  missingReturns: "policy",
  perPeriodRate: divide,
  sortinoDownsidePeriods: null,
  captureRule: "arithmetic",
  omegaThreshold: (mar, _riskFree, periodsPerYear) => mar / periodsPerYear,
  annualiseAlpha: (alpha, periodsPerYear) => periodsPerYear * alpha,
  annualisedInformationRatio: true,
  reportedMoments: "moment",
  lossSign: 1,
  perPeriodSortino: false,
  sharpeNumerator: "arithmetic",
  gaussianSd: "sample",
  strictHistoricalShortfall: false,
  drawdownSign: 1,
};

const PRESETS: Record<ConventionsName, RiskConventions> = {
  hftlab: HFTLAB_CONVENTIONS,
  // empyrical 0.5.5 / empyrical-reloaded 0.5.x (stats.py), checked against its tests/test_stats.py.
  empyrical: {
    ...HFTLAB_CONVENTIONS,
    name: "empyrical",
    missingInObservations: true,
    sortinoDownsidePeriods: 252,
    captureRule: "geometric",
    omegaThreshold: (mar, riskFree, periodsPerYear) =>
      riskFree / periodsPerYear + (periodsPerYear === 1 ? mar : (1 + mar) ** (1 / periodsPerYear) - 1),
    annualiseAlpha: (alpha, periodsPerYear) => (1 + alpha) ** periodsPerYear - 1,
    annualisedInformationRatio: false,
    lossSign: -1,
  },
  // quantstats ≥ 0.0.77 (stats.py), checked against its tests/data/reference_values.json.
  quantstats: {
    ...HFTLAB_CONVENTIONS,
    name: "quantstats",
    missingReturns: "zero",
    reportedMoments: "adjusted",
    lossSign: -1,
  },
  // R PerformanceAnalytics 2.1.0, checked against its outputs recorded by WatchTree-19/vetted (oracle.json).
  performanceanalytics: {
    ...HFTLAB_CONVENTIONS,
    name: "performanceanalytics",
    lossSign: -1,
    perPeriodSortino: true,
    sharpeNumerator: "geometric",
    gaussianSd: "moment",
    strictHistoricalShortfall: true,
    drawdownSign: -1,
  },
};

export function conventionsNamed(name: ConventionsName): RiskConventions {
  return PRESETS[name];
}
