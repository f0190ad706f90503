/**
 * Chart cells in Chromium against the production build: a dataset published by the pipeline, a SQL cell run by
 * DuckDB-WASM, a chart cell drawing its result with vega-embed (SVG renderer, expression interpreter, the app's CSP).
 * The builder's defaults and changes show in the SVG's marks and titles; Ctrl+Z undoes a builder step; a co-editor
 * (a collab client in this process, through the server) sees the config in the reports' format and their change is
 * drawn; the spec tab shows schema errors with their path and refuses external URLs and `window`; PNG and SVG
 * downloads are real images of the chart, each audited, and the audit route refuses non-readers.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { advisoryPayloads, CANARY, CANARY_INTACT } from "../../app/charts/advisory-payloads.ts";
import { connectNotebook, findCell, type NotebookConnection, readCells } from "../../collab/index.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { cookieSocket, until } from "../helpers/collab-socket.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { grantDataset, publishMalaria } from "../helpers/pipeline.ts";
import { ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";
import { sierraLeoneHierarchy } from "../helpers/sierra-leone.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const SQL =
  "SELECT d.name AS district, CAST(sum(o.value) AS BIGINT) AS confirmed FROM malaria.observations o " +
  "JOIN malaria.locations c ON c.location_id = o.location_id JOIN malaria.locations d ON d.location_id = c.parent_id " +
  "WHERE o.field_id = 'malaria_confirmed' GROUP BY 1 ORDER BY 1";

/** Districts with chiefdoms: one row each in the SQL cell's result (tests/helpers/sierra-leone.ts). */
function districtCount(): number {
  const hierarchy = sierraLeoneHierarchy();
  return new Set(hierarchy.filter((l) => l.level === 3).map((l) => l.parent_id)).size;
}

const cell = (page: Page, n: number): Locator => page.locator("ol.nb-cells > li").nth(n);
const chartSvg = (page: Page) => cell(page, 1).locator("figure.nb-chart-canvas svg");
const marks = (page: Page, kind: "rect" | "symbol" | "line") => chartSvg(page).locator(`g.mark-${kind}.role-mark path`);
const axisTitles = (page: Page) => chartSvg(page).locator("g.role-axis-title text").allTextContents();
const outputNotice = (page: Page) => cell(page, 1).locator(".nb-chart-output .nb-chart-notice").textContent();
const chartTitle = (page: Page) => chartSvg(page).locator("g.role-title-text text").allTextContents();

async function statusOf(page: Page, n: number): Promise<string> {
  const status = (await cell(page, n).locator("output.nb-status").textContent()) ?? "";
  const error = cell(page, n).locator(".nb-sql-error-message");
  return (await error.count()) > 0 ? `${status}: ${await error.textContent()}` : status;
}

