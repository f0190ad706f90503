/**
 * Reports in Chromium: the analyst publishes from the notebook's publish form; the viewer reads the report with
 * JavaScript DISABLED and sees the SVG chart and the table, pages through a table with plain links, and downloads a
 * tile's CSV; the page's scripts carry no DuckDB-WASM and no editor; with JavaScript the chart becomes a live Vega view
 * (tooltip on hover); a report input offered as variants switches the tiles' rows by link, with and without
 * JavaScript; a viewer outside the visibility gets 403 (page and tile JSON); a link-only report opens with its link
 * and not without.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { addCell, connectNotebook, findCell } from "../../collab/index.ts";
import { CsvRecordParser } from "../../connectors/csv/parser.ts";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { cookieSocket, until } from "../helpers/collab-socket.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { grantDataset, seedHierarchy, spawnPipeline, writeMalariaSpec } from "../helpers/pipeline.ts";
import { ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";
import { sierraLeoneHierarchy } from "../helpers/sierra-leone.ts";

/** Confirmed cases per month of one district, from the generator's formula (tests/helpers/sierra-leone.ts). */
function expectedDistrictCases(district: string, months: number): string[][] {
  const hierarchy = sierraLeoneHierarchy();
  const byId = new Map(hierarchy.map((l) => [l.location_id, l]));
  const chiefdoms = hierarchy.filter((l) => l.level === 3).sort((a, b) => a.location_id.localeCompare(b.location_id));
  const sums = new Map<string, number>();
  chiefdoms.forEach((c, i) => {
    if (byId.get(c.parent_id ?? "")?.name !== district) return;
    for (let m = 1; m <= months; m++) {
      const period = `2024${String(m).padStart(2, "0")}`;
      sums.set(period, (sums.get(period) ?? 0) + ((i * 7 + m * 3 + 2024) % 50));
    }
  });
  return [...sums].sort().map(([period, cases]) => [period, String(cases)]);
}

