import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { feedTicks } from "../../src/io/feeds/exchangeFeeds.js";
import { temporaryFiles } from "./expectations.js";
import { BIN, ROOT, spawn } from "./run.js";

/** One unmasked server frame (RFC 6455 §5.2). */
function frame(opcode: number, text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const header =
    payload.length < 126
      ? Buffer.from([0x80 | opcode, payload.length])
      : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}

/** A binance trade message as documented (trade stream). */
function binanceTrade(id: number, price: string): string {
  return JSON.stringify({
    e: "trade",
    E: 1672515782136 + id,
    s: "BTCUSDT",
    t: id,
    p: price,
    q: "0.01",
    T: 1672515782100 + id,
    m: true,
    M: true,
  });
}

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A loopback websocket server; `onConnection(socket, n)` runs for the n-th connection (1-based). */
async function loopback(
  onConnection: (socket: Duplex, n: number, received: Buffer[]) => void,
): Promise<string> {
  let connections = 0;
  server = createServer((_, response) => response.writeHead(400).end());
  server.on("upgrade", (request, socket) => {
    const accept = createHash("sha1")
      .update(`${request.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest("base64");
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("error", () => {});
    onConnection(socket, ++connections, received);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `ws://127.0.0.1:${(server!.address() as AddressInfo).port}/ws/btcusdt@trade`;
}

describe("hftlab stream --ws", () => {
  it("maps binance trades, reconnects after a drop and de-duplicates the replay by trade id", async () => {
    const clientFrames: number[] = [];
    const url = await loopback((socket, n, received) => {
      socket.on("data", () => {
        for (const chunk of received.splice(0)) clientFrames.push(chunk[0]! & 0x0f);
      });
      if (n === 1) {
        socket.write(frame(9, "are you there")); // ping: the client must answer pong
        for (let id = 1; id <= 5; id++) socket.write(frame(1, binanceTrade(id, `${16800 + id}.5`)));
        setTimeout(() => socket.destroy(), 200); // the connection drops
      } else {
        // The server replays from the start after the reconnect, then goes on.
        for (let id = 1; id <= 8; id++) socket.write(frame(1, binanceTrade(id, `${16800 + id}.5`)));
        socket.write(frame(1, '{"e":"trade","s":"BTCUSDT","t":9,"p":"oops","T":1}'));
        socket.write(frame(1, '{"result":null,"id":1}')); // not a trade: ignored
      }
    });
    const child = spawn(
      process.execPath,
      [BIN, "stream", "--window", "3", "--ws", url, "--feed", "binance"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!interrupted && stderr.includes("skipped line")) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (status !== 130) throw new Error(`exit ${status}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    const rows = stdout
      .trim()
      .split("\n")
      .map(
        (line) => JSON.parse(line) as { time: string; symbol: string; price: number; mean: number | null },
      );
    expect(rows.map((r) => r.price)).toEqual([
      16801.5, 16802.5, 16803.5, 16804.5, 16805.5, 16806.5, 16807.5, 16808.5,
    ]);
    expect(rows[0]!.time).toBe("1672515782101");
    expect(rows[0]!.symbol).toBe("BTCUSDT");
    expect(rows[2]!.mean).toBe(16802.5);
    expect(clientFrames[0]).toBe(10); // pong
    expect(status).toBe(130);
    expect(stderr).toContain("hftlab: stream: disconnected");
    expect(stderr).toMatch(/skipped line 14: trade price must be a positive finite number/);
    expect(stderr).toContain("interrupted after 8 ticks, 1 symbol, 1 skipped line, 5 duplicates");
  });

  it("sends --subscribe after connecting and gives up after --max-retries when the server is gone", async () => {
    let subscription = "";
    const url = await loopback((socket, _n, received) => {
      socket.on("data", () => {
        const bytes = Buffer.concat(received);
        if (bytes.length < 6) return;
        const length = bytes[1]! & 0x7f;
        const mask = bytes.subarray(2, 6);
        const payload = Buffer.from(bytes.subarray(6, 6 + length));
        for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i & 3]!;
        subscription = payload.toString();
        socket.write(
          frame(
            1,
            JSON.stringify({
              channel: "trade",
              type: "update",
              data: [
                {
                  symbol: "BTC/USD",
                  price: 42000.1,
                  qty: 0.5,
                  trade_id: 7,
                  timestamp: "2023-09-25T07:49:37.708706Z",
                },
              ],
            }),
          ),
        );
        setTimeout(() => {
          socket.destroy();
          server!.close();
        }, 100);
      });
    });
    const subscribe = '{"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD"]}}';
    const child = spawn(
      process.execPath,
      [BIN, "stream", "--ws", url, "--feed", "kraken", "--subscribe", subscribe, "--max-retries", "1"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(subscription).toBe(subscribe);
    expect(JSON.parse(stdout.trim())).toMatchObject({
      time: "2023-09-25T07:49:37.708706Z",
      symbol: "BTC/USD",
      price: 42000.1,
    });
    expect(status).toBe(3);
    expect(stderr).toMatch(/hftlab: error: cannot connect to ws:\/\/127\.0\.0\.1/);
    expect(stderr).toContain("1 tick, 1 symbol, 0 skipped lines, 0 duplicates");
  });
});

describe("the ws package is loaded only for --ws", () => {
  // A preload that records every require of "ws" (the client requires it: see websocketClient.ts).
  const hook = temporaryFiles("hftlab-ws-load-")(
    "hook.cjs",
    `const Module = require("node:module");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "ws") process.stderr.write("[ws loaded]\\n");
  return load.call(this, request, ...rest);
};`,
  );
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["--require", hook, BIN, ...args], { cwd: ROOT, encoding: "utf8" });

  it("--version, stream on a file and meanrev never load it", () => {
    for (const args of [
      ["--version"],
      ["stream", "fixtures/ticks.ndjson"],
      ["meanrev", "fixtures/eustocks.csv"],
    ]) {
      const r = run(args);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain("[ws loaded]");
    }
  });

  it("--ws loads it", () => {
    const r = run(["stream", "--ws", "ws://127.0.0.1:9/", "--max-retries", "0"]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("[ws loaded]");
  });
});

describe("exchange trade messages (recorded samples of the documented formats)", () => {
  it("maps binance combined-stream trades and aggTrades", () => {
    const combined = `{"stream":"btcusdt@trade","data":${binanceTrade(12345, "0.001")}}`;
    expect(feedTicks("binance", combined)).toEqual([
      { timeJson: '"1672515794445"', symbol: "BTCUSDT", price: 0.001, seq: 12345 },
    ]);
    const agg =
      '{"e":"aggTrade","E":123456789,"s":"BNBBTC","a":12345,"p":"0.001","q":"100","f":100,"l":105,"T":123456785,"m":true,"M":true}';
    expect(feedTicks("binance", agg)).toEqual([
      { timeJson: '"123456785"', symbol: "BNBBTC", price: 0.001, seq: 12345 },
    ]);
    expect(feedTicks("binance", '{"result":null,"id":1}')).toEqual([]);
  });

  it("maps coinbase matches and Advanced Trade market_trades (oldest first)", () => {
    const match =
      '{"type":"match","trade_id":10,"sequence":50,"maker_order_id":"ac928c66-ca53-498f-9c13-a110027a60e8","taker_order_id":"132fb6ae-456b-4654-b4e0-d681ac05cea1","time":"2014-11-07T08:19:27.028459Z","product_id":"BTC-USD","size":"5.23512","price":"400.23","side":"sell"}';
    expect(feedTicks("coinbase", match)).toEqual([
      { timeJson: '"2014-11-07T08:19:27.028459Z"', symbol: "BTC-USD", price: 400.23, seq: 10 },
    ]);
    const advanced =
      '{"channel":"market_trades","client_id":"","timestamp":"2023-02-09T20:19:35.39625135Z","sequence_num":0,"events":[{"type":"update","trades":[{"trade_id":"000000002","product_id":"ETH-USD","price":"1260.02","size":"0.1","side":"SELL","time":"2019-08-14T20:42:27.266Z"},{"trade_id":"000000001","product_id":"ETH-USD","price":"1260.01","size":"0.3","side":"BUY","time":"2019-08-14T20:42:27.265Z"}]}]}';
    const ticks = feedTicks("coinbase", advanced);
    expect(Array.isArray(ticks) && ticks.map((t) => [t.price, t.seq])).toEqual([
      [1260.01, 1],
      [1260.02, 2],
    ]);
    expect(feedTicks("coinbase", '{"type":"subscriptions","channels":[]}')).toEqual([]);
  });

  it("maps kraken v1 trade arrays and v2 trade updates", () => {
    const v1 =
      '[0,[["5541.20000","0.15850568","1534614057.321597","s","l",""],["6060.00000","0.02455000","1534614057.324998","b","l",""]],"trade","XBT/USD"]';
    expect(feedTicks("kraken", v1)).toEqual([
      { timeJson: '"1534614057.321597"', symbol: "XBT/USD", price: 5541.2, seq: Number.NaN },
      { timeJson: '"1534614057.324998"', symbol: "XBT/USD", price: 6060, seq: Number.NaN },
    ]);
    expect(feedTicks("kraken", '{"event":"heartbeat"}')).toEqual([]);
    expect(feedTicks("kraken", "{oops")).toMatchObject({ message: expect.stringContaining("not JSON") });
  });
});
