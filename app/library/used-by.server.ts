/**
 * "Used by": the notebooks whose current document has a cell linked to a query, and the reports whose published
 * versions hold such a cell (in their pinned notebook state). Documents are read from the collab persistence (every
 * update is stored before it is broadcast, so the stored document is the current one), not from the live server, so
 * scanning never loads documents into the co-editing server. A byte search for the query id skips documents that
 * cannot mention it before any is decoded: Yjs stores strings as UTF-8, so a document linking the query contains its id.
 */
import { eq } from "drizzle-orm";
import * as Y from "yjs";
import { createDrizzlePersistence } from "../../collab/index.server.ts";
import { readCells } from "../../collab/index.ts";
import { type Db, schema } from "../../db/index.ts";
import { linkOf } from "./link.ts";

export interface LinkedCellRef {
  cellId: string;
  cellName: string;
  version: number;
}

export interface Usage {
  notebooks: { id: string; title: string; cells: LinkedCellRef[] }[];
  reports: { id: string; title: string; versions: number[] }[];
}

const mentions = (bytes: Uint8Array | Buffer, needle: Buffer) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).includes(needle);

/** The cells of a document (given as updates) linked to `queryId`. */
export function linkedCellsIn(updates: readonly Uint8Array[], queryId: string): LinkedCellRef[] {
  const doc = new Y.Doc();
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    return readCells(doc).flatMap((cell) => {
      const link = linkOf(cell);
      return link && link.queryId === queryId ? [{ cellId: cell.id, cellName: cell.name, version: link.version }] : [];
    });
  } finally {
    doc.destroy();
  }
}

export function findUsage(db: Db, queryId: string): Usage {
  const needle = Buffer.from(queryId, "utf8");
  const persistence = createDrizzlePersistence(db);
  const notebooks: Usage["notebooks"] = [];
  for (const nb of db.select({ id: schema.notebooks.id, title: schema.notebooks.title }).from(schema.notebooks).all()) {
    const stored = persistence.load(nb.id);
    const parts = [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates.map((u) => u.update)];
    if (!parts.some((p) => mentions(p, needle))) continue;
    const cells = linkedCellsIn(parts, queryId);
    if (cells.length > 0) notebooks.push({ ...nb, cells });
  }

  const reports = new Map<string, Usage["reports"][number]>();
  const versions = db
    .select({
      reportId: schema.reportVersions.reportId,
      version: schema.reportVersions.version,
      state: schema.reportVersions.notebookState,
      title: schema.reports.title,
    })
    .from(schema.reportVersions)
    .innerJoin(schema.reports, eq(schema.reports.id, schema.reportVersions.reportId))
    .all();
  for (const v of versions) {
    if (!v.state || !mentions(v.state, needle)) continue;
    if (linkedCellsIn([new Uint8Array(v.state)], queryId).length === 0) continue;
    const entry = reports.get(v.reportId) ?? { id: v.reportId, title: v.title, versions: [] };
    entry.versions.push(v.version);
    reports.set(v.reportId, entry);
  }
  return { notebooks, reports: [...reports.values()] };
}