const DISTRICT_SQL = `SELECT o.period_id, sum(o.value)::BIGINT AS cases
FROM malaria.observations o
JOIN malaria.locations c USING (location_id)
JOIN malaria.locations d ON d.location_id = c.parent_id
WHERE o.field_id = 'malaria_confirmed' AND d.name = $district
GROUP BY 1 ORDER BY 1`;

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
      const district = addCell(conn.doc, 9, { kind: "input", name: "district" });
      addCell(conn.doc, 9, { kind: "sql", name: "by_district", source: DISTRICT_SQL });
      conn.doc.transact(() => {
        const config = findCell(conn.doc, district)?.get("config") as Y.Map<unknown>;
        config.set("type", "select");
        config.set("label", "District");
        config.set("options", ["Bo", "Kenema"]);
        config.set("default", "Bo");
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

  it("with JavaScript the chart becomes a live Vega view with tooltips, its rows fetched from the tile's JSON route", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, VIEWER.email, VIEWER.password);
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(reportUrl);
    const figure = page.locator("figure.report-chart");
    // Below the fold (after the 50-row table) it stays the static SVG: neither Vega nor the rows are loaded yet.
    expect(await figure.getAttribute("data-chart")).toBe("static");
    expect(requested.filter((u) => /live-chart|render-client|\.json/.test(u))).toEqual([]);
    await figure.scrollIntoViewIfNeeded();
    await expect.poll(() => figure.getAttribute("data-chart"), { timeout: 30_000 }).toBe("live");
    // The live view replaced the static SVG: one SVG, drawn by Vega in the browser.
    expect(await figure.locator("svg").count()).toBe(1);
    expect(await figure.locator(".report-chart-static").count()).toBe(0);
    const mark = figure.locator(".report-chart-live svg g.mark-rect path").first();
    await mark.hover();
    const tooltip = page.locator("#vg-tooltip-element.visible");
    await expect.poll(() => tooltip.count()).toBe(1);
    expect(await tooltip.textContent()).toMatch(/cases/);

    // The rows came from the tile's JSON route, not from the page; no engine or editor code was loaded on the way.
    const json = requested.filter((u) => /\/tile\/t\d+\.json/.test(u));
    expect(json).toHaveLength(1);
    const tile = await (await page.request.get(json[0])).json();
    expect(tile.rows.length).toBeGreaterThan(0);
    for (const url of requested) expect(url).not.toMatch(/duckdb|codemirror|SqlEditor|\.wasm/i);
    await page.close();
  });

  it("a report input offered as variants switches the tiles' rows by link, with and without JavaScript", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await page.goto(`${server.url}/notebooks/${notebookId}/publish`);
    for (const name of ["trend", "all_rows", "by_district"]) await page.getByRole("checkbox", { name, exact: true }).check();
    await page.getByRole("checkbox", { name: /District \(2 options\)/ }).check();
    await page.getByRole("radio", { name: /everyone in the workspace/i }).check();
    await page.getByRole("button", { name: /^publish$/i }).click();
    await page.waitForURL(/\/r\/[\w-]+/, { timeout: 90_000 });
    const url = page.url();
    await page.close();

    const rowsOf = async (reader: Page) =>
      reader
        .locator(".report-tile[aria-label='by_district'] .report-table tbody tr")
        .evaluateAll((rows) =>
          rows.map((r) => [...r.querySelectorAll("td")].map((td) => (td.textContent ?? "").replaceAll(",", ""))),
        );
    const bo = expectedDistrictCases("Bo", 3);
    const kenema = expectedDistrictCases("Kenema", 3);
    expect(bo).not.toEqual(kenema);
    for (const context of [noJs.context, browser.context]) {
      const reader = await context.newPage();
      await signInWithBrowser(reader, server.url, VIEWER.email, VIEWER.password);
      await reader.goto(url);
      const nav = reader.getByRole("navigation", { name: "District" });
      expect(await nav.locator("[aria-current]").textContent()).toBe("Bo");
      expect(await rowsOf(reader)).toEqual(bo);
      await nav.getByRole("link", { name: "Kenema" }).click();
      await reader.waitForURL(/[?&]district=Kenema/);
      await expect.poll(() => rowsOf(reader)).toEqual(kenema);
      expect(await nav.locator("[aria-current]").textContent()).toBe("Kenema");
      // The tile's CSV follows the variant shown.
      const href = (await reader.locator(".report-tile[aria-label='by_district'] a.report-csv").getAttribute("href")) ?? "";
      expect(href).toContain("district=Kenema");
      const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
      const csv = await (await fetch(new URL(href, server.url), { headers: { cookie: cookies } })).text();
      expect(csv.trim().split("\r\n").slice(1)).toEqual(kenema.map((r) => r.join(",")));
      // Back to the default: the link has no parameter, and an unknown value falls back to the default.
      await nav.getByRole("link", { name: "Bo" }).click();
      await reader.waitForURL((u) => !u.search.includes("district="));
      await expect.poll(() => rowsOf(reader)).toEqual(bo);
      await reader.goto(`${url}?district=Nowhere`);
      expect(await rowsOf(reader)).toEqual(bo);
      await reader.close();
    }
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
    // The chart's JSON route follows the same rules: 403 without the token, 200 with it, 401 for anonymous readers.
    const chartTile = (await reader.locator(".report-tile:has(figure.report-chart)").getAttribute("data-tile")) ?? "";
    const jsonUrl = new URL(`${linked.replace(/\?.*$/, "")}/tile/${chartTile}.json`);
    const viewerCookie = (await noJs.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    expect((await fetch(jsonUrl, { headers: { cookie: viewerCookie } })).status).toBe(403);
    const token = new URL(linked).searchParams.get("token") ?? "";
    const withToken = await fetch(`${jsonUrl}?token=${encodeURIComponent(token)}`, { headers: { cookie: viewerCookie } });
    expect(withToken.status).toBe(200);
    expect((await withToken.json()).rows.length).toBeGreaterThan(0);
    expect((await fetch(jsonUrl, { redirect: "manual" })).status).toBe(401);
    expect((await fetch(`${jsonUrl}?token=${encodeURIComponent(`${token}x`)}`, { redirect: "manual" })).status).toBe(401);
    expect((await fetch(`${jsonUrl.href.replace(chartTile, "t99")}?token=${encodeURIComponent(token)}`)).status).toBe(404);
    await reader.context().clearCookies();
    expect((await reader.goto(linked))?.status()).toBe(200);
    await reader.close();

    const nobody = await browser.context.newPage();
    await signInWithBrowser(nobody, server.url, ANALYST.email, ANALYST.password);
    await publishWith(nobody, /nobody but me/i);
    await signInWithBrowser(nobody, server.url, VIEWER.email, VIEWER.password);
    expect((await nobody.goto(linked.replace(/\?.*$/, "")))?.status()).toBe(403);
    // Now "nobody": the viewer is refused the tile JSON even with the old link token.
    const cookie = (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    expect((await fetch(jsonUrl, { headers: { cookie } })).status).toBe(403);
    await nobody.close();
  });
});
