import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createDrizzlePersistence } from "../../collab/index.server.ts";
import { addCell, findCell } from "../../collab/index.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { createNotebookStore } from "../notebooks/store.server.ts";
import { resolveLinkedCells } from "./linked-cells.server.ts";
import { createLibrary } from "./service.server.ts";

const database = openDatabase(mkdtempSync(path.join(tmpdir(), "harmony-library-used-by-")));
const notebooks = createNotebookStore(database.db);
const library = createLibrary({ db: database.db, notebooks, datasetSlugs: () => ["malaria"] });
const persistence = createDrizzlePersistence(database.db);
const ana = { id: "u-ana", role: "analyst" as const };
const bea = { id: "u-bea", role: "analyst" as const };

/** A notebook document with one SQL cell linked to (queryId, version), stored through the collab persistence. */
function storeDoc(notebookId: string, link: { queryId: string; version: number } | null, name = "rate"): Uint8Array {
  const doc = new Y.Doc();
  const id = addCell(doc, 0, { kind: "sql", name, source: link ? "" : "SELECT 1" });
  if (link) doc.transact(() => (findCell(doc, id)?.get("config") as Y.Map<unknown>).set("link", link));
  const update = Y.encodeStateAsUpdate(doc);
  persistence.appendUpdate(notebookId, update, ana.id);
  return update;
}

beforeAll(() => {
  for (const u of [ana, bea]) {
    database.db
      .insert(schema.users)
      .values({ id: u.id, email: `${u.id}@x.org`, name: u.id, role: u.role, passwordHash: "-" })
      .run();
  }
});
afterAll(() => database.close());

describe("used by", () => {
  it("finds notebooks whose stored document links the query and reports whose published state does", () => {
    const q = library.store.create(
      ana,
      { name: "Rate", description: "", tags: [], visibility: "workspace", groupId: null },
      { sql: "SELECT 42 AS x", parameters: [], message: "", datasets: [] },
    );
    const other = library.store.create(
      ana,
      { name: "Other", description: "", tags: [], visibility: "workspace", groupId: null },
      { sql: "SELECT 1", parameters: [], message: "", datasets: [] },
    );
    const mine = notebooks.create(ana, "Ana's linked");
    const beas = notebooks.create(bea, "Bea's linked");
    const plain = notebooks.create(ana, "Plain");
    storeDoc(mine.id, { queryId: q.id, version: 1 });
    storeDoc(beas.id, { queryId: q.id, version: 1 }, "bea_rate");
    storeDoc(plain.id, null);
    const state = storeDoc(notebooks.create(ana, "Other link").id, { queryId: other.id, version: 1 });

    database.db
      .insert(schema.reports)
      .values({ id: "r1", notebookId: mine.id, ownerId: ana.id, title: "Rates report", visibility: "nobody" })
      .run();
    const reportState = Y.encodeStateAsUpdate(
      (() => {
        const doc = new Y.Doc();
        const id = addCell(doc, 0, { kind: "sql", name: "rate" });
        (findCell(doc, id)?.get("config") as Y.Map<unknown>).set("link", { queryId: q.id, version: 1 });
        return doc;
      })(),
    );
    for (const [version, notebookState] of [
      [1, reportState],
      [2, state],
    ] as const) {
      database.db
        .insert(schema.reportVersions)
        .values({
          id: `rv${version}`,
          reportId: "r1",
          version,
          notebookState: Buffer.from(notebookState),
          datasetVersions: {},
          layout: [],
          tiles: [],
        })
        .run();
    }

    const usage = library.usage(q.id);
    expect(usage.notebooks.map((n) => n.title).sort()).toEqual(["Ana's linked", "Bea's linked"]);
    expect(usage.notebooks.find((n) => n.id === beas.id)?.cells).toEqual([
      expect.objectContaining({ cellName: "bea_rate", version: 1 }),
    ]);
    expect(usage.reports).toEqual([{ id: "r1", title: "Rates report", versions: [1] }]);
    expect(library.usage(other.id).notebooks.map((n) => n.title)).toEqual(["Other link"]);

    // Seen by Ana: her notebook and report by name, Bea's notebook only counted.
    expect(library.viewUsage(ana, usage)).toEqual({
      notebooks: [{ id: mine.id, title: "Ana's linked" }],
      reports: [{ id: "r1", title: "Rates report" }],
      hiddenNotebooks: 1,
      hiddenReports: 0,
      total: 3,
    });
    // Bea cannot see Ana's report (visibility nobody) nor her notebook.
    expect(library.viewUsage(bea, usage)).toMatchObject({ hiddenNotebooks: 1, hiddenReports: 1, reports: [] });
  });

  it("resolves linked cells with the acting user's visibility, naming the cell that cannot run", () => {
    const q = library.store.create(
      ana,
      { name: "Private rate", description: "", tags: [], visibility: "private", groupId: null },
      { sql: "SELECT 7 AS x", parameters: [], message: "", datasets: [] },
    );
    const cell = {
      id: "c1",
      kind: "sql" as const,
      name: "linked",
      source: "",
      config: { link: { queryId: q.id, version: 1 } },
      order: "a",
    };
    const missing = { ...cell, id: "c2", name: "too_far", config: { link: { queryId: q.id, version: 9 } } };
    const forAna = resolveLinkedCells(library, ana, [cell, missing]);
    expect(forAna.cells[0].source).toBe("SELECT 7 AS x");
    expect(forAna.problems.get("c2")).toMatch(/cell `too_far`.*no version 9/);
    const forBea = resolveLinkedCells(library, bea, [cell]);
    expect(forBea.cells[0].source).toBe("");
    expect(forBea.problems.get("c1")).toMatch(/cell `linked`.*not visible to you/);
  });
});
