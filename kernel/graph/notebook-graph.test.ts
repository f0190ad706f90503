import { describe, expect, it } from "vitest";
import { buildNotebookGraph } from "./notebook-graph.ts";

const ref = (name: string, schema: string | null = null) => ({ schema, name });

describe("buildNotebookGraph", () => {
  it("derives dependencies on cells and orders them", () => {
    const g = buildNotebookGraph(
      [
        { id: "2", name: "summary", tables: [ref("monthly")] },
        { id: "1", name: "monthly", tables: [ref("observations", "malaria")] },
      ],
      ["malaria"],
    );
    expect(g.dependsOn.get("2")).toEqual(["1"]);
    expect(g.dependsOn.get("1")).toEqual([]);
    expect(g.order).toEqual(["1", "2"]);
    expect(g.problems.size).toBe(0);
  });

  it("says which cell or dataset is missing", () => {
    const g = buildNotebookGraph(
      [
        { id: "1", name: "a", tables: [ref("cell9"), ref("observations", "tb"), ref("tables", "information_schema")] },
        { id: "2", name: "b", tables: [ref("malaria")] },
      ],
      ["malaria"],
    );
    const messages = g.problems.get("1")?.map((p) => `${p.kind}: ${p.message}`);
    expect(messages).toEqual([
      "missing-cell: `cell9` is not a cell of this notebook (nor an attached dataset)",
      "missing-dataset: Dataset `tb` (in `tb.observations`) is not available to this notebook (attached: malaria)",
    ]);
    expect(g.problems.get("2")?.[0].message).toContain("malaria.observations");
  });

  it("marks duplicate names and cycles on every cell involved", () => {
    const g = buildNotebookGraph(
      [
        { id: "1", name: "x", tables: [ref("y")] },
        { id: "2", name: "y", tables: [ref("x")] },
        { id: "3", name: "X", tables: [] },
      ],
      [],
    );
    expect(g.problems.get("1")?.map((p) => p.kind)).toEqual(["duplicate-name", "cycle"]);
    expect(g.problems.get("3")?.map((p) => p.kind)).toEqual(["duplicate-name"]);
    expect(g.problems.get("2")?.find((p) => p.kind === "cycle")?.message).toBe(
      "Cells depend on each other in a cycle: x → y → x",
    );
  });

  it("carries a syntax error with its position", () => {
    const g = buildNotebookGraph(
      [{ id: "1", name: "a", tables: { error: { message: "Parser Error: syntax error", position: 13 } } }],
      [],
    );
    expect(g.problems.get("1")).toEqual([{ kind: "sql", message: "Parser Error: syntax error", position: 13 }]);
  });
});
