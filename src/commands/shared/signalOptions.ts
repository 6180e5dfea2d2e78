import type { Command } from "commander";
import { usageError } from "../../errors.js";
import { parseInteger, parseNumber } from "./options.js";

/**
 * The signal options of meanrev and stream, in a module of their own so that
 * stream starts without loading meanrev's statistics.
 */
export const SIGNAL_DEFAULTS = {
  window: 20,
  entry: 2,
  exit: 0.5,
};

/**
 * --window, --entry and --exit, declared once for every command that makes
 * meanrev's signals (meanrev and stream), with meanrev's defaults.
 */
export function addSignalOptions(command: Command, unit: "bars" | "ticks"): Command {
  return command
    .option(
      `--window <${unit}>`,
      `rolling window in ${unit}`,
      // Above 10^8 bars the window's ring alone would take 800 MB a symbol.
      parseInteger("--window", 2, 100_000_000),
      SIGNAL_DEFAULTS.window,
    )
    .option(
      "--entry <z>",
      "enter when |z| exceeds this",
      parseNumber("--entry", positive),
      SIGNAL_DEFAULTS.entry,
    )
    .option(
      "--exit <z>",
      "go flat when |z| falls below this",
      parseNumber("--exit", nonNegative),
      SIGNAL_DEFAULTS.exit,
    );
}

/** The hysteresis band needs exit < entry (exit 2 otherwise). */
export function checkSignalOptions(options: { entry: number; exit: number }): void {
  if (options.exit >= options.entry) {
    throw usageError(
      `--exit (${options.exit}) must be below --entry (${options.entry})`,
      "the hysteresis band needs exit < entry",
    );
  }
}

function positive(x: number): string | undefined {
  return x > 0 ? undefined : "must be greater than 0.";
}

function nonNegative(x: number): string | undefined {
  return x >= 0 ? undefined : "must be 0 or more.";
}
