/**
 * A minimal RFC 6455 websocket client on node:http/node:https: the opening
 * handshake (with the Sec-WebSocket-Accept check), text/binary messages
 * (fragmented or not), ping → pong, close, and client-masked sends. No
 * extensions are requested, so servers send plain frames.
 *
 * Why not the `ws` package: Node 20 has no global WebSocket without a flag,
 * and what `stream` needs — receive text messages, answer pings, send one
 * subscription message — is this much code, with no dependency to audit.
 *
 * Reference: I. Fette, A. Melnikov (2011), "The WebSocket Protocol",
 * RFC 6455, §4.1 (client handshake) and §5 (framing).
 */
import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Duplex } from "node:stream";

const HANDSHAKE_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** Larger messages are a protocol error: no exchange trade message comes near it. */
const MAX_MESSAGE_BYTES = 64 << 20;
/** Queued messages beyond which the socket is paused until the reader catches up (backpressure). */
const HIGH_WATER_MESSAGES = 1024;

const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** An open websocket: iterate `messages()` until the connection ends. */
export class WebSocketConnection {
  private readonly queue: string[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  /** Why the connection ended: a close frame from the server, or the socket dropping. */
  endReason = "";
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;

  constructor(
    private readonly socket: Duplex,
    head: Buffer,
  ) {
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("end", () => this.finish("connection closed by the server"));
    socket.on("close", () => this.finish("connection dropped"));
    socket.on("error", (error) => this.finish(error.message));
    if (head.length > 0) this.receive(head);
  }

  /** Sends a text message (masked, as RFC 6455 §5.3 requires of clients). */
  send(text: string): void {
    this.sendFrame(OPCODE.text, Buffer.from(text, "utf8"));
  }

  /** Closes the connection (normal closure, 1000). */
  close(): void {
    if (!this.ended) {
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(1000);
      this.sendFrame(OPCODE.close, payload);
      this.socket.end();
    }
    this.finish("closed");
    this.socket.destroy();
  }

  /** The messages as they arrive, ending when the connection does. */
  async *messages(): AsyncGenerator<string> {
    for (;;) {
      if (this.queue.length > 0) {
        const message = this.queue.shift()!;
        if (this.queue.length < HIGH_WATER_MESSAGES / 2) this.socket.resume();
        yield message;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private finish(reason: string): void {
    if (!this.ended) {
      this.ended = true;
      this.endReason = reason;
    }
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private sendFrame(opcode: number, payload: Buffer): void {
    if (this.ended || this.socket.destroyed) return;
    const length = payload.length;
    const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(headerLength + 4 + length);
    frame[0] = 0x80 | opcode;
    if (length < 126) frame[1] = 0x80 | length;
    else if (length < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    const mask = randomBytes(4);
    mask.copy(frame, headerLength);
    for (let i = 0; i < length; i++) frame[headerLength + 4 + i] = payload[i]! ^ mask[i & 3]!;
    this.socket.write(frame);
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const frame = this.nextFrame();
      if (frame === null) break;
      this.handleFrame(frame.fin, frame.opcode, frame.payload);
      if (this.ended) return;
    }
    if (this.queue.length >= HIGH_WATER_MESSAGES) this.socket.pause();
  }

  /** Cuts the next complete frame off the buffer, or null when more bytes are needed. */
  private nextFrame(): { fin: boolean; opcode: number; payload: Buffer } | null {
    const b = this.buffer;
    if (b.length < 2) return null;
    const fin = (b[0]! & 0x80) !== 0;
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    let length = b[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return null;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return null;
      const long = b.readBigUInt64BE(2);
      if (long > BigInt(MAX_MESSAGE_BYTES)) {
        this.protocolError(`frame of ${long} bytes exceeds ${MAX_MESSAGE_BYTES}`);
        return null;
      }
      length = Number(long);
      offset = 10;
    }
    const maskOffset = offset;
    if (masked) offset += 4;
    if (b.length < offset + length) return null;
    const payload = Buffer.from(b.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < length; i++) payload[i] = payload[i]! ^ b[maskOffset + (i & 3)]!;
    this.buffer = b.subarray(offset + length);
    return { fin, opcode, payload };
  }

  private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OPCODE.ping:
        this.sendFrame(OPCODE.pong, payload);
        return;
      case OPCODE.pong:
        return;
      case OPCODE.close: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.subarray(2).toString("utf8");
        this.sendFrame(OPCODE.close, payload.subarray(0, 2));
        this.finish(`closed by the server (${code}${reason ? ` ${reason}` : ""})`);
        this.socket.end();
        return;
      }
      case OPCODE.text:
      case OPCODE.binary:
      case OPCODE.continuation: {
        if (opcode !== OPCODE.continuation && this.fragments.length > 0) {
          this.protocolError("a new message began before the previous one ended");
          return;
        }
        this.fragments.push(payload);
        this.fragmentBytes += payload.length;
        if (this.fragmentBytes > MAX_MESSAGE_BYTES) {
          this.protocolError(`message exceeds ${MAX_MESSAGE_BYTES} bytes`);
          return;
        }
        if (fin) {
          const whole = this.fragments.length === 1 ? payload : Buffer.concat(this.fragments);
          this.fragments = [];
          this.fragmentBytes = 0;
          this.queue.push(whole.toString("utf8"));
          this.notify();
        }
        return;
      }
      default:
        this.protocolError(`unknown opcode ${opcode}`);
    }
  }

  private protocolError(reason: string): void {
    this.finish(`protocol error: ${reason}`);
    this.socket.destroy();
  }
}

/**
 * Opens a websocket to a `ws://` or `wss://` URL. Rejects when the server
 * does not upgrade (with its HTTP status), answers with a wrong accept key,
 * or the connection fails; `signal` aborts the attempt.
 */
export function connectWebSocket(
  url: URL,
  signal: AbortSignal,
  timeoutMs = 10_000,
): Promise<WebSocketConnection> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === "wss:";
    if (!secure && url.protocol !== "ws:") {
      reject(new Error(`not a websocket URL (ws:// or wss://): ${url.href}`));
      return;
    }
    const key = randomBytes(16).toString("base64");
    const request = (secure ? httpsRequest : httpRequest)({
      protocol: secure ? "https:" : "http:",
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname || "/"}${url.search}`,
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": key,
        "User-Agent": "hftlab",
      },
      signal,
      timeout: timeoutMs,
    });
    request.on("upgrade", (response, socket, head) => {
      const expected = createHash("sha1")
        .update(key + HANDSHAKE_GUID)
        .digest("base64");
      if (response.headers["sec-websocket-accept"] !== expected) {
        socket.destroy();
        reject(new Error("the server's Sec-WebSocket-Accept does not match (not a websocket server?)"));
        return;
      }
      resolve(new WebSocketConnection(socket, head));
    });
    request.on("response", (response) => {
      response.resume();
      reject(new Error(`the server answered HTTP ${response.statusCode} instead of switching to websocket`));
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end();
  });
}
