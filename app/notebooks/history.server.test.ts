import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addCell,
  deleteCell,
  getCells,
  getSource,
  moveCellAt,
  readCells,
  seedUpdate,
  setCellName,
  setKind,
} from "../../collab/index.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { AUTO_VERSION_INTERVAL_MS, cleanVersionName, createNotebookHistory } from "./history.server.ts";
import { restoreUpdate } from "./restore-diff.ts";

/** A stand-in for the collab server's document store: one real Y.Doc per notebook. */
function memoryCollab() {
  const docs = new Map<string, Y.Doc>();
  const doc = (id: string) => {
    let d = docs.get(id);
    if (!d) {
      d = new Y.Doc();
      Y.applyUpdate(d, seedUpdate());
      docs.set(id, d);
    }
    return d;
  };
  return {
    doc,
    readState: (id: string) => Y.encodeStateAsUpdate(doc(id)),
    applyUpdate: (id: string, update: Uint8Array) => Y.applyUpdate(doc(id), update),
  };
}

const snapshot = (doc: Y.Doc) => readCells(doc).map(({ id, kind, name, source }) => ({ id, kind, name, source }));
const ids = (doc: Y.Doc) =>
  getCells(doc)
    .toArray()
    .map((m) => String(m.get("id")));

function restoreInPlace(doc: Y.Doc, version: Uint8Array): void {
  const update = restoreUpdate(Y.encodeStateAsUpdate(doc), version);
  if (update) Y.applyUpdate(doc, update);
}

describe("restoring a version (the difference as a new change)", () => {
  function startingDoc() {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, seedUpdate());
    const a = addCell(doc, 1, { name: "cases", source: "SELECT 1 AS n" });
    const b = addCell(doc, 2, { kind: "markdown", source: "# Notes" });
    const c = addCell(doc, 3, { name: "rates", source: "SELECT n * 2 FROM cases" });
    return { doc, a, b, c };
  }

  it("brings back removed cells, drops added ones, undoes edits, moves and kind changes — each id once", () => {
    const { doc, a, b, c } = startingDoc();
    const version = Y.encodeStateAsUpdate(doc);
    const expected = snapshot(doc);

    deleteCell(doc, b);
    const added = addCell(doc, 0, { name: "extra", source: "SELECT 42" });
    getSource(doc, a).insert(7, " 100 AS hundred,");
    setCellName(doc, c, "ratios");
    setKind(doc, a, "markdown");
    moveCellAt(doc, 3, 0);
    expect(snapshot(doc)).not.toEqual(expected);

    restoreInPlace(doc, version);
    expect(snapshot(doc)).toEqual(expected);
    expect(ids(doc)).not.toContain(added);
    expect(new Set(ids(doc)).size).toBe(ids(doc).length);
  });

  it("returns nothing when the document already equals the version", () => {
    const { doc } = startingDoc();
    const state = Y.encodeStateAsUpdate(doc);
    expect(restoreUpdate(state, state)).toBeNull();
  });

  it("keeps a collaborator's concurrent edit made after the version, and never duplicates a cell", () => {
    const { doc: alice, a, c } = startingDoc();
    const version = Y.encodeStateAsUpdate(alice);
    getSource(alice, a).delete(0, 6);
    getSource(alice, a).insert(0, "SELECT DISTINCT");
    addCell(alice, 4, { name: "later", source: "SELECT 3" });

    // Bob has everything so far, then types in `rates` while Alice restores: neither has seen the other's change.
    const bob = new Y.Doc();
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    getSource(bob, c).insert(getSource(bob, c).length, " WHERE n > 0");
    const restore = restoreUpdate(Y.encodeStateAsUpdate(alice), version);
    expect(restore).not.toBeNull();
    Y.applyUpdate(alice, restore as Uint8Array);
    Y.applyUpdate(bob, restore as Uint8Array);
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob));
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));

    for (const doc of [alice, bob]) {
      const cells = readCells(doc);
      expect(cells.map((x) => x.name)).toEqual(["", "cases", "", "rates"]);
      expect(cells.find((x) => x.id === a)?.source).toBe("SELECT 1 AS n");
      expect(cells.find((x) => x.id === c)?.source).toBe("SELECT n * 2 FROM cases WHERE n > 0");
      expect(new Set(ids(doc)).size).toBe(ids(doc).length);
    }
    expect(snapshot(alice)).toEqual(snapshot(bob));
  });

  it("restores a cell deleted after the version only once, even when two people restore at the same time", () => {
    const { doc: alice, b } = startingDoc();
    const version = Y.encodeStateAsUpdate(alice);
    deleteCell(alice, b);
    const bob = new Y.Doc();
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    const one = restoreUpdate(Y.encodeStateAsUpdate(alice), version) as Uint8Array;
    const two = restoreUpdate(Y.encodeStateAsUpdate(bob), version) as Uint8Array;
    Y.applyUpdate(alice, one);
    Y.applyUpdate(alice, two);
    // Both added a map with id b; the display keeps one (readCells) — a later restore cleans the extra map up.
    restoreInPlace(alice, version);
    expect(ids(alice).filter((id) => id === b)).toHaveLength(1);
  });
});

