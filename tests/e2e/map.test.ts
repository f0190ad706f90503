/**
 * Maps in Chromium against the production build: the Sierra Leone hierarchy with the demo's district boundaries in
 * SQLite, a malaria dataset published by the pipeline, a SQL cell run by DuckDB-WASM and a chart cell in map mode. The
 * map draws one shape per district with a boundary and says which have none; a column of chiefdoms (no boundaries)
 * shows the "No boundaries" message; SVG and PNG downloads are the map; a published report draws the same map on the
 * server (boundaries inlined, no URL) and as a live view with JavaScript.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachDemoDistrictGeometry } from "../../app/charts/map-demo-geometry.server.ts";
import { connectNotebook, readCells } from "../../collab/index.ts";
import { openDatabase } from "../../db/index.ts";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { cookieSocket } from "../helpers/collab-socket.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { grantDataset, publishMalaria } from "../helpers/pipeline.ts";
import { ANALYST, type RunningServer, repoRoot, startServer, tempDataDir } from "../helpers/server.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const SQL =
  "SELECT d.name AS district, c.name AS chiefdom, CAST(sum(o.value) AS BIGINT) AS confirmed FROM malaria.observations o " +
  "JOIN malaria.locations c ON c.location_id = o.location_id JOIN malaria.locations d ON d.location_id = c.parent_id " +
  "WHERE o.field_id = 'malaria_confirmed' GROUP BY 1, 2 ORDER BY 1, 2";

/** Twelve of the thirteen districts have a boundary in the fixture; Western Area has none (docs/decisions/0011-maps.md). */
const DRAWN = 12;

const cell = (page: Page, n: number): Locator => page.locator("ol.nb-cells > li").nth(n);
const shapes = (scope: Locator) => scope.locator('svg path[aria-roledescription="geoshape"]');
const mapShapes = (page: Page) => shapes(cell(page, 1).locator("figure.nb-chart-canvas"));
/** A builder control by its label ("Chart type", "X axis Field": the channel is read before the field's label). */
const setting = (page: Page, label: string) => cell(page, 1).getByLabel(label, { exact: true });
const outputText = async (page: Page) => (await cell(page, 1).locator(".nb-chart-output").textContent()) ?? "";

async function statusOf(page: Page, n: number): Promise<string> {
  return (await cell(page, n).locator("output.nb-status").textContent()) ?? "";
}

async function download(page: Page, item: string): Promise<Buffer> {
  await cell(page, 1).locator("summary", { hasText: "Export" }).click();
  const [file] = await Promise.all([
    page.waitForEvent("download", { timeout: 30_000 }),
    cell(page, 1).getByRole("menuitem", { name: item }).click(),
  ]);
  return readFileSync(await file.path());
}

