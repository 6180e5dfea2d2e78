import type { engleGranger } from "../../numerics/timeseries/engleGranger.js";
import type { LastSignal, SeriesSignals, SeriesStatistics } from "../../numerics/timeseries/meanReversion.js";

/**
 * The shapes `hftlab meanrev` computes and writes: the analysed series the
 * command hands its report, and the `result` object of its JSON envelope.
 * Kept apart from the command so that the report reads them without
 * importing the command back.
 */

/** How many trailing z-scores a series keeps for the terminal sparkline. */
export const RECENT_BARS = 40;

/** What the per-row output of a series reads: its name, prices and per-row signals. */
export interface RowSeries {
  symbol: string;
  values: Float64Array;
  signals: SeriesSignals | null;
}

/**
 * One analysed series: a symbol's prices, or the pair's spread. The full
 * per-row signals are kept only when an output needs every row (--ndjson,
 * --out); otherwise one scratch set serves every series.
 */
export interface AnalysedSeries extends RowSeries {
  last: LastSignal;
  recentZ: Float64Array;
  statistics: SeriesStatistics;
}

export interface MeanrevLast {
  time: string;
  price: number | null;
  mean: number | null;
  std: number | null;
  z: number | null;
  position: number;
}

export interface MeanrevSeriesResult {
  symbol: string;
  last: MeanrevLast;
  ou: { kappa: number | null; mu: number | null; sigma: number | null; halfLife: number | null };
  hurst: number | null;
  adf: {
    stat: number | null;
    pValue: number | null;
    lags: number | null;
    nobs: number | null;
    criticalValues: Record<string, number | null> | null;
  };
}

export interface MeanrevPairResult extends MeanrevSeriesResult {
  a: string;
  b: string;
  hedgeRatio: number | null;
  intercept: number | null;
  engleGranger: {
    stat: number | null;
    pValue: number | null;
    lags: number | null;
    criticalValues: Record<string, number | null>;
  };
}

export interface MeanrevResult {
  series: MeanrevSeriesResult[];
  pair?: MeanrevPairResult;
}

export interface MeanrevAnalysis {
  series: AnalysedSeries[];
  pair?: {
    a: string;
    b: string;
    spread: AnalysedSeries;
    hedgeRatio: number;
    intercept: number;
    engleGranger: ReturnType<typeof engleGranger>;
  };
}

/** The columns of the per-row output (`--out`'s long table, `--ndjson`) after the time column. */
export const ROW_FILE_COLUMNS = ["symbol", "price", "mean", "std", "z", "position"] as const;
