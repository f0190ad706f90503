/**
 * DuckDB-WASM's bundles, served from our own origin: Vite copies them into build/client/assets with content hashes, and
 * server.ts serves /assets with immutable caching. Imported only when the first cell runs (the wasm is ~35 MB).
 */
import ehWorker from "@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url";
import mvpWorker from "@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url";
import ehWasm from "@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url";
import mvpWasm from "@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url";
import type { BrowserBundles } from "../../../kernel/index.ts";

/** Absolute URLs: the worker resolves relative ones against its own script, not the page. */
export function engineBundles(base: string = globalThis.location?.href ?? "http://localhost/"): BrowserBundles {
  const abs = (url: string) => new URL(url, base).href;
  return {
    mvp: { mainModule: abs(mvpWasm), mainWorker: abs(mvpWorker) },
    eh: { mainModule: abs(ehWasm), mainWorker: abs(ehWorker) },
  };
}
