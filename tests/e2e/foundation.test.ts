import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { ADMIN, ANALYST, type RunningServer, startServer, VIEWER } from "../helpers/server.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

describe("the app shell in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  // Each test starts signed out, whatever the previous one left behind.
  afterEach(async () => {
    await browser.context.clearCookies();
    for (const page of browser.context.pages()) await page.close();
  });

  const navOf = async (page: import("playwright-core").Page) => page.locator("nav.main-nav").getByRole("link").allTextContents();

  it.each([
    [ADMIN, ["Notebooks", "Datasets", "Reports", "Queries", "Admin"]],
    [ANALYST, ["Notebooks", "Datasets", "Reports", "Queries"]],
    [VIEWER, ["Notebooks", "Datasets", "Reports", "Queries"]],
  ])("signs in as %o and shows the navigation for that role", async (account, expected) => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(e.message));
    await signInWithBrowser(page, server.url, account.email, account.password);
    expect(new URL(page.url()).pathname).toBe("/notebooks");
    await expect.poll(() => navOf(page)).toEqual(expected);
    await expect.poll(() => page.getByRole("heading", { name: "No notebooks yet" }).isVisible()).toBe(true);
    // Hydrated without CSP violations or script errors.
    expect(errors, errors.join("\n")).toEqual([]);
    await page.context().clearCookies();
    await page.close();
  });

  it("shows a viewer the 403 page on /admin", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, VIEWER.email, VIEWER.password);
    const response = await page.goto(`${server.url}/admin`);
    expect(response?.status()).toBe(403);
    await expect.poll(() => page.getByRole("heading", { name: "You do not have access" }).isVisible()).toBe(true);
    await page.context().clearCookies();
    await page.close();
  });

  it("sends anonymous visitors to sign-in and back where they were going", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/datasets?sort=recent`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await page.getByLabel("Email").fill(ANALYST.email);
    await page.getByLabel("Password").fill(ANALYST.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/datasets\?sort=recent$/);
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Datasets" }).isVisible()).toBe(true);
    await page.context().clearCookies();
    await page.close();
  });

  it("renders the shell in French and Portuguese, chosen from the user menu, and remembers it", async () => {
    const page = await browser.context.newPage();
    // The viewer's account: the language is saved on the account, and other tests sign in as the analyst.
    await signInWithBrowser(page, server.url, VIEWER.email, VIEWER.password);
    await page.getByLabel("Account menu").click();
    await page.getByLabel("Language").selectOption("fr");
    await page.waitForLoadState("load");
    await expect.poll(() => navOf(page)).toEqual(["Carnets", "Jeux de données", "Rapports", "Requêtes"]);
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    await page.getByLabel("Menu du compte").click();
    await page.getByLabel("Langue").selectOption("pt");
    await expect.poll(() => navOf(page)).toEqual(["Cadernos", "Conjuntos de dados", "Relatórios", "Consultas"]);
    await page.reload();
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Cadernos" }).isVisible()).toBe(true);
    // Back to English for the other tests of this account.
    await page.getByLabel("Menu da conta").click();
    await page.getByLabel("Idioma").selectOption("en");
    await expect.poll(() => navOf(page)).toEqual(["Notebooks", "Datasets", "Reports", "Queries"]);
    await expect.poll(() => page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(true);
    await page.context().clearCookies();
    await page.close();
  });

  it("picks the sign-in page's language from the browser when nobody is signed in", async () => {
    const page = await browser.context.newPage();
    await page.setExtraHTTPHeaders({ "Accept-Language": "fr-FR,fr;q=0.9" });
    await page.goto(`${server.url}/sign-in`);
    await expect.poll(() => page.getByRole("button", { name: "Se connecter" }).isVisible()).toBe(true);
    await page.close();
  });

  it("signs out from the user menu", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await page.getByLabel("Account menu").click();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto(`${server.url}/notebooks`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await page.close();
  });

  it("works on a phone-sized screen and by keyboard", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${server.url}/sign-in`);
    await page.keyboard.type(ADMIN.email); // the email field has focus on arrival
    await page.keyboard.press("Tab");
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/notebooks$/);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect.poll(() => nav.isVisible()).toBe(true);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await page.context().clearCookies();
    await page.close();
  });
});

describe("idle expiry in Chromium", () => {
  it("sends a user idle past the timeout back to sign-in", async () => {
    const server = await startServer({ env: { HARMONY_SESSION_IDLE_MINUTES: "0.05" } });
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
      await page.waitForTimeout(4_000);
      await page.getByRole("link", { name: "Datasets" }).click();
      await page.waitForURL(/\/sign-in\?redirectTo=%2Fdatasets$/);
      // The URL changes before the client-side navigation renders the page: wait for the page, not only the URL.
      await expect.poll(() => page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
