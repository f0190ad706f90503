/**
 * Bundled with esbuild and loaded in Chromium by chromium.ts: the browser export path of the product — the kernel's
 * BrowserEngine (DuckDB-WASM in a Web Worker) streaming the result into the kernel exporters, the bytes collected into
 * a Blob as app/notebooks/client/cell-export.ts does before offering the download. Timed inside the page.
 */
import { BrowserEngine } from "../../kernel/engine/browser-engine.ts";
import { exportCsv, exportXlsx } from "../../kernel/exporters/index.ts";
import { benchSql } from "./data.ts";

const base = location.origin;
const engine = new BrowserEngine({
  mvp: { mainModule: `${base}/duckdb-mvp.wasm`, mainWorker: `${base}/duckdb-browser-mvp.worker.js` },
  eh: { mainModule: `${base}/duckdb-eh.wasm`, mainWorker: `${base}/duckdb-browser-eh.worker.js` },
});

const bench = {
  async start() {
    await engine.query("SELECT 1");
  },
  async run(kind: "csv" | "xlsx", rows: number) {
    const chunks: Uint8Array[] = [];
    const sink = { write: (chunk: Uint8Array) => void chunks.push(chunk.slice()) };
    const started = performance.now();
    const source = engine.stream(benchSql(rows));
    const summary =
      kind === "csv"
        ? await exportCsv(source, sink)
        : await exportXlsx(source, sink, { mode: "buffer", maxRows: Number.POSITIVE_INFINITY });
    const blob = new Blob(chunks as BlobPart[]);
    return { ms: performance.now() - started, rows: summary.rows, bytes: blob.size };
  },
  close: () => engine.close(),
};

(window as unknown as { bench: typeof bench }).bench = bench;
