import { expectedDurations } from "./model.js";
import type { GaussianHmm } from "./model.js";

export interface RegimeStatistics {
  label: string;
  /** Annualised mean of the log returns, P·μ. */
  mean: number;
  /** Annualised volatility, sqrt(P)·σ. */
  volatility: number;
  /** Fraction of bars in this regime along the Viterbi path. */
  share: number;
  /** 1/(1 − a_ii), bars. */
  expectedDuration: number;
}

export interface RegimeSegment {
  /** First and last row of the segment (inclusive). */
  startRow: number;
  endRow: number;
  /** Index into the regime order. */
  regime: number;
}

export interface RegimeReport {
  /** order[r] = HMM state shown as regime r. */
  order: number[];
  regimes: RegimeStatistics[];
  /** Transition matrix in regime order, K×K. */
  transmat: Float64Array;
  /** Viterbi path in regime indices. */
  path: Int32Array;
  segments: RegimeSegment[];
}

/**
 * Names and orders the states of a univariate HMM of log returns (SPEC §2
 * `regime`): with 2 states `calm`/`turbulent` by ascending volatility; with
 * 3 `bear`/`sideways`/`bull` by ascending mean; otherwise `regime1..K` by
 * ascending mean. Annualisation with P periods per year: mean P·μ,
 * volatility sqrt(P)·σ.
 *
 * @example labelsFor(2) // => ["calm", "turbulent"]
 */
export function labelsFor(states: number): string[] {
  if (states === 2) return ["calm", "turbulent"];
  if (states === 3) return ["bear", "sideways", "bull"];
  return Array.from({ length: states }, (_, i) => `regime${i + 1}`);
}

/**
 * The states of a univariate HMM in regime order (`order[r]` is the state
 * labelled `labelsFor(K)[r]`): by ascending volatility for 2 states, by
 * ascending mean otherwise, ties by state index.
 *
 * @example regimeOrder({ states: 2, means: [0, 0], covars: [4, 1], … }) // => [1, 0] (calm is state 1)
 */
export function regimeOrder(model: GaussianHmm): number[] {
  const k = model.states;
  const sd = (s: number) => Math.sqrt(model.covars[s]!);
  const order = Array.from({ length: k }, (_, s) => s);
  if (k === 2) order.sort((a, b) => sd(a) - sd(b) || a - b);
  else order.sort((a, b) => model.means[a]! - model.means[b]! || a - b);
  return order;
}

export function regimeReport(
  model: GaussianHmm,
  statePath: Int32Array,
  periodsPerYear: number,
): RegimeReport {
  const k = model.states;
  const rows = statePath.length;
  const sd = (s: number) => Math.sqrt(model.covars[s]!);
  const order = regimeOrder(model);
  const regimeOf = new Int32Array(k);
  order.forEach((s, r) => {
    regimeOf[s] = r;
  });
  const path = new Int32Array(rows);
  const counts = new Float64Array(k);
  for (let t = 0; t < rows; t++) {
    const r = regimeOf[statePath[t]!]!;
    path[t] = r;
    counts[r] = counts[r]! + 1;
  }
  const durations = expectedDurations(model.transmat, k);
  const labels = labelsFor(k);
  const regimes = order.map((s, r) => ({
    label: labels[r]!,
    mean: periodsPerYear * model.means[s]!,
    volatility: Math.sqrt(periodsPerYear) * sd(s),
    share: rows > 0 ? counts[r]! / rows : 0,
    expectedDuration: durations[s]!,
  }));
  const transmat = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) transmat[a * k + b] = model.transmat[order[a]! * k + order[b]!]!;
  return { order, regimes, transmat, path, segments: segmentsOf(path) };
}

/**
 * Maximal runs of one regime along a path, in time order.
 *
 * @example segmentsOf(Int32Array.of(0, 0, 1, 1, 1, 0)) // => [{0,1,0}, {2,4,1}, {5,5,0}] as {startRow, endRow, regime}
 */
export function segmentsOf(path: Int32Array): RegimeSegment[] {
  const out: RegimeSegment[] = [];
  let start = 0;
  for (let t = 1; t <= path.length; t++) {
    if (t === path.length || path[t] !== path[start]) {
      if (path.length > 0) out.push({ startRow: start, endRow: t - 1, regime: path[start]! });
      start = t;
    }
  }
  return out;
}
