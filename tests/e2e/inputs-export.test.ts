/**
 * Input cells and exports in Chromium against the production build: a location picker and a period picker feed a SQL
 * cell on a dataset published by the pipeline; changing them re-runs the cell with bound values; the page URL carries
 * the values (a copied link opens the same view, a bad value falls back with a notice); CSV and XLSX downloads are
 * parsed and compared with the expected rows; hostile text from the injection corpus only ever filters; browser
 * exports are audited and the audit route refuses non-readers; a result too big for the browser streams from the server.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsvText } from "../../connectors/csv/parser.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { INJECTION_CORPUS } from "../../kernel/parameters/injection-corpus.ts";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { seedHierarchy, spawnPipeline, writeMalariaSpec } from "../helpers/pipeline.ts";
import { ADMIN, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";
import { sierraLeoneHierarchy } from "../helpers/sierra-leone.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Row = [string, string, string, number];

const cell = (page: Page, n: number): Locator => page.locator("ol.nb-cells > li").nth(n);
const SQL =
  "SELECT o.period_id, o.location_id, l.name AS chiefdom, CAST(o.value AS BIGINT) AS confirmed " +
  "FROM malaria.observations o JOIN malaria.locations l ON l.location_id = o.location_id " +
  "WHERE o.field_id = 'malaria_confirmed' AND l.parent_id = $district AND list_contains($months, o.period_id) " +
  "AND ($q = '' OR l.name = $q) ORDER BY o.period_id, o.location_id";

/** What the pipeline published for a district and months (tests/helpers/sierra-leone.ts makes the values). */
function expectedRows(districtName: string, months: number[]): Row[] {
  const hierarchy = sierraLeoneHierarchy();
  const chiefdoms = hierarchy.filter((l) => l.level === 3).sort((a, b) => a.location_id.localeCompare(b.location_id));
  const district = hierarchy.find((l) => l.level === 2 && l.name === districtName);
  if (!district) throw new Error(`no district ${districtName}`);
  const rows: Row[] = [];
  for (const m of months) {
    const inDistrict = chiefdoms
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.parent_id === district.location_id)
      .sort((a, b) => (a.c.location_id < b.c.location_id ? -1 : 1));
    for (const { c, i } of inDistrict)
      rows.push([`2024${String(m).padStart(2, "0")}`, c.location_id, c.name, (i * 7 + m * 3 + 2024) % 50]);
  }
  return rows;
}

async function statusOf(page: Page, n: number): Promise<string> {
  const status = (await cell(page, n).locator("output.nb-status").textContent()) ?? "";
  const error = cell(page, n).locator(".nb-sql-error-message");
  return (await error.count()) > 0 ? `${status}: ${await error.textContent()}` : status;
}

async function rename(page: Page, n: number, name: string) {
  const field = cell(page, n).getByLabel("Cell name", { exact: true });
  await field.fill(name);
  await field.press("Enter");
}

async function chooseDistrict(page: Page, n: number, name: string) {
  const search = cell(page, n).getByLabel("Search locations", { exact: true });
  await search.fill(name);
  await cell(page, n)
    .locator(".nb-loc-matches button.nb-loc-pick:not([disabled])", { hasText: new RegExp(`^${name}$`) })
    .click();
  await search.fill("");
  await expect.poll(() => cell(page, n).locator(".nb-loc-chip").textContent()).toContain(name);
}

async function chooseMonths(page: Page, n: number, from: string, to: string) {
  await cell(page, n).getByLabel("Range", { exact: true }).check();
  await cell(page, n).getByLabel("First period", { exact: true }).fill(from);
  await cell(page, n).getByLabel("Last period", { exact: true }).fill(to);
  await cell(page, n).getByLabel("Last period", { exact: true }).press("Enter");
}

async function download(page: Page, n: number, item: string): Promise<{ name: string; bytes: Buffer }> {
  await cell(page, n).locator("summary", { hasText: "Export" }).click();
  const [file] = await Promise.all([
    page.waitForEvent("download", { timeout: 30_000 }),
    cell(page, n).getByRole("menuitem", { name: item }).click(),
  ]);
  const where = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(where) };
}

function parseCsv(bytes: Buffer): string[][] {
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  return parseCsvText(text, { delimiter: ",", quote: '"' }).flatMap((item) => (item.kind === "record" ? [item.fields] : []));
}

