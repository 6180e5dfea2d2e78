import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../cli/run.js";
import { failure, grpc, hftlabClient, type Served, startServer, stopServer, unary } from "./harness.js";

/**
 * TLS with --tls-cert/--tls-key (a self-signed certificate made by openssl
 * for the test; skipped without openssl), and a --data-dir whose symbolic
 * link leads out of it.
 */
const openssl = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;
let folder: string;
let served: Served;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "hftlab-tls-"));
  symlinkSync("/etc/passwd", join(folder, "escape.csv"));
  copyFileSync(join(ROOT, "fixtures/eustocks.csv"), join(folder, "inside.csv"));
  symlinkSync(join(folder, "inside.csv"), join(folder, "alias.csv"));
  const args = ["--data-dir", folder];
  if (openssl) {
    const made = spawnSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        join(folder, "key.pem"),
        "-out",
        join(folder, "cert.pem"),
      ],
      { encoding: "utf8" },
    );
    expect(made.status, made.stderr).toBe(0);
    args.push("--tls-cert", join(folder, "cert.pem"), "--tls-key", join(folder, "key.pem"));
  }
  served = await startServer(args);
});

afterAll(async () => {
  expect(await stopServer(served)).toBe(0);
  rmSync(folder, { recursive: true, force: true });
});

function client() {
  if (!openssl) return hftlabClient(served.address);
  const Service = hftlabClient(served.address).constructor as grpc.ServiceClientConstructor;
  const credentials = grpc.credentials.createSsl(readFileSync(join(folder, "cert.pem")));
  return new Service(served.address, credentials) as unknown as ReturnType<typeof hftlabClient>;
}

describe("serve over TLS, with a --data-dir holding links", () => {
  it.skipIf(!openssl)(
    "answers a TLS client that trusts its certificate, and refuses a plaintext one",
    async () => {
      const reply = await unary(client(), "Meanrev", { path: "inside.csv" });
      expect(reply.resultJson).toMatch(/^\{"series":/);
      const plaintext = await failure(
        unary(hftlabClient(served.address), "Meanrev", { path: "inside.csv" }, { deadlineMs: 5000 }),
      );
      expect(plaintext.code).toBe(grpc.status.UNAVAILABLE);
    },
  );

  it("refuses a link that leads out of --data-dir with PERMISSION_DENIED, and follows one that stays in", async () => {
    const error = await failure(unary(client(), "Meanrev", { path: "escape.csv" }));
    expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
    const alias = await unary(client(), "Meanrev", { path: "alias.csv" });
    const inside = await unary(client(), "Meanrev", { path: "inside.csv" });
    expect(alias.resultJson).toBe(inside.resultJson);
  });
});
