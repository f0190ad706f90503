/**
 * The query library in notebooks, in Chromium against the production build: an analyst saves a SQL cell (bound to a
 * notebook input) to the library and replaces it by a linked cell; in another notebook inserts the query linked (its
 * input comes along), runs it, publishes a new version through the JSON API, sees the newer-version notice, updates
 * (then undoes and updates again) and the rows change accordingly. Refusals: another analyst neither finds the private
 * query (search, insert dialog) nor reads it (version.json 404), and in the shared notebook the linked cell does not run
 * and the cell reading it fails naming it, not with DuckDB's "table does not exist".
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccounts } from "../../app/auth/accounts.server.ts";
import { createNotebookStore } from "../../app/notebooks/store.server.ts";
import { openDatabase } from "../../db/index.ts";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { grantDataset, publishMalaria } from "../helpers/pipeline.ts";
import { ANALYST, type RunningServer, startServer, tempDataDir } from "../helpers/server.ts";
import { sierraLeoneHierarchy } from "../helpers/sierra-leone.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const OTHER = { email: "analyst2@harmony.local", password: "second-analyst-pw" };
const cells = (page: Page): Locator => page.locator("ol.nb-cells > li");
const cell = (page: Page, n: number): Locator => cells(page).nth(n);
const byName = (page: Page, name: string): Locator =>
  cells(page).filter({ has: page.locator(`section[aria-label="Cell ${name}"]`) });

const V1 =
  "SELECT period_id, count(*) AS chiefdoms FROM malaria.observations " +
  "WHERE field_id = 'malaria_confirmed' AND period_id = $month GROUP BY period_id ORDER BY period_id";
const V2 = V1.replace("period_id = $month", "period_id >= $month");
const CHIEFDOMS = sierraLeoneHierarchy().filter((l) => l.level === 3).length;

async function statusOf(target: Locator): Promise<string> {
  const status = (await target.locator("output.nb-status").textContent()) ?? "";
  const error = target.locator(".nb-sql-error-message");
  return (await error.count()) > 0 ? `${status}: ${await error.first().textContent()}` : status;
}

async function rowsOf(target: Locator): Promise<string[][]> {
  const rows = target.locator(".nb-grid-table tbody tr");
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) out.push(await rows.nth(i).locator("td").allTextContents());
  return out;
}

async function newNotebook(page: Page, baseUrl: string, title: string): Promise<string> {
  await page.goto(`${baseUrl}/notebooks`);
  await page.getByLabel("Notebook title").fill(title);
  await page.getByRole("button", { name: "New notebook" }).click();
  await page.waitForURL(/\/notebooks\/[\w-]+$/);
  await cell(page, 0).locator(".cm-content").waitFor({ timeout: 20_000 });
  return new URL(page.url()).pathname;
}

async function setText(target: Locator, label: string, value: string) {
  const field = target.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press("Enter");
}

describe("query library in notebooks (Chromium)", () => {
  let server: RunningServer;
  let browser: Browser;
  const dataDir = tempDataDir();
  const work = mkdtempSync(path.join(tmpdir(), "harmony-library-e2e-"));
  const problems: string[] = [];
  let queryId = "";
  let consumerPath = "";

  beforeAll(async () => {
    await publishMalaria(dataDir, work);
    server = await startServer({ dataDir });
    const database = openDatabase(dataDir);
    try {
      await createAccounts(database.db).create({ email: OTHER.email, name: "Second Analyst", role: "analyst" }, OTHER.password);
    } finally {
      database.close();
    }
    grantDataset(dataDir, "malaria", "workspace");
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

  it("saves a SQL cell with its input parameter to the library and replaces it by a linked cell", async () => {
    const page = await browser.context.newPage();
    watch(page);
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await newNotebook(page, server.url, "Source notebook");

    await cell(page, 0).getByRole("button", { name: "+ Input" }).click();
    await expect.poll(() => cells(page).count()).toBe(2);
    await setText(cell(page, 1), "Cell name", "month");
    await setText(cell(page, 1), "month", "202401");
    await cell(page, 0).locator(".cm-content").click();
    await page.keyboard.type(V1);
    await page.getByRole("button", { name: "Run all" }).click();
    await expect.poll(() => statusOf(cell(page, 0)), { timeout: 90_000 }).toMatch(/^Done · .+ · 1 row$/);
    expect(await rowsOf(cell(page, 0))).toEqual([["202401", String(CHIEFDOMS)]]);

    await cell(page, 0).locator("summary", { hasText: "Library" }).click();
    await cell(page, 0).getByRole("menuitem", { name: "Save to library…" }).click();
    const dialog = page.getByRole("dialog", { name: "Save to the query library" });
    await expect.poll(() => dialog.getByLabel("Name").inputValue()).toBe("cell1");
    // Escape closes the dialog; reopening starts afresh.
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    await cell(page, 0).locator("summary", { hasText: "Library" }).click();
    await cell(page, 0).getByRole("menuitem", { name: "Save to library…" }).click();
    await dialog.getByLabel("Name").fill("Confirmed by month");
    await dialog.getByLabel("Tags (separated by commas)").fill("malaria, e2e");
    await dialog.getByLabel("Version message").fill("first definition");
    await expect
      .poll(() => dialog.locator(".nb-library-params li").allTextContents(), { timeout: 30_000 })
      .toEqual(["$month — text input"]);
    expect(await dialog.getByLabel("Only me").isChecked()).toBe(true);
    await dialog.getByRole("button", { name: "Save to library" }).click();
    await expect
      .poll(() => dialog.locator("output.notice").textContent())
      .toContain("“Confirmed by month” is saved in the library as version 1.");
    queryId =
      ((await dialog.getByRole("link", { name: "Open in the library" }).getAttribute("href")) ?? "").split("/").pop() ?? "";
    expect(queryId).not.toBe("");
    await dialog.getByRole("button", { name: "Replace by a linked cell" }).click();

    const linked = cell(page, 0);
    await expect.poll(() => linked.locator(".nb-linked-name").textContent()).toBe("Confirmed by month");
    expect(await linked.locator(".nb-linked-version").textContent()).toBe("v1");
    // The library's SQL, read-only, runs as before with the bound input.
    expect(await linked.locator(".cm-content").getAttribute("contenteditable")).toBe("false");
    await page.getByRole("button", { name: "Run all" }).click();
    await expect.poll(() => statusOf(linked), { timeout: 30_000 }).toMatch(/^Done · .+ · 1 row$/);
    expect(await rowsOf(linked)).toEqual([["202401", String(CHIEFDOMS)]]);

    const version = await page.request.get(`${server.url}/queries/${queryId}/v/1.json`);
    expect(version.status()).toBe(200);
    expect(await version.json()).toMatchObject({
      sql: V1,
      message: "first definition",
      parameters: [{ name: "month", type: "text" }],
    });
    await expect.poll(() => page.locator("output.nb-save").textContent(), { timeout: 20_000 }).toBe("Saved");

    // Unlink: an ordinary, editable SQL cell again, holding the library version's SQL.
    await newNotebook(page, server.url, "Unlinked copy");
    await page.getByRole("button", { name: "Insert from library" }).click();
    await page.getByRole("button", { name: "Insert “Confirmed by month” linked (v1)" }).click();
    const again = byName(page, "confirmed_by_month");
    await expect.poll(() => again.locator(".nb-linked-name").textContent()).toBe("Confirmed by month");
    await again.getByRole("button", { name: "Unlink" }).click();
    await expect.poll(() => again.locator(".nb-linked").count()).toBe(0);
    expect(await again.locator(".cm-content").getAttribute("contenteditable")).toBe("true");
    expect(await again.locator(".cm-content").textContent()).toBe(V1);
    await page.close();
  });

  it("inserts the query linked into another notebook, then updates it to a new version and the rows change", async () => {
    const page = await browser.context.newPage();
    watch(page);
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    consumerPath = await newNotebook(page, server.url, "Consumer notebook");

    await page.getByRole("button", { name: "Insert from library" }).click();
    const dialog = page.getByRole("dialog", { name: "Insert from the query library" });
    const search = dialog.getByLabel("Search by name, description or tag");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("search");
    await search.fill("no such query anywhere");
    await expect.poll(() => dialog.getByText("No query matches.").count()).toBe(1);
    await search.fill("confirmed");
    await dialog.getByRole("button", { name: "Insert “Confirmed by month” linked (v1)" }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    // The query's input came along (the notebook had none), then the linked cell named after the query.
    const linked = byName(page, "confirmed_by_month");
    await expect.poll(() => linked.locator(".nb-linked-name").textContent()).toBe("Confirmed by month");
    const month = byName(page, "month");
    await setText(month, "month", "202402");
    // A cell reading the linked one by name.
    await linked.getByRole("button", { name: "+ SQL cell" }).click();
    await setText(cells(page).last(), "Cell name", "total");
    const total = byName(page, "total");
    await total.locator(".cm-content").click();
    await page.keyboard.type("SELECT sum(chiefdoms) AS total FROM confirmed_by_month");
    await page.getByRole("button", { name: "Run all" }).click();
    await expect.poll(() => statusOf(linked), { timeout: 90_000 }).toMatch(/^Done · .+ · 1 row$/);
    expect(await rowsOf(linked)).toEqual([["202402", String(CHIEFDOMS)]]);
    await expect.poll(() => statusOf(total), { timeout: 30_000 }).toMatch(/^Done/);
    expect(await rowsOf(total)).toEqual([[String(CHIEFDOMS)]]);

    // A new version, published through the JSON API from this signed-in page (the owner may).
    const saved = await page.evaluate(
      async ([id, sql]) => {
        const response = await fetch(`/queries/${id}/versions.json`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ sql, parameters: [{ name: "month", type: "text" }], message: "from the month on" }),
        });
        return { status: response.status, body: await response.json() };
      },
      [queryId, V2],
    );
    expect(saved).toEqual({ status: 201, body: { version: 2 } });

    // Coming back to the tab re-reads the query's summary: the notice appears without a reload.
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await expect
      .poll(() => linked.locator(".nb-linked-newer").textContent(), { timeout: 20_000 })
      .toContain("A newer version is available (v2).");
    await linked.getByRole("button", { name: "Update to v2" }).click();
    await expect.poll(() => linked.locator(".nb-linked-version").textContent()).toBe("v2");
    const after = [
      ["202402", String(CHIEFDOMS)],
      ["202403", String(CHIEFDOMS)],
    ];
    await expect.poll(() => rowsOf(linked), { timeout: 30_000 }).toEqual(after);
    await expect.poll(() => rowsOf(total), { timeout: 30_000 }).toEqual([[String(CHIEFDOMS * 2)]]);
    expect(await linked.locator(".nb-linked-newer").count()).toBe(0);

    // Undo goes back to v1 (and its rows); updating again returns to v2.
    await linked.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => linked.locator(".nb-linked-version").textContent()).toBe("v1");
    await expect.poll(() => rowsOf(linked), { timeout: 30_000 }).toEqual([["202402", String(CHIEFDOMS)]]);
    await linked.getByRole("button", { name: "Update to v2" }).click();
    await expect.poll(() => rowsOf(linked), { timeout: 30_000 }).toEqual(after);

    // A copy is an ordinary cell with the version's SQL, under a free name; the notebook's input is reused.
    const before = await cells(page).count();
    await page.getByRole("button", { name: "Insert from library" }).click();
    await page.getByRole("button", { name: "Insert a copy of “Confirmed by month” (v2)" }).click();
    await expect.poll(() => cells(page).count()).toBe(before + 1);
    const copy = byName(page, "confirmed_by_month_2");
    expect(await copy.locator(".nb-linked").count()).toBe(0);
    expect(await copy.locator(".cm-content").textContent()).toBe(V2);
    expect(await byName(page, "month").count()).toBe(1);
    await expect.poll(() => page.locator("output.nb-save").textContent(), { timeout: 20_000 }).toBe("Saved");
    await page.close();
  });

  it("keeps the private query invisible and unusable for another analyst", async () => {
    const database = openDatabase(dataDir);
    try {
      const other = await createAccounts(database.db).byEmail(OTHER.email);
      createNotebookStore(database.db).setMember(consumerPath.split("/").pop() ?? "", other?.id ?? "", "editor");
    } finally {
      database.close();
    }
    const page = await browser.context.newPage();
    watch(page);
    await signInWithBrowser(page, server.url, OTHER.email, OTHER.password);

    // Not found by search, not readable by id (the owner reads both: see the tests above).
    const search = await page.request.get(`${server.url}/queries/search.json?q=confirmed`);
    expect(search.status()).toBe(200);
    expect((await search.json()).queries).toEqual([]);
    expect((await page.request.get(`${server.url}/queries/${queryId}/v/2.json`)).status()).toBe(404);
    expect((await page.request.get(`${server.url}/queries/${queryId}/summary.json`)).status()).toBe(404);

    // Not in the insert dialog either: the library is empty for them.
    await page.goto(`${server.url}${consumerPath}`);
    await page.getByRole("button", { name: "Insert from library" }).click();
    const dialog = page.getByRole("dialog", { name: "Insert from the query library" });
    await expect.poll(() => dialog.getByText("The library has no queries for you yet").count()).toBe(1);
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);

    // In the shared notebook the linked cell says why it cannot run, and running changes nothing of that.
    const linked = byName(page, "confirmed_by_month");
    await expect
      .poll(() => linked.locator(".nb-linked [role=alert]").textContent())
      .toBe("This query is private or was deleted: you cannot use it, so this cell does not run.");
    expect(await linked.locator(".cm-content").count()).toBe(0);
    await page.getByRole("button", { name: "Run all" }).click();
    const total = byName(page, "total");
    await expect.poll(() => statusOf(total), { timeout: 90_000 }).toMatch(/^Error: .*Upstream cell `confirmed_by_month` failed$/);
    expect(await statusOf(total)).not.toMatch(/does not exist/i);
    expect(await statusOf(linked)).toMatch(/^Error/);
    expect(await linked.locator(".nb-grid-table").count()).toBe(0);
    expect(await total.locator(".nb-grid-table").count()).toBe(0);
    await page.close();
    expect(problems).toEqual([]);
  });
});
