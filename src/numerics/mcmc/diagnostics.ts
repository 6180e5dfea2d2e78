/**
 * Convergence diagnostics of MCMC draws, as Stan and the R package
 * `posterior` report them: rank-normalised split-R̂, bulk and tail effective
 * sample sizes, the Monte Carlo standard error of the mean, and quantiles.
 * Each function takes one parameter's draws as one Float64Array per chain
 * (all chains the same length, warm-up excluded).
 *
 * References:
 * - A. Vehtari, A. Gelman, D. Simpson, B. Carpenter, P.-C. Bürkner (2021),
 *   "Rank-normalization, folding, and localization: an improved R̂ for
 *   assessing convergence of MCMC", Bayesian Analysis 16(2), 667–718.
 *   doi:10.1214/20-BA1221
 * - C. J. Geyer (1992), "Practical Markov chain Monte Carlo", Statistical
 *   Science 7(4), 473–483 (initial positive and monotone sequences).
 * - The R package `posterior` (Bürkner, Gabry, Kay, Vehtari), R/convergence.R:
 *   the reference implementation these functions follow step by step.
 */
import { autocovariance } from "../timeseries/autocovariance.js";
import { inverseNormalCdf } from "../special/inverseNormalCdf.js";
import { neumaierSum } from "../stats/summation.js";

export type Chains = readonly Float64Array[];

export interface ParameterSummary {
  mean: number;
  sd: number;
  q05: number;
  q50: number;
  q95: number;
  rhat: number;
  essBulk: number;
  essTail: number;
  mcse: number;
}

/**
 * Each chain cut into its first and second half (the middle draw of an odd
 * length is dropped, as `posterior::split_chains` does), so a trend within a
 * chain shows up as disagreement between chains.
 *
 * @example
 * splitChains([Float64Array.of(1, 2, 3, 4, 5)]); // => [[1, 2], [4, 5]]
 */
export function splitChains(chains: Chains): Float64Array[] {
  const out: Float64Array[] = [];
  for (const chain of chains) {
    const n = chain.length;
    if (n < 2) {
      out.push(chain);
      continue;
    }
    const half = Math.floor(n / 2);
    out.push(chain.subarray(0, half), chain.subarray(n - half));
  }
  return out;
}

function allDraws(chains: Chains): Float64Array {
  let total = 0;
  for (const c of chains) total += c.length;
  const out = new Float64Array(total);
  let at = 0;
  for (const c of chains) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Average ranks (1-based; ties share the mean of their ranks), as R's `rank(ties.method = "average")`. */
export function averageRanks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && values[order[j]!] === values[order[i]!]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]!] = rank;
    i = j;
  }
  return ranks;
}

/**
 * Rank normalisation (Vehtari et al. 2021, eq. 14): every draw replaced by
 * Φ⁻¹((r − 3/8)/(S + 1/4)), r its average rank among all S draws of all
 * chains (Blom's offset, as `posterior::z_scale` via `backtransform_ranks`).
 */
export function rankNormalize(chains: Chains): Float64Array[] {
  const pooled = allDraws(chains);
  const ranks = averageRanks(pooled);
  const s = pooled.length;
  const integerRanks = normalScoresOfRanks(s);
  let at = 0;
  return chains.map((chain) => {
    const z = new Float64Array(chain.length);
    for (let i = 0; i < chain.length; i++) {
      const r = ranks[at + i]!;
      // ties give half-integer ranks; the rest come from the table
      z[i] = Number.isInteger(r) ? integerRanks[r - 1]! : inverseNormalCdf((r - 0.375) / (s + 0.25));
    }
    at += chain.length;
    return z;
  });
}

let cachedScores: Float64Array = new Float64Array(0);

/** Φ⁻¹((r − 3/8)/(S + 1/4)) for r = 1..S, computed once per S (every parameter of a run has the same S). */
function normalScoresOfRanks(s: number): Float64Array {
  if (cachedScores.length !== s) {
    const scores = new Float64Array(s);
    for (let r = 1; r <= s; r++) scores[r - 1] = inverseNormalCdf((r - 0.375) / (s + 0.25));
    cachedScores = scores;
  }
  return cachedScores;
}

function isConstant(chains: Chains): boolean {
  const first = chains[0]?.[0];
  for (const c of chains) for (let i = 0; i < c.length; i++) if (c[i] !== first) return false;
  return true;
}

function hasNonFinite(chains: Chains): boolean {
  for (const c of chains) for (let i = 0; i < c.length; i++) if (!Number.isFinite(c[i]!)) return true;
  return false;
}

/**
 * The classic potential scale reduction R̂ = √((N−1)/N + B/(N·W)) of the
 * given chains (no splitting, no ranks): B/N the variance of the chain means
 * (ddof 1), W the mean within-chain variance (ddof 1). NaN for constant or
 * non-finite draws.
 */
export function basicRhat(chains: Chains): number {
  if (chains.length === 0 || hasNonFinite(chains) || isConstant(chains)) return Number.NaN;
  const m = chains.length;
  const n = chains[0]!.length;
  if (n < 2) return Number.NaN;
  const means = new Float64Array(m);
  let within = 0;
  for (let j = 0; j < m; j++) {
    const c = chains[j]!;
    const mean = neumaierSum(c) / n;
    means[j] = mean;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (c[i]! - mean) * (c[i]! - mean);
    within += ss / (n - 1) / m;
  }
  const between = m > 1 ? n * sampleVariance(means) : 0;
  return Math.sqrt((between / within + n - 1) / n);
}

