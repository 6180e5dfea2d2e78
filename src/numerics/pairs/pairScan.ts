import { centredCorrelation, centreSeries } from "../stats/correlation.js";
import { type AdfAutolag, type AdfRegression, adfDefaultMaxLag } from "../timeseries/adf.js";
import {
  type CentredMoments,
  centredMoments,
  EngleGrangerScratch,
  engleGranger,
  spreadSeries,
} from "../timeseries/engleGranger.js";
import { hurstRescaledRange } from "../timeseries/hurst.js";
import { fitOrnsteinUhlenbeck } from "../timeseries/ornsteinUhlenbeck.js";
import { periodReturns } from "../timeseries/returns.js";

/**
 * The per-pair work of a cointegration scan (`hftlab pairs`), split in two
 * so that the expensive description is computed only for the pairs that
 * need one:
 *
 * - `test`: the Engle–Granger test of A on B — hedge ratio, intercept, ADF
 *   statistic of the residuals, MacKinnon p-value, lag — by `engleGranger`,
 *   the very function `meanrev --pair` calls, with each column's centred
 *   moments formed once per scan instead of once per pair (the same sums,
 *   so the same doubles) and its memory reused;
 * - `describe`: the spread A − c − hB's OU half-life (`fitOrnsteinUhlenbeck`,
 *   meanrev's AR(1) convention), its Hurst exponent (R/S of its increments,
 *   meanrev's default `hurstRescaledRange`) and the correlation of the two
 *   columns' simple returns.
 *
 * Everything a thread needs is in a `PairUniverse` of flat Float64Arrays, so
 * it can live on a SharedArrayBuffer and reach worker threads without a copy.
 */

/** The settings of the test, as `meanrev`'s --adf-regression, --adf-autolag and --adf-lags. */
export interface PairTestSettings {
  /** Deterministic terms of the cointegrating regression (coint's trend). */
  trend: AdfRegression;
  autolag: AdfAutolag | null;
  /** The fixed lag, or the largest searched; default statsmodels'. */
  maxLag?: number;
}

/** Fields of a test record, in this order. */
export const TEST_FIELDS = ["hedgeRatio", "intercept", "stat", "pValue", "lags"] as const;
/** Fields of a description record, in this order. */
export const DESCRIPTION_FIELDS = ["halfLife", "hurst", "correlation"] as const;

/**
 * The columns of a scan, laid out flat: column j's levels (prices, or log
 * prices) at levels[j·rows … (j+1)·rows), its simple returns, centred, at
 * returns[j·(rows−1) …]; per column the levels' mean and Σ(v − v̄)² and the
 * returns' Σ(r − r̄)².
 */
export interface PairUniverse {
  rows: number;
  columns: number;
  levels: Float64Array;
  levelMeans: Float64Array;
  levelSquares: Float64Array;
  returns: Float64Array;
  returnSquares: Float64Array;
}

/**
 * Lays out the universe (on one SharedArrayBuffer when `shared`): `levels`
 * are what the test runs on (the prices, or their logarithms), `prices` what
 * the returns are taken of.
 */
export function prepareUniverse(
  levels: readonly Float64Array[],
  prices: readonly Float64Array[],
  shared: boolean,
): PairUniverse {
  const columns = levels.length;
  const rows = levels[0]?.length ?? 0;
  const steps = Math.max(0, rows - 1);
  const doubles = columns * (rows + steps + 3);
  const memory = shared ? new SharedArrayBuffer(doubles * 8) : new ArrayBuffer(doubles * 8);
  let offset = 0;
  const take = (length: number): Float64Array => {
    const view = new Float64Array(memory, offset * 8, length);
    offset += length;
    return view;
  };
  const universe: PairUniverse = {
    rows,
    columns,
    levels: take(columns * rows),
    levelMeans: take(columns),
    levelSquares: take(columns),
    returns: take(columns * steps),
    returnSquares: take(columns),
  };
  for (let j = 0; j < columns; j++) {
    const level = universe.levels.subarray(j * rows, (j + 1) * rows);
    level.set(levels[j]!);
    const moments = centredMoments(level);
    universe.levelMeans[j] = moments.mean;
    universe.levelSquares[j] = moments.sumSquares;
    const returns = universe.returns.subarray(j * steps, (j + 1) * steps);
    periodReturns(prices[j]!, "simple", returns);
    universe.returnSquares[j] = centreSeries(returns, returns);
  }
  return universe;
}

/** One thread's scanner over a universe: views, per-column moments and scratch memory. */
export class PairScanner {
  private readonly levels: Float64Array[];
  private readonly returns: Float64Array[];
  private readonly moments: CentredMoments[];
  private readonly scratch: EngleGrangerScratch;
  private readonly spread: Float64Array;
  private readonly steps: Float64Array;
  private readonly options: PairTestSettings;

  constructor(
    private readonly universe: PairUniverse,
    settings: PairTestSettings,
  ) {
    const { rows, columns } = universe;
    const steps = Math.max(0, rows - 1);
    this.levels = Array.from({ length: columns }, (_, j) =>
      universe.levels.subarray(j * rows, (j + 1) * rows),
    );
    this.returns = Array.from({ length: columns }, (_, j) =>
      universe.returns.subarray(j * steps, (j + 1) * steps),
    );
    this.moments = Array.from({ length: columns }, (_, j) => ({
      mean: universe.levelMeans[j]!,
      sumSquares: universe.levelSquares[j]!,
    }));
    this.scratch = new EngleGrangerScratch(rows, settings.maxLag ?? adfDefaultMaxLag(rows, "n"));
    this.spread = new Float64Array(rows);
    this.steps = new Float64Array(steps);
    this.options = { ...settings };
  }

  /**
   * The Engle–Granger test of column a on column b, written at out[offset …]
   * in `TEST_FIELDS` order: exactly `engleGranger(levels[a], levels[b], …)`.
   */
  test(a: number, b: number, out: Float64Array, offset: number): void {
    const { trend, autolag, maxLag } = this.options;
    const result = engleGranger(
      this.levels[a]!,
      this.levels[b]!,
      maxLag === undefined ? { trend, autolag } : { trend, autolag, maxLag },
      { y: this.moments[a]!, x: this.moments[b]!, scratch: this.scratch },
    );
    out[offset] = result.hedgeRatio;
    out[offset + 1] = result.intercept;
    out[offset + 2] = result.stat;
    out[offset + 3] = result.pValue;
    out[offset + 4] = result.lags;
  }

  /**
   * The spread a − intercept − hedgeRatio·b's half-life and Hurst exponent,
   * and the returns' correlation, at out[offset …] in `DESCRIPTION_FIELDS` order.
   */
  describe(
    a: number,
    b: number,
    hedgeRatio: number,
    intercept: number,
    out: Float64Array,
    offset: number,
  ): void {
    const spread = this.spread;
    spreadSeries(this.levels[a]!, this.levels[b]!, hedgeRatio, intercept, spread);
    // the increments, as meanReversion.ts `increments` forms them, into reused memory
    const steps = this.steps;
    for (let i = 1; i < spread.length; i++) steps[i - 1] = spread[i]! - spread[i - 1]!;
    out[offset] = fitOrnsteinUhlenbeck(spread).halfLife;
    out[offset + 1] = hurstRescaledRange(steps);
    out[offset + 2] = centredCorrelation(
      this.returns[a]!,
      this.returns[b]!,
      this.universe.returnSquares[a]!,
      this.universe.returnSquares[b]!,
    );
  }
}
