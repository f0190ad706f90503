import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { ANALYST, type RunningServer, startServer, VIEWER } from "../helpers/server.ts";
import { sierraLeoneHierarchy, writeMalariaCsv } from "../helpers/sierra-leone.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));

/**
 * The hierarchy as a "table of levels" CSV: one row per leaf (a facility, or a chiefdom without facilities in the
 * fixtures), a column per level, and the facilities' DHIS2 ids in "Facility id".
 */
function writeLevelTable(file: string) {
  const hierarchy = sierraLeoneHierarchy();
  const byId = new Map(hierarchy.map((l) => [l.location_id, l]));
  const lines = ["National,District,Chiefdom,Facility,Facility id"];
  for (const c of hierarchy.filter((l) => l.level === 3)) {
    const district = byId.get(c.parent_id ?? "")!;
    const facilities = hierarchy.filter((f) => f.level === 4 && f.parent_id === c.location_id);
    const row = (facility: string, id: string) => `"Sierra Leone","${district.name}","${c.name.trim()}","${facility}","${id}"`;
    if (facilities.length === 0) lines.push(row("", ""));
    for (const f of facilities) lines.push(row(f.name, f.location_id));
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
  return hierarchy;
}

describe("the new-dataset wizard in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-wizard-"));
  beforeAll(async () => {
    server = await startServer({ env: { HARMONY_UPLOAD_MAX_MB: "1" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("imports a hierarchy, uploads a CSV, maps its columns, reviews locations and publishes a dataset", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);

    const levels = path.join(dir, "levels.csv");
    const hierarchy = writeLevelTable(levels);
    await page.goto(`${server.url}/datasets/locations`);
    await page.getByLabel("File").setInputFiles(levels);
    await page.getByRole("button", { name: "Import hierarchy" }).click();
    await expect.poll(() => page.locator("main").textContent(), { timeout: 20_000 }).toMatch(/\d{3} locations imported\./);

    const csv = path.join(dir, "malaria-2024.csv");
    const expected = writeMalariaCsv(csv, hierarchy, { months: 3, extraRows: ['"Bo","Atlantis",2024-01,5,10'] });
    await page.goto(`${server.url}/datasets`);
    await page.getByRole("link", { name: "New dataset" }).click();
    await page.getByLabel("File").setInputFiles(csv);
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/datasets\/new\/[\w-]+$/);

    // The roles were guessed from the headers; the preview shows the file's first rows.
    expect(await page.getByLabel("Role of column District").inputValue()).toBe("location:2");
    expect(await page.getByLabel("Role of column Month").inputValue()).toBe("period");
    expect(await page.getByLabel("Role of column Confirmed").inputValue()).toBe("value");
    await page.getByLabel("Title").fill("Malaria 2024");
    expect(await page.getByLabel("Short name").inputValue()).toBe("malaria_2024");
    await page.getByRole("button", { name: "Check locations" }).click();

    await expect.poll(() => page.getByRole("heading", { name: "Location review" }).isVisible(), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => page.getByText(`${expected.rows + 1} rows read`).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("1 location value did not match (1 rows).").isVisible()).toBe(true);
    await expect.poll(() => page.getByRole("cell", { name: /^Atlantis — Bo malaria-2024.csv, row \d+/ }).isVisible()).toBe(true);

    await page.getByRole("button", { name: "Publish dataset" }).click();
    await page.waitForURL(/\/datasets\/runs\/[\w-]+$/);
    await expect.poll(() => page.getByText("Published version 1.").isVisible(), { timeout: 60_000 }).toBe(true);
    await page.getByRole("link", { name: "Open Malaria 2024" }).click();
    await page.waitForURL(/\/datasets\/malaria_2024$/);
    await expect.poll(() => page.locator("main").textContent()).toContain("Coverage over periods");
    await expect.poll(() => page.getByRole("heading", { name: "Malaria 2024", level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole("cell", { name: "confirmed", exact: true }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("Atlantis (Bo): 1").isVisible()).toBe(true);

    await page.goto(`${server.url}/datasets`);
    const row = page.getByRole("row", { name: /Malaria 2024/ });
    expect(await row.textContent()).toContain(String(expected.rows * 2));
    expect(await row.textContent()).toContain("2024-01-01 – 2024-03-31");
    await page.close();
  });

  it("exports a dataset as ADX and imports that file back through the wizard to the same rows", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    const download = await page.request.get(`${server.url}/datasets/malaria_2024/export/adx`);
    expect(download.status()).toBe(200);
    const adx = path.join(dir, "malaria-2024.adx.xml");
    writeFileSync(adx, await download.body());

    await page.goto(`${server.url}/datasets/new`);
    await page.getByLabel("File").setInputFiles(adx);
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/datasets\/new\/[\w-]+$/);
    await expect.poll(() => page.locator("main").textContent()).toContain("Org units");
    await page.getByLabel("Title").fill("Malaria 2024 from ADX");
    await page.getByLabel("Level of the file's org units").selectOption({ label: "Chiefdom" });
    await page.getByLabel("Org units are given").selectOption("uid");
    await page.getByRole("button", { name: "Check locations" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Location review" }).isVisible(), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => page.getByText("Every location matched the hierarchy.").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Publish dataset" }).click();
    await expect.poll(() => page.getByText("Published version 1.").isVisible(), { timeout: 60_000 }).toBe(true);
    await page.goto(`${server.url}/datasets`);
    const original = await page.getByRole("row", { name: /^Malaria 2024 malaria_2024/ }).textContent();
    const roundTrip = await page.getByRole("row", { name: /Malaria 2024 from ADX/ }).textContent();
    // The rows column stands right before the period range in each row's text.
    const rowsOf = (text: string | null) => /(\d[\d,]*)2024-01-01/.exec(text ?? "")?.[1];
    expect(rowsOf(original)).toBeTruthy();
    expect(rowsOf(roundTrip)).toBe(rowsOf(original));
    await page.close();
  });

  it("publishes a real DHIS2 data value CSV from the fixtures (long table, period ids, org unit ids)", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await page.goto(`${server.url}/datasets/new`);
    await page.getByLabel("File").setInputFiles(path.join(FIXTURES, "dhis2-core/datavalueset/dataValueSetB.csv"));
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/datasets\/new\/[\w-]+$/);
    expect(await page.getByLabel("Role of column dataelement").inputValue()).toBe("field");
    expect(await page.getByLabel("Role of column value").inputValue()).toBe("amount");
    await page.getByLabel("Role of column orgunit").selectOption("location:4");
    await page.getByLabel("How to match orgunit").selectOption("id");
    await page.getByLabel("The period column holds").selectOption("dhis2-id");
    await page.getByLabel("Title").fill("DHIS2 values B");
    await page.getByRole("button", { name: "Check locations" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Location review" }).isVisible(), { timeout: 60_000 }).toBe(true);
    // Ngelehun CHC (DiszpKrYNg8) is in the hierarchy; BdfsJfj87js is not, and is listed rather than dropped.
    await expect.poll(() => page.getByText("12 rows read, 6 observations, 6 rejected.").isVisible()).toBe(true);
    await expect.poll(() => page.getByRole("cell", { name: /^BdfsJfj87js/ }).isVisible()).toBe(true);
    await page.getByRole("button", { name: "Publish dataset" }).click();
    await expect.poll(() => page.getByText("Published version 1.").isVisible(), { timeout: 60_000 }).toBe(true);
    await page.goto(`${server.url}/datasets`);
    const row = page.getByRole("row", { name: /DHIS2 values B/ });
    expect(await row.textContent()).toContain("2012-01-01 – 2012-02-29");
    await page.close();
  });

  it("refuses an upload over the size limit with the limit in the message", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    const big = path.join(dir, "big.csv");
    writeFileSync(big, `a,b\n${"1,2\n".repeat(400_000)}`);
    await page.goto(`${server.url}/datasets/new`);
    await page.getByLabel("File").setInputFiles(big);
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("uploads are limited to 1 MB");
    await page.close();
  });

  it("keeps viewers out of the wizard but lets them read the catalog", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, VIEWER.email, VIEWER.password);
    expect((await page.goto(`${server.url}/datasets/new`))?.status()).toBe(403);
    await page.goto(`${server.url}/datasets`);
    expect(await page.getByRole("link", { name: "New dataset" }).count()).toBe(0);
    await page.close();
  });
});
