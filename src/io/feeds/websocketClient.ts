/**
 * One websocket connection on the `ws` package, with the limits a market
 * data feed needs set explicitly: what a server may send is bounded in
 * size, in fragments and in control-frame rate, and any breach of RFC 6455
 * ends the connection with a reason rather than an exception.
 *
 * Why `ws`: framing, masking, fragmentation, UTF-8 validation, close
 * handshakes and TLS are where hand-written clients break, and `ws` (the
 * standard Node implementation, fuzzed and maintained) already refuses what
 * RFC 6455 §5 requires refusing: reserved bits without an extension,
 * masked server frames, fragmented control frames, stray continuation
 * frames, invalid UTF-8 in text, a message past `maxPayload` (checked on the
 * frame header, before any payload is buffered) or in more than
 * `maxFragments` frames. What it lacks is a bound on the rate of pings and
 * pongs, which this module adds.
 *
 * Reference: I. Fette, A. Melnikov (2011), "The WebSocket Protocol",
 * RFC 6455, §5 (framing), §7.4 (status codes).
 */
import { createRequire } from "node:module";
import type { RawData, WebSocket as WebSocketClass } from "ws";

// `ws` is CommonJS, and Node 20 runs its CommonJS lexer over every file an ES import of such a
// package requires: `import("ws")` took ~200 ms, `require("ws")` ~25 ms (medians of 7, this
// machine). Required, then; the type import keeps the dependency visible to the checks.
const WebSocket = createRequire(import.meta.url)("ws") as typeof WebSocketClass;
type WebSocket = WebSocketClass;

export const WEBSOCKET_LIMITS = {
  /** Largest message (ws `maxPayload`): no exchange's trade message comes near it; a larger one is refused with 1009. */
  maxMessageBytes: 16 * 1024 * 1024,
  /** Most frames one message may arrive in (ws `maxFragments`), so endless empty continuation frames end the connection. */
  maxFragments: 1024,
  /**
   * Most pings and pongs in one second: exchanges ping every few seconds to minutes; a flood is refused
   * with 1008. Below ws's own bound of 60 pongs not yet written (`maxPendingAutoPongs`, past which it cuts
   * the socket without a word), so a burst of pings is named and closed properly before that.
   */
  maxControlFramesPerSecond: 50,
  /** Time for the opening handshake. */
  handshakeTimeoutMs: 10_000,
  /** Time the server gets to answer our close frame before the socket is cut. */
  closeGraceMs: 1_000,
  /**
   * Queued messages, or queued bytes, beyond which reading pauses until the consumer catches up
   * (backpressure): the queue holds at most about one large message more than this.
   */
  highWaterMessages: 1024,
  highWaterBytes: 16 * 1024 * 1024,
} as const;

/** Why a connection ended; `violation` when the server broke the protocol or a limit. */
export interface ConnectionEnd {
  reason: string;
  violation: boolean;
}

/** What each of `ws`'s refusals means, in the terms of RFC 6455. */
const REFUSALS: Record<string, string> = {
  WS_ERR_UNEXPECTED_RSV_1: "a frame with the RSV1 bit set, but no extension was negotiated",
  WS_ERR_UNEXPECTED_RSV_2_3: "a frame with the RSV2 or RSV3 bit set, but no extension was negotiated",
  WS_ERR_UNEXPECTED_MASK: "a masked frame (a server must not mask its frames)",
  WS_ERR_EXPECTED_FIN: "a fragmented control frame (a ping, pong or close must be one frame)",
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: "a control frame over 125 bytes",
  WS_ERR_INVALID_UTF8: "invalid UTF-8 in a text message",
  WS_ERR_INVALID_CLOSE_CODE: "a close frame with an invalid status code",
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: "a frame length beyond 2^53 - 1 bytes",
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: `a message over the ${WEBSOCKET_LIMITS.maxMessageBytes / 1024 / 1024} MiB limit`,
};

/** The refusal of a protocol error from `ws`, in words; the error's own message when it is not one. */
function refusal(error: Error & { code?: string }): string {
  const code = error.code ?? "";
  if (code === "WS_ERR_INVALID_OPCODE") {
    return error.message.endsWith("opcode 0")
      ? "a continuation frame outside a fragmented message"
      : /opcode [12]$/.test(error.message)
        ? "a new message began inside a fragmented one"
        : `an unknown opcode (${error.message.replace(/^.*opcode /, "")})`;
  }
  if (code === "WS_ERR_TOO_MANY_BUFFERED_PARTS") {
    return error.message.includes("fragments")
      ? `a message in more than ${WEBSOCKET_LIMITS.maxFragments} fragments`
      : "too many buffered chunks";
  }
  return REFUSALS[code] ?? error.message;
}

