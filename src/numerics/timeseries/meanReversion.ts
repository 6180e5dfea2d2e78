import { type AdfAutolag, type AdfRegression, adfMinimumLength, adfTest } from "./adf.js";
import { hurstDfa, hurstRescaledRange } from "./hurst.js";
import { fitOrnsteinUhlenbeck } from "./ornsteinUhlenbeck.js";
import { hysteresisPositions, zScores } from "./positions.js";
import { rollingMeanStd } from "./rollingMoments.js";

/**
 * Everything `meanrev` reports for one series, composed from the kernels:
 * rolling z-scores and hysteresis positions on the values as given, and the
 * OU fit, Hurst exponent and ADF test on the analysed level series (the
 * values, or their logarithms with --log).
 */
export type HurstMethod = "rs" | "dfa";

export interface MeanReversionOptions {
  window: number;
  entry: number;
  exit: number;
  hurstMethod: HurstMethod;
  adf: boolean;
  /** Deterministic terms of the ADF regression (statsmodels' regression): c, ct, ctt or n. */
  adfRegression: AdfRegression;
  /** The ADF lag rule (statsmodels' autolag; null: the lag is adfMaxLag, or the default maximum). */
  adfAutolag: AdfAutolag | null;
  /** The fixed lag (adfAutolag null) or the largest lag searched; default ceil(12·(n/100)^{1/4}). */
  adfMaxLag?: number;
  hurst: boolean;
}

export type AdfResult = ReturnType<typeof adfTest>;

export interface OuSummary {
  kappa: number;
  mu: number;
  sigma: number;
  halfLife: number;
}

/**
 * The per-row signals a series keeps. The z-score is not among them: it is
 * `zScore(value, mean, std)` of what is kept, so writers derive it with the
 * very operation that made it (on 40M rows that is 320 MB not held).
 */
export interface SeriesSignals {
  mean: Float64Array;
  std: Float64Array;
  position: Int8Array;
}

export interface SeriesStatistics {
  ou: OuSummary;
  hurst: number;
  adf: AdfResult | null;
}

/**
 * Output arrays for `rollingSignals`. `shared` puts them on one
 * SharedArrayBuffer, so a worker thread can fill them in place.
 */
export function allocateSignals(rows: number, shared = false): SeriesSignals {
  if (!shared)
    return { mean: new Float64Array(rows), std: new Float64Array(rows), position: new Int8Array(rows) };
  const buffer = new SharedArrayBuffer(rows * 17);
  return {
    mean: new Float64Array(buffer, 0, rows),
    std: new Float64Array(buffer, rows * 8, rows),
    position: new Int8Array(buffer, rows * 16, rows),
  };
}

/**
 * Rolling mean/std, z-scores and positions of `values`, written into `out`
 * and `z` (which the caller may reuse across series: on a 2M-row file, fresh
 * arrays per symbol cost more in allocation and GC than the arithmetic).
 */
export function rollingSignals(
  values: Float64Array,
  options: Pick<MeanReversionOptions, "window" | "entry" | "exit">,
  out: SeriesSignals = allocateSignals(values.length),
  z: Float64Array = new Float64Array(values.length),
): SeriesSignals {
  rollingMeanStd(values, options.window, out.mean, out.std);
  zScores(values, out.mean, out.std, z);
  hysteresisPositions(z, options.entry, options.exit, out.position);
  return out;
}

/** Increments x_t − x_{t−1}: what the Hurst exponent is measured on. */
export function increments(levels: Float64Array): Float64Array {
  const out = new Float64Array(Math.max(0, levels.length - 1));
  for (let i = 1; i < levels.length; i++) out[i - 1] = levels[i]! - levels[i - 1]!;
  return out;
}

export function naturalLog(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.log(values[i]!);
  return out;
}

export function seriesStatistics(levels: Float64Array, options: MeanReversionOptions): SeriesStatistics {
  const fit = fitOrnsteinUhlenbeck(levels);
  const ou = { kappa: fit.kappa, mu: fit.mu, sigma: fit.sigma, halfLife: fit.halfLife };
  let hurst = Number.NaN;
  if (options.hurst) {
    const steps = increments(levels);
    hurst = options.hurstMethod === "dfa" ? hurstDfa(steps) : hurstRescaledRange(steps);
  }
  // Too short for even a lag-0 regression: no test rather than a throw (the command warns).
  const adf =
    options.adf && levels.length >= adfMinimumLength(options.adfRegression)
      ? adfTest(levels, {
          regression: options.adfRegression,
          autolag: options.adfAutolag,
          ...(options.adfMaxLag === undefined ? {} : { maxLag: options.adfMaxLag }),
        })
      : null;
  return { ou, hurst, adf };
}

/** The signal at the last bar. */
export interface LastSignal {
  mean: number;
  std: number;
  z: number;
  position: number;
}

/** A series' signals in brief: the last bar's, and the recent z-scores. */
export interface SignalSummary {
  last: LastSignal;
  /** The z-scores of the last `recentBars` bars (for a sparkline). */
  recentZ: Float64Array;
}

export interface SeriesAnalysis extends SignalSummary {
  statistics: SeriesStatistics;
}

/**
 * The whole per-series job of `meanrev`: the signals (`seriesSignals`) and
 * the statistics on the level series (`values`, or their logs when
 * `logLevels`). Self-contained so it can run on any thread.
 */
export function analyseSeries(
  values: Float64Array,
  logLevels: boolean,
  options: MeanReversionOptions,
  recentBars: number,
  out: SeriesSignals,
  z: Float64Array,
): SeriesAnalysis {
  return {
    ...seriesSignals(values, options, recentBars, out, z),
    statistics: levelStatistics(values, logLevels, options),
  };
}

/** The signals of `values` written into `out` (z-scores into the scratch `z`, as long as `values`). */
export function seriesSignals(
  values: Float64Array,
  options: MeanReversionOptions,
  recentBars: number,
  out: SeriesSignals,
  z: Float64Array,
): SignalSummary {
  const rows = values.length;
  rollingSignals(values, options, out, z);
  const i = rows - 1;
  return {
    last: { mean: out.mean[i]!, std: out.std[i]!, z: z[i]!, position: out.position[i]! },
    recentZ: z.slice(Math.max(0, rows - recentBars)),
  };
}

/** The statistics of the level series: `values`, or their logs when `logLevels`. */
export function levelStatistics(
  values: Float64Array,
  logLevels: boolean,
  options: MeanReversionOptions,
): SeriesStatistics {
  return seriesStatistics(logLevels ? naturalLog(values) : values, options);
}
