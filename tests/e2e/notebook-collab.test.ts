/**
 * Co-editing in Chromium (issue 7, test b, presence and a version restore): two browsers signed in as two users, the
 * owner shares the notebook with the other through the sharing dialog, both type in one cell and converge, each sees the
 * other's cursor, avatar and cell marker; a version is saved, both edit, the version is restored: both pages show it,
 * an edit the other user made meanwhile (offline, so it reaches the server only after the restore) survives, and no cell
 * is duplicated. Also: an editor who is not the owner cannot share.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Locator, Page, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccounts } from "../../app/auth/accounts.server.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { launchBrowser, signInWithBrowser } from "../helpers/browser.ts";
import { ANALYST, type RunningServer, repoRoot, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const BEA = { email: "bea@harmony.local", name: "Bea Epidemiologist", password: "bea-test-password-1" };
const OWNER_NAME = "Demo Analyst";

const cells = (page: Page): Locator => page.locator("ol.nb-cells > li");
const cell = (page: Page, n: number): Locator => cells(page).nth(n);
const editor = (page: Page, n: number): Locator => cell(page, n).locator(".cm-content");
/** An editor's text without the remote carets' name labels that y-codemirror.next puts inside the lines. */
const textOf = (page: Page, n: number) =>
  editor(page, n).evaluate((el) =>
    [...el.querySelectorAll(".cm-line")]
      .map((line) => {
        const copy = line.cloneNode(true) as HTMLElement;
        for (const widget of copy.querySelectorAll(".cm-ySelectionCaret, .cm-widgetBuffer")) widget.remove();
        return (copy.textContent ?? "").replaceAll("\u2060", "");
      })
      .join("\n"),
  );
const cellIds = (page: Page) =>
  page.locator("ol.nb-cells [data-cell-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-cell-id")));

/** Puts the caret at the end of a cell's text and types there, as a user would. */
async function typeAtEnd(page: Page, n: number, text: string) {
  await editor(page, n).click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type(text, { delay: 15 });
}

async function retype(page: Page, n: number, text: string) {
  await editor(page, n).click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.type(text);
}

const saveStatus = (page: Page) => page.locator("output.nb-save").getAttribute("data-status");