describe("the notebook history store", () => {
  const database = openDatabase(mkdtempSync(path.join(tmpdir(), "harmony-notebook-history-")));
  const collab = memoryCollab();
  let clock = Date.parse("2026-01-01T00:00:00Z");
  const history = createNotebookHistory(database.db, collab, () => new Date(clock));

  beforeAll(() => {
    database.db
      .insert(schema.users)
      .values({ id: "u-ana", email: "ana@x.org", name: "Ana", role: "analyst", passwordHash: "-" })
      .run();
    for (const id of ["nb-1", "nb-2"])
      database.db
        .insert(schema.notebooks)
        .values({ id, title: id, ownerId: "u-ana", updatedAt: new Date(clock) })
        .run();
  });
  afterAll(() => database.close());

  it("validates names", () => {
    expect(cleanVersionName("  Before   the review ")).toEqual({ name: "Before the review" });
    expect(cleanVersionName("   ")).toEqual({ error: "empty" });
    expect(cleanVersionName("x".repeat(121))).toEqual({ error: "too-long" });
  });

  it("saves named versions, lists them newest first with author, reads and restores them", () => {
    const doc = collab.doc("nb-1");
    const cell = addCell(doc, 1, { name: "cases", source: "SELECT 1" });
    const saved = history.save("nb-1", "First draft", "u-ana");
    expect(saved).toMatchObject({ name: "First draft", automatic: false, authorName: "Ana" });
    clock += 1000;
    getSource(doc, cell).insert(8, "0");
    history.save("nb-1", "Second", "u-ana");
    expect(history.list("nb-1").map((v) => v.name)).toEqual(["Second", "First draft"]);
    expect(history.list("nb-2")).toEqual([]);
    expect(history.read("nb-1", saved.id)?.cells.map((c) => c.source)).toEqual(["", "SELECT 1"]);
    // A version id is only found under its own notebook.
    expect(history.read("nb-2", saved.id)).toBeUndefined();
    expect(history.restore("nb-2", saved.id, "u-ana")).toBe(false);

    expect(history.restore("nb-1", saved.id, "u-ana")).toBe(true);
    expect(readCells(doc).map((c) => c.source)).toEqual(["", "SELECT 1"]);
  });

  it("takes at most one automatic version per interval of editing", () => {
    expect(history.autoSave("nb-2", "u-ana")).toMatchObject({ automatic: true, name: null });
    clock += 60_000;
    expect(history.autoSave("nb-2", "u-ana")).toBeNull();
    clock += AUTO_VERSION_INTERVAL_MS;
    expect(history.autoSave("nb-2", null)).toMatchObject({ automatic: true, authorName: null });
    expect(history.list("nb-2")).toHaveLength(2);
  });
});
