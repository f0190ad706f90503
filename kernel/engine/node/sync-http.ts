/**
 * Synchronous HTTP for DuckDB-WASM's blocking Node build: the WASM file system calls are synchronous, and Node has no
 * synchronous XMLHttpRequest. A worker thread does the request while this thread waits on an Atomics flag, then the
 * answer is taken off the port with receiveMessageOnPort. Consequence: the server must not live on this thread's event
 * loop (tests run theirs in a worker thread).
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";

export interface SyncResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const http = require("node:http");
const https = require("node:https");
const flag = new Int32Array(workerData.signal);
const port = workerData.port;
function done(message) { port.postMessage(message); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); }
port.on("message", (req) => {
  const client = req.url.startsWith("https:") ? https : http;
  const request = client.request(req.url, { method: req.method, headers: req.headers }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => done({ status: res.statusCode, headers: res.headers, body: new Uint8Array(Buffer.concat(chunks)) }));
    res.on("error", (e) => done({ error: String(e) }));
  });
  request.on("error", (e) => done({ error: String(e) }));
  request.setTimeout(req.timeoutMs, () => request.destroy(new Error("no answer within " + req.timeoutMs + " ms")));
  request.end();
});
`;

export class SyncHttpClient {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly timeoutMs = 30_000) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { signal: this.flag.buffer, port: port2 },
      transferList: [port2],
    });
    this.worker.unref();
    this.port.unref();
  }

  request(method: "GET" | "HEAD", url: string, headers: Record<string, string> = {}): SyncResponse {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ method, url, headers, timeoutMs: this.timeoutMs });
    const waited = Atomics.wait(this.flag, 0, 0, this.timeoutMs + 5_000);
    const message = receiveMessageOnPort(this.port)?.message as (SyncResponse & { error?: string }) | undefined;
    if (waited === "timed-out" || !message) throw new Error(`${method} ${url}: no answer within ${this.timeoutMs} ms`);
    if (message.error) throw new Error(`${method} ${url}: ${message.error}`);
    return message;
  }

  close(): Promise<number> {
    this.port.close();
    return this.worker.terminate();
  }
}
