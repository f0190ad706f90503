import { CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { sql } from "@codemirror/lang-sql";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import {
  DuckDBDialect,
  errorRange,
  errorRanges,
  quoteIdentifier,
  sameError,
  schemaToNamespace,
  setSqlError,
  sqlErrorField,
} from "./sql-editor-model.ts";

const schema = {
  "malaria.observations": ["field_id", "location_id", "period_start", "value"],
  "malaria.locations": ["location_id", "name", "Level Name"],
  cell1: ["district", "total"],
  "by district": ["x"],
};

/** Runs lang-sql's real completion sources over a document with the cursor at `|`. */
async function complete(doc: string): Promise<string[]> {
  const pos = doc.indexOf("|");
  const text = doc.replace("|", "");
  const support = sql({ dialect: DuckDBDialect, schema: schemaToNamespace(schema) });
  const state = EditorState.create({ doc: text, selection: { anchor: pos }, extensions: [support] });
  const sources = state.languageDataAt<(c: CompletionContext) => CompletionResult | null | Promise<CompletionResult | null>>(
    "autocomplete",
    pos,
  );
  const labels = new Set<string>();
  for (const source of sources) {
    const result = await source(new CompletionContext(state, pos, true));
    for (const o of result?.options ?? []) labels.add(o.label);
  }
  return [...labels];
}

describe("autocomplete from the schema", () => {
  it("offers attached datasets and cells as tables", async () => {
    const labels = await complete("SELECT * FROM |");
    expect(labels).toEqual(expect.arrayContaining(["malaria", "cell1", "by district"]));
  });

  it("offers a dataset's tables after its name", async () => {
    const labels = await complete("SELECT * FROM malaria.|");
    expect(labels).toEqual(expect.arrayContaining(["observations", "locations"]));
    expect(labels).not.toContain("cell1");
  });

  it("offers a table's columns after its qualified name", async () => {
    expect(await complete("SELECT malaria.observations.| FROM malaria.observations")).toEqual(
      expect.arrayContaining(["field_id", "value"]),
    );
    expect(await complete("SELECT cell1.| FROM cell1")).toEqual(expect.arrayContaining(["district", "total"]));
  });

  it("offers DuckDB keywords", async () => {
    expect(await complete("SELECT * FROM t QUAL|")).toContain("qualify");
  });

  it("quotes names that need it", () => {
    expect(quoteIdentifier("Level Name")).toBe('"Level Name"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteIdentifier("cell_2")).toBe("cell_2");
    const ns = schemaToNamespace(schema) as Record<string, { self: { apply?: string }; children: unknown }>;
    expect(ns["by district"].self.apply).toBe('"by district"');
  });
});

describe("errorRange", () => {
  const q = "SELECT valeu FROM malaria.observations";
  it("underlines the token at the position", () => {
    expect(errorRange(q, 7)).toEqual({ from: 7, to: 12 });
    expect(errorRange(q, 18)).toEqual({ from: 18, to: 38 });
  });
  it("marks one character on punctuation, and the last one past the end", () => {
    expect(errorRange("SELECT (1", 7)).toEqual({ from: 7, to: 8 });
    expect(errorRange("SELECT 1 +", 99)).toEqual({ from: 9, to: 10 });
  });
  it("underlines a whole quoted name", () => {
    expect(errorRange('SELECT "Level Name" FROM x', 7)).toEqual({ from: 7, to: 19 });
  });
  it("marks nothing without a position or text", () => {
    expect(errorRange(q, undefined)).toBeNull();
    expect(errorRange("", 0)).toBeNull();
  });
});

describe("error field", () => {
  it("underlines on set, follows edits, clears on null", () => {
    let state = EditorState.create({ doc: "SELECT valeu FROM t", extensions: [sqlErrorField] });
    state = state.update({ effects: setSqlError.of({ message: 'Referenced column "valeu" not found', position: 7 }) }).state;
    expect(errorRanges(state)).toEqual([{ from: 7, to: 12 }]);
    expect(state.field(sqlErrorField).error?.message).toContain("valeu");
    state = state.update({ changes: { from: 0, insert: "  " } }).state;
    expect(errorRanges(state)).toEqual([{ from: 9, to: 14 }]);
    state = state.update({ effects: setSqlError.of(null) }).state;
    expect(errorRanges(state)).toEqual([]);
  });

  it("keeps the message without an underline when there is no position", () => {
    let state = EditorState.create({ doc: "SELECT 1", extensions: [sqlErrorField] });
    state = state.update({ effects: setSqlError.of({ message: "Out of memory" }) }).state;
    expect(errorRanges(state)).toEqual([]);
    expect(state.field(sqlErrorField).error?.message).toBe("Out of memory");
  });

  it("compares errors by value", () => {
    expect(sameError({ message: "a", position: 1 }, { message: "a", position: 1 })).toBe(true);
    expect(sameError({ message: "a", position: 1 }, { message: "a", position: 2 })).toBe(false);
    expect(sameError(null, undefined)).toBe(true);
    expect(sameError(null, { message: "a" })).toBe(false);
  });
});
