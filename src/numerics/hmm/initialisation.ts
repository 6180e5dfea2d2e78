import { floorCovariance, maximisationWork, maximise } from "./maximisation.js";
import type { CovarianceType, GaussianHmm } from "./model.js";
import { kMeans, nearestCentres } from "./kmeans.js";
import type { Prng } from "../random/prng.js";

/** Half-width h of the centred window (2h + 1 rows) of the local moments that k-means clusters. */
export const LOCAL_MOMENT_HALF_WIDTH = 10;
/** k-means runs on at most this many (evenly spaced) rows; the rest are then labelled by nearest centre. */
export const KMEANS_SAMPLE_ROWS = 5_000;
/** Lloyd iterations of the initial clustering (a start for EM needs no more). */
export const KMEANS_ITERATIONS = 25;

export interface InitialisationSettings {
  states: number;
  covariance: CovarianceType;
  init: "kmeans" | "random";
}

/**
 * The starting model of restart `restart`.
 *
 * kmeans: the rows are clustered by k-means, and the clusters' hard
 * assignments go through the M-step itself (means and covariances of the
 * clusters by type; transitions counted along the label sequence with one
 * pseudo-count per cell, so that no transition starts at an absorbing 0),
 * then π is reset to uniform. Even restarts (0, 2, …) cluster each row's
 * local moments (mean and log-variance of every feature over a centred
 * window of 2h + 1 rows, standardised): the states of a persistent chain
 * differ in their local moments far more clearly than single rows do, and
 * clustering raw returns splits them by sign instead of by volatility (the
 * classic local optimum). Odd restarts cluster the raw rows, as hmmlearn does.
 *
 * random: K distinct random rows as means, the data's covariance for every
 * state, rows of A drawn from a flat Dirichlet, π uniform.
 */
export function initialModel(
  x: Float64Array,
  rows: number,
  d: number,
  settings: InitialisationSettings,
  restart: number,
  floor: Float64Array,
  rng: Prng,
  posteriors: Float64Array,
  transitionCounts: Float64Array,
): GaussianHmm {
  const k = settings.states;
  const model: GaussianHmm = {
    states: k,
    dimension: d,
    covariance: settings.covariance,
    startProb: new Float64Array(k).fill(1 / k),
    transmat: new Float64Array(k * k).fill(1 / k),
    means: new Float64Array(k * d),
    covars: new Float64Array(k * d * d),
  };
  const overall = dataCovariance(x, rows, d);
  floorCovariance(overall, d, settings.covariance === "tied" ? "full" : settings.covariance, floor);
  for (let s = 0; s < k; s++) model.covars.set(overall, s * d * d);
  if (settings.init === "random") {
    randomStart(x, rows, d, model, rng);
    return model;
  }
  const labels = restart % 2 === 0 ? localMomentLabels(x, rows, d, k, rng) : rowLabels(x, rows, d, k, rng);
  posteriors.fill(0);
  transitionCounts.fill(1);
  for (let t = 0; t < rows; t++) {
    posteriors[t * k + labels[t]!] = 1;
    if (t > 0) {
      const cell = labels[t - 1]! * k + labels[t]!;
      transitionCounts[cell] = transitionCounts[cell]! + 1;
    }
  }
  // The means start at the overall mean; the M-step moves every visited cluster to its own.
  for (let s = 0; s < k; s++) for (let j = 0; j < d; j++) model.means[s * d + j] = columnMean(x, rows, d, j);
  maximise(x, rows, model, posteriors, transitionCounts, floor, maximisationWork(k, d));
  model.startProb.fill(1 / k);
  return model;
}

function randomStart(x: Float64Array, rows: number, d: number, model: GaussianHmm, rng: Prng): void {
  const k = model.states;
  const picked = new Set<number>();
  for (let s = 0; s < k; s++) {
    let row = Math.floor(rng.nextFloat() * rows);
    while (picked.has(row) && picked.size < rows) row = (row + 1) % rows;
    picked.add(row);
    model.means.set(x.subarray(row * d, row * d + d), s * d);
    let total = 0;
    for (let j = 0; j < k; j++) {
      const e = -Math.log(1 - rng.nextFloat());
      model.transmat[s * k + j] = e;
      total += e;
    }
    for (let j = 0; j < k; j++) model.transmat[s * k + j] = model.transmat[s * k + j]! / total;
  }
}

/** Rows 0, stride, 2·stride, … with stride chosen so that at most KMEANS_SAMPLE_ROWS are taken. */
function sampleStride(rows: number): number {
  return Math.max(1, Math.ceil(rows / KMEANS_SAMPLE_ROWS));
}

