/**
 * Child process for the DuckDB-WASM test: serves one file with sendFileWithRanges on 127.0.0.1:<free port> and writes one
 * JSON line per answered request (method, range, status, bytes written on the socket) to stdout.
 * It is a separate process because the test's own thread blocks in synchronous XHR while DuckDB-WASM reads.
 * `GET /__done` writes {"event":"done"}: every earlier response has finished by then, so the log is complete.
 * Usage: node --import tsx serve-file.ts <file> <etag>
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sendFileWithRanges } from "../http-range.ts";

const [filePath, etag] = process.argv.slice(2);
const log = (entry: object) => process.stdout.write(`${JSON.stringify(entry)}\n`);

const server = createServer((req, res) => {
  if (req.url === "/__done") {
    log({ event: "done" });
    res.writeHead(204).end();
    return;
  }
  const before = req.socket.bytesWritten;
  res.on("finish", () =>
    log({
      event: "response",
      method: req.method,
      range: req.headers.range ?? null,
      status: res.statusCode,
      contentLength: Number(res.getHeader("content-length") ?? 0),
      bytes: req.socket.bytesWritten - before,
    }),
  );
  void sendFileWithRanges(req, res, filePath, { etag, immutable: true });
});
server.listen(0, "127.0.0.1", () => log({ event: "listening", port: (server.address() as AddressInfo).port }));
