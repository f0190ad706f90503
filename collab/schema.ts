/**
 * The notebook document (DESIGN.md "Notebook document (Yjs)"), shared by the server and the browser.
 *
 *   meta:  Y.Map   — title and other notebook-wide settings
 *   cells: Y.Array<Y.Map> — each cell: id, kind, name, source (Y.Text), config (Y.Map), order (string)
 *
 * Cell ORDER is the `order` key (a fractional index, order-keys.ts), not the array position. The array only ever
 * grows by appends and shrinks by deletes. Why not move = delete + re-insert a copy in one transaction? Two people
 * moving the same cell at the same time would each delete the original and each insert a copy: two cells with one id.
 * And anyone typing in the cell during a move types into the deleted Y.Text: the edit is lost. With an `order` key a
 * move is one map write: concurrent moves resolve last-writer-wins (the cell lands in one place, never two) and
 * concurrent typing keeps going into the same Y.Text. Ties (two cells given the same key concurrently) sort by id, so
 * every client shows the same order.
 *
 * Every helper runs as one Yjs transaction with the LOCAL_ORIGIN origin, which createUndoManager tracks, so undo only
 * ever reverts the user's own changes, never a collaborator's.
 */
import * as Y from "yjs";
import { keyBetween, keysBetween } from "./order-keys.ts";

export const CELL_KINDS = ["sql", "markdown", "chart", "input"] as const;
export type CellKind = (typeof CELL_KINDS)[number];

export interface CellData {
  id: string;
  kind: CellKind;
  name: string;
  source: string;
  config: Record<string, unknown>;
  order: string;
}

/** Transaction origin of this client's own edits (also tracked: `null`, the default origin). */
export const LOCAL_ORIGIN = Symbol("harmony-local-edit");

export const getMeta = (doc: Y.Doc): Y.Map<unknown> => doc.getMap("meta");
export const getCells = (doc: Y.Doc): Y.Array<Y.Map<unknown>> => doc.getArray("cells");

function isKind(value: unknown): value is CellKind {
  return typeof value === "string" && (CELL_KINDS as readonly string[]).includes(value);
}

