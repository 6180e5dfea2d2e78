import type { Command } from "commander";
import { type HftlabError, inputError, usageError } from "../../errors.js";
import type { SymbolName } from "../../io/frame.js";
import { parseList } from "./options.js";

/**
 * Which input columns a saved HMM's features are read from: the one rule of
 * `hmm --model` and `stream --model` (README "Applying a saved model"), in
 * this order:
 *
 * 1. `--features A,B` names them, one input column per model feature in the
 *    model's feature order;
 * 2. a model of one feature reads a one-column input whatever the names:
 *    a single-series file's column is named after the file, so a model
 *    fitted on `sp500-2000.csv` must apply to `other.csv`;
 * 3. otherwise by name: every model feature must be a column of the input.
 *
 * Position is trusted for one feature only. With several, a file whose
 * columns come in another order, or hold another universe, would be decoded
 * silently wrong; the names the model file records are what says which is
 * which.
 */

/** How the columns were found: named by `--features`, by position (one feature, one column), or by name. */
export type FeatureRule = "features" | "position" | "name";

export interface FeatureMatch {
  /** The input column of each model feature, in the model's feature order. */
  columns: SymbolName[];
  rule: FeatureRule;
}

/** What the rule looked for and did not find: `--features` names, or model features by name. */
export interface FeatureMismatch {
  unmatched: SymbolName[];
  rule: "features" | "name";
}

/** Declares `--features` (a comma-separated list) with the command's own wording of what it names. */
export function addModelFeaturesOption(command: Command, description: string): Command {
  return command.option("--features <list>", description, parseList);
}

/** Rejects a `--features` list the model alone shows to be wrong (exit 2): one column per feature, none twice. */
export function checkFeatureList(features: readonly string[], list: readonly string[] | undefined): void {
  if (list === undefined) return;
  if (list.length !== features.length) {
    const plural = features.length === 1 ? "feature" : "features";
    throw usageError(
      `--features names ${list.length} column${list.length === 1 ? "" : "s"}, the model has ${features.length} ${plural} (${features.join(", ")})`,
      "give one input column per model feature, in the model's order",
    );
  }
  const twice = list.find((name, i) => list.indexOf(name) !== i);
  if (twice !== undefined) {
    throw usageError(`--features names ${twice} twice`, "each model feature reads its own input column");
  }
}

/** The input columns of the model's features by the rule above, or what could not be found. */
export function matchFeatures(
  features: readonly string[],
  columns: readonly SymbolName[],
  list: readonly string[] | undefined,
): FeatureMatch | FeatureMismatch {
  if (list !== undefined) {
    const unknown = list.filter((name) => !columns.includes(name));
    return unknown.length > 0
      ? { unmatched: unknown, rule: "features" }
      : { columns: [...list], rule: "features" };
  }
  if (features.length === 1 && columns.length === 1) return { columns: [columns[0]!], rule: "position" };
  const missing = features.filter((name) => !columns.includes(name));
  return missing.length > 0 ? { unmatched: missing, rule: "name" } : { columns: [...features], rule: "name" };
}

/** The exit-3 error for a mismatch: what is missing, the columns there are, and how to map them. */
export function featureMismatchError(
  mismatch: FeatureMismatch,
  features: readonly string[],
  columns: readonly SymbolName[],
  source: string,
): HftlabError {
  const available = `(available: ${columns.join(", ")})`;
  if (mismatch.rule === "features") {
    const quoted = mismatch.unmatched.map((name) => JSON.stringify(name)).join(", ");
    return inputError(
      "model_features",
      `--features names ${mismatch.unmatched.length === 1 ? "an unknown column" : "unknown columns"} ${quoted} ${available}`,
      { file: source },
      "pick columns from the list above",
    );
  }
  const one = features.length === 1;
  const what = mismatch.unmatched.length === 1 ? "feature is not a column" : "features are not columns";
  return inputError(
    "model_features",
    `the model's ${what} of the input: ${mismatch.unmatched.join(", ")} ${available}`,
    { file: source },
    one
      ? "name the input column to read it from with --features COLUMN"
      : `name the input columns to read them from with --features, in the model's order (${features.join(",")})`,
  );
}
