/**
 * A data manager creates a DHIS2 source in Chromium against the DHIS2 stand-in: test connection, pick a data element
 * with the filter, fixed periods, import the org units, run, and end with a published dataset in the catalog, its
 * source listed (without credentials), and an ADX export of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dhis2Standin, STANDIN_USER, startDhis2Standin } from "../dhis2-standin/server.ts";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { grantDataset } from "../helpers/pipeline.ts";
import { ANALYST, type RunningServer, startServer, VIEWER } from "../helpers/server.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

describe("a DHIS2 source in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let standin: Dhis2Standin;
  beforeAll(async () => {
    standin = await startDhis2Standin();
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await standin?.close();
  });

  it("tests the connection, picks, runs and publishes a dataset; the source is listed without its credentials", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await page.goto(`${server.url}/datasets/dhis2`);
    await page.locator('input[name="baseUrl"]').fill(standin.url);
    await page.locator('input[name="username"]').fill(STANDIN_USER.username);
    await page.locator('input[name="password"]').fill(STANDIN_USER.password);
    await page.locator('button[name="intent"][value="test"]').click();
    const connection = page.getByTestId("dhis2-connection");
    await expect.poll(() => connection.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await connection.textContent()).toContain("John Traore");

    // The filter narrows the list; the chosen item stays checked.
    const deFilter = page.locator('input[type="search"]').first();
    await deFilter.fill("ANC 1st");
    const anc = page.locator('input[name="dx"][value="de:fbfJHSPpUQD"]');
    await expect.poll(() => anc.isVisible()).toBe(true);
    expect(await page.locator('input[name="dx"][value^="de:"]:visible').count()).toBeLessThan(10);
    await anc.check();
    const root = await page.locator('select[name="root"]').inputValue();
    await page.locator('input[name="periods"]').fill("201905, 201906,201907");
    expect(await page.locator('input[name="importOrgUnits"]').isChecked()).toBe(true);
    await page.locator('input[name="title"]').fill("ANC national");
    await page.locator('input[name="slug"]').fill("anc_national");
    await page.locator('button[name="intent"][value="run"]').click();

    await page.waitForURL(/\/datasets\/runs\/[\w-]+$/, { timeout: 60_000 });
    await expect.poll(() => page.getByText("Published version 1.").isVisible(), { timeout: 60_000 }).toBe(true);
    // The run's requests carried the credentials; the stand-in saw the analytics call for the chosen periods.
    const analytics = standin.requests.filter(
      (r) => r.path === "/api/analytics" && r.params.getAll("dimension").some((d) => d.startsWith("pe:2019")),
    );
    expect(analytics.at(-1)?.status).toBe(200);

    await page.goto(`${server.url}/datasets/anc_national`);
    await expect.poll(() => page.getByRole("heading", { name: "ANC national", level: 1 }).isVisible()).toBe(true);

    await page.goto(`${server.url}/datasets/sources`);
    const row = page.getByRole("row", { name: /ANC national/ });
    expect(await row.textContent()).toContain(new URL(standin.url).host);
    const html = await page.content();
    expect(html).not.toContain(STANDIN_USER.password);
    expect(html).not.toContain("sealed");

    const adx = await page.request.get(`${server.url}/datasets/anc_national/export/adx?periods=201906`);
    expect(adx.status()).toBe(200);
    const text = await adx.text();
    expect(text).toContain('xmlns="urn:ihe:qrph:adx:2015"');
    expect(text.match(/<dataValue /g)).toHaveLength(1);
    expect(text).toContain('period="2019-06-01/P1M"');

    // The hierarchy now exists and grants may depend on it: an analyst can no longer replace it (admins can).
    const replace = await page.request.post(`${server.url}/datasets/dhis2`, {
      headers: { Origin: server.url },
      form: {
        intent: "run",
        baseUrl: standin.url,
        authType: "basic",
        username: STANDIN_USER.username,
        password: STANDIN_USER.password,
        dx: "de:fbfJHSPpUQD",
        periods: "201905",
        root,
        title: "ANC again",
        slug: "anc_again",
        importOrgUnits: "on",
      },
    });
    expect(replace.status(), await replace.text()).toBe(403);
    expect(await replace.text()).toContain("Only an admin can replace the location hierarchy");

    // The server fetches no internal address an analyst types (only the stand-in's loopback host is listed).
    for (const internal of ["http://localhost:9/", "http://169.254.169.254/latest/meta-data", "http://[::1]:9/"]) {
      const probe = await page.request.post(`${server.url}/datasets/dhis2`, {
        headers: { Origin: server.url },
        form: { intent: "test", baseUrl: internal, authType: "token", token: "x" },
      });
      expect(probe.status(), internal).toBe(400);
      expect(await probe.text()).toContain("is on an internal address");
    }

    // Viewers may export what they were granted, but not create sources.
    await signInWithBrowser(page, server.url, VIEWER.email, VIEWER.password);
    expect((await page.request.get(`${server.url}/datasets/dhis2`)).status()).toBe(403);
    expect((await page.request.get(`${server.url}/datasets/anc_national/export/adx`)).status()).toBe(404);
    grantDataset(server.dataDir, "anc_national", VIEWER.email);
    expect((await page.request.get(`${server.url}/datasets/anc_national/export/adx`)).status()).toBe(200);
    await page.context().clearCookies();
    const anonymous = await page.request.get(`${server.url}/datasets/anc_national/export/adx`, { maxRedirects: 0 });
    expect(anonymous.status()).toBe(302);
  });
});
