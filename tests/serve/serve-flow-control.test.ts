import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallPool } from "../../dist/commands/serve/callPool.js";
import { STREAM_WINDOW_BYTES } from "../../dist/commands/serve/callProtocol.js";
import { hftlab } from "../cli/run.js";
import { type Client, type grpc, hftlabClient, type Served, startServer, stopServer } from "./harness.js";

/**
 * ReplayBook's flow control: the replay runs on a worker no further than
 * STREAM_WINDOW_BYTES ahead of what its client has taken, so a client that
 * stops reading holds the replay back instead of filling the server's memory,
 * and gets every snapshot, in order, once it reads again.
 */
let dir: string;
let events: string;
/** `book --every 1 --depth 10 --ndjson` of the events, as the CLI prints it. */
let cliLines: string;

/** A seeded book of adds around 100 and cancels of live orders: every event is one snapshot of ~1 KB. */
function bookEvents(count: number): string {
  let state = 12345;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const live: { id: number; side: string; price: string }[] = [];
  const rows = ["ts,event,order_id,side,price,size"];
  let nextId = 1;
  for (let i = 0; i < count; i++) {
    const ts = 34200000000000 + i * 1000;
    if (live.length > 40 && random() < 0.4) {
      const [order] = live.splice(Math.floor(random() * live.length), 1);
      rows.push(`${ts},delete,${order!.id},${order!.side},${order!.price},0`);
      continue;
    }
    const side = random() < 0.5 ? "B" : "S";
    const tick = 1 + Math.floor(random() * 30);
    const price = (side === "B" ? 100 - tick / 100 : 100 + tick / 100).toFixed(2);
    const order = { id: nextId++, side, price };
    live.push(order);
    rows.push(`${ts},add,${order.id},${side},${price},${1 + Math.floor(random() * 500)}`);
  }
  return `${rows.join("\n")}\n`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hftlab-flow-"));
  events = join(dir, "events.csv");
  writeFileSync(events, bookEvents(8000));
  const cli = hftlab(["book", "--every", "1", "--depth", "10", "--ndjson", events]);
  expect(cli.status, cli.stderr).toBe(0);
  cliLines = cli.stdout;
  // The output must be several windows long, or the test would prove nothing.
  expect(cliLines.length).toBeGreaterThan(4 * STREAM_WINDOW_BYTES);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves once `count()` is positive and has not changed for `quietMs` (the producer has stopped, or is done). */
async function settled(count: () => number, quietMs = 400): Promise<void> {
  while (count() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  let last = -1;
  while (count() !== last) {
    last = count();
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

describe("the call pool's credit", () => {
  it("stops an ndjson call one window ahead of what was taken, and finishes it once taken", async () => {
    const pool = new CallPool(1);
    try {
      const chunks: string[] = [];
      const untaken: (() => void)[] = [];
      let taking = false;
      const outcome = pool.run({
        job: {
          command: "book",
          options: { every: 1, depth: 10 },
          input: { kind: "path", path: events },
          output: "ndjson",
        },
        heavy: false,
        signal: new AbortController().signal,
        onChunk: (text, taken) => {
          chunks.push(text);
          if (taking) taken();
          else untaken.push(taken);
        },
      });
      let done = false;
      void outcome.then(() => (done = true));
      await settled(() => chunks.length);
      const sent = chunks.reduce((total, chunk) => total + chunk.length, 0);
      const largest = Math.max(...chunks.map((chunk) => chunk.length));
      expect(done).toBe(false);
      expect(sent).toBeGreaterThanOrEqual(STREAM_WINDOW_BYTES);
      expect(sent).toBeLessThan(STREAM_WINDOW_BYTES + largest);
      expect(sent).toBeLessThan(cliLines.length / 2);
      taking = true;
      for (const taken of untaken.splice(0)) taken();
      expect((await outcome).kind).toBe("lines");
      expect(chunks.join("")).toBe(cliLines);
    } finally {
      await pool.close();
    }
  });
});

describe("ReplayBook to a client that stops reading", () => {
  let served: Served;
  let client: Client;

  beforeAll(async () => {
    served = await startServer(["--data-dir", dir]);
    client = hftlabClient(served.address);
  });

  afterAll(async () => {
    client.close();
    expect(await stopServer(served)).toBe(0);
  });

  it("gets every snapshot, in order, when it reads again", async () => {
    const snapshots = await new Promise<string[]>((resolve, reject) => {
      const call = (client.ReplayBook as CallableFunction)({
        path: "events.csv",
        every: 1,
        depth: 10,
      }) as grpc.ClientReadableStream<Record<string, unknown>>;
      const out: string[] = [];
      call.on("data", (snapshot: Record<string, unknown>) => {
        out.push(snapshot.snapshotJson as string);
        if (out.length === 10) {
          call.pause();
          setTimeout(() => call.resume(), 1500);
        }
      });
      call.on("end", () => resolve(out));
      call.on("error", reject);
    });
    expect(`${snapshots.join("\n")}\n`).toBe(cliLines);
  });
});
