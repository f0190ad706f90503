/**
 * The notebook page in Chromium against the production build: a real dataset published by the pipeline, cells co-edited
 * through the real collab server, run by DuckDB-WASM in the page's worker on range reads of the dataset file.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { grantDataset, seedHierarchy, spawnPipeline, writeMalariaSpec } from "../helpers/pipeline.ts";
import { ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const cell = (page: Page, n: number): Locator => page.locator("ol.nb-cells > li").nth(n);
const editor = (page: Page, n: number): Locator => cell(page, n).locator(".cm-content");
const digits = (text: string | null) => (text ?? "").replace(/[^\d-]/g, "");

/** Replaces an editor's whole text by typing (as a user would, so it goes through CodeMirror and Yjs). */
async function retype(page: Page, n: number, sql: string) {
  await editor(page, n).click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.type(sql);
}

/** The cell's status line, with its error message when it failed (so a failed poll says why). */
async function statusOf(page: Page, n: number): Promise<string> {
  const status = (await cell(page, n).locator("output.nb-status").textContent()) ?? "";
  const error = cell(page, n).locator(".nb-sql-error-message");
  return (await error.count()) > 0 ? `${status}: ${await error.textContent()}` : status;
}

async function firstGridValue(page: Page, n: number): Promise<string> {
  return digits(
    await cell(page, n).locator(".nb-grid-table tbody [role=gridcell], .nb-grid-table tbody td").first().textContent(),
  );
}

