import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addCell, createUndoManager, readCells } from "../../../collab/index.ts";
import { NodeEngine } from "../../../kernel/engine/node-engine.ts";
import type { InputDefinition } from "../../../kernel/parameters/index.ts";
import { Scheduler } from "../../../kernel/runtime/index.ts";
import type { QueryVersionView } from "../../library/types.ts";
import { definitionOf } from "./input-config.ts";
import {
  cellNameFor,
  insertInputCells,
  insertLinkedCell,
  kernelCell,
  type LinkState,
  linkCell,
  missingInputs,
  readLink,
  referencedInputs,
  setLinkedVersion,
  unlinkCell,
} from "./library-links.ts";

const messages = {
  invalid: "link damaged",
  loading: "still loading",
  unavailable: "The library query this cell links to is private or was deleted",
  failed: (m: string) => `failed: ${m}`,
};

function version(sql: string, v = 1): QueryVersionView {
  return {
    id: "q1",
    name: "Test positivity",
    version: v,
    sql,
    parameters: [],
    message: "",
    author: { id: "u1", name: "Ana" },
    createdAt: "2026-01-01T00:00:00.000Z",
    certified: false,
    latestVersion: v,
    certifiedVersion: null,
  };
}

const ready = (sql: string): LinkState => ({
  status: "ready",
  link: { queryId: "q1", version: 1 },
  query: version(sql),
  latestVersion: 1,
  certifiedVersion: null,
  archived: false,
});

describe("readLink", () => {
  it("reads a SQL cell's link, refuses malformed ones and ignores other cells", () => {
    expect(readLink({ kind: "sql", config: { link: { queryId: "q1", version: 3 } } })).toEqual({ queryId: "q1", version: 3 });
    expect(readLink({ kind: "sql", config: {} })).toBeNull();
    expect(readLink({ kind: "markdown", config: { link: { queryId: "q1", version: 3 } } })).toBeNull();
    expect(readLink({ kind: "sql", config: { link: { queryId: "q1", version: 0 } } })).toBe("invalid");
    expect(readLink({ kind: "sql", config: { link: "q1@2" } })).toBe("invalid");
  });
});

describe("linking cells in the document", () => {
  it("links an ordinary cell (source emptied), updates its version and unlinks it with the SQL, each undoable", () => {
    const doc = new Y.Doc();
    const id = addCell(doc, 0, { kind: "sql", name: "tpr", source: "SELECT 1" });
    const undo = createUndoManager(doc);
    undo.stopCapturing();

    linkCell(doc, id, { queryId: "q1", version: 1 });
    expect(readCells(doc)[0]).toMatchObject({ source: "", config: { link: { queryId: "q1", version: 1 } } });
    undo.stopCapturing();

    setLinkedVersion(doc, id, 2);
    expect(readLink(readCells(doc)[0])).toEqual({ queryId: "q1", version: 2 });
    undo.undo();
    expect(readLink(readCells(doc)[0])).toEqual({ queryId: "q1", version: 1 });
    undo.stopCapturing();

    unlinkCell(doc, id, "SELECT 2 AS library_sql");
    expect(readCells(doc)[0]).toMatchObject({ source: "SELECT 2 AS library_sql", config: {} });
    expect(readLink(readCells(doc)[0])).toBeNull();
  });

  it("refuses to change the version of a cell that is not linked", () => {
    const doc = new Y.Doc();
    const id = addCell(doc, 0, { kind: "sql", name: "plain" });
    expect(() => setLinkedVersion(doc, id, 2)).toThrow(/not linked/);
    expect(() => setLinkedVersion(doc, "nope", 2)).toThrow(/no cell with id 'nope'/);
  });

  it("inserts a linked cell at a position, in one transaction", () => {
    const doc = new Y.Doc();
    addCell(doc, 0, { kind: "sql", name: "first" });
    addCell(doc, 1, { kind: "sql", name: "last" });
    let transactions = 0;
    doc.on("afterTransaction", () => transactions++);
    insertLinkedCell(doc, 1, "tpr", { queryId: "q1", version: 4 });
    expect(transactions).toBe(1);
    const cells = readCells(doc);
    expect(cells.map((c) => c.name)).toEqual(["first", "tpr", "last"]);
    expect(cells[1]).toMatchObject({ kind: "sql", source: "", config: { link: { queryId: "q1", version: 4 } } });
  });
});

