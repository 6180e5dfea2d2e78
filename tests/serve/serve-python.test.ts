import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hftlab, ROOT } from "../cli/run.js";
import { PROTO_DIR, type Served, startServer, stopServer } from "./harness.js";

/**
 * A real Python client (Debian's python3-grpcio and python3-grpc-tools)
 * compiles the shipped proto and calls Meanrev, Optimize, Hmm and
 * StreamSignals: it gets the CLI's numbers. Without those modules the test
 * is skipped, saying so, so that `npm ci && npm test` passes on a bare machine.
 */
const python = ["/usr/bin/python3", "python3"].find(
  (candidate) =>
    spawnSync(candidate, ["-c", "import grpc, grpc_tools.protoc"], { stdio: "ignore" }).status === 0,
);
const SKIPPED =
  "skipped: no python3 with the grpc and grpc_tools modules (apt-get install python3-grpcio python3-grpc-tools)";

let served: Served;
let workDir: string;

beforeAll(async () => {
  if (python === undefined) return;
  workDir = mkdtempSync(join(tmpdir(), "hftlab-python-"));
  served = await startServer(["--data-dir", "fixtures"]);
});

afterAll(async () => {
  if (python === undefined) return;
  expect(await stopServer(served)).toBe(0);
  rmSync(workDir, { recursive: true, force: true });
});

function cliResult(args: string[]): Record<string, unknown> {
  const run = hftlab([...args, "--json", "--quiet"]);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout).result;
}

describe("a Python client", () => {
  it.skipIf(python === undefined)(
    `gets the CLI's numbers from Meanrev, Optimize, Hmm and StreamSignals, and its errors as a google.rpc.Status${python === undefined ? ` (${SKIPPED})` : ""}`,
    () => {
      const run = spawnSync(
        python!,
        [
          `${ROOT}tests/serve/python_client.py`,
          PROTO_DIR,
          workDir,
          served.address,
          `${ROOT}fixtures/ticks.ndjson`,
        ],
        { encoding: "utf8", maxBuffer: 1 << 26 },
      );
      expect(run.status, run.stderr).toBe(0);
      const got = JSON.parse(run.stdout);
      const meanrev = cliResult(["meanrev", "--window", "60", "fixtures/eustocks.csv"]);
      expect(got.meanrev).toBe(JSON.stringify(meanrev));
      const first = (meanrev.series as { last: { z: number }; adf: { pValue: number } }[])[0]!;
      expect(got.meanrev_z).toBe(first.last.z);
      expect(got.meanrev_adf_p_value).toBe(first.adf.pValue);
      const optimize = cliResult(["optimize", "--method", "max-sharpe", "fixtures/eustocks.csv"]);
      expect(got.optimize).toBe(JSON.stringify(optimize));
      expect(got.optimize_weights).toEqual(optimize.weights);
      expect(got.optimize_sharpe).toBe(optimize.sharpe);
      const hmm = cliResult([
        "hmm",
        "--columns",
        "DAX",
        "--states",
        "2",
        "--restarts",
        "3",
        "fixtures/eustocks.csv",
      ]);
      expect(got.hmm).toBe(JSON.stringify(hmm));
      expect(got.hmm_log_likelihood).toBe(hmm.logLikelihood);
      const stream = hftlab(["stream", "--window", "30", "--quiet", "fixtures/ticks.ndjson"]);
      expect(got.stream_rows.join("\n")).toBe(stream.stdout.trim());
      const zs = stream.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).z);
      expect(got.stream_z).toEqual(zs);
      // The rich status, decoded by Python's protobuf from the shipped google/rpc protos.
      const refusal = hftlab(["meanrev", "--columns", "NOPE", "--json", "fixtures/eustocks.csv"]);
      const cliError = JSON.parse(
        refusal.stderr.split("\n").find((line) => line.startsWith('{"error":'))!,
      ).error;
      expect(got.refused).toEqual({
        code: 3,
        message: got.refused.grpc_details,
        grpc_code: 3,
        grpc_details: got.refused.grpc_details,
        reason: cliError.code.toUpperCase(),
        domain: "hftlab",
        metadata: expect.objectContaining({ exit_code: "3", file: "eustocks.csv" }),
      });
      expect(got.refused.grpc_details).toContain('unknown symbol "NOPE"');
    },
  );
});
