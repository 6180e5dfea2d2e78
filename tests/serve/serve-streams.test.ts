import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hftlab, ROOT } from "../cli/run.js";
import { type Client, grpc, hftlabClient, type Served, startServer, stopServer } from "./harness.js";

/** StreamSignals and ReplayBook give, message by message, the lines the CLI prints. */
let served: Served;
let client: Client;
/** The server's --data-dir: the book fixture and a model fitted for the test. */
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "hftlab-serve-"));
  copyFileSync(`${ROOT}fixtures/book-sample.csv`, join(dataDir, "book-sample.csv"));
  const fit = hftlab([
    "hmm",
    "--columns",
    "DAX",
    "--restarts",
    "2",
    "--save",
    join(dataDir, "dax.json"),
    "-q",
    "fixtures/eustocks.csv",
  ]);
  expect(fit.status, fit.stderr).toBe(0);
  served = await startServer(["--data-dir", dataDir]);
  client = hftlabClient(served.address);
});

afterAll(async () => {
  client.close();
  expect(await stopServer(served)).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

interface Tick {
  ts: string;
  symbol: string;
  price: number;
}

/** The fixture's ticks, each time stamp as written (a number's text, not its double). */
function fixtureTicks(): Tick[] {
  return readFileSync(`${ROOT}fixtures/ticks.ndjson`, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const tick = JSON.parse(line) as { symbol: string; price: number };
      const ts = /"ts":("[^"]*"|[^,}]+)/.exec(line)![1]!.replace(/^"|"$/g, "");
      return { ts, symbol: tick.symbol, price: tick.price };
    });
}

function streamRows(options: Record<string, unknown>, batches: Tick[][]): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const call = (client.StreamSignals as CallableFunction)() as grpc.ClientDuplexStream<
      unknown,
      Record<string, unknown>
    >;
    const rows: Record<string, unknown>[] = [];
    call.on("data", (row) => rows.push(row));
    call.on("end", () => resolve(rows));
    call.on("error", reject);
    for (const [i, ticks] of batches.entries()) call.write(i === 0 ? { options, ticks } : { ticks });
    call.end();
  });
}

function batchesOf<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

describe("StreamSignals", () => {
  it("sends one row per tick, each row_json the line hftlab stream prints for it", async () => {
    const cli = hftlab(["stream", "--window", "30", "--quiet", "fixtures/ticks.ndjson"]);
    expect(cli.status).toBe(0);
    const rows = await streamRows({ window: 30 }, batchesOf(fixtureTicks(), 37));
    expect(rows.map((row) => row.rowJson).join("\n")).toBe(cli.stdout.trim());
    const last = JSON.parse(rows.at(-1)!.rowJson as string);
    expect(rows.at(-1)!.z).toBe(last.z);
    expect(rows.at(-1)!.ewmaVol).toBe(last.ewmaVol);
  });

  it("filters regime probabilities with a saved one-feature model (--model)", async () => {
    const model = join(dataDir, "dax.json");
    const cli = hftlab(["stream", "--model", model, "--features", "DAX", "--quiet", "fixtures/ticks.ndjson"]);
    const rows = await streamRows({ model: "dax.json", features: ["DAX"] }, batchesOf(fixtureTicks(), 100));
    expect(rows.map((row) => row.rowJson).join("\n")).toBe(cli.stdout.trim());
    const withRegimes = rows.find((row) => (row.regimeProbabilities as number[] | undefined)?.length === 2)!;
    expect(JSON.parse(withRegimes.rowJson as string).p1).toBe(
      (withRegimes.regimeProbabilities as number[])[1],
    );
  });

  it("keeps each call's engine to itself: two calls at once give what each would alone", async () => {
    const ticks = fixtureTicks();
    const alone = await streamRows({ window: 10 }, batchesOf(ticks, 64));
    const [first, second] = await Promise.all([
      streamRows({ window: 10 }, batchesOf(ticks, 64)),
      streamRows({ window: 10 }, batchesOf(ticks, 17)),
    ]);
    expect(first).toEqual(alone);
    expect(second).toEqual(alone);
  });

  it("a bad option ends the call with INVALID_ARGUMENT and the CLI's message", async () => {
    const error = await streamRows({ ewmaLambda: 2 }, [fixtureTicks().slice(0, 3)]).catch(
      (e) => e as grpc.ServiceError,
    );
    expect((error as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((error as grpc.ServiceError).details).toMatch(/--ewma-lambda must be between 0 and 1/);
  });

  it("under strict, a malformed tick ends the call with INVALID_ARGUMENT", async () => {
    const ticks = fixtureTicks().slice(0, 5);
    ticks[2] = { ...ticks[2]!, price: Number.NaN };
    const error = await streamRows({ strict: true }, [ticks]).catch((e) => e as grpc.ServiceError);
    expect((error as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((error as grpc.ServiceError).details).toMatch(/malformed tick/);
  });
});

function replay(request: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const call = (client.ReplayBook as CallableFunction)(request) as grpc.ClientReadableStream<
      Record<string, unknown>
    >;
    const out: Record<string, unknown>[] = [];
    call.on("data", (snapshot) => out.push(snapshot));
    call.on("end", () => resolve(out));
    call.on("error", reject);
  });
}

describe("ReplayBook", () => {
  it("streams the snapshots of book --interval W --ndjson", async () => {
    const cli = hftlab([
      "book",
      "--interval",
      "1000000",
      "--depth",
      "2",
      "--ndjson",
      "fixtures/book-sample.csv",
    ]);
    expect(cli.status).toBe(0);
    const snapshots = await replay({ path: "book-sample.csv", interval: "1000000", depth: 2 });
    expect(snapshots.map((s) => s.snapshotJson).join("\n")).toBe(cli.stdout.trim());
  });

  it("refuses an inline Table (order-book events are not a price table) with INVALID_ARGUMENT", async () => {
    const error = await replay({
      data: { time: ["1"], columns: [{ name: "A", values: [1] }] },
      every: 1,
    }).catch((e) => e as grpc.ServiceError);
    expect((error as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it("streams the snapshots of book --every N --ndjson, one message per line", async () => {
    const cli = hftlab(["book", "--every", "50", "--depth", "3", "--ndjson", "fixtures/book-sample.csv"]);
    expect(cli.status).toBe(0);
    const snapshots = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const call = (client.ReplayBook as CallableFunction)({
        path: "book-sample.csv",
        every: 50,
        depth: 3,
      }) as grpc.ClientReadableStream<Record<string, unknown>>;
      const out: Record<string, unknown>[] = [];
      call.on("data", (snapshot) => out.push(snapshot));
      call.on("end", () => resolve(out));
      call.on("error", reject);
    });
    expect(snapshots.map((s) => s.snapshotJson).join("\n")).toBe(cli.stdout.trim());
    expect(snapshots.length).toBeGreaterThan(3);
    expect(snapshots[0]!.mid).toBe(JSON.parse(snapshots[0]!.snapshotJson as string).mid);
  });
});
