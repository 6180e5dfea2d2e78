import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = `${ROOT}bin/hftlab`;

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary (npm test builds first) with a clean colour environment. */
export function hftlab(
  args: string[],
  options: { input?: string | Buffer; env?: Record<string, string> } = {},
): RunResult {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: options.input ?? "",
    env: { ...env, ...options.env },
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function shell(script: string): RunResult {
  const result = spawnSync("bash", ["-c", script], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export { spawn };
