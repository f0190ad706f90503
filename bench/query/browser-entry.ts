/**
 * Bundled with esbuild and loaded in Chromium by browser.ts: the kernel's BrowserEngine (DuckDB-WASM in a Web Worker,
 * wasm from our own origin) driven by the benchmark through `window.bench`. Queries are timed inside the page.
 */
import { BrowserEngine } from "../../kernel/engine/browser-engine.ts";
import { checksum } from "./queries-checksum.ts";

const base = location.origin;
const engine = new BrowserEngine({
  mvp: { mainModule: `${base}/duckdb-mvp.wasm`, mainWorker: `${base}/duckdb-browser-mvp.worker.js` },
  eh: { mainModule: `${base}/duckdb-eh.wasm`, mainWorker: `${base}/duckdb-browser-eh.worker.js` },
});

const bench = {
  async attach(url: string) {
    await engine.attach("ds", url);
  },
  async run(sql: string, params: Record<string, string>, checkColumn: string) {
    const started = performance.now();
    const result = await engine.query(sql, params);
    const ms = performance.now() - started;
    if (result.truncated) throw new Error("result was capped; the benchmark keeps results small");
    return { ms, check: checksum(result.rows, checkColumn) };
  },
  close: () => engine.close(),
};

(window as unknown as { bench: typeof bench }).bench = bench;
