/**
 * Per-bar risk metrics over the last N returns (`risk --rolling N`).
 */
import { rollingMeanStd } from "../timeseries/rollingMoments.js";
import type { GrowthKind } from "./drawdowns.js";

export interface RollingRiskOutput {
  /** Compounded return of the window, Π(1 + r) − 1. */
  windowReturn: Float64Array;
  /** sqrt(P)·sd (ddof 1). */
  volatility: Float64Array;
  /** sqrt(P)·(mean − rf/P)/sd. */
  sharpe: Float64Array;
  /** W_t / max(W_{t−N}, …, W_t) − 1: the drawdown from the window's own high, W_{t−N} its start. */
  drawdown: Float64Array;
  /** cov(r, b)/var(b) over the window, when a benchmark is given. */
  beta: Float64Array | null;
}

export interface RollingRiskSettings {
  window: number;
  periodsPerYear: number;
  riskFreePerPeriod: number;
  kind: GrowthKind;
}

/**
 * Fills `out` (arrays of length n) for r (and benchmark b); entries before
 * the first full window (t < N − 1) are NaN, as pandas' `rolling(N)`.
 *
 * Method: mean and sd by the shared rolling kernel (`rollingMeanStd`, the
 * one `meanrev` and `stream` use, exact after spikes); the log wealth
 * L_t = Σ ln(1 + r) gives the window's return as expm1(L_t − L_{t−N}) and
 * the drawdown as expm1(L_t − max L over the window) with a monotone deque
 * for the running maximum (O(n) in all); beta is recomputed over each
 * window by a two-pass centred sum (O(n·N)), so no sliding update can lose
 * it to cancellation.
 *
 * Reference: the ascending-minima deque: R. Harter (2001), "The minimum on
 * a sliding window algorithm", Usenet comp.lang.c; D. Lemire (2006),
 * "Streaming maximum-minimum filter using no more than three comparisons
 * per element", arXiv:cs/0610046.
 */
export function rollingRisk(
  r: Float64Array,
  benchmark: Float64Array | null,
  settings: RollingRiskSettings,
  out: RollingRiskOutput,
): void {
  const { window, periodsPerYear, riskFreePerPeriod, kind } = settings;
  const n = r.length;
  rollingMeanStd(r, window, out.windowReturn, out.volatility);
  const rootP = Math.sqrt(periodsPerYear);
  for (let t = 0; t < n; t++) {
    const mean = out.windowReturn[t]!;
    const sd = out.volatility[t]!;
    out.sharpe[t] = (rootP * (mean - riskFreePerPeriod)) / sd;
    out.volatility[t] = rootP * sd;
  }
  // The log wealth of the window's positions (position p = after p returns) in a ring, and a
  // deque of positions whose log wealth decreases from head to tail: its head is the window's
  // high. The ring's size is a power of two, so a position's slot is a mask, not a division.
  let ring = 1;
  while (ring < window + 2) ring <<= 1;
  const mask = ring - 1;
  const logWealth = new Float64Array(ring);
  const deque = new Int32Array(ring);
  let head = 0;
  let tail = 1;
  deque[0] = 0;
  let level = 0;
  for (let t = 0; t < n; t++) {
    const position = t + 1;
    level += kind === "simple" ? Math.log1p(r[t]!) : r[t]!;
    logWealth[position & mask] = level;
    while (tail > head && logWealth[deque[(tail - 1) & mask]! & mask]! <= level) tail--;
    deque[tail & mask] = position;
    tail++;
    // The window of returns t − N + 1..t spans wealth positions t + 1 − N..t + 1.
    const first = position - window;
    while (deque[head & mask]! < first) head++;
    if (first < 0) {
      out.windowReturn[t] = Number.NaN;
      out.drawdown[t] = Number.NaN;
      continue;
    }
    out.windowReturn[t] = Math.expm1(level - logWealth[first & mask]!);
    out.drawdown[t] = Math.expm1(level - logWealth[deque[head & mask]! & mask]!);
  }
  if (out.beta !== null && benchmark !== null) rollingBeta(r, benchmark, window, out.beta);
}

function rollingBeta(r: Float64Array, b: Float64Array, window: number, out: Float64Array): void {
  const n = r.length;
  for (let t = 0; t < n; t++) {
    if (t < window - 1) {
      out[t] = Number.NaN;
      continue;
    }
    const from = t - window + 1;
    let sumR = 0;
    let sumB = 0;
    for (let i = from; i <= t; i++) {
      sumR += r[i]!;
      sumB += b[i]!;
    }
    const meanR = sumR / window;
    const meanB = sumB / window;
    let cross = 0;
    let squares = 0;
    for (let i = from; i <= t; i++) {
      const db = b[i]! - meanB;
      cross += (r[i]! - meanR) * db;
      squares += db * db;
    }
    out[t] = cross / squares;
  }
}
