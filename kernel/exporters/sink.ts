/** One writer interface over WritableStream and plain async sinks, counting bytes and honouring backpressure. */
import type { ExportSink } from "./types.ts";

export interface ByteWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(reason: unknown): Promise<void>;
  readonly bytes: number;
}

export function byteWriter(sink: ExportSink): ByteWriter {
  let bytes = 0;
  if (typeof WritableStream !== "undefined" && sink instanceof WritableStream) {
    const writer = sink.getWriter();
    return {
      async write(chunk) {
        if (chunk.byteLength === 0) return;
        bytes += chunk.byteLength;
        // Waiting on `ready` keeps at most the stream's high-water mark queued: memory stays flat with row count.
        await writer.ready;
        await writer.write(chunk);
      },
      async close() {
        await writer.close();
      },
      async abort(reason) {
        await writer.abort(reason).catch(() => undefined);
      },
      get bytes() {
        return bytes;
      },
    };
  }
  const plain = sink as Exclude<ExportSink, WritableStream<Uint8Array>>;
  return {
    async write(chunk) {
      if (chunk.byteLength === 0) return;
      bytes += chunk.byteLength;
      await plain.write(chunk);
    },
    async close() {
      await plain.close?.();
    },
    async abort() {},
    get bytes() {
      return bytes;
    },
  };
}

/** Encodes text into chunks of about `size` bytes so one huge string never forms. */
export class TextChunker {
  private parts: string[] = [];
  private length = 0;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly writer: ByteWriter,
    private readonly size = 256 * 1024,
  ) {}

  async push(text: string): Promise<void> {
    this.parts.push(text);
    this.length += text.length;
    if (this.length >= this.size) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.length = 0;
    await this.writer.write(this.encoder.encode(text));
  }
}
