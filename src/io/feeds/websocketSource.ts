/**
 * A websocket feed that survives disconnections: messages from `url` until
 * `signal` aborts, reconnecting after a drop with exponential backoff
 * (250 ms doubling to 30 s, ±20 % jitter so that many clients do not
 * reconnect in lockstep; reset once a connection has delivered a message).
 * `subscribe` is sent after every (re)connection, as exchanges forget
 * subscriptions with the connection.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { inputError } from "../../errors.js";
import { connectWebSocket } from "./websocketClient.js";

export const RECONNECT_INITIAL_MS = 250;
export const RECONNECT_MAX_MS = 30_000;

export interface WebSocketNotice {
  notice: "connected" | "disconnected" | "retrying";
  detail: string;
}

export async function* websocketMessages(
  url: URL,
  options: { subscribe?: string; maxRetries: number; signal: AbortSignal },
): AsyncGenerator<string | WebSocketNotice> {
  const { signal } = options;
  let delay = RECONNECT_INITIAL_MS;
  let failures = 0;
  while (!signal.aborted) {
    let delivered = false;
    try {
      const connection = await connectWebSocket(url, signal);
      const stop = (): void => connection.close();
      signal.addEventListener("abort", stop, { once: true });
      try {
        failures = 0;
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
      yield { notice: "disconnected", detail: connection.endReason };
    } catch (error) {
      if (signal.aborted) return;
      failures++;
      if (failures > options.maxRetries) {
        throw inputError(
          "websocket_failed",
          `cannot connect to ${url.href}: ${(error as Error).message}`,
          { file: url.href },
          failures > 1
            ? `gave up after ${failures} attempts (--max-retries ${options.maxRetries})`
            : undefined,
        );
      }
      yield { notice: "retrying", detail: (error as Error).message };
    }
    if (delivered) delay = RECONNECT_INITIAL_MS;
    const jittered = delay * (0.8 + 0.4 * Math.random());
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    try {
      await sleep(jittered, undefined, { signal });
    } catch {
      return;
    }
  }
}
