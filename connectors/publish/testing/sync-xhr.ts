import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

/**
 * A synchronous XMLHttpRequest for Node, so DuckDB-WASM's own browser runtime (which reads HTTP files with synchronous
 * XHR, as it does in a Web Worker) can run in tests unchanged. The blocking Node build's runtime has no HTTP support
 * ("Unsupported data protocol"), so without this the tests would exercise a different code path than the browser.
 *
 * The request runs on a worker thread while this thread waits on Atomics; the answer is taken with
 * receiveMessageOnPort. Consequence: the HTTP server must not run on this thread (it could not answer): tests start it
 * in a child process.
 */
const WORKER_SOURCE = `
const http = require("node:http");
const { workerData } = require("node:worker_threads");
const { port, flag } = workerData;
const signal = new Int32Array(flag);
const agent = new http.Agent({ keepAlive: true });
port.on("message", (req) => {
  const done = (message, transfer = []) => {
    port.postMessage(message, transfer);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  try {
    const request = http.request(req.url, { method: req.method, headers: req.headers, agent }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("error", (error) => done({ error: String(error) }));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        const buffer = body.buffer.slice(body.byteOffset, body.byteOffset + body.length);
        done({ status: res.statusCode, statusText: res.statusMessage, headers: res.headers, body: buffer }, [buffer]);
      });
    });
    request.on("error", (error) => done({ error: String(error) }));
    request.end(req.body ? Buffer.from(req.body) : undefined);
  } catch (error) {
    done({ error: String(error) });
  }
});
`;

interface WorkerAnswer {
  status?: number;
  statusText?: string;
  headers?: Record<string, string | string[]>;
  body?: ArrayBuffer;
  error?: string;
}

export interface InstalledSyncXhr {
  uninstall(): Promise<void>;
}

/**
 * `headers` are added to every request, as a browser adds its cookies to same-origin requests (DuckDB-WASM's runtime
 * sets no cookie itself).
 */
export function installSyncXMLHttpRequest(
  timeoutMs = 30_000,
  options: { headers?: Record<string, string> } = {},
): InstalledSyncXhr {
  const flag = new SharedArrayBuffer(4);
  const signal = new Int32Array(flag);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flag }, transferList: [port2] });
  worker.unref();
  const previous = (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest;

  class SyncXMLHttpRequest {
    responseType: "" | "arraybuffer" | "text" = "";
    status = 0;
    statusText = "";
    response: ArrayBuffer | string | null = null;
    responseText = "";
    private method = "GET";
    private url = "";
    private requestHeaders: Record<string, string> = {};
    private responseHeaders: Record<string, string | string[]> = {};

    open(method: string, url: string, async = true): void {
      if (async) throw new Error("this XMLHttpRequest stand-in only does synchronous requests");
      this.method = method;
      this.url = url;
    }

    setRequestHeader(name: string, value: string): void {
      this.requestHeaders[name] = value;
    }

    send(body?: Uint8Array | null): void {
      Atomics.store(signal, 0, 0);
      port1.postMessage({
        method: this.method,
        url: this.url,
        headers: { ...options.headers, ...this.requestHeaders },
        body: body ?? null,
      });
      if (Atomics.wait(signal, 0, 0, timeoutMs) === "timed-out") {
        throw new Error(`sync XMLHttpRequest ${this.method} ${this.url}: no answer in ${timeoutMs} ms`);
      }
      const answer = receiveMessageOnPort(port1)?.message as WorkerAnswer | undefined;
      if (!answer || answer.error) throw new Error(`NetworkError: ${this.method} ${this.url}: ${answer?.error ?? "no answer"}`);
      this.status = answer.status ?? 0;
      this.statusText = answer.statusText ?? "";
      this.responseHeaders = answer.headers ?? {};
      const buffer = answer.body ?? new ArrayBuffer(0);
      this.responseText = this.responseType === "arraybuffer" ? "" : Buffer.from(buffer).toString("utf8");
      this.response = this.responseType === "arraybuffer" ? buffer : this.responseText;
    }

    getResponseHeader(name: string): string | null {
      const value = this.responseHeaders[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    }

    getAllResponseHeaders(): string {
      return Object.entries(this.responseHeaders)
        .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(", ") : value}\r\n`)
        .join("");
    }
  }

  (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = SyncXMLHttpRequest;
  return {
    async uninstall() {
      (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = previous;
      port1.close();
      await worker.terminate();
    },
  };
}
