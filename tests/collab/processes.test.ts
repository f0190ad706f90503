/**
 * Reliability with real y-websocket clients, each in its own process:
 * (a) concurrent typing in one cell converges;
 * (c) the server is killed with SIGKILL while 10 clients type and move cells, then restarted on the same SQLite file:
 *     every edit any client made ends up in every client and in the database, and no cell is duplicated — including
 *     the edit of a client that got "saved" and left before the crash (so only the database had it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CellData, getSource, readCells, SEED_CELL_ID } from "../../collab/schema.ts";
import { openDatabase } from "../../db/index.ts";
import { docFromDatabase, startTestServer } from "./harness.ts";
import { type Child, startClient, startServerProcess } from "./processes.ts";

const NB = "nb-shared";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: Child[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill()));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function clientsFor(collabUrl: string, count: number): Promise<Child[]> {
  const started = await Promise.all(Array.from({ length: count }, (_, i) => startClient(collabUrl, NB, `user${i}`)));
  children.push(...started);
  return started;
}

async function cellsOf(client: Child): Promise<CellData[]> {
  return (await client.request("read")).cells as CellData[];
}

/** Every token appears exactly once in `text`. */
function expectEachOnce(text: string, tokens: string[]): void {
  const missing = tokens.filter((t) => !text.includes(t));
  expect(missing, "edits missing").toEqual([]);
  const doubled = tokens.filter((t) => text.indexOf(t) !== text.lastIndexOf(t));
  expect(doubled, "edits doubled").toEqual([]);
}

describe("collab across processes", () => {
  it("(a) concurrent edits in one cell converge", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "collab-a-"));
    const server = await startTestServer(dir, [NB]);
    cleanups.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => server.close(),
    );
    const clients = await clientsFor(server.collabUrl, 3);
    await Promise.all(clients.map((c) => c.request("waitSaved")));
    await Promise.all(clients.map((c) => c.request("startTyping", { cellId: SEED_CELL_ID, intervalMs: 15 })));
    await sleep(1_000);
    const tokens = (await Promise.all(clients.map((c) => c.request("stopTyping")))).flatMap((r) => r.tokens as string[]);
    await Promise.all(clients.map((c) => c.request("waitSaved")));
    await sleep(200); // the last relayed updates reach every client
    const views = await Promise.all(clients.map(cellsOf));
    expect(tokens.length).toBeGreaterThan(30);
    for (const cells of views) expect(cells).toEqual(views[0]);
    expectEachOnce(views[0][0].source, tokens);
    expect(readCells(docFromDatabase(server.database, NB))).toEqual(views[0]);
  });

  it("(c) kill -9 of the server while 10 clients edit loses nothing and duplicates no cell", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "collab-c-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let server = await startServerProcess(dir, 0, [NB]);
    children.push(server.child);
    const collabUrl = `ws://127.0.0.1:${server.port}/collab`;
    const clients = await clientsFor(collabUrl, 10);
    await Promise.all(clients.map((c) => c.request("waitSaved")));
    // Every client adds a cell, then types into the shared cell and now and then moves a random cell.
    await Promise.all(clients.map((c, i) => c.request("addCell", { at: i % 3, source: `cell of user${i}` })));
    await Promise.all(clients.map((c) => c.request("startTyping", { cellId: SEED_CELL_ID, intervalMs: 40, moveEvery: 7 })));
    // A client whose edit the server confirmed as saved, then gone: only the database still has that edit.
    const [leaver] = await Promise.all([startClient(collabUrl, NB, "leaver"), sleep(1_200)]);
    children.push(leaver);
    await leaver.request("waitSaved");
    await leaver.request("insert", { cellId: SEED_CELL_ID, text: "<leaver.0>" });
    await leaver.request("waitSaved");
    await leaver.kill("SIGKILL");
    await server.child.kill("SIGKILL");
    const crashed = openDatabase(dir); // "saved" means stored: the crashed server's file already has the edit
    expect(getSource(docFromDatabase(crashed, NB), SEED_CELL_ID).toString()).toContain("<leaver.0>");
    crashed.close();
    await sleep(800); // clients keep typing with no server
    server = await startServerProcess(dir, server.port, [NB]);
    children.push(server.child);
    await sleep(1_200);
    const typed = await Promise.all(clients.map((c) => c.request("stopTyping")));
    const tokens = ["<leaver.0>", ...typed.flatMap((r) => r.tokens as string[])];
    await Promise.all(clients.map((c) => c.request("waitSaved", {}, 60_000)));
    await sleep(300);

    const views = await Promise.all(clients.map(cellsOf));
    for (const cells of views) expect(cells).toEqual(views[0]);
    const cells = views[0];
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
    expect(cells).toHaveLength(11);
    const shared = cells.find((c) => c.id === SEED_CELL_ID);
    expect(tokens.length).toBeGreaterThan(100);
    expectEachOnce(shared?.source ?? "", tokens);

    await server.child.kill("SIGKILL"); // read the database as a crash leaves it
    const database = openDatabase(dir);
    cleanups.push(() => database.close());
    expect(readCells(docFromDatabase(database, NB))).toEqual(cells);
  });
});
