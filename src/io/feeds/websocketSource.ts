/**
 * A websocket feed that survives disconnections: messages from `url` until
 * `signal` aborts, reconnecting after a drop with exponential backoff
 * (250 ms doubling to 30 s, ±20 % jitter so that many clients do not
 * reconnect in lockstep). `subscribe` is sent after every (re)connection, as
 * exchanges forget subscriptions with the connection.
 *
 * A connection is a success once it has delivered a message and ended
 * without breaking the protocol: that resets the backoff and the count of
 * failures. Every other attempt is a failure (refused, no handshake, a
 * protocol violation, a drop before any message), and `maxRetries` of them
 * in a row (undefined: never) end the feed with exit 3, so a server that
 * breaks the protocol on every connection is not retried forever when a
 * limit was asked for.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { inputError } from "../../errors.js";
import { connectWebSocket } from "./websocketClient.js";

export const RECONNECT_INITIAL_MS = 250;
export const RECONNECT_MAX_MS = 30_000;

export interface WebSocketNotice {
  /** `violation`: the server broke RFC 6455 or one of the limits; the connection was closed. */
  notice: "connected" | "disconnected" | "retrying" | "violation";
  detail: string;
}

export async function* websocketMessages(
  url: URL,
  options: { subscribe?: string; maxRetries?: number; signal: AbortSignal },
): AsyncGenerator<string | WebSocketNotice> {
  const { signal } = options;
  const maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
  let delay = RECONNECT_INITIAL_MS;
  let failures = 0;
  while (!signal.aborted) {
    let succeeded = false;
    let failure: { reason: string; connected: boolean };
    try {
      const connection = await connectWebSocket(url, signal);
      const stop = (): void => connection.close();
      signal.addEventListener("abort", stop, { once: true });
      let delivered = false;
      try {
        yield { notice: "connected", detail: url.href };
        if (options.subscribe !== undefined) connection.send(options.subscribe);
        for await (const message of connection.messages()) {
          delivered = true;
          yield message;
        }
      } finally {
        signal.removeEventListener("abort", stop);
        connection.close();
      }
      if (signal.aborted) return;
      const { reason, violation } = connection.end;
      yield violation ? { notice: "violation", detail: reason } : { notice: "disconnected", detail: reason };
      succeeded = delivered && !violation;
      failure = { reason: violation ? `protocol violation: ${reason}` : reason, connected: true };
    } catch (error) {
      if (signal.aborted) return;
      failure = { reason: (error as Error).message, connected: false };
    }
    if (succeeded) {
      failures = 0;
      delay = RECONNECT_INITIAL_MS;
    } else if (++failures > maxRetries) {
      throw inputError(
        "websocket_failed",
        `${failure.connected ? "gave up on" : "cannot connect to"} ${url.href}: ${failure.reason}`,
        { file: url.href },
        failures > 1 ? `gave up after ${failures} attempts (--max-retries ${maxRetries})` : undefined,
      );
    } else if (!failure.connected) {
      yield { notice: "retrying", detail: failure.reason };
    }
    const jittered = delay * (0.8 + 0.4 * Math.random());
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    try {
      await sleep(jittered, undefined, { signal });
    } catch {
      return;
    }
  }
}
