/**
 * The collab server as wired into the real app server: real y-websocket clients (collab/client.ts over `ws`) carrying
 * the session cookie of a real sign-in; anonymous and non-member upgrades refused; a viewer's updates dropped.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createNotebookStore } from "../../app/notebooks/store.server.ts";
import { addCell, connectNotebook, getSource, type NotebookConnection, readCells } from "../../collab/index.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { cookieSocket, until } from "../helpers/collab-socket.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { ADMIN, ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

/** The upgrade's HTTP answer: "open", or the refusal status. */
function upgradeStatus(url: string, cookie?: string): Promise<number | "open"> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, cookie ? { headers: { cookie } } : {});
    ws.once("open", () => {
      ws.close();
      resolve("open");
    });
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("error", (error) => reject(error));
  });
}

describe("the collab server on the app server", () => {
  let server: RunningServer;
  const dataDir = tempDataDir();
  const clients = { analyst: null as HttpClient | null, viewer: null as HttpClient | null, admin: null as HttpClient | null };
  const connections: NotebookConnection[] = [];
  let notebookId = "";
  let collabUrl = "";

  function connect(cookie: string): NotebookConnection {
    const conn = connectNotebook({
      serverUrl: collabUrl,
      notebookId,
      WebSocketPolyfill: cookieSocket(cookie),
      disableBc: true,
      offlineStore: false,
      maxBackoffTime: 300,
    });
    connections.push(conn);
    return conn;
  }

  beforeAll(async () => {
    server = await startServer({ dataDir });
    collabUrl = `ws://127.0.0.1:${server.port}/collab`;
    for (const [key, account] of [
      ["analyst", ANALYST],
      ["viewer", VIEWER],
      ["admin", ADMIN],
    ] as const) {
      const client = new HttpClient(server.url);
      expect((await client.signIn(account.email, account.password)).status).toBe(302);
      clients[key] = client;
    }
    const created = await (clients.analyst as HttpClient).form("/notebooks?index", {
      intent: "create",
      title: "Shared analysis",
    });
    expect(created.status).toBe(302);
    notebookId = /\/notebooks\/([\w-]+)$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    expect(notebookId).not.toBe("");
  });

  afterAll(async () => {
    for (const c of connections) c.destroy();
    await server?.stop();
  });

  it("refuses anonymous (sign-in, 401), non-members (403) and unknown notebooks (403), on the page and the socket", async () => {
    const anonymous = await new HttpClient(server.url).request(`/notebooks/${notebookId}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(`/sign-in?redirectTo=${encodeURIComponent(`/notebooks/${notebookId}`)}`);
    expect((await (clients.viewer as HttpClient).request(`/notebooks/${notebookId}`)).status).toBe(403);
    expect(await upgradeStatus(`${collabUrl}/${notebookId}`)).toBe(401);
    expect(await upgradeStatus(`${collabUrl}/${notebookId}`, "harmony_session=forged")).toBe(401);
    expect(await upgradeStatus(`${collabUrl}/${notebookId}`, clients.viewer?.cookieHeader())).toBe(403);
    expect(await upgradeStatus(`${collabUrl}/no-such-notebook`, clients.analyst?.cookieHeader())).toBe(403);
    expect(await upgradeStatus(`${collabUrl}/${notebookId}`, clients.analyst?.cookieHeader())).toBe("open");
    // Admins may open every notebook.
    expect(await upgradeStatus(`${collabUrl}/${notebookId}`, clients.admin?.cookieHeader())).toBe("open");
  });

  it("syncs the owner's edits to another client through the server and stores them", async () => {
    const owner = connect((clients.analyst as HttpClient).cookieHeader());
    await until(() => owner.provider.synced, "the owner's first sync");
    // A new notebook starts with the server's seed: one SQL cell.
    expect(readCells(owner.doc)).toHaveLength(1);
    const id = addCell(owner.doc, 1, { kind: "sql", name: "cases", source: "SELECT 1 AS n" });
    getSource(owner.doc, id).insert(0, "-- by the owner\n");
    await owner.whenSaved();

    const other = connect((clients.admin as HttpClient).cookieHeader());
    await until(() => other.provider.synced && readCells(other.doc).length === 2, "the second client's copy");
    expect(readCells(other.doc)[1]).toMatchObject({ name: "cases", source: "-- by the owner\nSELECT 1 AS n" });

    const database = openDatabase(dataDir);
    try {
      const rows = database.db
        .select()
        .from(schema.notebookUpdates)
        .where(eq(schema.notebookUpdates.notebookId, notebookId))
        .all();
      expect(rows.length).toBeGreaterThan(1);
    } finally {
      database.close();
    }
  });

  it("lets a viewer member read but drops the viewer's updates", async () => {
    const database = openDatabase(dataDir);
    let viewerId = "";
    try {
      viewerId = database.db.select().from(schema.users).where(eq(schema.users.email, VIEWER.email)).get()?.id ?? "";
      createNotebookStore(database.db).setMember(notebookId, viewerId, "viewer");
    } finally {
      database.close();
    }
    expect(await upgradeStatus(`${collabUrl}/${notebookId}`, clients.viewer?.cookieHeader())).toBe("open");
    expect((await (clients.viewer as HttpClient).request(`/notebooks/${notebookId}`)).status).toBe(200);

    const viewer = connect((clients.viewer as HttpClient).cookieHeader());
    await until(() => viewer.provider.synced && readCells(viewer.doc).length === 2, "the viewer's copy");
    addCell(viewer.doc, 0, { kind: "sql", name: "sneaky", source: "SELECT 'viewer was here'" });
    getSource(viewer.doc, readCells(viewer.doc)[2].id).insert(0, "-- viewer ");
    await new Promise((r) => setTimeout(r, 500));

    // A fresh client (reading the server's document) sees none of it, and nothing of the viewer's was stored.
    const fresh = connect((clients.analyst as HttpClient).cookieHeader());
    await until(() => fresh.provider.synced, "the fresh client's sync");
    await new Promise((r) => setTimeout(r, 200));
    expect(readCells(fresh.doc).map((c) => c.name)).not.toContain("sneaky");
    expect(readCells(fresh.doc).some((c) => c.source.includes("viewer"))).toBe(false);
    const check = openDatabase(dataDir);
    try {
      const stored = check.db.select().from(schema.notebookUpdates).where(eq(schema.notebookUpdates.userId, viewerId)).all();
      expect(stored).toEqual([]);
    } finally {
      check.close();
    }
  });

  it("renames and duplicates through the notebook actions; the copy carries the document", async () => {
    const analyst = clients.analyst as HttpClient;
    const page = `/notebooks/${notebookId}`;
    expect((await analyst.form(page, { intent: "rename", id: notebookId, title: "   " })).status).toBe(400);
    expect((await analyst.form(page, { intent: "rename", id: notebookId, title: "Malaria review" })).status).toBe(302);
    expect(await (await analyst.request("/notebooks?q=review")).text()).toContain("Malaria review");
    // The viewer member may read but not rename; a viewer account cannot create copies.
    expect((await (clients.viewer as HttpClient).form(page, { intent: "rename", id: notebookId, title: "Mine" })).status).toBe(
      403,
    );
    expect((await (clients.viewer as HttpClient).form(page, { intent: "duplicate", id: notebookId })).status).toBe(403);

    const copied = await analyst.form(page, { intent: "duplicate", id: notebookId, title: "Copy of Malaria review" });
    expect(copied.status).toBe(302);
    const copyId = /\/notebooks\/([\w-]+)$/.exec(copied.headers.get("location") ?? "")?.[1] ?? "";
    expect(copyId).not.toBe(notebookId);
    const copy = connectNotebook({
      serverUrl: collabUrl,
      notebookId: copyId,
      WebSocketPolyfill: cookieSocket(analyst.cookieHeader()),
      disableBc: true,
      offlineStore: false,
    });
    connections.push(copy);
    await until(() => copy.provider.synced, "the copy's sync");
    // Same cells, the seed cell not duplicated.
    expect(readCells(copy.doc).map((c) => [c.name, c.source])).toEqual([
      ["", ""],
      ["cases", "-- by the owner\nSELECT 1 AS n"],
    ]);
  });

  it("makes an archived notebook read-only for its editors", async () => {
    const owner = connect((clients.analyst as HttpClient).cookieHeader());
    await until(() => owner.provider.synced, "the owner's sync");
    let closed = false;
    owner.provider.on("connection-close", () => {
      closed = true;
    });
    const archived = await (clients.analyst as HttpClient).form(`/notebooks/${notebookId}`, {
      intent: "archive",
      id: notebookId,
    });
    expect(archived.status).toBe(302);
    // The owner's socket was closed and reconnects, now read-only: its edits no longer reach the server.
    await until(() => closed, "the owner's socket to close");
    await until(() => owner.provider.wsconnected && owner.provider.synced, "the owner's reconnection");
    addCell(owner.doc, 0, { kind: "markdown", source: "after archiving" });
    await new Promise((r) => setTimeout(r, 500));
    const fresh = connect((clients.admin as HttpClient).cookieHeader());
    await until(() => fresh.provider.synced, "the fresh client's sync");
    await new Promise((r) => setTimeout(r, 200));
    expect(readCells(fresh.doc).some((c) => c.source === "after archiving")).toBe(false);
  });
});

describe("revocation closes open co-editing sockets", () => {
  let server: RunningServer;
  let notebookId = "";

  beforeAll(async () => {
    server = await startServer();
    const owner = new HttpClient(server.url);
    await owner.signIn(ANALYST.email, ANALYST.password);
    const created = await owner.form("/notebooks?index", { intent: "create", title: "Revocation" });
    notebookId = /\/notebooks\/([\w-]+)$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** An open socket with a fresh session of `account`; resolves with its close code when the server closes it. */
  async function openSocket(account: { email: string; password: string }) {
    const client = new HttpClient(server.url);
    await client.signIn(account.email, account.password);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/collab/${notebookId}`, {
      headers: { cookie: client.cookieHeader() },
    });
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    });
    const closed = new Promise<{ code: number; afterMs: number }>((resolve) => {
      const opened = Date.now();
      ws.once("close", (code) => resolve({ code, afterMs: Date.now() - opened }));
    });
    return { client, ws, closed };
  }

  it("closes a disabled user's socket at once, and refuses them afterwards", async () => {
    const admin = new HttpClient(server.url);
    await admin.signIn(ADMIN.email, ADMIN.password);
    const page = await (await admin.request("/admin")).text();
    const analystId = /role-([\w-]+)"[^>]*>[\s\S]*?/.exec(page.slice(page.indexOf(ANALYST.email)))?.[1];
    expect(analystId).toBeTruthy();
    const { client, closed } = await openSocket(ANALYST);
    await admin.form("/admin?index", { intent: "disable", userId: analystId as string, disabled: "true" });
    const { code, afterMs } = await closed;
    expect(code).toBe(4403);
    expect(afterMs).toBeLessThan(3_000);
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/collab/${notebookId}`, client.cookieHeader())).toBe(401);
    await admin.form("/admin?index", { intent: "disable", userId: analystId as string, disabled: "false" });
  });

  it("closes the socket of a session that signs out within seconds, and keeps the user's other sessions connected", async () => {
    const first = await openSocket(ANALYST);
    const second = await openSocket(ANALYST);
    await first.client.form("/sign-out", {});
    const { code, afterMs } = await first.closed;
    expect(code).toBe(4403);
    expect(afterMs).toBeLessThan(10_000);
    expect(second.ws.readyState).toBe(WebSocket.OPEN);
    // Signing out everywhere closes the rest at once.
    await second.client.form("/sign-out", { scope: "everywhere" });
    expect((await second.closed).code).toBe(4403);
  });
});
