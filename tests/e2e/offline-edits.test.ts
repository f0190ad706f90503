/**
 * Offline edits in a real browser: typed while the network is down, kept in the browser's IndexedDB (y-indexeddb), the
 * page closed; when the notebook is opened again online, the kept edits merge into the shared document.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { ADMIN, ANALYST, type RunningServer, startServer } from "../helpers/server.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const editorText = (page: Page) => page.locator("ol.nb-cells > li").first().locator(".cm-content").textContent();

describe("offline edits in Chromium", () => {
  let server: RunningServer;
  // The notebook page's origin must stay the same across the restart for its IndexedDB to be found again.
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("keeps edits made offline on the device and merges them when the notebook is opened again", async () => {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, server.url, ANALYST.email, ANALYST.password);
    await page.goto(`${server.url}/notebooks`);
    await page.getByLabel("Notebook title").fill("Field visit notes");
    await page.getByRole("button", { name: "New notebook" }).click();
    await page.waitForURL(/\/notebooks\/[\w-]+$/);
    const notebookUrl = page.url();
    await expect.poll(() => page.getByText("Saved", { exact: true }).isVisible(), { timeout: 30_000 }).toBe(true);

    // The connection goes away (the server stops: Chromium's offline emulation leaves open websockets alone).
    await server.stop();
    await page.locator("ol.nb-cells > li").first().locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+End");
    await page.keyboard.type("\n-- written offline at the clinic");
    await expect.poll(() => page.getByText("Offline — changes kept on this device").isVisible(), { timeout: 30_000 }).toBe(true);
    // Give y-indexeddb a moment to write the update, then leave while still offline.
    await page.waitForTimeout(500);
    await page.close();

    // Same data, same port: the same origin, so the same IndexedDB.
    server = await startServer({ dataDir: server.dataDir, env: { PORT: String(server.port) } });
    const again = await browser.context.newPage();
    await again.goto(notebookUrl);
    await expect.poll(() => editorText(again), { timeout: 30_000 }).toContain("written offline at the clinic");
    await expect.poll(() => again.getByText("Saved", { exact: true }).isVisible(), { timeout: 30_000 }).toBe(true);

    // The server has it too: another user in another browser profile sees the edit.
    const other = await launchBrowser();
    try {
      const admin = await other.context.newPage();
      await signInWithBrowser(admin, server.url, ADMIN.email, ADMIN.password);
      await admin.goto(notebookUrl);
      await expect.poll(() => editorText(admin), { timeout: 30_000 }).toContain("written offline at the clinic");
    } finally {
      await other.close();
    }
  });
});