/** An open websocket: iterate `messages()` until the connection ends, then read `end`. */
export class WebSocketConnection {
  private readonly queue: string[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  private queuedBytes = 0;
  private paused = false;
  private controlFrames = 0;
  private controlWindowStart = 0;
  end: ConnectionEnd = { reason: "", violation: false };

  constructor(private readonly socket: WebSocket) {
    socket.on("message", (data: RawData) => this.receive(data));
    socket.on("ping", () => this.countControlFrame());
    socket.on("pong", () => this.countControlFrame());
    // After open, ws reports only protocol errors (its own refusals); socket errors arrive as close 1006.
    socket.on("error", (error: Error & { code?: string }) =>
      this.finish({ reason: refusal(error), violation: error.code?.startsWith("WS_ERR_") ?? false }),
    );
    socket.on("close", (code: number, reason: Buffer) =>
      this.finish({ reason: closeText(code, reason), violation: false }),
    );
  }

  /** Sends a text message (ws masks it, as RFC 6455 §5.3 requires of clients). */
  send(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  /** Closes the connection (normal closure, 1000) and cuts it if the server does not answer in time. */
  close(): void {
    this.finish({ reason: "closed", violation: false });
    this.shut(1000);
  }

  /** The messages as they arrive, ending when the connection does. */
  async *messages(): AsyncGenerator<string> {
    for (;;) {
      if (this.queue.length > 0) {
        const message = this.queue.shift()!;
        this.queuedBytes -= message.length;
        if (
          this.paused &&
          this.queue.length < WEBSOCKET_LIMITS.highWaterMessages / 2 &&
          this.queuedBytes < WEBSOCKET_LIMITS.highWaterBytes / 2
        ) {
          this.paused = false;
          this.socket.resume();
        }
        yield message;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private receive(data: RawData): void {
    if (this.ended) return;
    // Text is valid UTF-8 (ws checked it); binary is read as UTF-8 too, as the feeds send JSON either way.
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    const message = bytes.toString("utf8");
    this.queue.push(message);
    this.queuedBytes += message.length;
    if (
      !this.paused &&
      (this.queue.length >= WEBSOCKET_LIMITS.highWaterMessages ||
        this.queuedBytes >= WEBSOCKET_LIMITS.highWaterBytes)
    ) {
      this.paused = true;
      this.socket.pause();
    }
    this.notify();
  }

  private countControlFrame(): void {
    if (this.ended) return;
    const now = Date.now();
    if (now - this.controlWindowStart >= 1000) {
      this.controlWindowStart = now;
      this.controlFrames = 0;
    }
    if (++this.controlFrames > WEBSOCKET_LIMITS.maxControlFramesPerSecond) {
      this.finish({
        reason: `more than ${WEBSOCKET_LIMITS.maxControlFramesPerSecond} pings and pongs in a second (a ping flood)`,
        violation: true,
      });
      this.shut(1008);
    }
  }

  /** The first reason wins: a refusal is not overwritten by the close that follows it. */
  private finish(end: ConnectionEnd): void {
    if (!this.ended) {
      this.ended = true;
      this.end = end;
    }
    this.notify();
  }

  private shut(code: number): void {
    const socket = this.socket;
    if (socket.readyState === WebSocket.CLOSED) return;
    if (socket.readyState === WebSocket.OPEN) socket.close(code);
    setTimeout(() => socket.terminate(), WEBSOCKET_LIMITS.closeGraceMs).unref();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

function closeText(code: number, reason: Buffer): string {
  if (code === 1006) return "the connection dropped without a close frame (1006)";
  const text = reason.toString("utf8");
  return `closed by the server (${code}${text ? ` ${text}` : ""})`;
}

/**
 * Opens a websocket to a `ws://` or `wss://` URL. Rejects when the server
 * does not upgrade (with its HTTP status), the handshake is wrong or times
 * out, or the connection fails; `signal` aborts the attempt.
 */
export function connectWebSocket(url: URL, signal: AbortSignal): Promise<WebSocketConnection> {
  return new Promise((resolve, reject) => {
    if (url.protocol !== "ws:" && url.protocol !== "wss:") {
      reject(new Error(`not a websocket URL (ws:// or wss://): ${url.href}`));
      return;
    }
    const socket = new WebSocket(url, {
      maxPayload: WEBSOCKET_LIMITS.maxMessageBytes,
      maxFragments: WEBSOCKET_LIMITS.maxFragments,
      handshakeTimeout: WEBSOCKET_LIMITS.handshakeTimeoutMs,
      // No extensions: trade messages are small, and every RSV bit then stays a refusal.
      perMessageDeflate: false,
      followRedirects: false,
      headers: { "User-Agent": "hftlab" },
    });
    const onAbort = (): void => socket.terminate();
    signal.addEventListener("abort", onAbort, { once: true });
    const settle = (): void => {
      signal.removeEventListener("abort", onAbort);
      socket.removeAllListeners();
    };
    socket.on("unexpected-response", (_request, response) => {
      response.resume();
      settle();
      socket.on("error", () => {});
      socket.terminate();
      reject(new Error(`the server answered HTTP ${response.statusCode} instead of switching to websocket`));
    });
    socket.on("error", (error) => {
      settle();
      socket.on("error", () => {});
      reject(error);
    });
    socket.on("open", () => {
      settle();
      resolve(new WebSocketConnection(socket));
    });
  });
}
