import protobuf from "protobufjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hftlab } from "../cli/run.js";
import {
  type Client,
  failure,
  fixtureTable,
  grpc,
  healthClient,
  hftlabClient,
  PROTO_DIR,
  reflectionClient,
  type Served,
  startServer,
  stopServer,
  unary,
} from "./harness.js";

/**
 * Bad requests get the status SPEC §5 maps the CLI's exit code to, with the
 * CLI's one-line message, and leave the server serving; health and
 * reflection answer.
 */
let served: Served;
let client: Client;
let health: Client;

beforeAll(async () => {
  served = await startServer(["--data-dir", "fixtures", "--max-message-bytes", "1048576"]);
  client = hftlabClient(served.address);
  health = healthClient(served.address);
});

afterAll(async () => {
  client.close();
  health.close();
  expect(await stopServer(served)).toBe(0);
});

/** The line the CLI prints after `hftlab: error: ` for these arguments. */
function cliErrorLine(args: string[]): string {
  const run = hftlab(args);
  expect(run.status).not.toBe(0);
  return run.stderr.split("\n")[0]!.replace(/^hftlab: error: /, "");
}

async function serving(): Promise<string> {
  const reply = await unary(health, "Check", { service: "" });
  return reply.status as string;
}

describe("health and reflection", () => {
  it("health answers SERVING for the server and for hftlab.v1.Hftlab, NOT_FOUND for another service", async () => {
    expect(await serving()).toBe("SERVING");
    expect((await unary(health, "Check", { service: "hftlab.v1.Hftlab" })).status).toBe("SERVING");
    const unknown = await failure(unary(health, "Check", { service: "nope.v1.Nope" }));
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
  });

  it("reflection lists the services and serves the file that defines Hftlab", async () => {
    const reflection = reflectionClient(served.address);
    const answers = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const call = (reflection.ServerReflectionInfo as CallableFunction)() as grpc.ClientDuplexStream<
        unknown,
        Record<string, unknown>
      >;
      const replies: Record<string, unknown>[] = [];
      call.on("data", (reply) => {
        replies.push(reply);
        if (replies.length === 2) call.end();
      });
      call.on("end", () => resolve(replies));
      call.on("error", reject);
      call.write({ listServices: "" });
      call.write({ fileContainingSymbol: "hftlab.v1.Hftlab" });
    });
    reflection.close();
    const services = (answers[0]!.listServicesResponse as { service: { name: string }[] }).service.map(
      (s) => s.name,
    );
    expect(services).toEqual(expect.arrayContaining(["hftlab.v1.Hftlab", "grpc.health.v1.Health"]));
    const files = (answers[1]!.fileDescriptorResponse as { fileDescriptorProto: Buffer[] })
      .fileDescriptorProto;
    const descriptor = Buffer.concat(files).toString("latin1");
    expect(descriptor).toContain("hftlab.v1");
    expect(descriptor).toContain("StreamSignals");
  });
});

const statusRoot = protobuf.loadSync([
  `${PROTO_DIR}/google/rpc/status.proto`,
  `${PROTO_DIR}/google/rpc/error_details.proto`,
]);

/** The google.rpc.Status in the `grpc-status-details-bin` trailer, its details decoded as ErrorInfo. */
function richStatus(error: grpc.ServiceError) {
  const [bytes] = error.metadata.get("grpc-status-details-bin") as Buffer[];
  expect(bytes).toBeInstanceOf(Buffer);
  const Status = statusRoot.lookupType("google.rpc.Status");
  const ErrorInfo = statusRoot.lookupType("google.rpc.ErrorInfo");
  // decode, not toObject: protobufjs' toObject unpacks an Any into its fields.
  const decoded = Status.decode(bytes!) as unknown as {
    code: number;
    message: string;
    details: { type_url: string; value: Uint8Array }[];
  };
  expect(decoded.details).toHaveLength(1);
  expect(decoded.details[0]!.type_url).toBe("type.googleapis.com/google.rpc.ErrorInfo");
  const info = ErrorInfo.toObject(ErrorInfo.decode(decoded.details[0]!.value)) as {
    reason: string;
    domain: string;
    metadata: Record<string, string>;
  };
  return { code: decoded.code, message: decoded.message, info };
}

/** The `{"error": …}` document the CLI prints on stderr with --json. */
function cliErrorJson(args: string[]): { code: string; file: string | null; line: number | null } {
  const run = hftlab([...args, "--json"]);
  const json = run.stderr.split("\n").find((line) => line.startsWith('{"error":'))!;
  return JSON.parse(json).error;
}

