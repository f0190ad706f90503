/**
 * Child process: serves a directory on 127.0.0.1:<free port> with the product's responder (connectors/publish
 * `sendFileWithRanges`: HEAD, Range 206, ETag), and counts what it sends for the dataset file.
 * It is a separate process because DuckDB-WASM's Node build waits synchronously for HTTP answers.
 *   GET /__log          → {entries: dataset responses {method, range, status, body, wire} since the last reset,
 *                          totals: since start, never reset (whole-file downloads counted here)}
 *   GET /__log?reset=1  → the same, then the entries are emptied
 * Usage: node --import tsx bench/query/serve.ts <root dir> <dataset file name>
 * Prints {"port": n} on stdout once listening.
 */
import { statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { sendFileWithRanges } from "../../connectors/publish/index.ts";

const [root, datasetName] = process.argv.slice(2);
const TYPES: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".wasm": "application/wasm" };

export interface ServedRequest {
  method: string;
  range: string | null;
  status: number;
  /** Body bytes (Content-Length of the answer; 0 for HEAD). */
  body: number;
  /** Bytes written on the socket for this answer, headers included. */
  wire: number;
}

export interface ServedTotals {
  requests: number;
  bodyBytes: number;
  /** GETs answered with the whole file (a 200, or a range covering every byte). Must stay 0. */
  wholeFileDownloads: number;
}

let log: ServedRequest[] = [];
const totals: ServedTotals = { requests: 0, bodyBytes: 0, wholeFileDownloads: 0 };
const datasetBytes = statSync(path.join(root, datasetName)).size;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  if (url.pathname === "/__log") {
    const body = JSON.stringify({ entries: log, totals });
    if (url.searchParams.get("reset")) log = [];
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(body);
    return;
  }
  const name = decodeURIComponent(url.pathname.slice(1));
  const file = path.join(root, name);
  if (!file.startsWith(root) || name.includes("..")) {
    res.writeHead(403).end();
    return;
  }
  if (name === datasetName) {
    const before = req.socket.bytesWritten;
    res.on("finish", () => {
      const entry = {
        method: req.method ?? "",
        range: req.headers.range ?? null,
        status: res.statusCode,
        body: req.method === "HEAD" ? 0 : Number(res.getHeader("content-length") ?? 0),
        wire: req.socket.bytesWritten - before,
      };
      log.push(entry);
      totals.requests++;
      totals.bodyBytes += entry.body;
      if (entry.method === "GET" && (entry.status === 200 || entry.body >= datasetBytes)) totals.wholeFileDownloads++;
    });
  }
  void sendFileWithRanges(req, res, file, {
    etag: `bench-${name}`,
    immutable: true,
    contentType: TYPES[path.extname(name)] ?? "application/octet-stream",
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