describe("notebooks in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let total: number;
  const dataDir = tempDataDir();
  const work = mkdtempSync(path.join(tmpdir(), "harmony-notebook-e2e-"));
  const problems: string[] = [];
  let notebookUrl = "";

  beforeAll(async () => {
    seedHierarchy(dataDir);
    const { specFile, expected } = writeMalariaSpec(work, "malaria", 3);
    total = expected.confirmedTotal;
    const { code, output } = await spawnPipeline(specFile, dataDir).done;
    expect(code, output).toBe(0);
    server = await startServer({ dataDir });
    grantDataset(dataDir, "malaria", ANALYST.email);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  function watch(page: Page) {
    page.on("console", (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
  }

  it("creates a notebook, runs chained cells on a dataset, re-runs dependents, shows errors, persists", async () => {
    const page = await browser.context.newPage();
    watch(page);
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await page.goto(`${server.url}/notebooks`);
    await expect.poll(() => page.getByRole("heading", { name: "No notebooks yet" }).isVisible()).toBe(true);
    await page.getByLabel("Notebook title").fill("Malaria analysis");
    await page.getByRole("button", { name: "New notebook" }).click();
    await page.waitForURL(/\/notebooks\/[\w-]+$/);
    notebookUrl = page.url();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Malaria analysis");

    // The new notebook's first cell is named cell1; the engine starts only when something runs.
    await editor(page, 0).waitFor({ timeout: 20_000 });
    await expect.poll(() => cell(page, 0).locator(".nb-cell-name input").inputValue()).toBe("cell1");
    expect(await page.locator("output.nb-engine").textContent()).toBe("The query engine starts on the first run");

    await retype(
      page,
      0,
      "SELECT CAST(sum(value) AS BIGINT) AS total FROM malaria.observations WHERE field_id = 'malaria_confirmed'",
    );
    await page.keyboard.press("Shift+Enter");
    await expect.poll(() => page.locator("output.nb-engine").textContent(), { timeout: 60_000 }).toBe("Engine ready");
    await expect.poll(() => statusOf(page, 0), { timeout: 60_000 }).toMatch(/^Done · .+ · 1 row$/);
    expect(await firstGridValue(page, 0)).toBe(String(total));

    // Shift+Enter on the last cell added cell2 and moved the cursor there.
    await expect.poll(() => page.locator("ol.nb-cells > li").count()).toBe(2);
    expect(await cell(page, 1).locator(".nb-cell-name input").inputValue()).toBe("cell2");
    await page.keyboard.type("SELECT total * 2 AS doubled FROM cell1");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => statusOf(page, 1), { timeout: 30_000 }).toMatch(/^Done/);
    expect(await firstGridValue(page, 1)).toBe(String(total * 2));
    expect(await page.locator("ol.nb-cells > li").count()).toBe(2); // run-and-stay adds nothing

    // Editing and re-running cell1 re-runs cell2 (automatic mode).
    await retype(
      page,
      0,
      "SELECT CAST(sum(value) AS BIGINT) + 1 AS total FROM malaria.observations WHERE field_id = 'malaria_confirmed'",
    );
    await expect.poll(() => statusOf(page, 0)).toMatch(/^Out of date/);
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => firstGridValue(page, 1), { timeout: 30_000 }).toBe(String((total + 1) * 2));
    await expect.poll(() => statusOf(page, 1)).toMatch(/^Done/);

    // A broken cell shows DuckDB's message with the position underlined; its dependent says which upstream failed.
    await retype(page, 0, "SELECT CAST(sum(valeu) AS BIGINT) AS total FROM malaria.observations");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => statusOf(page, 0), { timeout: 30_000 }).toMatch(/^Error/);
    const message = (await cell(page, 0).locator(".nb-sql-error-message").textContent()) ?? "";
    expect(message).toMatch(/valeu/);
    expect(await cell(page, 0).locator(".nb-sql-error").first().textContent()).toBe("valeu");
    await expect.poll(() => cell(page, 1).locator(".nb-sql-error-message").textContent()).toContain("cell1");

    // Fix it again, then wait until the server confirms everything is stored.
    await retype(
      page,
      0,
      "SELECT CAST(sum(value) AS BIGINT) AS total FROM malaria.observations WHERE field_id = 'malaria_confirmed'",
    );
    await expect.poll(() => page.locator("output.nb-save").textContent(), { timeout: 20_000 }).toBe("Saved");

    await page.reload();
    await editor(page, 1).waitFor({ timeout: 20_000 });
    expect(await editor(page, 0).textContent()).toContain("sum(value)");
    expect(await editor(page, 1).textContent()).toBe("SELECT total * 2 AS doubled FROM cell1");
    await page.getByRole("button", { name: "Run all" }).click();
    await expect.poll(() => firstGridValue(page, 1), { timeout: 60_000 }).toBe(String(total * 2));
    await page.close();
  });

  it("renders hostile markdown inert", async () => {
    const page = await browser.context.newPage();
    watch(page);
    await page.goto(notebookUrl);
    await editor(page, 0).waitFor({ timeout: 20_000 });
    await cell(page, 1).getByRole("button", { name: "+ Text cell" }).click();
    const area = cell(page, 2).locator("textarea");
    await area.waitFor();
    await area.fill(
      '# Findings\n\n<script>window.__xss = 1</script>\n\n<img src="x" onerror="window.__xss = 2">\n\n[click me](javascript:window.__xss=3)\n\n<a href="javascript:window.__xss=4">raw</a>',
    );
    await area.press("ControlOrMeta+Enter");
    const view = cell(page, 2).locator(".nb-markdown");
    await view.waitFor();
    expect(await view.locator("h1").textContent()).toBe("Findings");
    expect(await view.locator("script").count()).toBe(0);
    expect(await view.locator("[onerror]").count()).toBe(0);
    expect(await view.locator('a[href^="javascript"]').count()).toBe(0);
    for (const link of await view.locator("a").all()) await link.click({ force: true }).catch(() => undefined);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // Cells move with the keyboard (Alt+Arrow) from anywhere inside them, and keep the focus.
    await cell(page, 2).getByRole("button", { name: "Edit text" }).focus();
    await page.keyboard.press("Alt+ArrowUp");
    await expect.poll(() => cell(page, 1).locator(".nb-markdown h1").count()).toBe(1);
    await page.keyboard.press("Alt+ArrowDown");
    await expect.poll(() => cell(page, 2).locator(".nb-markdown h1").count()).toBe(1);
    await expect.poll(() => page.locator("output.nb-save").textContent(), { timeout: 20_000 }).toBe("Saved");
    await page.close();
  });

  it("keeps the notebook across a server restart, seen from a fresh browser", async () => {
    await server.stop();
    server = await startServer({ dataDir });
    const fresh = await launchBrowser();
    try {
      const page = await fresh.context.newPage();
      watch(page);
      await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
      await page.goto(`${server.url}${new URL(notebookUrl).pathname}`);
      await editor(page, 1).waitFor({ timeout: 20_000 });
      expect(await page.locator("ol.nb-cells > li").count()).toBe(3);
      expect(await editor(page, 1).textContent()).toBe("SELECT total * 2 AS doubled FROM cell1");
      expect(await cell(page, 2).locator(".nb-markdown h1").textContent()).toBe("Findings");
      await page.goto(`${server.url}/notebooks`);
      await expect.poll(() => page.getByRole("link", { name: "Malaria analysis" }).isVisible()).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it("in manual mode marks dependents out of date instead of re-running them", async () => {
    const page = await browser.context.newPage();
    watch(page);
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await page.goto(`${server.url}${new URL(notebookUrl).pathname}`);
    await editor(page, 1).waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Run all" }).click();
    await expect.poll(() => statusOf(page, 1), { timeout: 60_000 }).toMatch(/^Done/);

    await page.getByLabel("Re-run dependent cells automatically").uncheck();
    await retype(page, 0, "SELECT 21 AS total");
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => firstGridValue(page, 0), { timeout: 30_000 }).toBe("21");
    await expect.poll(() => statusOf(page, 1)).toMatch(/^Out of date/);
    expect(await firstGridValue(page, 1)).toBe(String(total * 2));

    await cell(page, 0).getByRole("button", { name: "Run this cell and below" }).click();
    await expect.poll(() => firstGridValue(page, 1), { timeout: 30_000 }).toBe("42");
    await page.getByLabel("Re-run dependent cells automatically").check();
    await expect.poll(() => page.locator("output.nb-save").textContent(), { timeout: 20_000 }).toBe("Saved");
    await page.close();
  });

  it("refuses a viewer who is not a member", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, VIEWER.email, VIEWER.password);
    const response = await page.goto(`${server.url}${new URL(notebookUrl).pathname}`);
    expect(response?.status()).toBe(403);
    await page.goto(`${server.url}/notebooks`);
    expect(await page.getByRole("link", { name: "Malaria analysis" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "New notebook" }).count()).toBe(0);
    await page.close();
  });

  it("reported no CSP violations or page errors", () => {
    expect(problems).toEqual([]);
  });
});
