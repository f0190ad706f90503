/**
 * The five queries in Chromium through the kernel's BrowserEngine (Web Worker, wasm from our own origin), and the
 * HTTP bytes of the selective query counted on the server.
 * The page is a small esbuild bundle of browser-entry.ts; the wasm and worker files are linked from the package's dist.
 */
import { symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { launchBrowser } from "../../tests/helpers/browser.ts";
import type { BenchQuery, Checksum } from "./queries.ts";
import type { ServedRequest } from "./serve.ts";
import type { BenchServer } from "./server-process.ts";
import { type QueryTiming, timeQuery } from "./timing.ts";

const WASM_FILES = ["duckdb-mvp.wasm", "duckdb-eh.wasm", "duckdb-browser-mvp.worker.js", "duckdb-browser-eh.worker.js"];

/** Writes index.html and entry.js (a bundle of `entry`) into `root` and links the DuckDB-WASM bundles beside them. */
export async function prepareBrowserAssets(
  root: string,
  entry: URL = new URL("./browser-entry.ts", import.meta.url),
): Promise<void> {
  const dist = path.dirname(createRequire(import.meta.url).resolve("@duckdb/duckdb-wasm"));
  for (const f of WASM_FILES) symlinkSync(path.join(dist, f), path.join(root, f));
  await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: "esm",
    platform: "browser",
    minify: true,
    outfile: path.join(root, "entry.js"),
    logLevel: "silent",
  });
  writeFileSync(path.join(root, "index.html"), '<!doctype html><script type="module" src="/entry.js"></script>');
}

export interface BrowserRun {
  /** Worker start, wasm instantiate and ATTACH (first query on the tiny `fields` table). */
  startMs: number;
  /** Dataset bytes fetched by the ATTACH and that first tiny query. */
  attachRequests: ServedRequest[];
  /** Dataset requests made by the first (cold) run of the selective query. */
  selectiveRequests: ServedRequest[];
  timings: Record<string, QueryTiming>;
  userAgent: string;
}

type BenchApi = {
  attach(url: string): Promise<void>;
  run(sql: string, params: Record<string, string>, checkColumn: string): Promise<{ ms: number; check: Checksum }>;
  close(): Promise<void>;
};

export async function runBrowser(
  server: BenchServer,
  queries: readonly BenchQuery[],
  warmRuns: number,
  selectiveName: string,
): Promise<BrowserRun> {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    await page.goto(`${server.base}/index.html`);
    await page
      .waitForFunction(() => "bench" in window, undefined, { timeout: 60_000 })
      .catch(() => {
        throw new Error(`the benchmark page did not start: ${problems.join("\n") || "no page error"}`);
      });
    type Win = { bench: BenchApi };
    const run = (sql: string, params: Record<string, string>, column: string) =>
      page.evaluate((a) => (window as unknown as Win).bench.run(a.sql, a.params, a.column), { sql, params, column });

    await server.log(true);
    const started = Date.now();
    await page.evaluate((url) => (window as unknown as Win).bench.attach(url), server.datasetUrl);
    await run("SELECT count(*) AS n FROM ds.fields", {}, "n");
    const startMs = Date.now() - started;
    const attachRequests = (await server.log(true)).entries;

    let selectiveRequests: ServedRequest[] = [];
    const timings: Record<string, QueryTiming> = {};
    for (const q of queries) {
      let first = true;
      timings[q.name] = await timeQuery(warmRuns, async () => {
        const out = await run(q.sql, q.params, q.checkColumn);
        if (first && q.name === selectiveName) selectiveRequests = (await server.log(true)).entries;
        first = false;
        return out;
      });
    }
    const userAgent = await page.evaluate(() => navigator.userAgent);
    await page.evaluate(() => (window as unknown as Win).bench.close());
    return { startMs, attachRequests, selectiveRequests, timings, userAgent };
  } finally {
    await browser.close();
  }
}
