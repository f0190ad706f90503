/**
 * Restoring a notebook version as a NEW change (issue 7, point 4). Replacing the document with the old state would wipe
 * every edit a collaborator makes while the restore travels, and re-inserting cells would duplicate them (two items with
 * one id). Instead the current document is edited, in one transaction, until its cells equal the version's: cells the
 * version lacks are deleted, cells it has and the document lacks are added with their id, and the others get minimal
 * edits (text changes around the common prefix and suffix, map keys set only when they differ). Only that transaction is
 * encoded, so a concurrent edit in text the restore keeps merges and survives.
 */
import * as Y from "yjs";
import { type CellData, getCells, getMeta, readCells } from "../../collab/index.ts";
import { applyTextChange } from "./client/text-diff.ts";

/** Origin of the restore transaction (never a user's undo stack). */
export const RESTORE_ORIGIN = "harmony-version-restore";

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function docFrom(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, state);
  return doc;
}

/** Makes the Y.Map `target` hold exactly `values` (plain JSON), writing only the keys that differ. */
function syncMap(target: Y.Map<unknown>, values: Record<string, unknown>): void {
  for (const key of [...target.keys()]) if (!(key in values)) target.delete(key);
  for (const [key, value] of Object.entries(values)) {
    const current = target.get(key);
    const plain = current instanceof Y.AbstractType ? current.toJSON() : current;
    if (!sameJson(plain, value)) target.set(key, value);
  }
}

function newCellMap(cell: CellData): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set("id", cell.id);
  map.set("kind", cell.kind);
  map.set("name", cell.name);
  map.set("source", new Y.Text(cell.source));
  const config = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(cell.config)) config.set(key, value);
  map.set("config", config);
  map.set("order", cell.order);
  return map;
}

/** Edits `doc` so its cells (and notebook settings) equal `target`'s, in one transaction with RESTORE_ORIGIN. */
export function makeCellsEqual(doc: Y.Doc, target: Y.Doc): void {
  const wanted = readCells(target);
  const wantedById = new Map(wanted.map((c) => [c.id, c]));
  doc.transact(() => {
    const cells = getCells(doc);
    const kept = new Set<string>();
    // From the end, so deleting does not shift the indexes still to visit. A second map with an already kept id (a
    // duplicate left by an older bug or a bad merge) is deleted too: the restored notebook has each id once.
    for (let i = cells.length - 1; i >= 0; i--) {
      const id = String(cells.get(i).get("id"));
      if (!wantedById.has(id) || kept.has(id)) cells.delete(i, 1);
      else kept.add(id);
    }
    const present = new Map(cells.toArray().map((m) => [String(m.get("id")), m]));
    for (const cell of wanted) {
      const map = present.get(cell.id);
      if (!map) {
        cells.push([newCellMap(cell)]);
        continue;
      }
      for (const key of ["kind", "name", "order"] as const) if (map.get(key) !== cell[key]) map.set(key, cell[key]);
      const source = map.get("source");
      if (source instanceof Y.Text) applyTextChange(source, source.toString(), cell.source);
      else map.set("source", new Y.Text(cell.source));
      const config = map.get("config");
      if (config instanceof Y.Map) syncMap(config, cell.config);
      else map.set("config", newCellMap(cell).get("config"));
    }
    // Notebook settings (run mode…) come back too; the title lives in the notebooks table, not here.
    syncMap(getMeta(doc), getMeta(target).toJSON() as Record<string, unknown>);
  }, RESTORE_ORIGIN);
}

/**
 * The update that turns the document `currentState` into one whose cells equal those of `versionState`, as a change
 * on top of the current state (null when they are equal already).
 */
export function restoreUpdate(currentState: Uint8Array, versionState: Uint8Array): Uint8Array | null {
  const doc = docFrom(currentState);
  const target = docFrom(versionState);
  try {
    const before = Y.encodeStateVector(doc);
    let changed = false;
    doc.on("afterTransaction", (tr: Y.Transaction) => {
      if (tr.origin === RESTORE_ORIGIN && (tr.changed.size > 0 || tr.deleteSet.clients.size > 0)) changed = true;
    });
    makeCellsEqual(doc, target);
    // Deletions do not move the state vector, so the diff from `before` is encoded even when only deletes happened.
    return changed ? Y.encodeStateAsUpdate(doc, before) : null;
  } finally {
    doc.destroy();
    target.destroy();
  }
}

/** The cells of a stored state, for showing a version read-only. */
export function cellsOfState(state: Uint8Array): { cells: CellData[]; meta: Record<string, unknown> } {
  const doc = docFrom(state);
  try {
    return { cells: readCells(doc), meta: getMeta(doc).toJSON() as Record<string, unknown> };
  } finally {
    doc.destroy();
  }
}
