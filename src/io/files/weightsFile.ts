import { readFile } from "node:fs/promises";
import { HftlabError, inputError, usageError } from "../../errors.js";
import { ExitCode } from "../../errors.js";

/**
 * Portfolio weights for `risk --weights W` (and `backtest`): `W` is a list
 * `SYM=w,SYM=w`, the path of a JSON file, or `-` for standard input. The
 * JSON is `optimize --json` output (its `result.weights`) or a bare object
 * `{"SYM": w, …}`. Weights are kept in a Map (a symbol may be named
 * `__proto__`), in the order written.
 */
export interface PortfolioWeights {
  /** Where they came from: "--weights", the path, or "-". */
  origin: string;
  weights: Map<string, number>;
}

const LIST = /^\s*[^=,\s][^=,]*=/;

export async function readPortfolioWeights(
  spec: string,
  stdin: NodeJS.ReadableStream,
): Promise<PortfolioWeights> {
  if (spec !== "-" && LIST.test(spec)) return { origin: "--weights", weights: parseWeightList(spec) };
  const origin = spec;
  let text: string;
  try {
    text = spec === "-" ? await readAll(stdin) : await readFile(spec, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError(
      "weights_unreadable",
      `cannot read the weights ${spec === "-" ? "from standard input" : `file ${spec}`}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
      { file: spec },
      "--weights takes SYM=w,SYM=w, a file holding 'hftlab optimize --json' output, or - for stdin",
    );
  }
  return { origin, weights: parseWeightsJson(text, origin) };
}

/** `SYM=w,SYM=w` (exit 2 on a malformed item or a repeated symbol). */
export function parseWeightList(spec: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const item of spec.split(",")) {
    const at = item.lastIndexOf("=");
    const symbol = item.slice(0, at).trim();
    const text = item.slice(at + 1).trim();
    const value = text === "" ? Number.NaN : Number(text);
    if (at <= 0 || symbol === "" || !Number.isFinite(value)) {
      throw usageError(`--weights item "${item.trim()}" is not SYM=weight`, "e.g. --weights DAX=0.6,CAC=0.4");
    }
    if (weights.has(symbol)) throw usageError(`--weights names ${symbol} twice`);
    weights.set(symbol, value);
  }
  return weights;
}

function parseWeightsJson(text: string, origin: string): Map<string, number> {
  const where = origin === "-" ? "standard input" : origin;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw inputError(
      "weights_malformed",
      `the weights in ${where} are not JSON: ${(error as Error).message}`,
      { file: origin },
      "pipe 'hftlab optimize --json' output, or give SYM=w,SYM=w",
    );
  }
  const holder = isObject(document) && isObject(document.result) ? document.result : document;
  const weights = isObject(holder) && isObject(holder.weights) ? holder.weights : holder;
  if (!isObject(weights)) {
    throw inputError("weights_malformed", `${where} holds no weights object`, { file: origin });
  }
  const out = new Map<string, number>();
  for (const [symbol, value] of Object.entries(weights)) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw inputError("weights_malformed", `the weight of ${symbol} in ${where} is not a finite number`, {
        file: origin,
      });
    }
    out.set(symbol, value);
  }
  if (out.size === 0) throw inputError("weights_malformed", `${where} holds no weights`, { file: origin });
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** The error for weights that do not sum to 1 (exit 2 for a list on the command line, 3 for a file). */
export function weightsSumError(origin: string, sum: number): HftlabError {
  const message = `the weights${origin === "--weights" ? "" : ` in ${origin === "-" ? "standard input" : origin}`} sum to ${sum}, not 1`;
  const hint =
    "weights are used as given, never rescaled: make them sum to 1 (a cash weight is not modelled)";
  return origin === "--weights"
    ? usageError(message, hint)
    : new HftlabError(ExitCode.input, "weights_sum", message, hint, { file: origin });
}
