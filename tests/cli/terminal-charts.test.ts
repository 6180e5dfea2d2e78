import { existsSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { BIN, hftlab, shell } from "./run.js";

/**
 * On a terminal, `risk` and `backtest` draw the equity and the drawdown as
 * line charts (SPEC §4); in a pipe the report stays as it was. The
 * terminal is util-linux's `script`, which runs the binary on a pseudo-TTY.
 */
const SCRIPT = "/usr/bin/script";

function onTerminal(args: string[]): string {
  const r = shell(`COLUMNS=100 ${SCRIPT} -qec '${process.execPath} ${BIN} ${args.join(" ")}' /dev/null`);
  expect(r.status, r.stderr).toBe(0);
  return stripVTControlCharacters(r.stdout).replaceAll("\r", "");
}

describe.skipIf(!existsSync(SCRIPT))("terminal line charts of equity and drawdown", () => {
  it("risk: both charts with every series in the legend; not in a pipe", () => {
    const out = onTerminal(["risk", "--quiet", "fixtures/eustocks.csv"]);
    expect(out).toContain("Equity (growth of 1)");
    expect(out).toContain("Drawdown (below the running high)");
    expect(out).toMatch(/• DAX · \+ SMI · x CAC · o FTSE/);
    // The drawdown's bottom label is the deepest drawdown of the four (CAC, -26.9 %).
    expect(out).toMatch(/-26\.9% ┤/);
    expect(hftlab(["risk", "--quiet", "fixtures/eustocks.csv"]).stdout).not.toContain("Equity (growth of 1)");
  });

  it("backtest: the strategy beside its benchmark", () => {
    const out = onTerminal(["backtest", "--quiet", "fixtures/sp500-2000.csv"]);
    expect(out).toContain("Equity (growth of 1)");
    expect(out).toMatch(/• strategy · \+ buy-and-hold/);
    const json = JSON.parse(hftlab(["backtest", "--json", "fixtures/sp500-2000.csv"]).stdout);
    const deepest = Math.min(
      json.result.stats.maxDrawdown.depth,
      json.result.benchmark.stats.maxDrawdown.depth,
    );
    expect(out).toContain(`${(deepest * 100).toFixed(1)}% ┤`);
  });
});