describe("maps in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let analyst: HttpClient;
  const dataDir = tempDataDir();
  const work = mkdtempSync(path.join(tmpdir(), "harmony-map-e2e-"));
  const problems: string[] = [];
  const requested: string[] = [];
  let notebookId = "";

  beforeAll(async () => {
    await publishMalaria(dataDir, work);
    const database = openDatabase(dataDir);
    attachDemoDistrictGeometry(database.db, path.resolve(repoRoot, "../shared/fixtures"));
    database.close();
    server = await startServer({ dataDir });
    grantDataset(dataDir, "malaria", ANALYST.email);
    analyst = new HttpClient(server.url);
    await analyst.signIn(ANALYST.email, ANALYST.password);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on("console", (m) => {
      if (/Content.Security.Policy|Refused to|unsafe-eval/i.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("request", (r) => requested.push(r.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("a chart cell in map mode draws one shape per district with a boundary and names the one without", async () => {
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await page.goto(`${server.url}/notebooks`);
    await page.getByLabel("Notebook title").fill("Map test");
    await page.getByRole("button", { name: "New notebook" }).click();
    await page.waitForURL(/\/notebooks\/[\w-]+$/);
    notebookId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await cell(page, 0).locator(".cm-content").waitFor({ timeout: 20_000 });
    await cell(page, 0).locator(".cm-content").click();
    await page.keyboard.type(SQL);
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => statusOf(page, 0), { timeout: 90_000 }).toMatch(/^Done · /);

    await cell(page, 0).getByRole("button", { name: "+ Chart" }).click();
    await expect.poll(() => page.locator("ol.nb-cells > li").count()).toBe(2);
    await setting(page, "Source cell").selectOption("cell1");
    const chart = cell(page, 1);
    await setting(page, "Chart type").selectOption("map");
    await setting(page, "X axis Field").selectOption("district");
    await setting(page, "Y axis Field").selectOption("confirmed");
    await expect.poll(() => mapShapes(page).count(), { timeout: 30_000 }).toBe(DRAWN);
    expect(await outputText(page)).toContain("1 of 13 locations have no boundaries and are not drawn: Western Area");
    // Every shape is a real outline, filled by the scale, and labelled with its district and value.
    const labels = await mapShapes(page).evaluateAll((paths) => paths.map((p) => p.getAttribute("aria-label") ?? ""));
    expect(labels.some((l) => /Location: Bo$/.test(l))).toBe(true);
    expect(labels.some((l) => /Location: Western Area/.test(l))).toBe(false);
    const d = (await mapShapes(page).first().getAttribute("d")) ?? "";
    expect(d).toMatch(/^M[-\d.]+,[-\d.]+L/);
    // A legend for the colour scale.
    expect(await chart.locator("figure.nb-chart-canvas svg g.role-legend").count()).toBeGreaterThan(0);
    // Boundaries came from our own route, nothing from elsewhere.
    expect(requested.some((u) => u.includes("/locations/geometry.json?"))).toBe(true);
    expect(requested.filter((u) => !u.startsWith(server.url) && !u.startsWith("data:") && !u.startsWith("blob:"))).toEqual([]);
  });

  it("the builder says what X and Y mean for a map, and its colour scheme recolours the districts", async () => {
    expect(await cell(page, 1).locator(".nb-chart-hint").textContent()).toMatch(/X is the location/);
    const fills = () => mapShapes(page).evaluateAll((paths) => paths.map((p) => p.getAttribute("fill") ?? ""));
    const reddish = (fill: string) => {
      const [r, g, b] = (/rgb\((\d+), (\d+), (\d+)\)/.exec(fill) ?? []).slice(1).map(Number);
      return r > g + 30 && r > b + 30;
    };
    expect((await fills()).some(reddish)).toBe(false);
    await setting(page, "Colours").selectOption("reds");
    await expect.poll(async () => (await fills()).filter(reddish).length, { timeout: 15_000 }).toBeGreaterThan(DRAWN / 2);
    expect(await mapShapes(page).count()).toBe(DRAWN);
  });

  it("a tooltip shows the district's name and value", async () => {
    await mapShapes(page).nth(6).hover({ force: true });
    const tooltip = page.locator("#vg-tooltip-element.visible");
    await expect.poll(() => tooltip.count(), { timeout: 10_000 }).toBe(1);
    expect(await tooltip.textContent()).toMatch(/Location.+confirmed \(sum\)/s);
  });

  it("a location column without boundaries (chiefdoms) says so instead of drawing an empty map", async () => {
    await setting(page, "X axis Field").selectOption("chiefdom");
    await expect
      .poll(() => outputText(page), { timeout: 30_000 })
      .toMatch(/No boundaries for these locations \(\d+ of \d+ have none\): \S/);
    expect(await mapShapes(page).count()).toBe(0);
    await setting(page, "X axis Field").selectOption("district");
    await expect.poll(() => mapShapes(page).count(), { timeout: 30_000 }).toBe(DRAWN);
  });

  it("downloads the map as SVG and PNG like any chart", async () => {
    const svg = (await download(page, "Download SVG")).toString("utf8");
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/aria-roledescription="geoshape"/g)).toHaveLength(DRAWN);
    const png = await download(page, "Download PNG");
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(png.length).toBeGreaterThan(2_000);
    expect(problems).toEqual([]);
  });

  it("the spec tab changes how the map is drawn; it still draws the boundaries", async () => {
    const chart = cell(page, 1);
    await chart.getByRole("tab", { name: "Spec" }).click();
    const text = chart.getByLabel("Vega-Lite spec (JSON)", { exact: true });
    const generated = JSON.parse(await text.inputValue());
    expect(generated.mark.type).toBe("geoshape");
    await text.fill(JSON.stringify({ ...generated, title: "Edited map", mark: { ...generated.mark, stroke: "#000000" } }));
    const title = () => chart.locator("figure.nb-chart-canvas svg g.role-title-text text").allTextContents();
    await expect.poll(title, { timeout: 20_000 }).toEqual(["Edited map"]);
    expect(await mapShapes(page).count()).toBe(DRAWN);
    expect(await mapShapes(page).first().getAttribute("stroke")).toBe("#000000");
    await chart.getByRole("tab", { name: "Builder" }).click();
  });

  it("a published report draws the map on the server with the boundaries inlined, and live with JavaScript", async () => {
    const conn = connectNotebook({
      serverUrl: `ws://127.0.0.1:${server.port}/collab`,
      notebookId,
      WebSocketPolyfill: cookieSocket(analyst.cookieHeader()),
      disableBc: true,
      offlineStore: false,
    });
    let chartId = "";
    try {
      const end = Date.now() + 15_000;
      while (!conn.provider.synced && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
      chartId = readCells(conn.doc).find((c) => c.kind === "chart")?.id ?? "";
    } finally {
      conn.destroy();
    }
    expect(chartId).not.toBe("");
    const response = await analyst.request(`/notebooks/${notebookId}/publish`, {
      method: "POST",
      body: new URLSearchParams([
        ["title", "Malaria map"],
        ["visibility", "workspace"],
        ["cell", chartId],
        [`width.${chartId}`, "full"],
        [`order.${chartId}`, "1"],
      ]),
    });
    expect(response.status, await response.clone().text()).toBe(302);
    const reportPath = response.headers.get("location") ?? "";
    const html = await (await analyst.request(reportPath)).text();
    expect(html).not.toContain("report-tile-error");
    const staticSvg = /<div class="report-chart-static">(<svg[\s\S]*?<\/svg>)/.exec(html)?.[1] ?? "";
    expect(staticSvg.match(/aria-roledescription="geoshape"/g)).toHaveLength(DRAWN);
    // Drawn with the spec tab's edit, over the boundaries.
    expect(staticSvg).toContain("Edited map");
    // The tile's JSON carries the features themselves: the live chart needs no geometry URL.
    const tileJson = await (await analyst.request(`${reportPath.replace(/\?.*$/, "")}/tile/t1.json`)).json();
    expect(tileJson.rows).toHaveLength(DRAWN);
    expect(tileJson.rows[0]).toMatchObject({ type: "Feature", properties: { level: 2 } });
    expect(JSON.stringify(tileJson.spec)).not.toMatch(/"url"/);

    const reader = await browser.context.newPage();
    const readerRequests: string[] = [];
    reader.on("request", (r) => readerRequests.push(r.url()));
    await reader.goto(`${server.url}${reportPath}`);
    const figure = reader.locator("figure.report-chart");
    await figure.scrollIntoViewIfNeeded();
    await expect.poll(() => figure.getAttribute("data-chart"), { timeout: 30_000 }).toBe("live");
    expect(await shapes(figure.locator(".report-chart-live")).count()).toBe(DRAWN);
    expect(readerRequests.some((u) => u.includes("/locations/geometry.json"))).toBe(false);
    await reader.close();
  });
});
