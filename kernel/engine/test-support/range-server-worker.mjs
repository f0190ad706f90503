// A static file server with HEAD and Range (206) support, run in a worker thread: the blocking DuckDB-WASM build waits
// synchronously for HTTP answers, so the server cannot share the test's event loop.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";

const { root, ranges } = workerData;
const log = [];
const TYPES = { ".js": "text/javascript", ".html": "text/html", ".wasm": "application/wasm" };
const typeOf = (file) => TYPES[path.extname(file)] ?? "application/octet-stream";
const server = createServer((req, res) => {
  const file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(root)) return void res.writeHead(403).end();
  let size;
  try {
    size = statSync(file).size;
  } catch {
    return void res.writeHead(404).end();
  }
  const range = req.headers.range;
  log.push({ method: req.method, path: req.url, range: range ?? null });
  if (!range || !ranges) {
    res.writeHead(200, { "Content-Type": typeOf(file), "Content-Length": size, "Accept-Ranges": ranges ? "bytes" : "none" });
    return void (req.method === "HEAD" ? res.end() : createReadStream(file).pipe(res));
  }
  const [startText, endText] = range.replace("bytes=", "").split("-");
  const start = Number(startText);
  const end = endText ? Math.min(Number(endText), size - 1) : size - 1;
  if (start >= size) return void res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
  res.writeHead(206, {
    "Content-Length": end - start + 1,
    "Content-Range": `bytes ${start}-${end}/${size}`,
    "Accept-Ranges": "bytes",
  });
  if (req.method === "HEAD") return void res.end();
  createReadStream(file, { start, end }).pipe(res);
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
parentPort.on("message", (message) => {
  if (message === "log") parentPort.postMessage({ log });
  if (message === "close") server.close(() => parentPort.postMessage({ closed: true }));
});