function newCellId(): string {
  return `c_${globalThis.crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
}

/** The cells' Y.Maps in display order (by `order`, then id). */
export function orderedCellMaps(doc: Y.Doc): Y.Map<unknown>[] {
  const maps = getCells(doc).toArray();
  return maps.sort((x, y) => {
    const ox = String(x.get("order") ?? "");
    const oy = String(y.get("order") ?? "");
    if (ox !== oy) return ox < oy ? -1 : 1;
    const ix = String(x.get("id"));
    const iy = String(y.get("id"));
    return ix < iy ? -1 : ix > iy ? 1 : 0;
  });
}

export function readCells(doc: Y.Doc): CellData[] {
  return orderedCellMaps(doc).map((m) => {
    const source = m.get("source");
    const config = m.get("config");
    const kind = m.get("kind");
    return {
      id: String(m.get("id")),
      kind: isKind(kind) ? kind : "sql",
      name: String(m.get("name") ?? ""),
      source: source instanceof Y.Text ? source.toString() : "",
      config: config instanceof Y.Map ? (config.toJSON() as Record<string, unknown>) : {},
      order: String(m.get("order") ?? ""),
    };
  });
}

export function findCell(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  return getCells(doc)
    .toArray()
    .find((m) => m.get("id") === id);
}

/** A cell's config map, created when the cell has none (older cells, hand-made documents); call inside a transaction. */
export function cellConfigMap(cell: Y.Map<unknown>): Y.Map<unknown> {
  const config = cell.get("config");
  if (config instanceof Y.Map) return config as Y.Map<unknown>;
  const created = new Y.Map<unknown>();
  cell.set("config", created);
  return created;
}

function requireCell(doc: Y.Doc, id: string, action: string): Y.Map<unknown> {
  const cell = findCell(doc, id);
  if (!cell) throw new Error(`${action}: no cell with id '${id}' in the notebook`);
  return cell;
}

/**
 * The order key that puts a cell at display position `at` among `others` (already sorted, without the cell itself).
 * If the neighbours share a key (two concurrent inserts at one spot), the tied followers are re-spaced after the new
 * key in the same transaction, so the cell lands exactly at `at`.
 */
function orderKeyAt(others: Y.Map<unknown>[], at: number): string {
  const i = Math.max(0, Math.min(at, others.length));
  const keyOf = (m: Y.Map<unknown> | undefined) => (m ? String(m.get("order") ?? "") || null : null);
  const prev = keyOf(others[i - 1]);
  let j = i;
  while (j < others.length && prev !== null && (keyOf(others[j]) ?? "") <= prev) j++;
  const next = keyOf(others[j]);
  const key = keyBetween(prev, next);
  if (j > i) {
    const respaced = keysBetween(key, next, j - i);
    for (let k = i; k < j; k++) others[k].set("order", respaced[k - i]);
  }
  return key;
}

export interface NewCell {
  kind?: CellKind;
  name?: string;
  source?: string;
  id?: string;
  /** An explicit order key (only for deterministic content such as seedUpdate). */
  order?: string;
}

/** Inserts a cell at display position `at` and returns its id. */
export function addCell(doc: Y.Doc, at: number, cell: NewCell = {}, origin: unknown = LOCAL_ORIGIN): string {
  const kind = cell.kind ?? "sql";
  if (!isKind(kind)) throw new Error(`addCell: kind '${kind}' is not one of ${CELL_KINDS.join(", ")}`);
  const id = cell.id ?? newCellId();
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    map.set("id", id);
    map.set("kind", kind);
    map.set("name", cell.name ?? "");
    map.set("source", new Y.Text(cell.source ?? ""));
    map.set("config", new Y.Map());
    map.set("order", cell.order ?? orderKeyAt(orderedCellMaps(doc), at));
    getCells(doc).push([map]);
  }, origin);
  return id;
}

/** Moves the cell with `id` to display position `to` (positions counted without the cell itself). */
export function moveCell(doc: Y.Doc, id: string, to: number, origin: unknown = LOCAL_ORIGIN): void {
  doc.transact(() => {
    const cell = requireCell(doc, id, "moveCell");
    const others = orderedCellMaps(doc).filter((m) => m !== cell);
    cell.set("order", orderKeyAt(others, to));
  }, origin);
}

/** Moves the cell at display position `from` to position `to` (both as seen before the move). */
export function moveCellAt(doc: Y.Doc, from: number, to: number, origin: unknown = LOCAL_ORIGIN): void {
  const cell = orderedCellMaps(doc)[from];
  if (!cell) throw new Error(`moveCell: no cell at position ${from}`);
  moveCell(doc, String(cell.get("id")), to, origin);
}

export function deleteCell(doc: Y.Doc, id: string, origin: unknown = LOCAL_ORIGIN): void {
  doc.transact(() => {
    const cells = getCells(doc);
    const index = cells.toArray().findIndex((m) => m.get("id") === id);
    if (index < 0) throw new Error(`deleteCell: no cell with id '${id}' in the notebook`);
    cells.delete(index, 1);
  }, origin);
}

/** Changes a cell's kind; source and config are kept so switching back loses nothing. */
export function setKind(doc: Y.Doc, id: string, kind: CellKind, origin: unknown = LOCAL_ORIGIN): void {
  if (!isKind(kind)) throw new Error(`setKind: kind '${kind}' is not one of ${CELL_KINDS.join(", ")}`);
  doc.transact(() => requireCell(doc, id, "setKind").set("kind", kind), origin);
}

export function setCellName(doc: Y.Doc, id: string, name: string, origin: unknown = LOCAL_ORIGIN): void {
  doc.transact(() => requireCell(doc, id, "setCellName").set("name", name), origin);
}

export function setTitle(doc: Y.Doc, title: string, origin: unknown = LOCAL_ORIGIN): void {
  doc.transact(() => getMeta(doc).set("title", title), origin);
}

export function getSource(doc: Y.Doc, id: string): Y.Text {
  const source = requireCell(doc, id, "getSource").get("source");
  if (!(source instanceof Y.Text)) throw new Error(`getSource: cell '${id}' has no source text`);
  return source;
}

/**
 * Undo/redo of this client's own changes only: transactions with LOCAL_ORIGIN or no origin. Remote updates arrive
 * with the provider as origin and are never tracked. y-codemirror.next adds its own origin to this manager.
 */
export function createUndoManager(doc: Y.Doc, extraOrigins: unknown[] = []): Y.UndoManager {
  return new Y.UndoManager([getCells(doc), getMeta(doc)], {
    trackedOrigins: new Set<unknown>([LOCAL_ORIGIN, null, ...extraOrigins]),
    captureTimeout: 500,
  });
}

/** Client id used only by seedUpdate: never a random client's id in practice (ids are random 32-bit numbers). */
const SEED_CLIENT_ID = 1;
export const SEED_CELL_ID = "c_initial";

/**
 * The starting content of a new notebook (one empty SQL cell), built deterministically: every call yields the very
 * same update with the very same item ids, so applying it twice, or on two servers, or on a client and a server,
 * merges into one cell — never two.
 */
export function seedUpdate(): Uint8Array {
  const doc = new Y.Doc({ gc: false });
  doc.clientID = SEED_CLIENT_ID;
  addCell(doc, 0, { id: SEED_CELL_ID, kind: "sql", order: "V" }, null);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
