/**
 * Rendered report pages, kept in memory. A report page is the same HTML for every reader of one version × variant ×
 * language × table page, and rendering it (React, the tiles' tables and SVG) is most of a request's time; its loader
 * still runs on every request, so access is decided afresh each time and only the rendering is skipped.
 *
 * What makes two renders interchangeable is exactly what the renderer receives: the URL and every route's loader data
 * (the root's language included; the root gives report pages no per-user data). The key is a hash of those, so a
 * changed input can never serve an old page. Publishing also drops a report's pages (invalidateReport) to free memory.
 *
 * The one per-response part is the CSP nonce on the inline scripts: an entry is kept split at its nonce, as UTF-8 bytes,
 * and joined with the current response's nonce (a copy of bytes, no string building or encoding per request). The nonce
 * is 128 random bits, so report content cannot contain it by chance.
 */
import { createHash } from "node:crypto";
import type { EntryContext } from "@remix-run/node";

/** Route ids whose documents are cached: the report page and an earlier version of it. */
const REPORT_ROUTES = new Set(["routes/r.$reportId", "routes/r.$reportId_.v.$version"]);

interface Entry {
  reportId: string;
  parts: Buffer[];
  bytes: number;
}

export function createRenderedPageCache(limits: { maxEntries: number; maxBytes: number }) {
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
  };

  return {
    /** The page for `key` with `nonce` in its scripts (UTF-8), or undefined. */
    get(key: string, nonce: string): ArrayBuffer | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      const between = Buffer.from(nonce);
      // Unpooled, so the page is exactly its own ArrayBuffer (handed to the Response without another copy).
      const page = Buffer.allocUnsafeSlow(entry.bytes + between.length * (entry.parts.length - 1));
      let at = 0;
      for (const [i, part] of entry.parts.entries()) {
        if (i > 0) at += between.copy(page, at);
        at += part.copy(page, at);
      }
      return page.buffer as ArrayBuffer;
    },
    /** Keeps `html`, rendered with `nonce`, for `key`; pages bigger than the whole budget are not kept. */
    set(key: string, reportId: string, html: string, nonce: string): void {
      if (!nonce) return;
      drop(key);
      const parts = html.split(nonce).map((part) => Buffer.from(part));
      const size = parts.reduce((n, part) => n + part.length, 0);
      if (size > limits.maxBytes) return;
      entries.set(key, { reportId, parts, bytes: size });
      bytes += size;
      for (const oldest of entries.keys()) {
        if (entries.size <= limits.maxEntries && bytes <= limits.maxBytes) break;
        drop(oldest);
      }
    },
    /** Drops every page of a report (a new version, a changed visibility or title). */
    invalidateReport(reportId: string): void {
      for (const [key, entry] of entries) if (entry.reportId === reportId) drop(key);
    },
    clear(): void {
      entries.clear();
      bytes = 0;
    },
    stats: () => ({ entries: entries.size, bytes }),
  };
}

export type RenderedPageCache = ReturnType<typeof createRenderedPageCache>;

/** The server's cache (one process serves the app: DESIGN.md decision 3). */
export const reportPageCache = createRenderedPageCache({ maxEntries: 2_000, maxBytes: 128 * 1024 * 1024 });

/** The report and cache key of a document request, or null when its page is not to be cached. */
export function reportPageKey(
  request: Request,
  statusCode: number,
  context: EntryContext,
  nonce: string,
): { reportId: string; key: string } | null {
  if (request.method !== "GET" || statusCode !== 200 || !nonce) return null;
  const handler = context.staticHandlerContext;
  if (handler.errors) return null;
  const leaf = handler.matches.at(-1)?.route.id;
  if (!leaf || !REPORT_ROUTES.has(leaf)) return null;
  const data = handler.loaderData[leaf] as { report?: { id?: unknown } } | undefined;
  const reportId = data?.report?.id;
  if (typeof reportId !== "string") return null;
  const url = new URL(request.url);
  const hash = createHash("sha256")
    .update(JSON.stringify([url.pathname, url.search, handler.loaderData]))
    .digest("base64url");
  return { reportId, key: `${reportId}:${hash}` };
}

/**
 * Serves a report document from the cache, or renders it with `render` and keeps it. Adds a Server-Timing header with
 * the render time (what the report benchmark reads). Other documents are rendered as usual.
 */
export async function withReportPageCache(
  request: Request,
  statusCode: number,
  headers: Headers,
  context: EntryContext,
  nonce: string,
  render: () => Promise<Response>,
  cache: RenderedPageCache = reportPageCache,
): Promise<Response> {
  const target = reportPageKey(request, statusCode, context, nonce);
  if (!target) return render();
  const started = performance.now();
  const hit = cache.get(target.key, nonce);
  if (hit !== undefined) {
    headers.set("Content-Type", "text/html; charset=utf-8");
    headers.append("Server-Timing", `render;desc="cached";dur=${(performance.now() - started).toFixed(2)}`);
    return new Response(hit, { status: statusCode, headers });
  }
  const response = await render();
  const html = await response.text();
  if (response.status === 200) cache.set(target.key, target.reportId, html, nonce);
  const out = new Headers(response.headers);
  out.append("Server-Timing", `render;desc="rendered";dur=${(performance.now() - started).toFixed(2)}`);
  return new Response(html, { status: response.status, headers: out });
}
