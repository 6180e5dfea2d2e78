/**
 * Every summary metric of `hftlab risk` for one series of returns, under
 * one set of conventions (SPEC §3; `conventions.ts` for the rules).
 */
import type { RiskConventions } from "./conventions.js";
import { type DrawdownEpisode, type GrowthKind, wealthSummary } from "./drawdowns.js";
import { adjustedMoments, returnMoments } from "./moments.js";
import {
  compoundAnnualGrowth,
  downsideStatistics,
  omegaRatio,
  probabilisticSharpe,
  sharpeRatio,
  sortinoRatio,
} from "./performance.js";
import { linearQuantiles } from "./quantile.js";
import type { VarMethod } from "./exceedancesFromScratch.js";
import {
  cornishFisherRisk,
  ewmaRisk,
  ewmaSigma,
  gaussianRisk,
  historicalShortfall,
  tailProbability,
} from "./valueAtRisk.js";

export interface RiskSettings {
  periodsPerYear: number;
  /** Annual. */
  riskFree: number;
  /** Annual minimum acceptable return (Sortino, Omega). */
  mar: number;
  /** Annual benchmark Sharpe ratio of the PSR. */
  sharpeBenchmark: number;
  confidences: readonly number[];
  ewmaLambda: number;
  drawdowns: number;
  kind: GrowthKind;
  /** Rows counted in n beyond the returns (empyrical counts rows whose return was missing). */
  missingRows: number;
  conventions: RiskConventions;
}

export interface SeriesRisk {
  observations: number;
  totalReturn: number;
  cagr: number;
  annualReturn: number;
  volatility: number;
  sharpe: number;
  sortino: number;
  downsideDeviation: number;
  calmar: number;
  omega: number;
  tailRatio: number;
  skew: number;
  kurtosis: number;
  probabilisticSharpe: number;
  /** The deepest episode, or null when wealth never fell below a high. */
  maxDrawdown: DrawdownEpisode | null;
  drawdowns: DrawdownEpisode[];
  /** valueAtRisk[method][k], expectedShortfall[method][k] at confidences[k], positive losses. */
  valueAtRisk: Record<VarMethod, number[]>;
  expectedShortfall: Record<VarMethod, number[]>;
}

/**
 * The metrics of returns r. `scratch` (length ≥ r.length) is overwritten by
 * the quantile selection, so one buffer serves every series of a run.
 */
export function seriesRisk(r: Float64Array, settings: RiskSettings, scratch: Float64Array): SeriesRisk {
  const { periodsPerYear: P, conventions, confidences } = settings;
  const moments = returnMoments(r);
  const n = moments.observations;
  const periods = n + (conventions.missingInObservations ? settings.missingRows : 0);
  const wealth = wealthSummary(r, settings.kind, settings.drawdowns);
  const riskFreePerPeriod = conventions.perPeriodRate(settings.riskFree, P);
  const threshold = conventions.perPeriodRate(settings.mar, P);
  const downside = downsideStatistics(r, threshold);
  const omegaThreshold = conventions.omegaThreshold(settings.mar, settings.riskFree, P);
  const omegaSums = omegaThreshold === threshold ? downside : downsideStatistics(r, omegaThreshold);
  const sortinoMean = moments.mean;
  const sortino = sortinoRatio(sortinoMean, downside.downsideDeviation, threshold, P);
  const probabilities = [...confidences.map(tailProbability), 0.05, 0.95];
  const quantiles = linearQuantiles(r, probabilities, scratch, new Float64Array(probabilities.length));
  const levels = confidences.length;
  const gaussianSd = conventions.gaussianSd === "sample" ? moments.sd : Math.sqrt(moments.m2);
  const sigma = ewmaSigma(r, settings.ewmaLambda);
  const valueAtRisk: Record<VarMethod, number[]> = {
    historical: [],
    gaussian: [],
    cornishFisher: [],
    ewma: [],
  };
  const expectedShortfall: Record<VarMethod, number[]> = {
    historical: [],
    gaussian: [],
    cornishFisher: [],
    ewma: [],
  };
  for (let k = 0; k < levels; k++) {
    const c = confidences[k]!;
    const q = quantiles[k]!;
    valueAtRisk.historical.push(-q);
    expectedShortfall.historical.push(historicalShortfall(r, q, conventions.strictHistoricalShortfall));
    const gaussian = gaussianRisk(moments.mean, gaussianSd, c);
    valueAtRisk.gaussian.push(gaussian.valueAtRisk);
    expectedShortfall.gaussian.push(gaussian.expectedShortfall);
    const modified = cornishFisherRisk(moments, c);
    valueAtRisk.cornishFisher.push(modified.valueAtRisk);
    expectedShortfall.cornishFisher.push(modified.expectedShortfall);
    const ewma = ewmaRisk(sigma, c);
    valueAtRisk.ewma.push(ewma.valueAtRisk);
    expectedShortfall.ewma.push(ewma.expectedShortfall);
  }
  const cagr = compoundAnnualGrowth(wealth.logFinalWealth, periods, P);
  const maxDrawdown = wealth.episodes[0] ?? null;
  const sharpePerPeriod = (moments.mean - riskFreePerPeriod) / moments.sd;
  return {
    observations: n,
    totalReturn: Math.expm1(wealth.logFinalWealth),
    cagr,
    annualReturn: P * moments.mean,
    volatility: Math.sqrt(P) * moments.sd,
    sharpe:
      conventions.sharpeNumerator === "arithmetic"
        ? sharpeRatio(moments, riskFreePerPeriod, P)
        : compoundAnnualGrowth(
            excessLogGrowth(r, riskFreePerPeriod, settings.kind, wealth.logFinalWealth),
            n,
            P,
          ) /
          (Math.sqrt(P) * moments.sd),
    sortino: conventions.perPeriodSortino
      ? sortino / Math.sqrt(P)
      : conventions.sortinoDownsidePeriods === null
        ? sortino
        : (sortino * Math.sqrt(P)) / Math.sqrt(conventions.sortinoDownsidePeriods),
    downsideDeviation: downside.downsideDeviation,
    calmar: maxDrawdown === null ? Number.NaN : cagr / Math.abs(maxDrawdown.depth),
    omega: omegaRatio(omegaSums),
    tailRatio: Math.abs(quantiles[levels + 1]!) / Math.abs(quantiles[levels]!),
    ...(conventions.reportedMoments === "adjusted"
      ? adjustedMoments(moments)
      : { skew: moments.skew, kurtosis: moments.kurtosis }),
    probabilisticSharpe: probabilisticSharpe(
      sharpePerPeriod,
      settings.sharpeBenchmark / Math.sqrt(P),
      n,
      moments.skew,
      moments.kurtosis,
    ),
    maxDrawdown,
    drawdowns: wealth.episodes,
    valueAtRisk,
    expectedShortfall,
  };
}

/** ln Π(1 + r − rf) (simple) or Σ(r − rf) (log): the log growth of the excess returns. */
function excessLogGrowth(
  r: Float64Array,
  riskFreePerPeriod: number,
  kind: "simple" | "log",
  logGrowth: number,
): number {
  if (riskFreePerPeriod === 0) return logGrowth;
  let sum = 0;
  for (let i = 0; i < r.length; i++)
    sum += kind === "simple" ? Math.log1p(r[i]! - riskFreePerPeriod) : r[i]! - riskFreePerPeriod;
  return sum;
}
