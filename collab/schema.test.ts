import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addCell,
  createUndoManager,
  deleteCell,
  getCells,
  getMeta,
  getSource,
  moveCell,
  moveCellAt,
  readCells,
  seedUpdate,
  setKind,
  setTitle,
} from "./schema.ts";

/** Two replicas that exchange their full states, as the server would relay them. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), "remote");
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), "remote");
}

function replicas(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  Y.applyUpdate(a, seedUpdate());
  Y.applyUpdate(b, seedUpdate());
  return [a, b];
}

const ids = (doc: Y.Doc) => readCells(doc).map((c) => c.id);

describe("notebook schema", () => {
  it("adds, moves, re-kinds and deletes cells, and reads them as plain objects in order", () => {
    const [doc] = replicas();
    const md = addCell(doc, 1, { kind: "markdown", source: "# Title" });
    const chart = addCell(doc, 0, { kind: "chart", name: "trend" });
    expect(readCells(doc).map((c) => c.kind)).toEqual(["chart", "sql", "markdown"]);
    moveCell(doc, chart, 2);
    expect(ids(doc)).toEqual(["c_initial", md, chart]);
    moveCellAt(doc, 2, 0);
    expect(ids(doc)).toEqual([chart, "c_initial", md]);
    setKind(doc, md, "input");
    deleteCell(doc, "c_initial");
    expect(readCells(doc)).toMatchObject([
      { id: chart, kind: "chart", name: "trend", source: "", config: {} },
      { id: md, kind: "input", source: "# Title" },
    ]);
    expect(() => setKind(doc, "nope", "sql")).toThrow("setKind: no cell with id 'nope'");
    expect(() => setKind(doc, md, "python" as "sql")).toThrow(/kind 'python'/);
  });

  it("seeding twice (or on two replicas) yields one initial cell", () => {
    const [a, b] = replicas();
    Y.applyUpdate(a, seedUpdate());
    sync(a, b);
    expect(ids(a)).toEqual(["c_initial"]);
    expect(ids(b)).toEqual(["c_initial"]);
  });

  it("concurrent move and edit of one cell: the edit survives and the cell exists once", () => {
    const [a, b] = replicas();
    const second = addCell(a, 1, { source: "select 1" });
    addCell(a, 2, { source: "select 2" });
    sync(a, b);
    moveCell(a, second, 0);
    getSource(b, second).insert(8, " + 41");
    sync(a, b);
    for (const doc of [a, b]) {
      expect(ids(doc)[0]).toBe(second);
      expect(readCells(doc).filter((c) => c.id === second)).toHaveLength(1);
      expect(getSource(doc, second).toString()).toBe("select 1 + 41");
    }
  });

  it("two people moving the same cell to different places: one place, never two copies", () => {
    const [a, b] = replicas();
    const x = addCell(a, 1);
    addCell(a, 2);
    addCell(a, 3);
    sync(a, b);
    moveCell(a, x, 0);
    moveCell(b, x, 3);
    sync(a, b);
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a).filter((id) => id === x)).toHaveLength(1);
    expect(ids(a)).toHaveLength(4);
  });

  it("concurrent inserts at the same spot tie, and an insert between the tied cells lands where asked", () => {
    const [a, b] = replicas();
    const fromA = addCell(a, 1);
    const fromB = addCell(b, 1);
    sync(a, b);
    const order = ids(a);
    expect(order).toEqual(ids(b));
    expect(readCells(a)[1].order).toBe(readCells(a)[2].order);
    const middle = addCell(a, 2);
    expect(ids(a)).toEqual([order[0], order[1], middle, order[2]]);
    expect(new Set([fromA, fromB])).toEqual(new Set(order.slice(1)));
  });

  it("undo reverts only this client's changes", () => {
    const [a, b] = replicas();
    const undo = createUndoManager(a);
    setTitle(a, "Malaria");
    undo.stopCapturing();
    const mine = addCell(a, 1, { source: "mine" });
    sync(a, b);
    getSource(b, mine).insert(4, " theirs");
    addCell(b, 0, { source: "remote cell" });
    sync(a, b);
    undo.undo(); // removes my cell — with the remote text inside it, which is how Yjs undo of an insert works
    expect(readCells(a).map((c) => c.source)).toEqual(["remote cell", ""]);
    undo.undo();
    expect(getMeta(a).get("title")).toBeUndefined();
    undo.redo();
    undo.redo();
    expect(readCells(a).map((c) => c.source)).toContain("mine theirs");
    expect(getCells(a).length).toBe(3);
  });
});
