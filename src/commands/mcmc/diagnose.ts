import type { RunContext } from "../../context.js";
import { inputError, numericalError } from "../../errors.js";
import { readDrawsFiles } from "../../io/files/drawsFile.js";
import { type ParameterSummary, summarizeParameter } from "../../numerics/mcmc/diagnostics.js";
import { makeChalk } from "../../output/color.js";
import { byName } from "../../output/json.js";
import { compactTable } from "../../output/table.js";
import type { CommonOptions } from "../shared/options.js";
import { CommandRun, sharedParams } from "../shared/commandRun.js";
import { SUMMARY_ALIGN, SUMMARY_HEADER, summaryRow } from "./report.js";
import { ESS_MINIMUM, type ParameterJson, parameterJson, RHAT_LIMIT, summaryCsv } from "./results.js";

/**
 * `hftlab mcmc --diagnose FILE…`: the convergence diagnostics of draws
 * another sampler wrote (Stan CSV, one file per chain; or a table with a
 * chain column, as `mcmc --out`, posterior and ArviZ write), computed and
 * reported exactly as `mcmc` reports its own chains: split rank-normalised
 * R-hat (the larger of bulk and tail), bulk and tail ESS, MCSE of the mean,
 * mean, sd and 5/50/95% quantiles, under the same JSON keys.
 */

export interface DiagnoseResult {
  chains: number;
  draws: number;
  params: Record<string, ParameterJson>;
}

export async function runDiagnose(
  files: string[],
  options: CommonOptions,
  context: RunContext,
): Promise<void> {
  const run = new CommandRun("mcmc", options, context);
  const table = await readDrawsFiles(files);
  const { parameters, chains, origins } = table;
  if (chains.length < 2) {
    throw inputError(
      "one_chain",
      `the draws hold one chain (${origins[0] ?? files[0]}): R-hat and ESS compare chains`,
      { file: files[0]! },
      "give at least two chains: one Stan CSV per chain, or a table with a chain column",
    );
  }
  const draws = chains[0]![0]!.length;
  chains.forEach((chain, c) => {
    if (chain[0]!.length !== draws) {
      throw inputError(
        "ragged_chains",
        `chains of unequal length: ${origins[0]} has ${draws} draws, ${origins[c]} has ${chain[0]!.length}`,
        { file: files[Math.min(c, files.length - 1)]! },
        "diagnose chains of the same length (posterior and Stan require it too)",
      );
    }
  });
  if (draws < 4) {
    throw inputError("too_few_draws", `${draws} draws per chain: split R-hat needs at least 4`, {
      file: files[0]!,
    });
  }
  const summaries = parameters.map((_, j) => summarizeParameter(chains.map((chain) => chain[j]!)));
  run.computed();
  warnOrFail(parameters, summaries, options, run);
  const result: DiagnoseResult = {
    chains: chains.length,
    draws,
    params: byName(parameters.map((name, j) => [name, parameterJson(summaries[j]!)])),
  };
  if (options.json) {
    await run.writeJson(
      { diagnose: files, ...sharedParams(options) },
      {
        source: files.join(", "),
        rows: draws * chains.length,
        columns: parameters,
        start: null,
        end: null,
        droppedRows: 0,
      },
      result,
    );
  } else if (options.csv) {
    await context.stdout.write(summaryCsv(result.params));
  } else {
    await context.stdout.write(report(files, result, run.color));
  }
}

/** mcmc's own thresholds (Stan's): warnings, or exit 4 under --strict. */
function warnOrFail(
  names: string[],
  summaries: ParameterSummary[],
  options: CommonOptions,
  run: CommandRun,
): void {
  const problems: string[] = [];
  const high = names.filter((_, j) => summaries[j]!.rhat > RHAT_LIMIT);
  if (high.length > 0)
    problems.push(`R-hat above ${RHAT_LIMIT} for ${high.join(", ")}: the chains have not mixed`);
  const lowBulk = names.filter((_, j) => summaries[j]!.essBulk < ESS_MINIMUM);
  if (lowBulk.length > 0) problems.push(`bulk ESS below ${ESS_MINIMUM} for ${lowBulk.join(", ")}`);
  const lowTail = names.filter((_, j) => summaries[j]!.essTail < ESS_MINIMUM);
  if (lowTail.length > 0) problems.push(`tail ESS below ${ESS_MINIMUM} for ${lowTail.join(", ")}`);
  if (problems.length > 0 && options.strict) {
    throw numericalError("mcmc_not_converged", problems[0]!, "without --strict these are warnings");
  }
  for (const problem of problems) run.warn(problem);
}

function report(files: string[], result: DiagnoseResult, color: boolean): string {
  const c = makeChalk(color);
  const table = compactTable(SUMMARY_HEADER, SUMMARY_ALIGN, color);
  for (const [name, p] of Object.entries(result.params)) table.push(summaryRow(name, p, c));
  return (
    `${c.bold("mcmc --diagnose")} · ${files.join(", ")} · ${result.chains} chains × ${result.draws} draws\n` +
    `${table.toString()}\n`
  );
}
