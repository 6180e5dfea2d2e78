import { readFile } from "node:fs/promises";
import { inputError, usageError } from "../../errors.js";
import { writeFileAtomic } from "./atomicFile.js";

/**
 * The HMM model file of SPEC §2 `hmm` (`--save`, `--model`): its JSON codec
 * and the checks that need no maths. Whether the covariances are positive
 * definite needs a Cholesky factorisation; that check is composed on top in
 * src/commands/shared/hmmModel.ts, so that io stays free of numerics.
 */

export type ModelCovariance = "full" | "diag" | "spherical" | "tied";

/**
 * A Gaussian HMM as the file holds it: field for field the numerics'
 * `GaussianHmm` (src/numerics/hmm/model.ts), so either passes for the other.
 */
export interface HmmModelDocument {
  states: number;
  dimension: number;
  covariance: ModelCovariance;
  startProb: Float64Array;
  transmat: Float64Array;
  means: Float64Array;
  covars: Float64Array;
}

/** A model with the names of the features it was fitted on. */
export interface NamedHmm {
  model: HmmModelDocument;
  features: string[];
}

const COVARIANCE_TYPES: readonly ModelCovariance[] = ["full", "diag", "spherical", "tied"];
/** Rows of π and A must sum to 1 within this (then they are renormalised exactly). */
const STOCHASTIC_TOLERANCE = 1e-6;

/** The model file of SPEC §2 `hmm`: keys in this order, matrices as nested arrays. */
export function modelJson(named: NamedHmm): string {
  const { model, features } = named;
  const k = model.states;
  const d = model.dimension;
  const rows = nestedRows;
  const document = {
    states: k,
    features,
    covariance: model.covariance,
    startProb: Array.from(model.startProb),
    transmat: rows(model.transmat, k, k),
    means: rows(model.means, k, d),
    covars: Array.from({ length: k }, (_, s) =>
      rows(model.covars.subarray(s * d * d, (s + 1) * d * d), d, d),
    ),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A row-major n×width block as nested arrays, for JSON. */
export function nestedRows(values: Float64Array, n: number, width: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * width, (i + 1) * width)));
}

export async function saveModel(path: string, named: NamedHmm): Promise<void> {
  try {
    await writeFileAtomic(path, modelJson(named));
  } catch (error) {
    throw usageError(`cannot write --save ${path}: ${(error as Error).message}`);
  }
}

/** The model file's error (exit 3): what is wrong, and how such files are written. */
export function badModel(what: string, file: string): Error {
  return inputError(
    "bad_model",
    `invalid model file: ${what}`,
    { file },
    "write model files with 'hftlab hmm --save'",
  );
}

/** Reads and checks a model file (see `parseModelFile`). */
export async function readModelFile(path: string): Promise<NamedHmm> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw inputError("model_unreadable", `cannot read model file: ${(error as Error).message}`, {
      file: path,
    });
  }
  return parseModelFile(text, path);
}

/**
 * Parses and validates a model file: shape (K states, d features, arrays of
 * the right lengths, finite numbers), stochastic π and rows of A
 * (non-negative, summing to 1 within 1e-6), symmetric covariances (their
 * positive definiteness is checked by the caller). Only the known keys are read, each with Object.hasOwn, and
 * values are copied into typed arrays: a key such as `__proto__` never
 * reaches an object's prototype. Any violation is exit 3 with what is wrong.
 */
export function parseModelFile(text: string, file: string): NamedHmm {
  const bad = (what: string) => badModel(what, file);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw bad(`not JSON (${(error as Error).message})`);
  }
  if (typeof root !== "object" || root === null || Array.isArray(root)) throw bad("expected a JSON object");
  const field = (key: string): unknown =>
    Object.hasOwn(root as object, key) ? (root as Record<string, unknown>)[key] : undefined;
  const states = field("states");
  if (!Number.isInteger(states) || (states as number) < 1 || (states as number) > 1000) {
    throw bad('"states" must be an integer from 1 to 1000');
  }
  const k = states as number;
  const features = field("features");
  if (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === "string")) {
    throw bad('"features" must be a non-empty array of column names');
  }
  const d = features.length;
  const covariance = field("covariance");
  if (typeof covariance !== "string" || !COVARIANCE_TYPES.includes(covariance as ModelCovariance)) {
    throw bad(`"covariance" must be one of ${COVARIANCE_TYPES.join(", ")}`);
  }
  const numbers = (value: unknown, shape: number[], name: string): Float64Array => {
    const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
    let next = 0;
    const walk = (v: unknown, level: number, where: string): void => {
      if (level === shape.length) {
        if (typeof v !== "number" || !Number.isFinite(v)) throw bad(`${where} must be a finite number`);
        out[next++] = v;
        return;
      }
      if (!Array.isArray(v) || v.length !== shape[level]) {
        throw bad(`${where} must be an array of ${shape[level]} (shape ${shape.join("×")})`);
      }
      for (let i = 0; i < v.length; i++) walk(v[i], level + 1, `${where}[${i}]`);
    };
    walk(value, 0, `"${name}"`);
    return out;
  };
  const startProb = numbers(field("startProb"), [k], "startProb");
  const transmat = numbers(field("transmat"), [k, k], "transmat");
  const means = numbers(field("means"), [k, d], "means");
  const covars = numbers(field("covars"), [k, d, d], "covars");
  stochastic(startProb, 0, k, '"startProb"', bad);
  for (let i = 0; i < k; i++) stochastic(transmat, i * k, k, `"transmat"[${i}]`, bad);
  for (let s = 0; s < k; s++) {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) {
        const x = covars[s * d * d + a * d + b]!;
        const y = covars[s * d * d + b * d + a]!;
        if (Math.abs(x - y) > 1e-12 * Math.max(Math.abs(x), Math.abs(y), 1e-300)) {
          throw bad(`"covars"[${s}] is not symmetric`);
        }
      }
    }
  }
  const model: HmmModelDocument = {
    states: k,
    dimension: d,
    covariance: covariance as ModelCovariance,
    startProb,
    transmat,
    means,
    covars,
  };
  return { model, features: features as string[] };
}

function stochastic(
  values: Float64Array,
  offset: number,
  n: number,
  name: string,
  bad: (what: string) => Error,
): void {
  let total = 0;
  for (let j = 0; j < n; j++) {
    const v = values[offset + j]!;
    if (v < 0) throw bad(`${name} has a negative probability`);
    total += v;
  }
  if (Math.abs(total - 1) > STOCHASTIC_TOLERANCE) throw bad(`${name} sums to ${total}, not 1`);
  for (let j = 0; j < n; j++) values[offset + j] = values[offset + j]! / total;
}
