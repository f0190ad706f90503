/**
 * Reports in Chromium: the analyst publishes from the notebook's publish form; the viewer reads the report with
 * JavaScript DISABLED and sees the SVG chart and the table, pages through a table with plain links, and downloads a
 * tile's CSV; the page's scripts carry no DuckDB-WASM and no editor; a viewer outside the visibility gets 403; a
 * link-only report opens with its link and not without.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type * as Y from "yjs";
import { addCell, connectNotebook, findCell } from "../../collab/index.ts";
import { CsvRecordParser } from "../../connectors/csv/parser.ts";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { grantDataset, seedHierarchy, spawnPipeline, writeMalariaSpec } from "../helpers/pipeline.ts";
import { ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

function cookieSocket(cookie: string) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("reports in the browser", { timeout: 120_000 }, () => {
  let server: RunningServer;
  const dataDir = tempDataDir();
  const work = mkdtempSync(path.join(tmpdir(), "harmony-reports-e2e-"));
  let analyst: HttpClient;
  let notebookId = "";
  let reportUrl = "";
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let noJs: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    seedHierarchy(dataDir);
    const { specFile } = writeMalariaSpec(work, "malaria", 3);
    const { code, output } = await spawnPipeline(specFile, dataDir).done;
    expect(code, output).toBe(0);
    server = await startServer({ dataDir });
    analyst = new HttpClient(server.url);
    expect((await analyst.signIn(ANALYST.email, ANALYST.password)).status).toBe(302);
    grantDataset(dataDir, "malaria", ANALYST.email);
    const created = await analyst.form("/notebooks?index", { intent: "create", title: "Malaria browser report" });
    notebookId = /\/notebooks\/([\w-]+)$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    const conn = connectNotebook({
      serverUrl: `ws://127.0.0.1:${server.port}/collab`,
      notebookId,
      WebSocketPolyfill: cookieSocket(analyst.cookieHeader()),
      disableBc: true,
      offlineStore: false,
    });
    try {
      await until(() => conn.provider.synced, "the first sync");
      addCell(conn.doc, 9, {
        kind: "sql",
        name: "cases",
        source:
          "SELECT period_id, sum(value) AS cases FROM malaria.observations WHERE field_id = 'malaria_confirmed' GROUP BY 1 ORDER BY 1",
      });
      addCell(conn.doc, 9, {
        kind: "sql",
        name: "all_rows",
        source: "SELECT location_id, period_id, field_id, value FROM malaria.observations ORDER BY ALL",
      });
      const chart = addCell(conn.doc, 9, { kind: "chart", name: "trend" });
      conn.doc.transact(() => {
        const config = findCell(conn.doc, chart)?.get("config") as Y.Map<unknown>;
        config.set("source", "cases");
        config.set("chart", {
          mark: "bar",
          x: { field: "period_id", type: "ordinal" },
          y: { field: "cases", type: "quantitative" },
        });
      });
      await conn.whenSaved();
    } finally {
      conn.destroy();
    }
    browser = await launchBrowser();
    noJs = await launchBrowser({ javaScriptEnabled: false });
  });

  afterAll(async () => {
    await browser?.close();
    await noJs?.close();
    await server?.stop();
  });

  async function publishWith(page: Page, visibility: RegExp) {
    await page.goto(`${server.url}/notebooks/${notebookId}/publish`);
    await page.getByLabel(/^title$/i).fill("Malaria in Bo — browser");
    for (const name of ["trend", "all_rows"]) await page.getByRole("checkbox", { name, exact: true }).check();
    await page.getByRole("radio", { name: visibility }).check();
    await page.getByRole("button", { name: /^publish$/i }).click();
    await page.waitForURL(/\/r\/[\w-]+/, { timeout: 60_000 });
    return page.url();
  }

  it("the analyst publishes from the notebook's publish form", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    reportUrl = await publishWith(page, /everyone in the workspace/i);
    await expect.poll(() => page.locator(".report-chart svg").count()).toBe(1);
    await page.close();
  });

  it("the viewer reads it with JavaScript disabled: SVG chart, table, pagination, CSV; no engine or editor code", async () => {
    const page = await noJs.context.newPage();
    await signInWithBrowser(page, server.url, VIEWER.email, VIEWER.password);
    const response = await page.goto(reportUrl);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole("heading", { name: "Malaria in Bo — browser" }).count()).toBe(1);
    expect(await page.locator(".report-chart svg").count()).toBe(1);
    expect(await page.locator(".report-chart svg rect, .report-chart svg path").count()).toBeGreaterThan(0);
    expect(await page.locator(".report-table tbody tr").count()).toBe(50);
    expect(await page.getByText(/data as of/i).count()).toBeGreaterThan(0);
    expect(await page.getByText(/publisher's data access/i).count()).toBe(1);

    await page.getByRole("link", { name: /next/i }).click();
    await page.waitForURL(/page=2/);
    expect(await page.getByText(/page 2 of/i).count()).toBe(1);

    // Every script and modulepreload of the page: none is the SQL engine or the editor.
    const html = await page.content();
    const assets = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset).not.toMatch(/duckdb|codemirror/i);
      const body = await (await fetch(new URL(asset, server.url))).text();
      expect(body, asset).not.toMatch(/DuckDBDataProtocol|duckdb-browser|@codemirror|cm-editor/);
    }

    const csvLink = page.locator(".report-tile:has(.report-table)").getByRole("link", { name: /download csv/i });
    const href = (await csvLink.getAttribute("href")) ?? "";
    const cookies = await noJs.context.cookies();
    const csv = await fetch(new URL(href, server.url), {
      headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
    });
    expect(csv.status).toBe(200);
    const parser = new CsvRecordParser({ delimiter: ",", quote: '"' });
    const records = [...parser.push(await csv.text()), ...parser.end()].flatMap((i) => (i.kind === "record" ? [i.fields] : []));
    expect(records[0]).toEqual(["location_id", "period_id", "field_id", "value"]);
    expect(records.length - 1).toBeGreaterThan(50);
    await page.close();
  });

  it("a viewer outside the visibility gets 403; a link-only report opens with its link and not without", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    const linked = await publishWith(page, /anyone with the link/i);
    expect(new URL(linked).searchParams.get("token")).toBeTruthy();
    await page.close();

    const reader = await noJs.context.newPage();
    await signInWithBrowser(reader, server.url, VIEWER.email, VIEWER.password);
    const without = await reader.goto(linked.replace(/\?.*$/, ""));
    expect(without?.status()).toBe(403);
    const withLink = await reader.goto(linked);
    expect(withLink?.status()).toBe(200);
    expect(await reader.locator(".report-chart svg").count()).toBe(1);
    await reader.context().clearCookies();
    expect((await reader.goto(linked))?.status()).toBe(200);
    await reader.close();

    const nobody = await browser.context.newPage();
    await signInWithBrowser(nobody, server.url, ANALYST.email, ANALYST.password);
    await publishWith(nobody, /nobody but me/i);
    await signInWithBrowser(nobody, server.url, VIEWER.email, VIEWER.password);
    expect((await nobody.goto(linked.replace(/\?.*$/, "")))?.status()).toBe(403);
    await nobody.close();
  });
});
