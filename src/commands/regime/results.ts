import type { RegimeReport } from "../../numerics/hmm/regimes.js";

/**
 * The shapes `hftlab regime` computes and writes: what the command hands its report,
 * and the `result` object of its JSON envelope. Kept apart from the command
 * so that the report reads them without importing the command back.
 */

export interface RegimeSeriesResult {
  symbol: string;
  current: { regime: string; probability: number | null; since: string; bars: number };
  regimes: {
    label: string;
    mean: number | null;
    volatility: number | null;
    share: number;
    expectedDuration: number | null;
  }[];
  transmat: number[][];
  segments: { start: string; end: string; regime: string; bars: number }[];
  logLikelihood: number | null;
  iterations: number;
  converged: boolean;
}

export interface RegimeResult {
  series: RegimeSeriesResult[];
  changed?: string[];
}

/** One symbol's analysis, for the JSON and the human report. */
export interface RegimeAnalysis {
  symbol: string;
  prices: Float64Array | null;
  report: RegimeReport;
  json: RegimeSeriesResult;
  /** Every row's smoothed state probabilities (HMM state order), kept for --report only. */
  posteriors: Float64Array | null;
}
