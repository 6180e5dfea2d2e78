/**
 * Colour is decided once per run (SPEC §1): an explicit `--color`,
 * `--color=always|never` or `--no-color` wins (`--color=auto` decides as if
 * none was given), then NO_COLOR (any non-empty value turns colour off; chalk 5 does not
 * read it), then FORCE_COLOR, then TERM=dumb, then whether stdout is a TTY.
 * (Apart from color.ts, so that deciding does not load chalk: machine
 * output never needs it.)
 */
export function decideColor(
  flag: boolean | undefined,
  env: NodeJS.ProcessEnv,
  stdoutIsTty: boolean,
): boolean {
  // The last of --color / --no-color given wins, as commander parses them in order.
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.TERM === "dumb") return false;
  return stdoutIsTty;
}
