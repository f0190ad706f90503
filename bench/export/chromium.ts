/**
 * One export in headless Chromium (browser-entry.ts bundled with esbuild, DuckDB-WASM files from our own origin, served
 * by bench/query's static server). Peak memory is the largest sum of resident memory over this process's Chromium
 * processes (browser, renderer, the engine's worker lives in the renderer), sampled every 100 ms from /proc.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchBrowser } from "../../tests/helpers/browser.ts";
import { prepareBrowserAssets } from "../query/browser.ts";
import { startBenchServer } from "../query/server-process.ts";

/** Resident MB of every process descending from `root` (this process's Chromium and its helpers). */
function descendantsRssMb(root: number): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      parent.set(Number(name), ppid);
      rss.set(Number(name), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  for (const [pid, kb] of rss) {
    let p = parent.get(pid);
    while (p !== undefined && p !== 0 && p !== root) p = parent.get(p);
    if (p === root && pid !== root) total += kb;
  }
  return total / 1024;
}

export async function chromiumExport(kind: "csv" | "xlsx", rows: number) {
  const root = mkdtempSync(path.join(tmpdir(), "bench-export-chromium-"));
  await prepareBrowserAssets(root, new URL("./browser-entry.ts", import.meta.url));
  const server = await startBenchServer(root, "index.html");
  const browser = await launchBrowser();
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, descendantsRssMb(process.pid));
  }, 100);
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
    type Api = {
      start(): Promise<void>;
      run(kind: string, rows: number): Promise<{ ms: number; rows: number; bytes: number }>;
    };
    await page.evaluate(() => (window as unknown as { bench: Api }).bench.start());
    const idle = descendantsRssMb(process.pid);
    const result = await page.evaluate((a) => (window as unknown as { bench: Api }).bench.run(a.kind, a.rows), { kind, rows });
    peak = Math.max(peak, descendantsRssMb(process.pid));
    const userAgent = await page.evaluate(() => navigator.userAgent);
    return { ...result, seconds: result.ms / 1000, peakMb: peak, idleMb: idle, userAgent };
  } finally {
    clearInterval(sampler);
    await browser.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}
