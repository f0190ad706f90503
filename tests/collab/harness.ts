/**
 * Test harness: a plain node:http server with the collab server attached on /collab/:notebookId, over a real SQLite
 * file. A tiny fake policy stands in for the app's: the `x-user` header (or a `user` cookie) names the user;
 * "viewer…" users read only, "stranger…" users are refused (403), no user at all is 401.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as Y from "yjs";
import { createDrizzlePersistence } from "../../collab/persistence.ts";
import { type CollabServer, type CollabServerOptions, createCollabServer } from "../../collab/server.ts";
import { type Database_, openDatabase } from "../../db/index.ts";
import { notebooks, users } from "../../db/schema/index.ts";

export const OWNER_ID = "owner";

export function userFromRequest(headers: Record<string, string | string[] | undefined>): string | null {
  const header = headers["x-user"];
  if (typeof header === "string" && header) return header;
  const cookie = /(?:^|;\s*)user=([^;]+)/.exec(String(headers.cookie ?? ""));
  return cookie ? decodeURIComponent(cookie[1]) : null;
}

/** Rows the collab tables point at (foreign keys are on). */
export function createNotebookRows(database: Database_, notebookIds: string[]): void {
  database.db
    .insert(users)
    .values({ id: OWNER_ID, email: "owner@example.org", name: "Owner", role: "analyst", passwordHash: "x" })
    .onConflictDoNothing()
    .run();
  for (const id of notebookIds) {
    database.db
      .insert(notebooks)
      .values({ id, title: `Notebook ${id}`, ownerId: OWNER_ID, updatedAt: new Date() })
      .onConflictDoNothing()
      .run();
  }
}

export interface TestServer {
  port: number;
  /** ws://127.0.0.1:port/collab — the provider appends /<notebookId>. */
  collabUrl: string;
  collab: CollabServer;
  database: Database_;
  http: Server;
  close(): Promise<void>;
}

export async function startTestServer(
  dataDir: string,
  notebookIds: string[],
  options: Partial<CollabServerOptions> & { port?: number } = {},
): Promise<TestServer> {
  const database = openDatabase(dataDir);
  createNotebookRows(database, notebookIds);
  const collab = createCollabServer({
    persistence: createDrizzlePersistence(database.db),
    log: () => {},
    ...options,
    authorize:
      options.authorize ??
      (async (req) => {
        const user = userFromRequest(req.headers);
        if (!user) throw Object.assign(new Error("no session"), { status: 401 });
        if (user.startsWith("stranger")) return null;
        return { userId: user, name: user, canWrite: !user.startsWith("viewer") };
      }),
  });
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on("upgrade", (req, socket, head) => {
    const match = /^\/collab\/([^/?]+)/.exec(req.url ?? "");
    if (!match) return socket.destroy();
    void collab.handleUpgrade(req, socket, head, decodeURIComponent(match[1]));
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    collabUrl: `ws://127.0.0.1:${port}/collab`,
    collab,
    database,
    http,
    async close() {
      http.closeAllConnections();
      await collab.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      database.close();
    },
  };
}

/** The document as the database holds it (snapshot + updates), read independently of any server. */
export function docFromDatabase(database: Database_, notebookId: string): Y.Doc {
  const { snapshot, updates } = createDrizzlePersistence(database.db).load(notebookId);
  const doc = new Y.Doc();
  if (snapshot) Y.applyUpdate(doc, snapshot);
  for (const { update } of updates) Y.applyUpdate(doc, update);
  return doc;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
