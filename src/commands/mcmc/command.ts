import { type Command, Option } from "commander";
import type { RunContext } from "../../context.js";
import { inputError, numericalError, usageError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { returnsFrame } from "../shared/returnsFrame.js";
import {
  ChainInitialisationError,
  type ChainResult,
  type ChainSettings,
  type SamplerKind,
} from "../../numerics/mcmc/chain.js";
import { summarizeParameter } from "../../numerics/mcmc/diagnostics.js";
import { buildPosteriorModel, type PosteriorModelSpec } from "../../numerics/mcmc/posteriorModels.js";
import {
  type ModelPriors,
  type PosteriorModelKind,
  type PriorChoice,
  resolvePriors,
} from "../../numerics/mcmc/posteriorPriors.js";
import type { ReturnKind } from "../../numerics/timeseries/returns.js";
import { finiteOrNull } from "../../output/json.js";
import {
  addInputOptions,
  addOutputOptions,
  addReturnsOptions,
  type CommonOptions,
  checkOutputModes,
  type InputKind,
  parseInteger,
  parseNumber,
  resolveInput,
} from "../shared/options.js";
import { CommandRun, checkFinite, dataSummary, sharedParams } from "../shared/commandRun.js";
import {
  ESS_MINIMUM,
  type McmcAnalysis,
  type McmcResult,
  type ParameterJson,
  parameterChains,
  parameterJson,
  RHAT_LIMIT,
  summaryCsv,
} from "./results.js";

export const MCMC_DEFAULTS = {
  model: "normal" as PosteriorModelKind,
  prior: "default" as PriorChoice,
  sampler: "nuts" as SamplerKind,
  chains: 4,
  draws: 2000,
  warmup: 1000,
  targetAccept: 0.8,
  maxDepth: 10,
};

interface McmcOptions extends CommonOptions {
  model: PosteriorModelKind;
  prior: PriorChoice;
  sampler: SamplerKind;
  chains: number;
  draws: number;
  warmup: number;
  targetAccept: number;
  maxDepth: number;
  returns: ReturnKind;
  inputKind: InputKind;
  diagnose?: string[];
}

const PRIOR_HELP = `Priors (mu, sigma scaled by the data y as rstanarm's autoscale does; kappa per bar):
  normal, student-t: mu ~ normal(mean(y), 2.5·sd(y)), sigma ~ exponential(1/sd(y))
  student-t:         nu ~ gamma(2, 0.1) restricted to nu > 2 (Juarez & Steel 2010)
  ou:                mu ~ normal(mean(x), 2.5·sd(x)), sigma ~ exponential(1/sd(diff(x))),
                     kappa ~ exponential(1)
  --prior flat:      p(mu, log sigma) ∝ 1; nu and kappa keep their priors (the posterior
                     would be improper without them)
Sampled on unconstrained scales: log sigma, log kappa, log(nu - 2), with the Jacobian.
ou: the exact one-bar transition x_t | x_{t-1} ~ N(mu + (x_{t-1} - mu)e^{-kappa},
sigma²(1 - e^{-2 kappa})/(2 kappa)) on levels, conditional on the first level.`;

export function registerMcmc(program: Command, context: RunContext): void {
  const command = program
    .command("mcmc")
    .summary("posterior sampling: NUTS or adaptive Metropolis, with R-hat, bulk/tail ESS and MCSE")
    .description(
      "Samples the posterior of a normal or Student-t model of one series' returns, or of an " +
        "Ornstein-Uhlenbeck model of its levels, with the No-U-Turn sampler (multinomial, dual-averaging step " +
        "size, Stan's windowed diagonal metric adaptation; analytic gradients) or adaptive random-walk " +
        "Metropolis (Haario, adapting only in warm-up). Chain c uses its own stream of the seeded PRNG, so its " +
        "draws do not depend on how many chains run. Reports per parameter the mean, sd, 5/50/95% quantiles, " +
        "rank-normalised split R-hat, bulk and tail ESS and the MCSE of the mean (Vehtari et al. 2021), and " +
        "warns as Stan does when R-hat > 1.01, ESS < 400 or any transition diverged.",
    )
    .argument(
      "[input]",
      "price (or, with --input-kind returns, returns) file with one series, or - for stdin",
    )
    .addOption(
      new Option("--model <model>", "likelihood: normal or student-t returns, or ou levels")
        .choices(["normal", "student-t", "ou"])
        .default(MCMC_DEFAULTS.model),
    )
    .addOption(
      new Option("--prior <prior>", "weakly informative data-scaled priors, or flat on (mu, log sigma)")
        .choices(["default", "flat"])
        .default(MCMC_DEFAULTS.prior),
    )
    .addOption(
      new Option("--sampler <sampler>", "nuts (No-U-Turn) or rwm (adaptive random-walk Metropolis)")
        .choices(["nuts", "rwm"])
        .default(MCMC_DEFAULTS.sampler),
    )
    .option("--chains <n>", "number of chains", parseInteger("--chains", 1, 64), MCMC_DEFAULTS.chains)
    .option(
      "--draws <n>",
      "kept draws per chain",
      parseInteger("--draws", 4, 10_000_000),
      MCMC_DEFAULTS.draws,
    )
    .option(
      "--warmup <n>",
      "warm-up (adaptation) iterations per chain, discarded",
      parseInteger("--warmup", 0, 10_000_000),
      MCMC_DEFAULTS.warmup,
    )
    .option(
      "--target-accept <delta>",
      "NUTS: target acceptance statistic of the step-size adaptation",
      parseNumber("--target-accept", (x) => (x > 0 && x < 1 ? undefined : "must be in (0, 1).")),
      MCMC_DEFAULTS.targetAccept,
    )
    .option(
      "--max-depth <n>",
      "NUTS: maximum tree depth (2^n leapfrog steps)",
      parseInteger("--max-depth", 1, 20),
      MCMC_DEFAULTS.maxDepth,
    )
    .option(
      "--diagnose <files...>",
      "no sampling: R-hat, bulk/tail ESS, MCSE and quantiles of draws another run wrote " +
        "(Stan CSV, one file per chain; or a table with a chain column, as --out writes)",
    );
  addReturnsOptions(command, "log");
  addInputOptions(command);
  addOutputOptions(command, { ndjson: false, csv: true, out: true, seed: true, strict: true });
  command.addHelpText(
    "after",
    `
${PRIOR_HELP}

Examples:
  hftlab mcmc fixtures/sp500-2000.csv
  hftlab mcmc --model student-t --columns DAX --json fixtures/eustocks.csv > posterior.json
  hftlab mcmc --model normal --prior flat --input-kind returns --chains 8 --columns DAX fixtures/eustocks-returns.csv
  hftlab mcmc --model ou --columns DAX --out draws.csv fixtures/eustocks.csv
  hftlab mcmc --sampler rwm --draws 20000 --csv fixtures/sp500-2000.csv
  hftlab mcmc --diagnose fixtures/bernoulli/bern*.csv      # Stan's chains, one file each

--out writes every kept draw as columns chain, draw, <parameters> (.csv, .tsv, .arrow).
With --strict, R-hat > 1.01, ESS < 400 or a divergence is an error (exit 4).`,
  );
  command.action(async (input: string | undefined, options: McmcOptions) => {
    await runMcmc(input, options, context);
  });
}

export async function runMcmc(
  input: string | undefined,
  options: McmcOptions,
  context: RunContext,
): Promise<void> {
  checkOutputModes(options);
  if (options.diagnose !== undefined) {
    if (input !== undefined) {
      throw usageError(
        `--diagnose reads draws files, not a price file: "${input}" is one too many`,
        "give every draws file after --diagnose",
      );
    }
    if (options.out !== undefined) throw usageError("--out applies to sampling, not to --diagnose");
    const { runDiagnose } = await import("./diagnose.js");
    await runDiagnose(options.diagnose, options, context);
    return;
  }
  if (options.sampler === "rwm" && options.maxDepth !== MCMC_DEFAULTS.maxDepth) {
    throw usageError("--max-depth applies to --sampler nuts");
  }
  if (options.model === "ou" && options.inputKind === "returns") {
    throw usageError(
      "--model ou models price levels, so --input-kind returns does not apply",
      "pass the price file itself (levels, not returns)",
    );
  }
  const source = resolveInput(input, "mcmc", context.stdinIsTty);
  const run = new CommandRun("mcmc", options, context);
  const loaded = await run.load(source);
  // ou models levels; the other models returns (computed unless the file holds them)
  const frame =
    options.model === "ou" || options.inputKind === "returns"
      ? loaded
      : returnsFrame(loaded, options.returns);
  const series = checkSeries(frame, options.model);
  const analysis = await analyse(frame, series, options, run);
  run.computed();
  checkDiagnostics(analysis, options, run);
  const result = mcmcResult(analysis, options);
  if (options.out !== undefined) await writeDraws(options.out, analysis);
  if (options.json) {
    await run.writeJson(mcmcParams(options, analysis.priors), dataSummary(frame), result);
  } else if (options.csv) {
    await context.stdout.write(summaryCsv(result.params));
  } else {
    const { renderMcmcReport } = await import("./report.js");
    await context.stdout.write(renderMcmcReport(analysis, result, run.color));
  }
}

/** The one series to model: finite, not constant, long enough (exit 2/3 otherwise). */
function checkSeries(frame: Frame, model: PosteriorModelKind): Float64Array {
  if (frame.symbols.length !== 1) {
    throw usageError(
      `mcmc models one series, but the input has ${frame.symbols.length}: ${frame.symbols.join(", ")}`,
      `choose one with --columns, e.g. --columns ${frame.symbols[0]}`,
    );
  }
  const series = frame.columns[0]!;
  const minimum = model === "ou" ? 4 : 3;
  if (series.length < minimum) {
    throw inputError(
      "too_few_rows",
      `mcmc --model ${model} needs at least ${minimum} observations, found ${series.length}`,
      {
        file: frame.source,
      },
    );
  }
  checkFinite(frame, [series]);
  if (series.every((v) => v === series[0])) {
    throw inputError("constant_series", `${frame.symbols[0]} is constant: its scale has no posterior`, {
      file: frame.source,
    });
  }
  return series;
}

async function analyse(
  frame: Frame,
  series: Float64Array,
  options: McmcOptions,
  run: CommandRun,
): Promise<McmcAnalysis> {
  const priors = resolvePriors(options.model, options.prior, series);
  const spec: PosteriorModelSpec = { kind: options.model, priors, series };
  const settings: ChainSettings = {
    sampler: options.sampler,
    warmup: options.warmup,
    draws: options.draws,
    targetAccept: options.targetAccept,
    maxDepth: options.maxDepth,
  };
  const { chainWorkersFor, runChains } = await import("../../parallel/mcmcPool.js");
  let chainResults: ChainResult[];
  try {
    chainResults = await runChains(
      spec,
      settings,
      options.chains,
      options.seed,
      chainWorkersFor(spec, settings, options.chains),
      (done) => run.progressTo(`sampling: ${done} of ${options.chains} chains done`),
    );
  } catch (error) {
    if (error instanceof ChainInitialisationError) {
      throw numericalError("mcmc_initialisation", error.message, "check the series (scale, outliers)");
    }
    throw error;
  }
  const names = buildPosteriorModel(spec).names;
  const summaries = names.map((_, j) => summarizeParameter(parameterChains(chainResults, j, names.length)));
  return { frame, names, chainResults, summaries, settings, priors };
}

function checkDiagnostics(analysis: McmcAnalysis, options: McmcOptions, run: CommandRun): void {
  const problems: string[] = [];
  const { names, summaries, chainResults } = analysis;
  const worstRhat = Math.max(...summaries.map((s) => (Number.isNaN(s.rhat) ? 0 : s.rhat)));
  if (worstRhat > RHAT_LIMIT) {
    const which = names.filter((_, j) => summaries[j]!.rhat > RHAT_LIMIT).join(", ");
    problems.push(
      `the largest R-hat is ${worstRhat.toFixed(3)} (> ${RHAT_LIMIT}, ${which}): the chains have not mixed; run longer chains`,
    );
  }
  const lowBulk = names.filter((_, j) => summaries[j]!.essBulk < ESS_MINIMUM);
  if (lowBulk.length > 0) {
    problems.push(
      `bulk ESS below ${ESS_MINIMUM} for ${lowBulk.join(", ")}: posterior means and medians may be unreliable; run more --draws`,
    );
  }
  const lowTail = names.filter((_, j) => summaries[j]!.essTail < ESS_MINIMUM);
  if (lowTail.length > 0) {
    problems.push(
      `tail ESS below ${ESS_MINIMUM} for ${lowTail.join(", ")}: posterior variances and tail quantiles may be unreliable; run more --draws`,
    );
  }
  const divergences = chainResults.reduce((sum, r) => sum + r.divergences, 0);
  if (divergences > 0) {
    problems.push(
      `${divergences} of ${options.chains * options.draws} transitions after warm-up diverged: the posterior may be biased; raise --target-accept`,
    );
  }
  const hits = chainResults.reduce((sum, r) => sum + r.maxDepthHits, 0);
  if (hits > 0) {
    run.warn(
      `${hits} transitions after warm-up hit the maximum tree depth ${options.maxDepth}; raise --max-depth`,
    );
  }
  if (problems.length > 0 && options.strict) {
    throw numericalError("mcmc_not_converged", problems[0]!, "without --strict these are warnings");
  }
  for (const problem of problems) run.warn(problem);
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function mcmcResult(analysis: McmcAnalysis, options: McmcOptions): McmcResult {
  const params: Record<string, ParameterJson> = {};
  analysis.names.forEach((name, j) => {
    params[name] = parameterJson(analysis.summaries[j]!);
  });
  const chains = analysis.chainResults;
  return {
    model: options.model,
    sampler: options.sampler,
    series: analysis.frame.symbols[0]!,
    observations: analysis.frame.columns[0]!.length,
    params,
    acceptanceRate: finiteOrNull(mean(chains.map((c) => c.acceptanceRate))),
    divergences: chains.reduce((sum, c) => sum + c.divergences, 0),
    stepSize: finiteOrNull(mean(chains.map((c) => c.stepSize))),
    maxTreeDepthHits: chains.reduce((sum, c) => sum + c.maxDepthHits, 0),
    chains: chains.map((c, i) => ({
      chain: i + 1,
      acceptanceRate: finiteOrNull(c.acceptanceRate),
      divergences: c.divergences,
      stepSize: finiteOrNull(c.stepSize),
      gradientEvaluations: c.gradientEvaluations,
    })),
  };
}

function mcmcParams(options: McmcOptions, priors: ModelPriors): Record<string, unknown> {
  return {
    model: options.model,
    prior: options.prior,
    priors,
    sampler: options.sampler,
    chains: options.chains,
    draws: options.draws,
    warmup: options.warmup,
    targetAccept: options.targetAccept,
    maxDepth: options.maxDepth,
    ...sharedParams(options),
  };
}

/** --out: every kept draw as chain, draw (both from 1), then the parameters. */
async function writeDraws(path: string, analysis: McmcAnalysis): Promise<void> {
  const { writeTable } = await import("../../io/write.js");
  type Column = Parameters<typeof writeTable>[1][number];
  const d = analysis.names.length;
  const perChain = analysis.settings.draws;
  const total = perChain * analysis.chainResults.length;
  const chain = new Int32Array(total);
  const draw = new Int32Array(total);
  const values = analysis.names.map(() => new Float64Array(total));
  analysis.chainResults.forEach((r, c) => {
    for (let i = 0; i < perChain; i++) {
      const row = c * perChain + i;
      chain[row] = c + 1;
      draw[row] = i + 1;
      for (let j = 0; j < d; j++) values[j]![row] = r.draws[i * d + j]!;
    }
  });
  const columns: Column[] = [
    { name: "chain", values: chain },
    { name: "draw", values: draw },
    ...analysis.names.map((name, j) => ({ name, values: values[j]! })),
  ];
  await writeTable(path, columns);
}
