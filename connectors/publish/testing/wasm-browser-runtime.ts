import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as duckdb from "@duckdb/duckdb-wasm/blocking";

const DIST = path.dirname(createRequire(import.meta.url).resolve("@duckdb/duckdb-wasm"));

/**
 * DuckDB-WASM 1.32 in Node with the package's own browser runtime (synchronous XHR, HEAD probe, range GETs — the code
 * the notebook runs in its worker), opened the way the notebook opens it: range reads only. Needs a synchronous
 * XMLHttpRequest installed first (sync-xhr.ts): the blocking Node build's own runtime cannot read HTTP files.
 */
export async function openWasm(): Promise<duckdb.DuckDBBindings> {
  // The browser build bundles js-sha256 (for S3 signing), which on seeing Node reaches for a `buffer` module the bundle
  // stubbed out; `process.type = "renderer"` makes it take its plain-JS path during the import.
  const proc = process as NodeJS.Process & { type?: string };
  const previousType = proc.type;
  proc.type = "renderer";
  let BROWSER_RUNTIME: duckdb.DuckDBRuntime;
  try {
    ({ BROWSER_RUNTIME } = await import(pathToFileURL(path.join(DIST, "duckdb-browser-blocking.mjs")).href));
  } finally {
    proc.type = previousType;
  }
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: path.join(DIST, "duckdb-mvp.wasm"), mainWorker: path.join(DIST, "duckdb-node-mvp.worker.cjs") },
    eh: { mainModule: path.join(DIST, "duckdb-eh.wasm"), mainWorker: path.join(DIST, "duckdb-node-eh.worker.cjs") },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), BROWSER_RUNTIME);
  await db.instantiate(() => {});
  db.open({
    path: ":memory:",
    filesystem: { reliableHeadRequests: true, allowFullHTTPReads: false, forceFullHTTPReads: false },
  });
  return db;
}

export { duckdb };
