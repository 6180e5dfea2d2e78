import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab, ROOT } from "./run.js";

/** The completion scripts come from the commander definitions; bash runs them as a user's shell would. */
const file = temporaryFiles("hftlab-completion-");

describe("hftlab completion", () => {
  const script = file("hftlab.bash", hftlab(["completion", "bash"]).stdout);

  /** What bash completes for the words of a command line (the last one being completed). */
  function complete(words: string[]): string[] {
    const line = ["hftlab", ...words];
    const program = [
      `source ${JSON.stringify(script)}`,
      `COMP_WORDS=(${line.map((w) => `'${w}'`).join(" ")})`,
      `COMP_CWORD=${line.length - 1}`,
      "_hftlab",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's array expansion, not a template
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join("\n");
    const r = spawnSync("bash", ["-c", program], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.split("\n").filter((s) => s !== "");
  }

  it("completes commands, their options, option choices and paths in bash", () => {
    expect(complete(["me"])).toEqual(["meanrev"]);
    expect(complete(["b"]).sort()).toEqual(["backtest", "book"]);
    expect(complete(["optimize", "--me"])).toEqual(["--method"]);
    expect(complete(["optimize", "--method", "m"]).sort()).toEqual(["max-sharpe", "min-variance"]);
    expect(complete(["backtest", "--strategy", "p"])).toEqual(["pairs"]);
    const paths = complete(["meanrev", "fixtures/eu"]);
    expect(paths).toContain("fixtures/eustocks.csv");
    expect(paths.every((path) => path.startsWith("fixtures/eu"))).toBe(true);
    expect(complete(["hmm", "--save", "fixtures/sp"])).toContain("fixtures/sp500-2000.csv");
    expect(complete(["meanrev", "--window", ""])).toEqual([]);
    expect(complete(["meanrev", "--se"])).toEqual([]); // meanrev has no --seed: nothing to complete
  });

  it("offers every option of every command (generated, so it cannot drift)", () => {
    const help = hftlab(["risk", "--help"]).stdout;
    const flags = [...help.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((m) => m[1]!);
    const offered = complete(["risk", "--"]);
    for (const flag of new Set(flags)) expect(offered, flag).toContain(flag);
  });

  it("prints zsh (through bashcompinit) and fish scripts, and refuses another shell (exit 2)", () => {
    const zsh = hftlab(["completion", "zsh"]).stdout;
    expect(zsh).toMatch(/bashcompinit/);
    expect(zsh).toMatch(/complete -o filenames -F _hftlab hftlab/);
    const fish = hftlab(["completion", "fish"]).stdout;
    expect(fish).toMatch(
      /complete -c hftlab -n '__fish_seen_subcommand_from optimize' -l 'method' -x -a 'min-variance/,
    );
    expect(fish).toMatch(/-l 'save' -r -F/);
    const r = hftlab(["completion", "tcsh"]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /no completion for "tcsh"/);
  });
});