/** k-means of the raw rows (on the sample), then every row labelled by its nearest centre. */
function rowLabels(x: Float64Array, rows: number, d: number, k: number, rng: Prng): Int32Array {
  const stride = sampleStride(rows);
  const sampleRows = Math.ceil(rows / stride);
  const sample = new Float64Array(sampleRows * d);
  for (let i = 0; i < sampleRows; i++) sample.set(x.subarray(i * stride * d, (i * stride + 1) * d), i * d);
  const { centres } = kMeans(sample, sampleRows, d, k, rng, KMEANS_ITERATIONS);
  const labels = new Int32Array(rows);
  nearestCentres(x, rows, d, centres, k, labels);
  return labels;
}

/**
 * k-means of the local moments of the sampled rows; a row between samples
 * takes the label of the nearest sample (the moments of overlapping windows
 * differ little).
 */
function localMomentLabels(x: Float64Array, rows: number, d: number, k: number, rng: Prng): Int32Array {
  const stride = sampleStride(rows);
  const features = localMoments(x, rows, d, LOCAL_MOMENT_HALF_WIDTH, stride);
  const sampleRows = Math.ceil(rows / stride);
  const { labels: sampleLabels } = kMeans(features, sampleRows, 2 * d, k, rng, KMEANS_ITERATIONS);
  const labels = new Int32Array(rows);
  for (let t = 0; t < rows; t++) labels[t] = sampleLabels[Math.min(sampleRows - 1, Math.round(t / stride))]!;
  return labels;
}

/**
 * For rows 0, stride, 2·stride, … and each feature, the mean and the
 * log-variance over the centred window [t − h, t + h] (clipped at the ends),
 * each column standardised to mean 0 and variance 1 (⌈T/stride⌉×2d
 * row-major; prefix sums, O(T·d)).
 */
export function localMoments(
  x: Float64Array,
  rows: number,
  d: number,
  halfWidth: number,
  stride = 1,
): Float64Array {
  const sampleRows = Math.ceil(rows / stride);
  const width = 2 * d;
  const out = new Float64Array(sampleRows * width);
  const sum = new Float64Array(rows + 1);
  const square = new Float64Array(rows + 1);
  for (let j = 0; j < d; j++) {
    const centre = columnMean(x, rows, d, j);
    for (let t = 0; t < rows; t++) {
      const u = x[t * d + j]! - centre;
      sum[t + 1] = sum[t]! + u;
      square[t + 1] = square[t]! + u * u;
    }
    // Keeps ln finite on locally constant stretches (without a subnormal operand, which is slow).
    const tiny = Math.max(1e-12 * (square[rows]! / rows), 1e-300);
    for (let i = 0; i < sampleRows; i++) {
      const t = i * stride;
      const from = Math.max(0, t - halfWidth);
      const to = Math.min(rows, t + halfWidth + 1);
      const n = to - from;
      const mean = (sum[to]! - sum[from]!) / n;
      const variance = Math.max(0, (square[to]! - square[from]!) / n - mean * mean);
      out[i * width + 2 * j] = mean;
      out[i * width + 2 * j + 1] = Math.log(variance + tiny);
    }
  }
  for (let c = 0; c < width; c++) {
    const mean = columnMean(out, sampleRows, width, c);
    let variance = 0;
    for (let i = 0; i < sampleRows; i++) {
      const u = out[i * width + c]! - mean;
      variance += u * u;
    }
    const scale = variance > 0 ? 1 / Math.sqrt(variance / sampleRows) : 1;
    for (let i = 0; i < sampleRows; i++) out[i * width + c] = (out[i * width + c]! - mean) * scale;
  }
  return out;
}

function columnMean(x: Float64Array, rows: number, width: number, column: number): number {
  let s = 0;
  for (let t = 0; t < rows; t++) s += x[t * width + column]!;
  return s / rows;
}

/** Population covariance of the data (d×d). */
function dataCovariance(x: Float64Array, rows: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let j = 0; j < d; j++) mean[j] = columnMean(x, rows, d, j);
  const out = new Float64Array(d * d);
  for (let t = 0; t < rows; t++) {
    for (let a = 0; a < d; a++) {
      const ua = x[t * d + a]! - mean[a]!;
      for (let b = 0; b < d; b++) out[a * d + b] = out[a * d + b]! + ua * (x[t * d + b]! - mean[b]!);
    }
  }
  for (let e = 0; e < d * d; e++) out[e] = out[e]! / rows;
  return out;
}