describe("bad requests", () => {
  it("a column that is not in the input is INVALID_ARGUMENT with the CLI's message", async () => {
    const error = await failure(unary(client, "Meanrev", { path: "eustocks.csv", columns: ["NOPE"] }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    // The file is named as the request named it: the server's folder is left out.
    const line = cliErrorLine(["meanrev", "--columns", "NOPE", "fixtures/eustocks.csv"]);
    expect(error.details).toBe(line.replace("fixtures/eustocks.csv", "eustocks.csv"));
    expect(error.details).not.toContain(process.cwd());
    expect(error.metadata.get("hftlab-exit-code")).toEqual(["3"]);
    // The standard rich status says the same: code, message, and the CLI's error code and file.
    const cli = cliErrorJson(["meanrev", "--columns", "NOPE", "fixtures/eustocks.csv"]);
    const rich = richStatus(error);
    expect(rich.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(rich.message).toBe(error.details);
    expect(rich.info.reason).toBe(cli.code.toUpperCase());
    expect(rich.info.domain).toBe("hftlab");
    expect(rich.info.metadata).toMatchObject({ exit_code: "3", file: "eustocks.csv" });
    expect(await serving()).toBe("SERVING");
  });

  it("an inline column with fewer values than time stamps is INVALID_ARGUMENT", async () => {
    const table = fixtureTable("eustocks.csv");
    table.columns[1]!.values = table.columns[1]!.values.slice(0, 10);
    const error = await failure(unary(client, "Meanrev", { data: table }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/column "SMI" has 10 values for 1860 time stamps/);
  });

  it("NaN cells are missing cells: refused under missing=error, dropped (with a warning) by default", async () => {
    const table = fixtureTable("eustocks.csv");
    table.columns[0]!.values[5] = Number.NaN;
    const error = await failure(unary(client, "Meanrev", { data: table, missing: "error" }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    // Row 5 of the table is line 7 of the CSV it is read as (the header is line 1), its first column column 2.
    expect(error.details).toMatch(/missing value in column DAX \(data:7:2\)/);
    const rich = richStatus(error);
    expect(rich.info.reason).toBe("MISSING_VALUE");
    expect(rich.info.metadata).toMatchObject({ exit_code: "3", file: "data", line: "7" });
    const reply = await unary(client, "Meanrev", { data: table });
    expect(reply.warnings).toContain("dropped 1 row with missing values");
  });

  it("an infinite value is INVALID_ARGUMENT", async () => {
    const table = fixtureTable("eustocks.csv");
    table.columns[2]!.values[7] = Number.POSITIVE_INFINITY;
    const error = await failure(unary(client, "Optimize", { data: table }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.metadata.get("hftlab-exit-code")).toEqual(["3"]);
  });

  it("an unknown --method value is INVALID_ARGUMENT with commander's message, as the CLI's exit 2", async () => {
    const error = await failure(unary(client, "Optimize", { path: "eustocks.csv", method: "magic" }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe(cliErrorLine(["optimize", "--method=magic", "fixtures/eustocks.csv"]));
    expect(error.metadata.get("hftlab-exit-code")).toEqual(["2"]);
  });

  it("an out-of-range option is INVALID_ARGUMENT with the CLI's message", async () => {
    const error = await failure(unary(client, "Meanrev", { path: "eustocks.csv", window: 1 }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe(cliErrorLine(["meanrev", "--window=1", "fixtures/eustocks.csv"]));
  });

  it("an RPC the service does not have is UNIMPLEMENTED", async () => {
    const error = await failure(
      new Promise((resolve, reject) =>
        client.makeUnaryRequest(
          "/hftlab.v1.Hftlab/Nope",
          (value: Buffer) => value,
          (value: Buffer) => value,
          Buffer.alloc(0),
          (err, reply) => (err ? reject(err) : resolve(reply)),
        ),
      ),
    );
    expect(error.code).toBe(grpc.status.UNIMPLEMENTED);
  });

  it("a path outside --data-dir is PERMISSION_DENIED, whichever way it leads out", async () => {
    for (const path of ["../package.json", "/etc/passwd", "../fixtures/../../etc/passwd"]) {
      const error = await failure(unary(client, "Meanrev", { path }));
      expect(error.code, path).toBe(grpc.status.PERMISSION_DENIED);
    }
    const model = await failure(unary(client, "Hmm", { path: "eustocks.csv", model: "/etc/passwd" }));
    expect(model.code).toBe(grpc.status.PERMISSION_DENIED);
  });

  it("a file under --data-dir that does not exist is INVALID_ARGUMENT, as the CLI's exit 3", async () => {
    const error = await failure(unary(client, "Meanrev", { path: "absent.csv" }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/absent\.csv/);
  });

  it("a request without data or path is INVALID_ARGUMENT", async () => {
    const error = await failure(unary(client, "Meanrev", { window: 5 }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it("a numerical failure under --strict is FAILED_PRECONDITION", async () => {
    const request = { path: "eustocks.csv", columns: ["DAX"], maxIter: 1, restarts: 1, strict: true };
    const error = await failure(unary(client, "Hmm", request));
    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error.metadata.get("hftlab-exit-code")).toEqual(["4"]);
  });

  it("a message over --max-message-bytes is RESOURCE_EXHAUSTED, and the server goes on serving", async () => {
    const size = 200_000;
    const data = {
      time: Array.from({ length: size }, (_, i) => String(i)),
      columns: [{ name: "X", values: Array.from({ length: size }, (_, i) => 100 + Math.sin(i)) }],
    };
    const error = await failure(unary(client, "Meanrev", { data }));
    expect(error.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(await serving()).toBe("SERVING");
    const reply = await unary(client, "Meanrev", { path: "eustocks.csv" });
    expect(reply.resultJson).toMatch(/^\{"series":/);
  });
});
