import { once } from "node:events";

/**
 * Where results go. Commands write through a Sink so tests can capture output
 * without a subprocess, and so backpressure is respected: a write that the
 * stream cannot take at once waits for 'drain' instead of buffering the whole
 * result in memory.
 */
export interface Sink {
  write(chunk: string): Promise<void>;
  /**
   * Writes UTF-8 bytes the caller has already encoded and will not touch
   * again, or, with `written`, not until `written` is called (the stream is
   * done with them: the caller may reuse their memory).
   */
  writeBytes(chunk: Uint8Array, written?: () => void): Promise<void>;
  readonly isTty: boolean;
}

/**
 * Bytes written without waiting for 'drain' after which a writer yields to
 * the event loop once. A stream that writes synchronously (stdout to a
 * file or /dev/null is a SyncWriteStream) never asks for 'drain', and
 * defers each write's callback with process.nextTick, which runs only when
 * the microtask queue is empty: a writer that only awaits resolved promises
 * keeps every chunk alive until it ends (a 4 GB NDJSON output held 24 GB).
 */
const YIELD_EVERY_BYTES = 8 << 20;

export class StreamSink implements Sink {
  readonly isTty: boolean;
  private unyielded = 0;
  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {
    this.isTty = stream.isTTY === true;
  }

  async write(chunk: string): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
    else await this.yieldNow(chunk.length);
  }

  async writeBytes(chunk: Uint8Array, written?: () => void): Promise<void> {
    // A failed write still ends: the stream's 'error' event reports it, the callback only releases the bytes.
    if (!this.stream.write(chunk, written === undefined ? undefined : () => written())) {
      this.unyielded = 0;
      await once(this.stream, "drain");
    } else await this.yieldNow(chunk.byteLength);
  }

  private async yieldNow(bytes: number): Promise<void> {
    this.unyielded += bytes;
    if (this.unyielded < YIELD_EVERY_BYTES) return;
    this.unyielded = 0;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Collects everything written, for tests. */
export class MemorySink implements Sink {
  readonly isTty: boolean;
  readonly chunks: string[] = [];
  constructor(isTty = false) {
    this.isTty = isTty;
  }
  async write(chunk: string): Promise<void> {
    this.chunks.push(chunk);
  }
  async writeBytes(chunk: Uint8Array, written?: () => void): Promise<void> {
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("utf8"));
    written?.();
  }
  text(): string {
    return this.chunks.join("");
  }
}

/**
 * Batches many small lines (NDJSON rows) into ~256 KiB writes: one write per
 * line costs more than formatting the line.
 */
export class LineBuffer {
  private parts: string[] = [];
  private size = 0;
  constructor(
    private readonly sink: Sink,
    private readonly limit = 1 << 18,
  ) {}

  async push(line: string): Promise<void> {
    this.parts.push(line);
    this.size += line.length;
    if (this.size >= this.limit) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join("");
    this.parts = [];
    this.size = 0;
    await this.sink.write(chunk);
  }
}
