/**
 * BrowserEngine in real Chromium: the worker, the wasm from our own origin, range reads of an attached dataset,
 * cancellation of a runaway query, and recovery.
 */
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../../tests/helpers/browser.ts";
import { writeBaseDataset } from "./test-support/dataset.ts";
import { type RangeServer, startRangeServer } from "./test-support/range-server.ts";

let server: RangeServer;
let browser: Awaited<ReturnType<typeof launchBrowser>> | null = null;

// Not skipped without Chromium: a missing browser must fail the run (launchBrowser says how to install it).
describe("BrowserEngine in Chromium", () => {
  beforeAll(async () => {
    const root = mkdtempSync(path.join(tmpdir(), "kernel-browser-"));
    await writeBaseDataset(root, "malaria.duckdb");
    const dist = path.dirname(createRequire(import.meta.url).resolve("@duckdb/duckdb-wasm"));
    for (const f of ["duckdb-mvp.wasm", "duckdb-eh.wasm", "duckdb-browser-mvp.worker.js", "duckdb-browser-eh.worker.js"]) {
      symlinkSync(path.join(dist, f), path.join(root, f));
    }
    await build({
      entryPoints: [fileURLToPath(new URL("./test-support/browser-entry.ts", import.meta.url))],
      bundle: true,
      format: "esm",
      platform: "browser",
      outfile: path.join(root, "entry.js"),
      logLevel: "silent",
    });
    writeFileSync(path.join(root, "index.html"), '<!doctype html><script type="module" src="/entry.js"></script>');
    server = await startRangeServer(root);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("queries an attached dataset by range reads, reports errors, survives a cancelled query, an out-of-memory query and a crash", async () => {
    const page = await (browser as NonNullable<typeof browser>).context.newPage();
    const logs: string[] = [];
    page.on("console", (m) => logs.push(m.text()));
    page.on("pageerror", (e) => logs.push(String(e)));
    await page.goto(server.url("index.html"));
    await page
      .waitForFunction(() => "kernelResult" in window, undefined, { timeout: 30_000 })
      .catch(() => {
        throw new Error(`the test page did not start: ${logs.join("\n")}`);
      });
    const result = (await page.evaluate(() => (window as unknown as { kernelResult: Promise<unknown> }).kernelResult)) as Record<
      string,
      unknown
    >;
    expect(result.failed).toBeUndefined();
    expect(result.statusBeforeFirstQuery).toEqual([]); // nothing loads before the first query
    expect(result.totals).toEqual([
      { district: "Bo District", total: 396 },
      { district: "Kenema District", total: 24396 },
    ]);
    expect(result.capped).toEqual({ rows: 5, total: 96 });
    expect(result.tables).toEqual([
      { schema: null, name: "cell1" },
      { schema: "malaria", name: "fields" },
    ]);
    expect(result.error).toMatchObject({ kind: "sql", position: 7 });
    expect(result.cancelled).toMatchObject({ kind: "cancelled" });
    expect(result.afterCancel).toEqual([{ n: 48 }]);
    expect(result.outOfMemory).toMatchObject({ message: expect.stringMatching(/out of memory/i) });
    expect(result.afterOutOfMemory).toEqual([{ n: 48 }]);
    expect(result.crashed).toMatchObject({ message: expect.stringContaining("simulated crash") });
    expect(result.afterCrash).toEqual([{ n: 48 }]);
    expect(result.workersAfterRestart).toBe((result.workersBeforeRestart as number) + 1);
    expect(result.statuses).toContain("ready");
    const datasetRequests = (await server.requests()).filter((r) => r.path === "/malaria.duckdb");
    expect(datasetRequests.length).toBeGreaterThan(0);
    expect(datasetRequests.every((r) => r.range !== null)).toBe(true);
  }, 120_000);
});
