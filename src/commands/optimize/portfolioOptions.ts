import { type Command, Option } from "commander";
import type { PortfolioMethod } from "../../numerics/portfolio/construction.js";
import { parseNumber } from "../shared/options.js";
import { OPTIMIZE_DEFAULTS } from "./options.js";

/**
 * The portfolio flags of `optimize`, declared once: `optimize` itself and
 * `backtest --strategy optimize`, whose walk-forward passes them through,
 * take the very same options, parsers and defaults. `role` prefixes the
 * descriptions ("optimize: " in backtest's help).
 */
export function addPortfolioOptions(
  command: Command,
  methods: readonly PortfolioMethod[],
  role = "",
): Command {
  const positive = (x: number) => (x > 0 ? undefined : "must be greater than 0.");
  return command
    .addOption(
      new Option("--method <method>", `${role}portfolio method`)
        .choices(methods)
        .default(OPTIMIZE_DEFAULTS.method),
    )
    .addOption(
      new Option("--mu <estimator>", `${role}expected returns: arithmetic mean or EWMA mean`)
        .choices(["mean", "ewma"])
        .default(OPTIMIZE_DEFAULTS.mu),
    )
    .addOption(
      new Option("--cov <estimator>", `${role}covariance: sample (ddof 1), ledoit-wolf (scikit-learn), ewma`)
        .choices(["sample", "ledoit-wolf", "ewma"])
        .default(OPTIMIZE_DEFAULTS.cov),
    )
    .option(
      "--halflife <bars>",
      `${role}half-life of the EWMA mean/covariance, in bars`,
      parseNumber("--halflife", positive),
      OPTIMIZE_DEFAULTS.halflife,
    )
    .option("--long-only", `${role}no short sales (the default)`)
    .option("--allow-short", `${role}allow negative weights (unbounded unless --min-weight)`)
    .option("--min-weight <w>", `${role}lower bound on every weight`, parseNumber("--min-weight"))
    .option("--max-weight <w>", `${role}upper bound on every weight`, parseNumber("--max-weight"))
    .option(
      "--target-return <R>",
      `${role}annualised target return (target-return)`,
      parseNumber("--target-return"),
    )
    .option(
      "--target-risk <V>",
      `${role}annualised target volatility (target-risk)`,
      parseNumber("--target-risk", positive),
    )
    .option(
      "--risk-free <rate>",
      `${role}annual risk-free rate`,
      parseNumber("--risk-free"),
      OPTIMIZE_DEFAULTS.riskFree,
    );
}

/** The combinations of those flags commander cannot check (exit 2), shared by both commands. */
export function portfolioOptionProblem(options: {
  method: PortfolioMethod;
  longOnly?: boolean;
  allowShort?: boolean;
  targetReturn?: number;
  targetRisk?: number;
}): { message: string; hint?: string } | undefined {
  if (options.longOnly && options.allowShort)
    return { message: "--long-only and --allow-short cannot be combined", hint: "long-only is the default" };
  if (options.method === "target-return" && options.targetReturn === undefined)
    return {
      message: "--method target-return needs --target-return R (annualised)",
      hint: "e.g. --target-return 0.08",
    };
  if (options.method === "target-risk" && options.targetRisk === undefined)
    return {
      message: "--method target-risk needs --target-risk V (annualised volatility)",
      hint: "e.g. --target-risk 0.15",
    };
  return undefined;
}