function sampleVariance(x: Float64Array): number {
  const n = x.length;
  const mean = neumaierSum(x) / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) * (x[i]! - mean);
  return ss / (n - 1);
}

/**
 * Effective sample size of the given chains (no splitting, no ranks), by
 * Geyer's initial positive sequence made monotone, with the multi-chain
 * autocorrelation ρ̂_t = 1 − (W − mean_chains(acov_t))/var⁺ of Vehtari et
 * al. (2021, eq. 10) and their improved truncation (adding the next even
 * lag, which reduces the variance in the antithetic case). τ̂ is bounded
 * below by 1/log10(M·N), so ESS ≤ M·N·log10(M·N). NaN for fewer than 3
 * draws per chain, constant or non-finite draws.
 *
 * @example
 * // an AR(1) chain with coefficient ρ has ESS ≈ N(1 − ρ)/(1 + ρ)
 */
export function effectiveSampleSize(chains: Chains): number {
  const m = chains.length;
  if (m === 0) return Number.NaN;
  const n = chains[0]!.length;
  if (n < 3 || hasNonFinite(chains) || isConstant(chains)) return Number.NaN;
  const acov = chains.map((c) => autocovariance(c));
  const chainMeans = new Float64Array(m);
  for (let j = 0; j < m; j++) chainMeans[j] = neumaierSum(chains[j]!) / n;
  const meanAcov = (t: number): number => {
    let s = 0;
    for (let j = 0; j < m; j++) s += acov[j]![t]!;
    return s / m;
  };
  const meanVar = (meanAcov(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += sampleVariance(chainMeans);
  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - meanAcov(1)) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - meanAcov(t)) / varPlus;
    rhoOdd = 1 - (meanVar - meanAcov(t + 1)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  if (rhoEven > 0) rho[maxT] = rhoEven;
  // Geyer's initial monotone sequence: pair sums may not increase.
  for (t = 2; t <= maxT - 2; t += 2) {
    if (rho[t]! + rho[t + 1]! > rho[t - 2]! + rho[t - 1]!) {
      rho[t] = (rho[t - 2]! + rho[t - 1]!) / 2;
      rho[t + 1] = rho[t]!;
    }
  }
  const total = m * n;
  let sum = 0;
  for (let k = 0; k < maxT; k++) sum += rho[k]!;
  const tau = Math.max(-1 + 2 * sum + rho[maxT]!, 1 / Math.log10(total));
  return total / tau;
}

/**
 * Rank-normalised split-R̂ (Vehtari et al. 2021, §4.2): the larger of the
 * basic R̂ of the rank-normalised split chains and of the rank-normalised
 * split chains of the folded draws |θ − median(θ)|. Above 1.01 the chains
 * have not mixed.
 */
export function splitRhat(chains: Chains, rankNormalizedSplit?: Chains): number {
  const split = splitChains(chains);
  const bulk = basicRhat(rankNormalizedSplit ?? rankNormalize(split));
  const median = quantile(allDraws(chains), 0.5);
  const folded = split.map((c) => c.map((v) => Math.abs(v - median)));
  const tail = basicRhat(rankNormalize(folded));
  return Math.max(bulk, tail);
}

/** Bulk-ESS: the ESS of the rank-normalised split chains (Vehtari et al. 2021, §4.3). */
export function essBulk(chains: Chains, rankNormalizedSplit?: Chains): number {
  return effectiveSampleSize(rankNormalizedSplit ?? rankNormalize(splitChains(chains)));
}

/** Quantile-ESS: the ESS of the indicator θ ≤ q_p over split chains (Vehtari et al. 2021, §4.3). */
export function essQuantile(chains: Chains, p: number): number {
  const q = quantile(allDraws(chains), p);
  return effectiveSampleSize(splitChains(chains).map((c) => c.map((v) => (v <= q ? 1 : 0))));
}

/** Tail-ESS: the smaller quantile-ESS of the 5% and 95% quantiles. */
export function essTail(chains: Chains): number {
  return Math.min(essQuantile(chains, 0.05), essQuantile(chains, 0.95));
}

/** ESS of the mean: the ESS of the split chains as drawn (no ranks). */
export function essMean(chains: Chains): number {
  return effectiveSampleSize(splitChains(chains));
}

/** Monte Carlo standard error of the posterior mean: sd(all draws, ddof 1)/√ESS_mean, as `posterior::mcse_mean`. */
export function mcseMean(chains: Chains): number {
  return Math.sqrt(sampleVariance(allDraws(chains)) / essMean(chains));
}

/**
 * The p-quantile of the values by linear interpolation between order
 * statistics (Hyndman & Fan type 7, R's and numpy's default).
 * @example quantile(Float64Array.of(4, 1, 3, 2), 0.5); // => 2.5
 */
export function quantile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sortedQuantile(sorted, p);
}

function sortedQuantile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Mean, sd (ddof 1), 5/50/95% quantiles, R̂, bulk/tail ESS and MCSE of the mean of one parameter. */
export function summarizeParameter(chains: Chains): ParameterSummary {
  const pooled = allDraws(chains);
  const sorted = Float64Array.from(pooled).sort();
  const normalized = rankNormalize(splitChains(chains));
  return {
    mean: neumaierSum(pooled) / pooled.length,
    sd: Math.sqrt(sampleVariance(pooled)),
    q05: sortedQuantile(sorted, 0.05),
    q50: sortedQuantile(sorted, 0.5),
    q95: sortedQuantile(sorted, 0.95),
    rhat: splitRhat(chains, normalized),
    essBulk: essBulk(chains, normalized),
    essTail: essTail(chains),
    mcse: mcseMean(chains),
  };
}
