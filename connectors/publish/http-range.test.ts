import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRange, sendFileWithRanges } from "./http-range.ts";

let dir: string;
let server: Server;
let base: string;
const content = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "publish-range-"));
  writeFileSync(path.join(dir, "v1.duckdb"), content);
  writeFileSync(path.join(dir, "empty.duckdb"), "");
  server = createServer((req, res) => {
    const name = req.url === "/empty" ? "empty.duckdb" : req.url === "/missing" ? "nope.duckdb" : "v1.duckdb";
    void sendFileWithRanges(req, res, path.join(dir, name), { etag: "malaria-v1", immutable: req.url !== "/mutable" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const get = (headers: Record<string, string> = {}, method = "GET", url = "/v1") => fetch(`${base}${url}`, { method, headers });

describe("sendFileWithRanges", () => {
  it("answers a plain GET with the whole file and cache headers", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true);
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("etag")).toBe('"malaria-v1"');
    expect(res.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(res.headers.get("content-length")).toBe("1000");
    expect((await get({}, "GET", "/mutable")).headers.get("cache-control")).toBe("private, no-cache");
  });

  it("answers HEAD with Range: bytes=0- by 206 and the full Content-Length, without a body", async () => {
    const res = await get({ Range: "bytes=0-" }, "HEAD");
    expect(res.status).toBe(206);
    expect(res.headers.get("content-length")).toBe("1000");
    expect(res.headers.get("content-range")).toBe("bytes 0-999/1000");
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    const plain = await get({}, "HEAD");
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-length")).toBe("1000");
  });

  it("serves closed, open and suffix ranges with 206", async () => {
    const cases: Array<[string, number, number]> = [
      ["bytes=10-19", 10, 19],
      ["bytes=990-", 990, 999],
      ["bytes=-5", 995, 999],
      ["bytes=995-5000", 995, 999],
      ["bytes=-5000", 0, 999],
      ["bytes=100-109, 500-509", 100, 109],
    ];
    for (const [range, start, end] of cases) {
      const res = await get({ Range: range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get("content-range"), range).toBe(`bytes ${start}-${end}/1000`);
      expect(res.headers.get("content-length"), range).toBe(String(end - start + 1));
      expect(Buffer.from(await res.arrayBuffer()).equals(content.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it("answers 416 with bytes */size for ranges past the end, and ignores malformed ranges", async () => {
    for (const range of ["bytes=1000-", "bytes=5000-6000", "bytes=-0"]) {
      const res = await get({ Range: range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get("content-range"), range).toBe("bytes */1000");
    }
    const empty = await get({ Range: "bytes=0-" }, "GET", "/empty");
    expect(empty.status).toBe(416);
    expect(empty.headers.get("content-range")).toBe("bytes */0");
    for (const range of ["items=0-5", "bytes=5-1", "bytes=abc"]) {
      const res = await get({ Range: range });
      expect(res.status, range).toBe(200);
      expect((await res.arrayBuffer()).byteLength, range).toBe(1000);
    }
  });

  it("revalidates by ETag: 304 on a match, If-Range mismatch serves the whole file", async () => {
    const notModified = await get({ "If-None-Match": '"other", "malaria-v1"' });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe('"malaria-v1"');
    expect((await get({ "If-None-Match": '"malaria-v2"' })).status).toBe(200);
    expect((await get({ "If-None-Match": "*" }, "HEAD")).status).toBe(304);
    const stale = await get({ Range: "bytes=0-9", "If-Range": '"malaria-v0"' });
    expect(stale.status).toBe(200);
    expect((await get({ Range: "bytes=0-9", "If-Range": '"malaria-v1"' })).status).toBe(206);
  });

  it("refuses other methods and missing files", async () => {
    const post = await get({}, "POST");
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect((await get({}, "GET", "/missing")).status).toBe(404);
  });
});

describe("parseRange", () => {
  it("reads the grammar", () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: "full" });
    expect(parseRange("bytes=0-0", 10)).toEqual({ kind: "partial", start: 0, end: 0 });
    expect(parseRange("bytes=20-30, 2-3", 10)).toEqual({ kind: "partial", start: 2, end: 3 });
    expect(parseRange("bytes=20-30", 10)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-", 10)).toEqual({ kind: "full" });
  });
});
