/**
 * A DuckDB-WASM runtime for the blocking Node build that also reads HTTP files. The stock NODE_RUNTIME knows only local
 * files; this one answers the HTTP protocol the way the browser runtime does with our settings (reliableHeadRequests,
 * no full reads): a HEAD with `Range: bytes=0-` must answer 206 with Content-Length, then every read is a Range GET
 * that must answer 206. A server that cannot do ranges fails loudly, as in the browser.
 */
import * as duckdb from "@duckdb/duckdb-wasm/blocking";
import type { SyncHttpClient } from "./sync-http.ts";

interface FileInfo {
  dataProtocol: number;
  dataUrl: string;
  fileName: string;
}

// biome-ignore lint/suspicious/noExplicitAny: the emscripten module is untyped in duckdb-wasm's public types.
type Module = any;
type Runtime = Record<string, unknown>;

const HTTP = duckdb.DuckDBDataProtocol.HTTP as number;

export function createHttpNodeRuntime(
  http: SyncHttpClient,
  onRequest?: (method: string, url: string, range?: string) => void,
): duckdb.DuckDBRuntime {
  const base = duckdb.NODE_RUNTIME as unknown as Runtime & {
    resolveFileInfo(mod: Module, fileId: number): FileInfo | null;
    _fileInfoCache: Map<number, FileInfo>;
  };
  const runtime: Runtime = {};
  for (const key of Object.getOwnPropertyNames(base)) runtime[key] = (base as Runtime)[key];
  const call = (name: string, ...args: unknown[]) => (base[name] as (...a: unknown[]) => unknown).apply(base, args);
  const fail = (mod: Module, message: string) => duckdb.failWith(mod, message);
  const info = (mod: Module, fileId: number) => base.resolveFileInfo(mod, fileId);

  runtime.openFile = (mod: Module, fileId: number, flags: number) => {
    base._fileInfoCache.delete(fileId);
    const file = info(mod, fileId);
    if (file?.dataProtocol !== HTTP) return call("openFile", mod, fileId, flags);
    try {
      onRequest?.("HEAD", file.dataUrl, "bytes=0-");
      const head = http.request("HEAD", file.dataUrl, { Range: "bytes=0-" });
      const length = head.headers["content-length"];
      if (head.status !== 206 || length === undefined) {
        throw new Error(`${file.dataUrl} answered HEAD with status ${head.status}: the server must support range requests (206)`);
      }
      const out = mod._malloc(3 * 8);
      mod.HEAPF64[(out >> 3) + 0] = Number(length);
      mod.HEAPF64[(out >> 3) + 1] = 0;
      mod.HEAPF64[(out >> 3) + 2] = Date.parse(String(head.headers["last-modified"] ?? "")) / 1000 || 0;
      return out;
    } catch (error) {
      fail(mod, `Opening ${file.fileName} failed: ${(error as Error).message}`);
      return 0;
    }
  };

  runtime.readFile = (mod: Module, fileId: number, buffer: number, bytes: number, location: number) => {
    if (bytes === 0) return 0;
    const file = info(mod, fileId);
    if (file?.dataProtocol !== HTTP) return call("readFile", mod, fileId, buffer, bytes, location);
    try {
      const range = `bytes=${location}-${location + bytes - 1}`;
      onRequest?.("GET", file.dataUrl, range);
      const res = http.request("GET", file.dataUrl, { Range: range });
      if (res.status !== 206) throw new Error(`range ${range} answered status ${res.status} instead of 206`);
      const data = res.body.subarray(0, Math.min(res.body.byteLength, bytes));
      mod.HEAPU8.set(data, buffer);
      return data.byteLength;
    } catch (error) {
      fail(mod, `Reading ${file.fileName} failed: ${(error as Error).message}`);
      return 0;
    }
  };

  runtime.closeFile = (mod: Module, fileId: number) => {
    const file = base._fileInfoCache.get(fileId);
    if (file?.dataProtocol === HTTP) {
      base._fileInfoCache.delete(fileId);
      return 0;
    }
    return call("closeFile", mod, fileId);
  };

  runtime.getLastFileModificationTime = (mod: Module, fileId: number) => {
    const file = info(mod, fileId);
    if (file?.dataProtocol === HTTP) return Date.now() / 1000;
    return call("getLastFileModificationTime", mod, fileId);
  };

  return runtime as unknown as duckdb.DuckDBRuntime;
}
