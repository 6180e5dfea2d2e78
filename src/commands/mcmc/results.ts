import type { Frame } from "../../io/frame.js";
import type { ChainResult, ChainSettings, SamplerKind } from "../../numerics/mcmc/chain.js";
import type { ParameterSummary } from "../../numerics/mcmc/diagnostics.js";
import type { ModelPriors, PosteriorModelKind } from "../../numerics/mcmc/posteriorPriors.js";
import { finiteOrNull } from "../../output/json.js";

/**
 * The shapes `hftlab mcmc` computes and writes: what the command hands its report,
 * and the `result` object of its JSON envelope. Kept apart from the command
 * so that the report reads them without importing the command back.
 */

/** Stan's thresholds for its warnings (Vehtari et al. 2021): R-hat above 1.01, bulk or tail ESS below 400. */
export const RHAT_LIMIT = 1.01;
export const ESS_MINIMUM = 400;

export type ParameterJson = { [K in keyof ParameterSummary]: number | null };

export interface McmcResult {
  model: PosteriorModelKind;
  sampler: SamplerKind;
  series: string;
  observations: number;
  params: Record<string, ParameterJson>;
  acceptanceRate: number | null;
  divergences: number;
  stepSize: number | null;
  maxTreeDepthHits: number;
  chains: {
    chain: number;
    acceptanceRate: number | null;
    divergences: number;
    stepSize: number | null;
    gradientEvaluations: number;
  }[];
}

export interface McmcAnalysis {
  frame: Frame;
  names: readonly string[];
  chainResults: ChainResult[];
  summaries: ParameterSummary[];
  settings: ChainSettings;
  priors: ModelPriors;
}

/** Parameter j's draws, one Float64Array per chain. */
export function parameterChains(results: ChainResult[], j: number, dimension: number): Float64Array[] {
  return results.map((r) => {
    const draws = r.draws.length / dimension;
    const chain = new Float64Array(draws);
    for (let i = 0; i < draws; i++) chain[i] = r.draws[i * dimension + j]!;
    return chain;
  });
}

/** The `--csv` summary: one line per parameter, the `params` keys as columns. */
export function summaryCsv(params: Record<string, ParameterJson>): string {
  const keys = ["mean", "sd", "q05", "q50", "q95", "rhat", "essBulk", "essTail", "mcse"] as const;
  const lines = [`parameter,${keys.join(",")}`];
  for (const [name, p] of Object.entries(params)) {
    lines.push(`${name},${keys.map((k) => (p[k] === null ? "" : String(p[k]))).join(",")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A parameter's summary as JSON: non-finite numbers become null. */
export function parameterJson(summary: ParameterSummary): ParameterJson {
  return {
    mean: finiteOrNull(summary.mean),
    sd: finiteOrNull(summary.sd),
    q05: finiteOrNull(summary.q05),
    q50: finiteOrNull(summary.q50),
    q95: finiteOrNull(summary.q95),
    rhat: finiteOrNull(summary.rhat),
    essBulk: finiteOrNull(summary.essBulk),
    essTail: finiteOrNull(summary.essTail),
    mcse: finiteOrNull(summary.mcse),
  };
}