describe("co-editing a notebook in Chromium", () => {
  let server: RunningServer;
  let owner: Browser;
  let other: Browser;
  let a: Page;
  let b: Page;
  let notebookUrl = "";
  let dataDir = "";
  const problems: string[] = [];
  /** Bea's collab sockets pass through this route, so the test can cut her network off and restore it. */
  let beaOffline = false;
  const beaSockets: WebSocketRoute[] = [];

  beforeAll(async () => {
    // Other sessions may rebuild the app at the same time: the server needs the build's files.
    if (!existsSync(path.join(repoRoot, process.env.HARMONY_BUILD_DIR || "build", "server/index.js")))
      throw new Error("build first: npx remix vite:build");
    dataDir = tempDataDir();
    server = await startServer({ dataDir });
    const database = openDatabase(dataDir);
    try {
      await createAccounts(database.db).create({ email: BEA.email, name: BEA.name, role: "analyst" }, BEA.password);
    } finally {
      database.close();
    }
    owner = await launchBrowser();
    other = await launchBrowser();
    a = await owner.context.newPage();
    b = await other.context.newPage();
    for (const page of [a, b]) page.on("pageerror", (e) => problems.push(String(e)));
    await b.routeWebSocket(/\/collab\//, (ws) => {
      if (beaOffline) return void ws.close({ code: 4000, reason: "offline (test)" });
      ws.connectToServer();
      beaSockets.push(ws);
    });
    await signInWithBrowser(a, server.url, ANALYST.email, ANALYST.password);
    await signInWithBrowser(b, server.url, BEA.email, BEA.password);
  });
  afterAll(async () => {
    await owner?.close();
    await other?.close();
    await server?.stop();
  });

  it("the owner shares with Bea as editor through the dialog; Bea, not the owner, cannot share", async () => {
    await a.goto(`${server.url}/notebooks`);
    await a.getByLabel("Notebook title").fill("Co-edited analysis");
    await a.getByRole("button", { name: "New notebook" }).click();
    await a.waitForURL(/\/notebooks\/[\w-]+$/);
    notebookUrl = a.url();
    await editor(a, 0).waitFor({ timeout: 20_000 });

    // Before sharing, Bea is refused.
    expect((await b.goto(notebookUrl))?.status()).toBe(403);

    await a.getByRole("link", { name: "Share" }).click();
    const dialog = a.getByRole("dialog");
    await dialog.getByLabel("Email of the person").fill(BEA.email);
    await dialog.getByLabel("Role", { exact: true }).selectOption("editor");
    await dialog.getByRole("button", { name: "Add", exact: true }).click();
    await expect.poll(() => dialog.locator(`[data-member="${BEA.email}"]`).count()).toBe(1);
    expect(await dialog.getByLabel(`Role of ${BEA.name}`).inputValue()).toBe("editor");
    expect(await dialog.getByLabel("Link to this notebook").inputValue()).toBe(notebookUrl);
    // The owner's page stayed connected behind the dialog.
    expect(await saveStatus(a)).toBe("saved");
    await dialog.getByRole("link", { name: "Close" }).click();
    await expect.poll(() => a.getByRole("dialog").count()).toBe(0);

    expect((await b.goto(notebookUrl))?.status()).toBe(200);
    await editor(b, 0).waitFor({ timeout: 20_000 });
    expect(await b.getByRole("link", { name: "Share" }).count()).toBe(0);
    // The dialog and its action refuse an editor who does not own the notebook.
    const refused = await b.evaluate(async (url) => {
      const page = await fetch(`${url}/share`);
      const body = new URLSearchParams({ intent: "add-user", email: "viewer@harmony.local", role: "viewer" });
      const post = await fetch(`${url}/share`, { method: "POST", body });
      return [page.status, post.status];
    }, notebookUrl);
    expect(refused).toEqual([403, 403]);
    await a.getByRole("link", { name: "Share" }).click();
    await expect.poll(() => a.getByRole("dialog").locator(`[data-member="${BEA.email}"]`).count()).toBe(1);
    expect(await a.getByRole("dialog").locator(`[data-member="${VIEWER.email}"]`).count()).toBe(0);
    await a.keyboard.press("Escape");
    await expect.poll(() => a.getByRole("dialog").count()).toBe(0);
  });

  it("both type in the same cell, converge, and see each other's cursor, avatar and cell marker", async () => {
    await retype(a, 0, "SELECT 1 AS one");
    await expect.poll(() => textOf(b, 0)).toBe("SELECT 1 AS one");
    // At the same time: the owner at the end of the line, Bea at its start.
    await Promise.all([
      typeAtEnd(a, 0, ", 2 AS two"),
      (async () => {
        await editor(b, 0).click();
        await b.keyboard.press("ControlOrMeta+Home");
        await b.keyboard.type("-- by bea\n", { delay: 15 });
      })(),
    ]);
    await expect.poll(() => textOf(a, 0), { timeout: 10_000 }).toBe("-- by bea\nSELECT 1 AS one, 2 AS two");
    await expect.poll(() => textOf(b, 0), { timeout: 10_000 }).toBe("-- by bea\nSELECT 1 AS one, 2 AS two");

    // Remote carets carry the other person's name (y-codemirror.next), as the server authorized it.
    await expect.poll(() => a.locator(".cm-ySelectionCaret", { hasText: BEA.name }).count()).toBeGreaterThan(0);
    await expect.poll(() => b.locator(".cm-ySelectionCaret", { hasText: OWNER_NAME }).count()).toBeGreaterThan(0);
    // Avatars in the header, and the marker on the cell each person is in.
    await expect.poll(() => a.locator(`.nb-presence [data-user-name="${BEA.name}"]`).count()).toBe(1);
    await expect.poll(() => b.locator(`.nb-presence [data-user-name="${OWNER_NAME}"]`).count()).toBe(1);
    await expect.poll(() => cell(a, 0).locator(`.nb-cell-presence [data-user-name="${BEA.name}"]`).count()).toBe(1);
    await expect.poll(() => saveStatus(a)).toBe("saved");
    await expect.poll(() => saveStatus(b)).toBe("saved");
  });

  it("saves a version, both edit, restores it: both pages show it, a concurrent edit survives, no cell duplicated", async () => {
    // Version content: the shared first cell and a second cell.
    await cell(a, 0).getByRole("button", { name: "+ SQL cell" }).click();
    await expect.poll(() => cells(a).count()).toBe(2);
    await a.keyboard.type("SELECT 2 AS b");
    await expect.poll(() => textOf(b, 1)).toBe("SELECT 2 AS b");
    await expect.poll(() => saveStatus(a)).toBe("saved");
    const versionText = [await textOf(a, 0), await textOf(a, 1)];

    await a.getByRole("link", { name: "History" }).click();
    const history = a.getByRole("dialog");
    await history.getByLabel("Version name").fill("Before the review");
    await history.getByRole("button", { name: "Save version" }).click();
    await expect.poll(() => history.locator('[data-version-name="Before the review"]').count()).toBe(1);
    expect(await history.locator('[data-version-name="Before the review"]').textContent()).toContain(`by ${OWNER_NAME}`);
    // Editing took an automatic version too (the first edit of the session).
    expect(await history.locator('[data-version-name=""]').count()).toBeGreaterThan(0);
    await history.getByRole("link", { name: "Close" }).click();

    // Edits after the version by both: the owner rewrites cell 1 and adds a cell; Bea edits cell 1 too.
    await retype(a, 0, "SELECT 'rewritten' AS later");
    await cell(a, 1).getByRole("button", { name: "+ SQL cell" }).click();
    await expect.poll(() => cells(a).count()).toBe(3);
    await a.keyboard.type("SELECT 3 AS added_later");
    await expect.poll(() => cells(b).count()).toBe(3);
    await typeAtEnd(b, 0, " -- bea too");
    await expect.poll(() => textOf(a, 0)).toBe("SELECT 'rewritten' AS later -- bea too");

    // Bea loses the network and keeps editing cell 2: her edit reaches the server only after the restore.
    beaOffline = true;
    for (const ws of beaSockets.splice(0)) await ws.close({ code: 4000, reason: "offline (test)" });
    await expect.poll(() => saveStatus(b), { timeout: 15_000 }).not.toBe("saved");
    await typeAtEnd(b, 1, " -- kept");
    await expect.poll(() => saveStatus(b), { timeout: 15_000 }).toBe("offline");
    expect(await b.locator("output.nb-save").textContent()).toBe("Offline — changes kept on this device");

    // Open the version read-only, then restore it.
    await a.getByRole("link", { name: "History" }).click();
    await a.getByRole("dialog").getByRole("link", { name: "Before the review" }).click();
    const version = a.getByRole("dialog", { name: "Before the review" });
    await expect.poll(() => version.locator(".nb-version-source").allTextContents()).toEqual(versionText);
    expect(await version.locator(".cm-content, textarea").count()).toBe(0);
    await version.getByRole("button", { name: "Restore" }).click();
    await a.waitForURL(notebookUrl);
    await expect.poll(() => a.getByRole("dialog").count()).toBe(0);
    await expect.poll(() => cells(a).count()).toBe(2);
    await expect.poll(() => textOf(a, 0)).toBe(versionText[0]);
    expect(await textOf(a, 1)).toBe(versionText[1]);

    // Bea comes back: her page shows the restored notebook with her offline edit merged, on both pages.
    beaOffline = false;
    const merged = [versionText[0], `${versionText[1]} -- kept`];
    await expect.poll(() => saveStatus(b), { timeout: 20_000 }).toBe("saved");
    await expect.poll(async () => [await textOf(b, 0), await textOf(b, 1)], { timeout: 10_000 }).toEqual(merged);
    await expect.poll(async () => [await textOf(a, 0), await textOf(a, 1)], { timeout: 10_000 }).toEqual(merged);
    for (const page of [a, b]) {
      expect(await cells(page).count()).toBe(2);
      const ids = await cellIds(page);
      expect(new Set(ids).size).toBe(ids.length);
    }
    // A fresh load (the server's stored document) agrees.
    await a.reload();
    await editor(a, 1).waitFor({ timeout: 20_000 });
    expect([await textOf(a, 0), await textOf(a, 1)]).toEqual(merged);
    expect(await cells(a).count()).toBe(2);
    expect(problems).toEqual([]);
  });

  it("removing Bea through the dialog disconnects her open page at once", async () => {
    await a.getByRole("link", { name: "Share" }).click();
    const member = a.getByRole("dialog").locator(`[data-member="${BEA.email}"]`);
    await member.getByRole("button", { name: "Remove" }).click();
    await expect.poll(() => member.count()).toBe(0);
    await expect.poll(() => saveStatus(b), { timeout: 5_000 }).not.toBe("saved");
    await typeAtEnd(b, 0, " -- after removal");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await textOf(a, 0)).not.toContain("after removal");
    expect(await saveStatus(b)).toBe("offline");

    // Sharing and history are audited (only the owner's share: Bea's attempt was refused before anything happened).
    const database = openDatabase(dataDir);
    try {
      const notebookId = notebookUrl.split("/").pop();
      const actions = database.db
        .select()
        .from(schema.auditLog)
        .all()
        .filter((e) => e.target === notebookId && e.action !== "notebook.create")
        .map((e) => [e.action, e.actorEmail]);
      expect(actions).toEqual([
        ["notebook.share", ANALYST.email],
        ["notebook.version.save", ANALYST.email],
        ["notebook.version.restore", ANALYST.email],
        ["notebook.share", ANALYST.email],
      ]);
    } finally {
      database.close();
    }
  });
});
