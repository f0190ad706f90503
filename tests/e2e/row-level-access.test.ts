/**
 * Row-level access in Chromium against the production build: an admin grants the analyst the malaria dataset for Bo
 * district only, through the dataset page's grants section; the analyst attaches the dataset in a notebook and DuckDB-WASM
 * in their page sees exactly Bo's rows (the server served the slice). Refusals: the viewer without a grant, and the
 * analyst once the admin removed the grant.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { seedHierarchy, spawnPipeline, writeMalariaSpec } from "../helpers/pipeline.ts";
import { ADMIN, ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const cell = (page: Page, n: number): Locator => page.locator("ol.nb-cells > li").nth(n);
const editor = (page: Page, n: number): Locator => cell(page, n).locator(".cm-content");

async function statusOf(page: Page, n: number): Promise<string> {
  const status = (await cell(page, n).locator("output.nb-status").textContent()) ?? "";
  const error = cell(page, n).locator(".nb-sql-error-message");
  return (await error.count()) > 0 ? `${status}: ${await error.textContent()}` : status;
}

const DISTRICTS_SQL =
  "SELECT DISTINCT level_2_name AS district FROM malaria.observations JOIN malaria.locations USING (location_id) ORDER BY 1";
const FILE = "/datasets/malaria/v/1.duckdb";

describe("row-level access in the browser", () => {
  let server: RunningServer;
  let browser: Browser;
  const dataDir = tempDataDir();
  const work = mkdtempSync(path.join(tmpdir(), "harmony-rla-e2e-"));

  beforeAll(async () => {
    seedHierarchy(dataDir);
    const { specFile } = writeMalariaSpec(work, "malaria", 3);
    const { code, output } = await spawnPipeline(specFile, dataDir).done;
    expect(code, output).toBe(0);
    server = await startServer({ dataDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("refuses the analyst before any grant", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    expect((await page.request.get(`${server.url}${FILE}`)).status()).toBe(403);
    expect((await page.goto(`${server.url}/datasets/malaria`))?.status()).toBe(404);
    await page.close();
  });

  it("lets an admin grant Bo district only, from the dataset page", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/datasets/malaria`);
    await expect.poll(() => page.getByText("No grants: only admins and the owner can read this dataset.").isVisible()).toBe(true);
    await page.getByLabel("User or group").selectOption({ label: ANALYST.email });
    // The picker searches every level by name; the level filter narrows it to districts.
    await page.getByLabel("Location level").selectOption({ label: "District" });
    await page.getByLabel("Find a location (any level)").fill("bo");
    await page.getByRole("button", { name: "Add Bo", exact: true }).click();
    expect(await page.getByRole("list", { name: "Chosen locations" }).textContent()).toContain("Bo");
    await page.getByRole("button", { name: "Grant read access" }).click();
    await expect.poll(() => page.getByText("Grant added.").count()).toBe(1);
    const row = page.getByRole("row", { name: new RegExp(ANALYST.email) });
    expect(await row.locator("td").nth(1).textContent()).toBe("Bo");
    await page.close();
  });

  it("offers locations of any level: a facility found by name; the search answers only those who manage grants", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/datasets/malaria`);
    await page.getByLabel("User or group").selectOption({ label: VIEWER.email });
    await page.getByLabel("Find a location (any level)").fill("ngelehun");
    const add = page.getByRole("button", { name: "Add Ngelehun CHC" });
    await add.click();
    expect(await add.isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Grant read access" }).click();
    await expect.poll(() => page.getByText("Grant added.").count()).toBe(1);
    const row = page.getByRole("row", { name: new RegExp(VIEWER.email) });
    expect(await row.locator("td").nth(1).textContent()).toBe("Ngelehun CHC");
    await row.getByRole("button", { name: `Remove the grant of ${VIEWER.email}` }).click();
    await expect.poll(() => page.getByText("Grant removed: the next download is refused.").count()).toBe(1);
    // The search answers only those who manage the dataset's grants.
    const search = `${server.url}/datasets/malaria/grant-locations.json?q=ngelehun`;
    const found = (await (await page.request.get(search)).json()) as { matches: { name: string; level: number }[] };
    expect(found.matches).toEqual([expect.objectContaining({ name: "Ngelehun CHC", level: 4 })]);
    await signInWithBrowser(page, server.url, VIEWER.email, VIEWER.password);
    expect((await page.request.get(search)).status()).toBe(404);
    await page.close();
  });

  it("gives the restricted analyst exactly Bo's rows in a notebook (DuckDB-WASM on the served slice)", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await page.goto(`${server.url}/notebooks`);
    await page.getByLabel("Notebook title").fill("Bo only");
    await page.getByRole("button", { name: "New notebook" }).click();
    await page.waitForURL(/\/notebooks\/[\w-]+$/);
    await editor(page, 0).waitFor({ timeout: 20_000 });
    await editor(page, 0).click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.press("Delete");
    await page.keyboard.type(DISTRICTS_SQL);
    await page.keyboard.press("ControlOrMeta+Enter");
    await expect.poll(() => statusOf(page, 0), { timeout: 90_000 }).toMatch(/^Done · .+ · 1 row$/);
    const values = await cell(page, 0).locator(".nb-grid-table tbody [role=gridcell], .nb-grid-table tbody td").allTextContents();
    expect(values.map((v) => v.trim())).toEqual(["Bo"]);
    await page.close();
  });

  it("refuses a viewer without a grant, and the analyst at once after the grant is removed", async () => {
    const viewer = await browser.context.newPage();
    await signInWithBrowser(viewer, server.url, VIEWER.email, VIEWER.password);
    expect((await viewer.request.get(`${server.url}${FILE}`)).status()).toBe(403);
    await viewer.close();

    const admin = await browser.context.newPage();
    await signInWithBrowser(admin, server.url, ADMIN.email, ADMIN.password);
    await admin.goto(`${server.url}/datasets/malaria`);
    await admin.getByRole("button", { name: `Remove the grant of ${ANALYST.email}` }).click();
    await expect.poll(() => admin.getByText("Grant removed: the next download is refused.").count()).toBe(1);
    await admin.close();

    const analyst = await browser.context.newPage();
    await signInWithBrowser(analyst, server.url, ANALYST.email, ANALYST.password);
    expect((await analyst.request.get(`${server.url}${FILE}`, { headers: { Range: "bytes=0-99" } })).status()).toBe(403);
    await analyst.close();
  });
});