async function parseXlsx(bytes: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe("input cells, bound parameters and exports in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  const dataDir = tempDataDir();
  const work = mkdtempSync(path.join(tmpdir(), "harmony-inputs-e2e-"));
  const problems: string[] = [];
  let viewUrl = "";
  let notebookPath = "";

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

  function watch(page: Page) {
    page.on("console", (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
  }

  it("feeds a SQL cell from a location picker and a period picker; changes re-run it with bound values", async () => {
    const page = await browser.context.newPage();
    watch(page);
    // The admin reads every dataset (dataset grants may apply to analysts).
    await signInWithBrowser(page, server.url, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/notebooks`);
    await page.getByLabel("Notebook title").fill("District report");
    await page.getByRole("button", { name: "New notebook" }).click();
    await page.waitForURL(/\/notebooks\/[\w-]+$/);
    notebookPath = new URL(page.url()).pathname;
    await cell(page, 0).locator(".cm-content").waitFor({ timeout: 20_000 });

    // Three inputs below the SQL cell: a district (location picker, level District), months (period picker), q (text).
    await cell(page, 0).getByRole("button", { name: "+ Input" }).click();
    await expect.poll(() => page.locator("ol.nb-cells > li").count()).toBe(2);
    await rename(page, 1, "district");
    await cell(page, 1).locator("summary", { hasText: "Input settings" }).click();
    await cell(page, 1).getByLabel("Input type", { exact: true }).selectOption("location");
    await cell(page, 1).getByLabel("Level", { exact: true }).selectOption({ label: "District" });
    await cell(page, 1).getByRole("button", { name: "+ Input" }).click();
    await rename(page, 2, "months");
    await cell(page, 2).locator("summary", { hasText: "Input settings" }).click();
    await cell(page, 2).getByLabel("Input type", { exact: true }).selectOption("period");
    await cell(page, 2).getByRole("button", { name: "+ Input" }).click();
    await rename(page, 3, "q");

    await chooseDistrict(page, 1, "Bo");
    await chooseMonths(page, 2, "202401", "202402");

    await cell(page, 0).locator(".cm-content").click();
    await page.keyboard.type(SQL);
    await page.getByRole("button", { name: "Run all" }).click();
    const bo = expectedRows("Bo", [1, 2]);
    await expect.poll(() => statusOf(page, 0), { timeout: 90_000 }).toMatch(new RegExp(`^Done · .+ · ${bo.length} rows$`));

    // Changing both inputs re-runs the cell (automatic mode) with the new bound values.
    await chooseDistrict(page, 1, "Kailahun");
    await chooseMonths(page, 2, "202402", "202403");
    const kailahun = expectedRows("Kailahun", [2, 3]);
    await expect.poll(() => statusOf(page, 0), { timeout: 30_000 }).toMatch(new RegExp(`^Done · .+ · ${kailahun.length} rows$`));
    const firstRow = await cell(page, 0)
      .locator(".nb-grid-table tbody tr")
      .first()
      .locator("td, [role=gridcell]")
      .allTextContents();
    expect(firstRow.slice(0, 2)).toEqual([kailahun[0][0], kailahun[0][1]]);

    // The values are in the URL.
    await expect.poll(() => new URL(page.url()).searchParams.get("months")).toBe("Monthly:202402..202403");
    viewUrl = page.url();
    const kailahunId = sierraLeoneHierarchy().find((l) => l.level === 2 && l.name === "Kailahun")?.location_id;
    expect(new URL(viewUrl).searchParams.get("district")).toBe(kailahunId);
    await expect.poll(() => page.locator("output.nb-save").textContent(), { timeout: 20_000 }).toBe("Saved");
    await page.close();
  });

  it("opens a copied link on the same view and exports CSV and XLSX with the expected rows", async () => {
    const page = await browser.context.newPage();
    watch(page);
    await page.goto(viewUrl);
    await cell(page, 0).locator(".cm-content").waitFor({ timeout: 20_000 });
    await expect.poll(() => cell(page, 1).locator(".nb-loc-chip").textContent()).toContain("Kailahun");
    expect(await cell(page, 2).getByLabel("First period", { exact: true }).inputValue()).toBe("202402");
    expect(await cell(page, 2).getByLabel("Last period", { exact: true }).inputValue()).toBe("202403");
    const kailahun = expectedRows("Kailahun", [2, 3]);

    // Nothing runs before the user asks (the engine loads on the first run); then the same rows.
    await page.getByRole("button", { name: "Run all" }).click();
    await expect.poll(() => statusOf(page, 0), { timeout: 90_000 }).toMatch(new RegExp(`^Done · .+ · ${kailahun.length} rows$`));

    const csv = await download(page, 0, "Download CSV");
    expect(csv.name).toBe("District-report_cell1.csv");
    const parsed = parseCsv(csv.bytes);
    expect(parsed[0]).toEqual(["period_id", "location_id", "chiefdom", "confirmed"]);
    expect(parsed.slice(1)).toEqual(kailahun.map((r) => [r[0], r[1], r[2], String(r[3])]));

    const xlsx = await download(page, 0, "Download XLSX");
    expect(xlsx.name).toBe("District-report_cell1.xlsx");
    const sheet = await parseXlsx(xlsx.bytes);
    expect(sheet[0]).toEqual(["period_id", "location_id", "chiefdom", "confirmed"]);
    expect(sheet.slice(1)).toEqual(kailahun);

    // Parquet comes from the server (native DuckDB, same bound values).
    const parquet = await download(page, 0, "Download Parquet (server)");
    expect(parquet.name).toBe("District-report_cell1.parquet");
    expect(parquet.bytes.subarray(0, 4).toString("latin1")).toBe("PAR1");

    // An empty result says so instead of producing a file.
    await cell(page, 3).getByRole("textbox", { name: "q", exact: true }).fill("nobody");
    await expect.poll(() => statusOf(page, 0), { timeout: 30_000 }).toMatch(/^Done · .+ · 0 rows$/);
    await cell(page, 0).locator("summary", { hasText: "Export" }).click();
    await cell(page, 0).getByRole("menuitem", { name: "Download CSV" }).click();
    await expect.poll(() => cell(page, 0).locator(".nb-export-message").textContent()).toContain("The result is empty");
    await page.close();
  });

  it("falls back to the default with a visible notice for an invalid value in the link", async () => {
    const page = await browser.context.newPage();
    watch(page);
    const url = new URL(viewUrl);
    url.searchParams.set("months", "Monthly:2024-13..nonsense");
    await page.goto(url.href);
    const notice = page.locator(".nb-input-notices");
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.textContent()).toContain("months");
    // The other inputs keep the link's values.
    await expect.poll(() => cell(page, 1).locator(".nb-loc-chip").textContent()).toContain("Kailahun");
    await page.close();
  });

  it("treats hostile text as a value: it only ever filters", async () => {
    const page = await browser.context.newPage();
    watch(page);
    await page.goto(viewUrl);
    await cell(page, 0).locator(".cm-content").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Run all" }).click();
    const kailahun = expectedRows("Kailahun", [2, 3]);
    await expect.poll(() => statusOf(page, 0), { timeout: 90_000 }).toMatch(new RegExp(`^Done · .+ · ${kailahun.length} rows$`));
    const q = cell(page, 3).getByRole("textbox", { name: "q", exact: true });
    // Control characters cannot be typed into a one-line field; every other value of the corpus is.
    const hostile = INJECTION_CORPUS.filter((v) => v.trim() !== "" && ![...v].some((ch) => ch.charCodeAt(0) < 32));
    for (const value of hostile) {
      // Each hostile value follows a real name (2 rows), so every value is seen to run and come back with 0 rows.
      await q.fill(kailahun[0][2]);
      await q.press("Enter");
      await expect.poll(() => statusOf(page, 0), { timeout: 30_000 }).toMatch(/^Done · .+ · 2 rows$/);
      await q.fill(value);
      await q.press("Enter");
      await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(value);
      await expect.poll(() => statusOf(page, 0), { timeout: 30_000 }).toMatch(/^Done · .+ · 0 rows$/);
    }
    // A real chiefdom name filters to its rows; clearing brings everything back: nothing was dropped or changed.
    await q.fill(kailahun[0][2]);
    await q.press("Enter");
    await expect.poll(() => statusOf(page, 0), { timeout: 30_000 }).toMatch(/^Done · .+ · 2 rows$/);
    await q.fill("");
    await q.press("Enter");
    await expect.poll(() => statusOf(page, 0), { timeout: 30_000 }).toMatch(new RegExp(`^Done · .+ · ${kailahun.length} rows$`));
    expect(await cell(page, 0).locator(".cm-content").textContent()).toBe(SQL);
    await page.close();
  });

  it("audits browser exports and refuses the audit route to non-readers", async () => {
    const anonymous = new HttpClient(server.url);
    const body = JSON.stringify({ cell: "cell1", format: "csv", rows: 1 });
    const headers = { "Content-Type": "application/json" };
    const refusedAnon = await anonymous.request(`${notebookPath}/export-log`, { method: "POST", body, headers });
    expect([302, 303, 401]).toContain(refusedAnon.status);
    const viewer = new HttpClient(server.url);
    await viewer.signIn(VIEWER.email, VIEWER.password);
    const refused = await viewer.request(`${notebookPath}/export-log`, { method: "POST", body, headers });
    expect(refused.status).toBe(403);

    const database = openDatabase(dataDir);
    try {
      const notebookId = notebookPath.split("/").pop();
      const exports = database.db
        .select()
        .from(schema.auditLog)
        .all()
        .filter((e) => e.target === notebookId && e.action === "export")
        .map((e) => ({ actor: e.actorEmail, ...(e.detail as Record<string, unknown>) }));
      const kailahun = expectedRows("Kailahun", [2, 3]);
      expect(exports).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ actor: ADMIN.email, cell: "cell1", format: "csv", rows: kailahun.length, where: "browser" }),
          expect.objectContaining({ actor: ADMIN.email, cell: "cell1", format: "xlsx", rows: kailahun.length }),
          expect.objectContaining({ actor: ADMIN.email, cell: "cell1", format: "parquet", rows: kailahun.length }),
        ]),
      );
      expect(exports.some((e) => e.actor === VIEWER.email)).toBe(false);
    } finally {
      database.close();
    }
  });

  it("streams a result too big for the browser from the server (ticket, then a plain download)", async () => {
    const page = await browser.context.newPage();
    watch(page);
    await page.goto(`${server.url}/notebooks`);
    await page.getByLabel("Notebook title").fill("Big export");
    await page.getByRole("button", { name: "New notebook" }).click();
    await page.waitForURL(/\/notebooks\/[\w-]+$/);
    const notebookId = new URL(page.url()).pathname.split("/").pop();
    await cell(page, 0).locator(".cm-content").waitFor({ timeout: 20_000 });
    await cell(page, 0).locator(".cm-content").click();
    await page.keyboard.type("SELECT i, i / 2 AS half, (i % 100)::DECIMAL(10,2) AS amount FROM range(250000) t(i) ORDER BY i");
    await page.getByRole("button", { name: "Run all" }).click();
    await expect.poll(() => statusOf(page, 0), { timeout: 90_000 }).toMatch(/^Done · .+ · 250\D?000 rows$/);
    // The server reads the stored notebook: wait until the cell is saved.
    await expect.poll(() => page.locator("output.nb-save").textContent(), { timeout: 20_000 }).toBe("Saved");

    const csv = await download(page, 0, "Download CSV");
    expect(csv.name).toBe("Big-export_cell1.csv");
    const records = parseCsv(csv.bytes);
    expect(records).toHaveLength(250_001);
    expect(records.slice(0, 3)).toEqual([
      ["i", "half", "amount"],
      ["0", "0", "0.00"],
      ["1", "0.5", "1.00"],
    ]);
    // Audited by the server when the stream ended, as a server stream with its rows.
    const database = openDatabase(dataDir);
    try {
      await expect
        .poll(
          () =>
            database.db
              .select()
              .from(schema.auditLog)
              .all()
              .filter((e) => e.target === notebookId && e.action === "export")
              .map((e) => e.detail),
          { timeout: 10_000 },
        )
        .toEqual([expect.objectContaining({ format: "csv", where: "server-stream", outcome: "complete", rows: 250_000 })]);
    } finally {
      database.close();
    }
    await page.close();
  });

  it("reported no CSP violations or page errors", () => {
    expect(problems).toEqual([]);
  });
});