async function download(page: Page, item: string): Promise<{ name: string; bytes: Buffer }> {
  await cell(page, 1).locator("summary", { hasText: "Export" }).click();
  const [file] = await Promise.all([
    page.waitForEvent("download", { timeout: 30_000 }),
    cell(page, 1).getByRole("menuitem", { name: item }).click(),
  ]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

describe("chart cells in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let analyst: HttpClient;
  const dataDir = tempDataDir();
  const work = mkdtempSync(path.join(tmpdir(), "harmony-chart-cell-e2e-"));
  const problems: string[] = [];
  const districts = districtCount();
  let notebookId = "";

  beforeAll(async () => {
    await publishMalaria(dataDir, work);
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
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("adds a chart cell, chooses its source and draws the suggested chart: one bar per row", async () => {
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await page.goto(`${server.url}/notebooks`);
    await page.getByLabel("Notebook title").fill("Chart test");
    await page.getByRole("button", { name: "New notebook" }).click();
    await page.waitForURL(/\/notebooks\/[\w-]+$/);
    notebookId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await cell(page, 0).locator(".cm-content").waitFor({ timeout: 20_000 });
    await cell(page, 0).locator(".cm-content").click();
    await page.keyboard.type(SQL);
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => statusOf(page, 0), { timeout: 90_000 }).toMatch(new RegExp(`^Done · .+ · ${districts} rows$`));

    await cell(page, 0).getByRole("button", { name: "+ Chart" }).click();
    await expect.poll(() => page.locator("ol.nb-cells > li").count()).toBe(2);
    await expect.poll(() => cell(page, 1).getByLabel("Cell name", { exact: true }).inputValue()).toBe("chart1");
    await expect.poll(() => outputNotice(page)).toContain("Choose the SQL cell");

    await cell(page, 1).getByLabel("Source cell", { exact: true }).selectOption("cell1");
    // The suggestion for a category and a measure: bars of the summed measure, sorted by value.
    await expect.poll(() => marks(page, "rect").count(), { timeout: 30_000 }).toBe(districts);
    expect(await cell(page, 1).getByLabel("Chart type", { exact: true }).inputValue()).toBe("bar");
    expect(await cell(page, 1).getByLabel("X axis Field", { exact: true }).inputValue()).toBe("district");
    expect(await cell(page, 1).getByLabel("Y axis Aggregate", { exact: true }).inputValue()).toBe("sum");
    expect(await axisTitles(page)).toEqual(expect.arrayContaining(["district", "Sum of confirmed"]));
    if (process.env.CHART_SCREENSHOTS)
      await page.screenshot({ path: `${process.env.CHART_SCREENSHOTS}/desktop.png`, fullPage: true });
    // The frame shows the source's run.
    expect(await statusOf(page, 1)).toMatch(new RegExp(`^Done · .+ · ${districts} rows$`));

    // The toolbar adds a chart at the end, its source picker focused for the keyboard; deleting it leaves the first.
    await page.getByRole("toolbar").getByRole("button", { name: "Add chart" }).click();
    await expect.poll(() => page.locator("ol.nb-cells > li").count()).toBe(3);
    await expect.poll(() => cell(page, 2).getByLabel("Cell name", { exact: true }).inputValue()).toBe("chart2");
    await expect
      .poll(() =>
        cell(page, 2)
          .getByLabel("Source cell", { exact: true })
          .evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    await cell(page, 2).getByRole("button", { name: "Delete cell" }).click();
    await expect.poll(() => page.locator("ol.nb-cells > li").count()).toBe(2);
  });

  it("changes mark, titles and colour in the builder; Ctrl+Z and Ctrl+Shift+Z undo and redo a step", async () => {
    const chart = cell(page, 1);
    await chart.getByLabel("Y axis Title", { exact: true }).fill("Confirmed cases");
    await chart.getByLabel("Chart title", { exact: true }).fill("Malaria by district");
    await expect.poll(() => axisTitles(page)).toContain("Confirmed cases");
    await expect.poll(() => chartTitle(page)).toEqual(["Malaria by district"]);

    await chart.getByLabel("Chart type", { exact: true }).selectOption("point");
    await expect.poll(() => marks(page, "symbol").count()).toBe(districts);
    expect(await marks(page, "rect").count()).toBe(0);

    await chart.getByLabel("Colour Field", { exact: true }).selectOption("district");
    await expect.poll(() => chartSvg(page).locator("g.role-legend-symbol path").count()).toBe(districts);

    // Undo the colour, then the mark (each choice is its own step); redo the mark.
    await chart.getByLabel("Chart type", { exact: true }).focus();
    await page.keyboard.press("ControlOrMeta+z");
    await expect.poll(() => chartSvg(page).locator("g.role-legend-symbol path").count()).toBe(0);
    expect(await chart.getByLabel("Colour Field", { exact: true }).inputValue()).toBe("");
    await page.keyboard.press("ControlOrMeta+z");
    await expect.poll(() => marks(page, "rect").count()).toBe(districts);
    expect(await chart.getByLabel("Chart type", { exact: true }).inputValue()).toBe("bar");
    await page.keyboard.press("ControlOrMeta+Shift+z");
    await expect.poll(() => marks(page, "symbol").count()).toBe(districts);
    // Titles typed before stay.
    expect(await axisTitles(page)).toContain("Confirmed cases");
  });

  it("syncs the config to a co-editor in the reports' format and draws the co-editor's change", async () => {
    const conn: NotebookConnection = connectNotebook({
      serverUrl: `ws://127.0.0.1:${server.port}/collab`,
      notebookId,
      WebSocketPolyfill: cookieSocket(analyst.cookieHeader()),
      disableBc: true,
      offlineStore: false,
    });
    try {
      await until(() => conn.provider.synced, "the co-editor's first sync");
      const chartOf = () => readCells(conn.doc).find((c) => c.kind === "chart");
      await until(() => (chartOf()?.config.chart as { mark?: string } | undefined)?.mark === "point", "the point mark");
      const config = chartOf()?.config ?? {};
      expect(config.source).toBe("cell1");
      expect(config.spec).toBeUndefined();
      expect(config.chart).toMatchObject({
        mark: "point",
        title: "Malaria by district",
        x: { field: "district", type: "nominal" },
        y: { field: "confirmed", aggregate: "sum", title: "Confirmed cases" },
      });
      // The co-editor switches to a line: the page draws it.
      const id = chartOf()?.id ?? "";
      conn.doc.transact(() => {
        const map = findCell(conn.doc, id)?.get("config") as Y.Map<unknown>;
        map.set("chart", { ...(config.chart as object), mark: "line", title: "Trend by district" });
      });
      await conn.whenSaved();
    } finally {
      conn.destroy();
    }
    await expect.poll(() => chartTitle(page), { timeout: 20_000 }).toEqual(["Trend by district"]);
    expect(await marks(page, "line").count()).toBe(1);
    expect(await cell(page, 1).getByLabel("Chart type", { exact: true }).inputValue()).toBe("line");
    // Undo here reverts only this person's own steps: the co-editor's line and title stay. (Their change replaced this
    // person's builder steps, so what undo finds left to revert is the choice of source; redo brings it back.)
    const chart = cell(page, 1);
    await chart.getByLabel("Chart type", { exact: true }).focus();
    await page.keyboard.press("ControlOrMeta+z");
    await expect.poll(() => chart.getByLabel("Source cell", { exact: true }).inputValue()).toBe("");
    expect(await chart.getByLabel("Chart type", { exact: true }).inputValue()).toBe("line");
    expect(await chart.getByLabel("Chart title", { exact: true }).inputValue()).toBe("Trend by district");
    await chart.getByRole("button", { name: "Redo" }).click();
    await expect.poll(() => chartTitle(page), { timeout: 20_000 }).toEqual(["Trend by district"]);
    expect(await chart.getByLabel("Source cell", { exact: true }).inputValue()).toBe("cell1");
    await cell(page, 1).getByLabel("Chart type", { exact: true }).selectOption("bar");
    await expect.poll(() => marks(page, "rect").count()).toBe(districts);
  });

  it("shows schema errors with their path, refuses external URLs and `window`, applies a valid spec and resets", async () => {
    const chart = cell(page, 1);
    await chart.getByRole("tab", { name: "Spec" }).click();
    const text = chart.getByLabel("Vega-Lite spec (JSON)", { exact: true });
    // The generated spec is shown.
    expect(JSON.parse(await text.inputValue())).toMatchObject({ mark: { type: "bar" }, data: { name: "result" } });
    const problemsList = chart.locator(".nb-chart-spec .nb-chart-problems");

    await text.fill(
      '{"mark": "bar", "encoding": {"x": {"field": "district", "type": "nominal"}, "y": {"field": "confirmed", "type": "quantitative", "aggregate": "summ"}}}',
    );
    await expect.poll(() => problemsList.textContent(), { timeout: 20_000 }).toContain("encoding.y.aggregate");
    expect(await problemsList.locator("li").first().getAttribute("data-path")).toBe("encoding.y.aggregate");

    await text.fill('{"mark": "bar", "encoding": {"x": {"field": "district", "type": "nominal"},}}');
    await expect.poll(() => problemsList.textContent()).toMatch(/line 1, column \d+/);

    await text.fill(
      '{"mark": "bar", "data": {"url": "https://example.org/cases.csv"}, "encoding": {"x": {"field": "district", "type": "nominal"}}}',
    );
    await expect.poll(() => problemsList.textContent()).toContain("data.url: URLs are refused");

    await text.fill(
      '{"mark": "bar", "transform": [{"calculate": "window.location.href", "as": "w"}], "encoding": {"x": {"field": "w", "type": "nominal"}}}',
    );
    await expect.poll(() => problemsList.textContent()).toContain("window");
    // None of these reached the chart: it still shows the builder's bars.
    expect(await marks(page, "rect").count()).toBe(districts);

    await text.fill(
      JSON.stringify({
        title: "From the spec",
        mark: "point",
        encoding: { x: { field: "confirmed", type: "quantitative" }, y: { field: "district", type: "nominal" } },
      }),
    );
    await expect.poll(() => chartTitle(page), { timeout: 20_000 }).toEqual(["From the spec"]);
    expect(await marks(page, "symbol").count()).toBe(districts);
    expect(await problemsList.count()).toBe(0);

    await chart.getByRole("tab", { name: "Builder" }).click();
    await expect.poll(() => chart.locator(".nb-chart-panel .nb-chart-notice").first().textContent()).toContain("Spec tab");
    await chart.getByRole("tab", { name: "Spec" }).click();
    await chart.getByRole("button", { name: "Reset to builder" }).click();
    await expect.poll(() => marks(page, "rect").count(), { timeout: 20_000 }).toBe(districts);
    expect(await chartTitle(page)).toEqual(["Trend by district"]);
  });

  it("downloads the chart as SVG and PNG, each written to the audit log; the audit route refuses others", async () => {
    const svg = await download(page, "Download SVG");
    expect(svg.name).toBe("Chart-test_chart1.svg");
    const markup = svg.bytes.toString("utf8");
    expect(markup).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(markup.match(/<path[^>]*>/g)?.length ?? 0).toBeGreaterThanOrEqual(districts);
    expect(markup).toContain("mark-rect");
    expect(markup).toContain("Trend by district");
    expect(markup).not.toMatch(/<script|<foreignObject/i);

    const png = await download(page, "Download PNG");
    expect(png.name).toBe("Chart-test_chart1.png");
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.length).toBeGreaterThan(2_000);

    const database = openDatabase(dataDir);
    try {
      const exports = database.db
        .select()
        .from(schema.auditLog)
        .all()
        .filter((e) => e.target === notebookId && e.action === "export")
        .map((e) => ({ actor: e.actorEmail, ...(e.detail as Record<string, unknown>) }));
      expect(exports).toEqual([
        { actor: ANALYST.email, cell: "chart1", format: "svg", rows: districts, where: "browser" },
        { actor: ANALYST.email, cell: "chart1", format: "png", rows: districts, where: "browser" },
      ]);
    } finally {
      database.close();
    }

    // The viewer cannot read this notebook: no audit record (and so no download) for them; a made-up format is refused.
    const viewer = new HttpClient(server.url);
    await viewer.signIn(VIEWER.email, VIEWER.password);
    const headers = { "Content-Type": "application/json" };
    const record = (format: string) => JSON.stringify({ cell: "chart1", format, rows: 1 });
    const refused = await viewer.request(`/notebooks/${notebookId}/export-log`, { method: "POST", body: record("png"), headers });
    expect(refused.status).toBe(403);
    const badFormat = await analyst.request(`/notebooks/${notebookId}/export-log`, {
      method: "POST",
      body: record("gif"),
      headers,
    });
    expect(badFormat.status).toBe(400);
    const accepted = await analyst.request(`/notebooks/${notebookId}/export-log`, {
      method: "POST",
      body: record("svg"),
      headers,
    });
    expect(accepted.status).toBe(204);
  });

  it("publishes the chart as the notebook shows it: reports read the same cell config", async () => {
    const chartId = (await cell(page, 1).locator("section[data-cell-id]").getAttribute("data-cell-id")) ?? "";
    await expect.poll(() => page.locator("output.nb-save").textContent(), { timeout: 20_000 }).toBe("Saved");
    const response = await analyst.request(`/notebooks/${notebookId}/publish`, {
      method: "POST",
      body: new URLSearchParams([
        ["title", "Chart report"],
        ["visibility", "workspace"],
        ["cell", chartId],
        [`width.${chartId}`, "full"],
        [`order.${chartId}`, "1"],
      ]),
    });
    expect(response.status, await response.clone().text()).toBe(302);
    const html = await (await analyst.request(response.headers.get("location") ?? "")).text();
    expect(html).not.toContain("report-tile-error");
    const svg = /<div class="report-chart-static">(<svg[\s\S]*?<\/svg>)/.exec(html)?.[1] ?? "";
    const bars = /<g class="mark-rect role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? "";
    expect(bars.match(/<path/g)?.length).toBe(districts);
    expect(svg).toContain("Trend by district");
    expect(svg).toContain("Confirmed cases");
  });

  it("shows a viewer of the notebook the chart read-only; their download is audited under their name", async () => {
    const shared = await analyst.form(`/notebooks/${notebookId}/share`, {
      intent: "add-user",
      email: VIEWER.email,
      role: "viewer",
    });
    expect(shared.status, await shared.clone().text()).toBeLessThan(400);
    grantDataset(dataDir, "malaria", VIEWER.email);
    const viewerBrowser = await launchBrowser();
    try {
      const viewerPage = await viewerBrowser.context.newPage();
      viewerPage.on("pageerror", (e) => problems.push(`viewer: ${e}`));
      await signInWithBrowser(viewerPage, server.url, VIEWER.email, VIEWER.password);
      await viewerPage.goto(`${server.url}/notebooks/${notebookId}`);
      const chart = cell(viewerPage, 1);
      await expect
        .poll(() => chart.locator(".nb-chart-output .nb-chart-notice").textContent(), { timeout: 20_000 })
        .toContain("Run “cell1” to draw the chart.");
      await viewerPage.getByRole("button", { name: "Run all" }).click();
      await expect
        .poll(() => chart.locator("figure.nb-chart-canvas svg g.mark-rect.role-mark path").count(), { timeout: 90_000 })
        .toBe(districts);
      for (const label of ["Source cell", "Chart type", "X axis Field", "Y axis Title"])
        expect(await chart.getByLabel(label, { exact: true }).isDisabled(), label).toBe(true);
      expect(await chart.getByRole("button", { name: "Undo" }).count()).toBe(0);
      expect(await viewerPage.getByRole("button", { name: "+ Chart" }).count()).toBe(0);
      expect(await viewerPage.getByRole("button", { name: "Add chart" }).count()).toBe(0);
      await chart.getByRole("tab", { name: "Spec" }).click();
      expect(await chart.getByLabel("Vega-Lite spec (JSON)", { exact: true }).getAttribute("readonly")).not.toBeNull();
      expect(await chart.getByRole("button", { name: "Reset to builder" }).count()).toBe(0);

      const svg = await download(viewerPage, "Download SVG");
      expect(svg.name).toBe("Chart-test_chart1.svg");
      expect(svg.bytes.toString("utf8")).toContain("mark-rect");
    } finally {
      await viewerBrowser.close();
    }
    const database = openDatabase(dataDir);
    try {
      const byViewer = database.db
        .select()
        .from(schema.auditLog)
        .all()
        .filter((e) => e.target === notebookId && e.action === "export" && e.actorEmail === VIEWER.email)
        .map((e) => e.detail);
      expect(byViewer).toEqual([{ cell: "chart1", format: "svg", rows: districts, where: "browser" }]);
    } finally {
      database.close();
    }
  });

  it("refuses hostile specs written into the document by a co-editor (Vega advisories): nothing runs, nothing loads", async () => {
    const leakUrl = `${server.url}/__chart_leak`;
    const leaks: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("__chart_leak")) leaks.push(request.url());
    });
    await page.evaluate(([name, intact]) => Object.assign(window, { [name]: intact }), [CANARY, CANARY_INTACT]);
    const conn: NotebookConnection = connectNotebook({
      serverUrl: `ws://127.0.0.1:${server.port}/collab`,
      notebookId,
      WebSocketPolyfill: cookieSocket(analyst.cookieHeader()),
      disableBc: true,
      offlineStore: false,
    });
    const output = cell(page, 1).locator(".nb-chart-output");
    try {
      await until(() => conn.provider.synced, "the co-editor's first sync");
      const id = readCells(conn.doc).find((c) => c.kind === "chart")?.id ?? "";
      const setSpec = (spec: string | null) =>
        conn.doc.transact(() => {
          const map = findCell(conn.doc, id)?.get("config") as Y.Map<unknown>;
          if (spec === null) map.delete("spec");
          else map.set("spec", spec);
        });
      for (const payload of advisoryPayloads(leakUrl).filter((p) => p.expect === "refused")) {
        // From a drawn chart each time, so every refusal is seen afresh.
        setSpec(null);
        await expect.poll(() => output.getAttribute("data-state"), { timeout: 20_000 }).toBe("drawn");
        setSpec(JSON.stringify(payload.spec));
        await expect
          .poll(() => output.locator(".nb-chart-problems").textContent(), { timeout: 20_000, message: payload.name })
          .toContain("The chart cannot be drawn");
        expect(await chartSvg(page).isVisible(), payload.name).toBe(false);
      }
      setSpec(null);
      await expect.poll(() => output.getAttribute("data-state"), { timeout: 20_000 }).toBe("drawn");
      await conn.whenSaved();
    } finally {
      conn.destroy();
    }
    await page.mouse.move(200, 200);
    await page.mouse.click(220, 240);
    expect(await page.evaluate((name) => (window as unknown as Record<string, unknown>)[name], CANARY)).toBe(CANARY_INTACT);
    expect(leaks).toEqual([]);
  });

  it("draws every row of a result larger than the display cap, and refuses more rows than a chart renders", async () => {
    await cell(page, 0).locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("SELECT 'all' AS district, 1 AS confirmed FROM range(12345)");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => statusOf(page, 0), { timeout: 30_000 }).toMatch(/^Done · .+ · 12,345 rows$/);
    // The grid keeps 10,000 rows; the chart reads the rest from the engine: one bar whose count is every row.
    await cell(page, 1).getByRole("tab", { name: "Spec" }).click();
    await cell(page, 1)
      .getByLabel("Vega-Lite spec (JSON)", { exact: true })
      .fill(JSON.stringify({ mark: "text", encoding: { text: { aggregate: "count", type: "quantitative" } } }));
    await expect
      .poll(() => chartSvg(page).locator("g.mark-text.role-mark text").allTextContents(), { timeout: 30_000 })
      .toEqual(["12345"]);
    await cell(page, 1).getByRole("button", { name: "Reset to builder" }).click();
    await cell(page, 1).getByRole("tab", { name: "Builder" }).click();

    await cell(page, 0).locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("SELECT 'all' AS district, 1 AS confirmed FROM range(100001)");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect
      .poll(() => outputNotice(page), { timeout: 30_000 })
      .toBe("“cell1” returned 100,001 rows, more than the 100,000 a chart draws: aggregate in SQL first.");
    expect(await chartSvg(page).isVisible()).toBe(false);
  });

  it("says so when the source fails or returns nothing", async () => {
    await cell(page, 0).locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("SELECT district, confirmed FROM (SELECT 'x' AS district, 1 AS confirmed) WHERE false");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => outputNotice(page), { timeout: 30_000 }).toContain("returned no rows");
    expect(await chartSvg(page).isVisible()).toBe(false);

    await cell(page, 0).locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("SELECT nonexistent FROM malaria.observations");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => outputNotice(page), { timeout: 30_000 }).toContain("The source cell “cell1” failed");
  });

  it("fits a phone: the chart cell's controls and chart stay within a 390 px wide screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const widths = await cell(page, 1).evaluate((el) => {
      const editor = el.querySelector(".nb-chart-editor") as HTMLElement;
      const output = el.querySelector(".nb-chart-output") as HTMLElement;
      return {
        cell: el.getBoundingClientRect().right,
        editor: editor.scrollWidth - editor.clientWidth,
        output: output.getBoundingClientRect().right,
      };
    });
    if (process.env.CHART_SCREENSHOTS)
      await page.screenshot({ path: `${process.env.CHART_SCREENSHOTS}/phone.png`, fullPage: true });
    expect(widths.cell).toBeLessThanOrEqual(390);
    expect(widths.output).toBeLessThanOrEqual(390);
    expect(widths.editor).toBe(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("reported no CSP violations or page errors", () => {
    expect(problems).toEqual([]);
  });
});
