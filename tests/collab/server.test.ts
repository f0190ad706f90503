/**
 * The collab server with real y-websocket clients in this process (the separate-process tests are in
 * processes.test.ts): access refusals, viewers, offline edits, malformed and oversize messages, compaction, unloading,
 * revocation.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as encoding from "lib0/encoding";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { NotebookConnection } from "../../collab/client.ts";
import { addCell, getSource, readCells, SEED_CELL_ID } from "../../collab/schema.ts";
import { notebookSnapshots, notebookUpdates } from "../../db/schema/index.ts";
import { docFromDatabase, startTestServer, type TestServer, waitFor } from "./harness.ts";
import { closeCode, connectAs, rawSocket } from "./inprocess.ts";

const NB = "nb1";
let dir: string;
let server: TestServer;
const clients: NotebookConnection[] = [];

function client(user: string): NotebookConnection {
  const c = connectAs(server.collabUrl, NB, user);
  clients.push(c);
  return c;
}
const text = (c: NotebookConnection) => getSource(c.doc, SEED_CELL_ID).toString();
const dbText = () => getSource(docFromDatabase(server.database, NB), SEED_CELL_ID).toString();

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "collab-"));
  server = await startTestServer(dir, [NB], { maxMessageBytes: 64 * 1024, idleUnloadMs: 300 });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("collab server", () => {
  it("refuses before upgrading: 401 without a user, 403 for a user the policy denies", async () => {
    const url = `${server.collabUrl}/${NB}`;
    await expect(rawSocket(url, {})).rejects.toMatchObject({ status: 401 });
    await expect(rawSocket(url, { "x-user": "stranger" })).rejects.toMatchObject({ status: 403 });
    const ok = await rawSocket(url, { cookie: "user=alice" });
    ok.close();
  });

  it("a viewer's updates leave the document unchanged, for the server and for others; awareness still flows", async () => {
    const editor = client("alice");
    const viewer = client("viewer-bob");
    await Promise.all([editor.whenSaved(), viewer.whenSaved()]);
    getSource(viewer.doc, SEED_CELL_ID).insert(0, "HACKED");
    addCell(viewer.doc, 0, { source: "viewer cell" });
    await new Promise((r) => setTimeout(r, 300)); // the viewer's provider has sent its updates by now
    getSource(editor.doc, SEED_CELL_ID).insert(0, "select 1");
    await editor.whenSaved();
    await waitFor(() => text(viewer).includes("select 1"), "the viewer to receive the editor's edit");
    expect(text(editor)).toBe("select 1");
    expect(readCells(editor.doc)).toHaveLength(1);
    expect(dbText()).toBe("select 1");
    expect(readCells(docFromDatabase(server.database, NB))).toHaveLength(1);
    const serverDoc = new Y.Doc();
    Y.applyUpdate(serverDoc, server.collab.readState(NB));
    expect(getSource(serverDoc, SEED_CELL_ID).toString()).toBe("select 1");
    await waitFor(
      () => [...editor.awareness.getStates().values()].some((s) => s.user?.name === "viewer-bob"),
      "the viewer's presence at the editor",
    );
  });

  it("presence shows the authorized name, and nobody can erase or rewrite another user's presence", async () => {
    const alice = client("alice");
    const bob = client("bob");
    alice.awareness.setLocalStateField("user", { name: "The Administrator", color: "#000" });
    const aliceId = alice.doc.clientID;
    const nameAtBob = () => bob.awareness.getStates().get(aliceId)?.user;
    await waitFor(() => nameAtBob() !== undefined, "alice's presence at bob");
    expect(nameAtBob()).toMatchObject({ name: "alice", id: "alice", color: "#000" });
    // mallory forges an update that blanks alice's state and renames her: nothing of it reaches bob
    const mallory = await rawSocket(`${server.collabUrl}/${NB}`, { "x-user": "mallory" });
    const forged = encoding.createEncoder();
    encoding.writeVarUint(forged, 1); // awareness message
    const entries = encoding.createEncoder();
    encoding.writeVarUint(entries, 2);
    for (const [id, state] of [
      [aliceId, "null"],
      [987654, JSON.stringify({ user: { name: "alice" } })],
    ] as const) {
      encoding.writeVarUint(entries, id);
      encoding.writeVarUint(entries, 1000);
      encoding.writeVarString(entries, state);
    }
    encoding.writeVarUint8Array(forged, encoding.toUint8Array(entries));
    mallory.send(encoding.toUint8Array(forged));
    await waitFor(() => bob.awareness.getStates().has(987654), "mallory's own presence at bob");
    expect(bob.awareness.getStates().get(987654)?.user.name).toBe("mallory");
    expect(nameAtBob()).toMatchObject({ name: "alice" });
    mallory.close();
    await waitFor(() => !bob.awareness.getStates().has(987654), "mallory's presence to go with her socket");
    expect(nameAtBob()).toMatchObject({ name: "alice" });
  });

  it("offline edits merge on reconnect", async () => {
    const a = client("alice");
    const b = client("bob");
    await Promise.all([a.whenSaved(), b.whenSaved()]);
    a.provider.disconnect();
    await waitFor(() => a.status.get() === "reconnecting", "alice to be disconnected");
    getSource(a.doc, SEED_CELL_ID).insert(0, "offline-A;");
    expect(a.status.get()).toBe("offline");
    getSource(b.doc, SEED_CELL_ID).insert(0, "online-B;");
    await b.whenSaved();
    a.provider.connect();
    await a.whenSaved();
    await waitFor(() => text(a) === text(b) && text(a).length === 19, "both edits in both clients");
    expect(text(a)).toContain("offline-A;");
    expect(text(a)).toContain("online-B;");
    expect(dbText()).toBe(text(a));
  });

  it("the status says saving… until the server confirms, also for a deletion alone (state vectors don't move)", async () => {
    const a = client("alice");
    const seen: string[] = [];
    a.status.subscribe((s) => seen.push(s));
    await a.whenSaved();
    getSource(a.doc, SEED_CELL_ID).insert(0, "abc");
    expect(a.status.get()).toBe("saving");
    await a.whenSaved();
    getSource(a.doc, SEED_CELL_ID).delete(0, 1);
    expect(a.status.get()).toBe("saving");
    await a.whenSaved();
    expect(dbText()).toBe("bc");
    expect(seen).toEqual(["saving", "saved", "saving", "saved", "saving", "saved"]);
  });

  it("a malformed message closes only that socket and stores nothing", async () => {
    const good = client("alice");
    await good.whenSaved();
    const rowsBefore = server.database.db.select().from(notebookUpdates).all().length;
    const url = `${server.collabUrl}/${NB}`;
    const garbage = await rawSocket(url, { "x-user": "mallory" });
    garbage.send(updateMessage(new Uint8Array([7, 200, 1, 9, 9, 9])));
    expect(await closeCode(garbage)).toBe(1007);
    const unknownType = await rawSocket(url, { "x-user": "mallory" });
    unknownType.send(new Uint8Array([42, 1, 2]));
    expect(await closeCode(unknownType)).toBe(1007);
    expect(server.database.db.select().from(notebookUpdates).all()).toHaveLength(rowsBefore);
    getSource(good.doc, SEED_CELL_ID).insert(0, "still here");
    await good.whenSaved();
    expect(good.provider.wsconnected).toBe(true);
    expect(dbText()).toBe("still here");
  });

  it("an oversize message is refused by closing that socket (1009)", async () => {
    const good = client("alice");
    await good.whenSaved();
    const big = await rawSocket(`${server.collabUrl}/${NB}`, { "x-user": "alice" });
    const huge = new Y.Doc();
    huge.getText("x").insert(0, "x".repeat(100 * 1024));
    big.send(updateMessage(Y.encodeStateAsUpdate(huge)));
    expect(await closeCode(big)).toBe(1009);
    expect(
      server.database.db
        .select()
        .from(notebookUpdates)
        .all()
        .some((r) => r.update.length > 64 * 1024),
    ).toBe(false);
    getSource(good.doc, SEED_CELL_ID).insert(0, "fine");
    await good.whenSaved();
    expect(dbText()).toBe("fine");
  });

  it("a change the database refuses is not applied: that socket closes (1011), a notebook that cannot load is 500", async () => {
    const a = client("alice");
    await a.whenSaved();
    const closed = new Promise<number>((resolve) => a.provider.on("connection-close", (e) => resolve(e?.code ?? 0)));
    server.database.sqlite.prepare("DELETE FROM notebooks WHERE id = ?").run(NB); // the foreign key now refuses
    getSource(a.doc, SEED_CELL_ID).insert(0, "lost?");
    expect(await closed).toBe(1011);
    expect(server.database.db.select().from(notebookUpdates).all()).toHaveLength(0);
    const serverDoc = new Y.Doc();
    Y.applyUpdate(serverDoc, server.collab.readState(NB));
    expect(getSource(serverDoc, SEED_CELL_ID).toString()).toBe("");
    a.destroy();
    await waitFor(() => server.collab.loadedNotebooks().length === 0, "the document to be unloaded");
    await expect(rawSocket(`${server.collabUrl}/${NB}`, { "x-user": "alice" })).rejects.toMatchObject({ status: 500 });
  });

  it("compaction writes one snapshot, deletes the updates it covers, and keeps the content identical", async () => {
    const a = client("alice");
    await a.whenSaved();
    for (let i = 0; i < 20; i++) getSource(a.doc, SEED_CELL_ID).insert(i, String(i % 10));
    addCell(a.doc, 1, { kind: "markdown", source: "# notes" });
    await a.whenSaved();
    const before = readCells(docFromDatabase(server.database, NB));
    expect(server.database.db.select().from(notebookUpdates).all().length).toBeGreaterThan(1);
    server.collab.compact(NB);
    expect(server.database.db.select().from(notebookUpdates).all()).toHaveLength(0);
    expect(server.database.db.select().from(notebookSnapshots).all()).toHaveLength(1);
    expect(readCells(docFromDatabase(server.database, NB))).toEqual(before);
    getSource(a.doc, SEED_CELL_ID).insert(0, "after;");
    await a.whenSaved();
    expect(server.database.db.select().from(notebookUpdates).all()).toHaveLength(1);
    expect(dbText()).toBe(`after;${before[0].source}`);
  });

  it("an idle document is unloaded and reloads from the database with the same content, seeded once", async () => {
    const a = client("alice");
    await a.whenSaved();
    getSource(a.doc, SEED_CELL_ID).insert(0, "select 42");
    addCell(a.doc, 1, { source: "second" });
    await a.whenSaved();
    const cells = readCells(a.doc);
    a.destroy();
    await waitFor(() => server.collab.loadedNotebooks().length === 0, "the idle document to be unloaded");
    const b = client("bob");
    await b.whenSaved();
    expect(readCells(b.doc)).toEqual(cells);
  });

  it("closeUserSockets closes that user's sockets and they do not reconnect", async () => {
    const alice = client("alice");
    const bob = client("bob");
    await Promise.all([alice.whenSaved(), bob.whenSaved()]);
    const closed = new Promise<number>((resolve) => alice.provider.on("closed", (e) => resolve(e.code)));
    expect(server.collab.closeUserSockets("alice", NB)).toBe(1);
    expect(await closed).toBe(4403);
    await new Promise((r) => setTimeout(r, 500));
    expect(alice.provider.wsconnected).toBe(false);
    expect(bob.provider.wsconnected).toBe(true);
    expect(server.collab.closeUserSockets("alice")).toBe(0);
  });
});
