import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";

/**
 * Serves a dataset file the way DuckDB-WASM reads it: HEAD, single byte ranges, ETag revalidation.
 * The caller has already authorized the request and chosen the file (version or slice); this only speaks HTTP.
 *
 * - `HEAD` with `Range: bytes=0-` answers 206 with the full Content-Length: DuckDB-WASM's open probes exactly that
 *   (with `reliableHeadRequests`), and refuses to fall back to a full download when we disallow full reads.
 * - `bytes=a-b`, `bytes=a-`, `bytes=-n` → 206 with Content-Range; a range starting at or past the end (or `-0`) → 416
 *   with `Content-Range: bytes *\/size`. A syntactically invalid Range header is ignored (200), as RFC 9110 asks.
 * - Multi-range requests (`bytes=0-9,20-29`) are answered with the first satisfiable range alone as a single-part 206
 *   (RFC 9110 lets a server serve fewer ranges than asked; clients read Content-Range). DuckDB never asks for several;
 *   answering 200 instead would send a multi-gigabyte file to a client that wanted a few blocks.
 * - `If-None-Match` matching the ETag → 304; `If-Range` not matching it → the whole file (200).
 */
export interface SendFileOptions {
  /** Identity of this exact content, e.g. `<slug>-v<version>` or the slice hash. Quoted here if not already. */
  etag: string;
  /** Versions and slices never change: let the browser keep them for a year without revalidating. */
  immutable?: boolean;
  contentType?: string;
}

type RangeAnswer = { kind: "full" } | { kind: "partial"; start: number; end: number } | { kind: "unsatisfiable" };

export async function sendFileWithRanges(
  req: IncomingMessage,
  res: ServerResponse,
  filePath: string,
  options: SendFileOptions,
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Length": "0" }).end();
    return;
  }
  const info = await stat(filePath).catch(() => null);
  if (!info?.isFile()) {
    res.writeHead(404, { "Content-Length": "0" }).end();
    return;
  }
  const size = info.size;
  const etag = /^(W\/)?".*"$/.test(options.etag) ? options.etag : `"${options.etag}"`;
  res.setHeader("ETag", etag);
  res.setHeader("Accept-Ranges", "bytes");
  res.setHeader("Last-Modified", info.mtime.toUTCString());
  res.setHeader("Cache-Control", options.immutable ? "private, max-age=31536000, immutable" : "private, no-cache");

  if (etagMatches(req.headers["if-none-match"], etag)) {
    res.writeHead(304).end();
    return;
  }
  res.setHeader("Content-Type", options.contentType ?? "application/octet-stream");

  const ifRange = req.headers["if-range"];
  const rangeHeader = ifRange === undefined || ifRange === etag ? req.headers.range : undefined;
  const answer = parseRange(rangeHeader, size);
  if (answer.kind === "unsatisfiable") {
    res.writeHead(416, { "Content-Range": `bytes */${size}`, "Content-Length": "0" }).end();
    return;
  }
  const start = answer.kind === "partial" ? answer.start : 0;
  const end = answer.kind === "partial" ? answer.end : size - 1;
  const length = size === 0 ? 0 : end - start + 1;
  res.setHeader("Content-Length", String(length));
  if (answer.kind === "partial") {
    res.setHeader("Content-Range", `bytes ${start}-${end}/${size}`);
    res.statusCode = 206;
  } else {
    res.statusCode = 200;
  }
  if (req.method === "HEAD" || length === 0) {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(filePath, { start, end }), res);
  } catch (error) {
    // A client that goes away mid-body (DuckDB cancels superseded reads) is normal, not a server error.
    if ((error as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") res.destroy(error as Error);
  }
}

/** Exported for tests. `undefined` header or an invalid one means the whole file. */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: "full" };
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!match) return { kind: "full" };
  const specs = match[1].split(",").map((spec) => spec.trim());
  let anyValid = false;
  for (const spec of specs) {
    const parts = /^(\d*)-(\d*)$/.exec(spec);
    if (!parts || (parts[1] === "" && parts[2] === "")) return { kind: "full" };
    anyValid = true;
    if (parts[1] === "") {
      const suffix = Number(parts[2]);
      if (suffix === 0 || size === 0) continue;
      return { kind: "partial", start: Math.max(0, size - suffix), end: size - 1 };
    }
    const start = Number(parts[1]);
    if (parts[2] !== "" && Number(parts[2]) < start) return { kind: "full" };
    if (start >= size) continue;
    const last = parts[2] === "" ? size - 1 : Math.min(Number(parts[2]), size - 1);
    return { kind: "partial", start, end: last };
  }
  return anyValid ? { kind: "unsatisfiable" } : { kind: "full" };
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === bare);
}
