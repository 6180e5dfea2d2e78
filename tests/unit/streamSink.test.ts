import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { StreamSink } from "../../src/output/sink.js";

describe("StreamSink on a stream that writes synchronously", () => {
  it("lets the written callbacks run while the writer goes on, so the written chunks can be freed", async () => {
    // Like stdout to a file or /dev/null (a SyncWriteStream): each write completes at once and never
    // asks for 'drain'; Node defers the write's callback with process.nextTick.
    const stream = new Writable({
      highWaterMark: 1 << 30,
      write(_chunk, _encoding, callback) {
        callback();
      },
    });
    const sink = new StreamSink(stream);
    const chunk = new Uint8Array(1 << 20);
    let released = 0;
    let worstBacklog = 0;
    for (let k = 1; k <= 200; k++) {
      await sink.writeBytes(chunk, () => released++);
      worstBacklog = Math.max(worstBacklog, k - released);
    }
    // Without yielding to the event loop all 200 callbacks would still be pending here.
    expect(worstBacklog).toBeLessThanOrEqual(16);
  });
});