describe("cellNameFor", () => {
  it("makes a free SQL identifier from the query's name", () => {
    expect(cellNameFor("Malaria positivity (TPR)", [])).toBe("malaria_positivity_tpr");
    expect(cellNameFor("Taux de positivité é", [])).toBe("taux_de_positivite_e");
    expect(cellNameFor("2024 cases", [])).toBe("q_2024_cases");
    expect(cellNameFor("!!!", [])).toBe("query");
    expect(cellNameFor("select", [])).toBe("select_2");
    const taken = [
      { id: "a", name: "TPR" },
      { id: "b", name: "tpr_2" },
    ];
    expect(cellNameFor("tpr", taken)).toBe("tpr_3");
    expect(cellNameFor("x".repeat(200), []).length).toBeLessThanOrEqual(63);
  });
});

describe("parameters", () => {
  const inputs: InputDefinition[] = [
    { name: "district", type: "location", multiple: false },
    { name: "months", type: "period", periodTypes: ["Monthly"] },
    { name: "unused", type: "text", maxLength: 100 },
  ];

  it("takes the inputs whose $names the SQL uses (range ends included) and lists the names no input gives", () => {
    const found = referencedInputs(["District", "months_start", "other"], inputs);
    expect(found.parameters.map((d) => d.name)).toEqual(["district", "months"]);
    expect(found.unknown).toEqual(["other"]);
  });

  it("adds input cells for the query's parameters the notebook lacks, with their definitions", () => {
    const doc = new Y.Doc();
    addCell(doc, 0, { kind: "input", name: "District" });
    const missing = missingInputs(
      [inputs[0], inputs[1], { name: "bad name", type: "text" }, { name: "n", type: "number", default: 3 }],
      readCells(doc),
    );
    expect(missing.map((d) => d.name)).toEqual(["months", "n"]);
    insertInputCells(doc, 1, missing);
    const cells = readCells(doc);
    expect(cells.map((c) => `${c.kind}:${c.name}`)).toEqual(["input:District", "input:months", "input:n"]);
    expect(definitionOf(cells[1])).toEqual({ ok: true, def: inputs[1] });
    expect(definitionOf(cells[2])).toMatchObject({ ok: true, def: { name: "n", type: "number", default: 3 } });
  });
});

describe("linked cells in the kernel", () => {
  const engines: NodeEngine[] = [];
  afterAll(async () => {
    for (const e of engines) await e.close();
  });

  it("hands over the cell's own source, the linked version's SQL, or why it does not run", () => {
    const cell = { id: "c", name: "tpr", kind: "sql" as const, source: "" };
    expect(kernelCell({ ...cell, source: "SELECT 1" }, undefined, messages)).toEqual({ ...cell, source: "SELECT 1" });
    expect(kernelCell(cell, ready("SELECT 2"), messages)).toEqual({ ...cell, source: "SELECT 2" });
    expect(kernelCell(cell, { status: "unavailable", link: { queryId: "q", version: 1 } }, messages)).toEqual({
      ...cell,
      unavailable: messages.unavailable,
    });
    expect(kernelCell(cell, { status: "failed", link: { queryId: "q", version: 1 }, message: "503" }, messages).unavailable).toBe(
      "failed: 503",
    );
    expect(kernelCell(cell, { status: "invalid" }, messages).unavailable).toBe("link damaged");
  });

  it("runs a linked version's SQL with bound parameters; an unavailable one fails and its dependants name it", async () => {
    const engine = new NodeEngine();
    engines.push(engine);
    const scheduler = new Scheduler({ engine });
    const base = { kind: "sql" as const, source: "" };
    await scheduler.setParameters({ n: 21 });
    await scheduler.setCells([
      kernelCell({ ...base, id: "a", name: "doubled" }, ready("SELECT $n * 2 AS y"), messages),
      kernelCell(
        { ...base, id: "b", name: "private_q" },
        { status: "unavailable", link: { queryId: "q2", version: 1 } },
        messages,
      ),
      { ...base, id: "c", name: "reader", source: "SELECT * FROM private_q" },
    ]);
    await scheduler.runAll();
    expect(scheduler.run("a").state.status).toBe("done");
    expect(scheduler.run("a").result?.rows).toEqual([{ y: 42 }]);
    expect(scheduler.run("b").state).toMatchObject({ status: "error", error: { message: messages.unavailable } });
    expect(scheduler.run("b").result).toBeNull();
    expect(scheduler.run("c").state).toMatchObject({ status: "error", error: { message: "Upstream cell `private_q` failed" } });
    // Nothing named private_q was ever defined in the engine.
    await expect(engine.query("SELECT * FROM private_q")).rejects.toThrow(/private_q/);
  });
});
