import { afterAll, describe, expect, it } from "vitest";
import { NodeEngine } from "../../../kernel/engine/node.ts";
import { namesIdentifier, ownReferences, viewSafeEngine } from "./view-safe-engine.ts";

describe("viewSafeEngine", () => {
  const engine = new NodeEngine();
  afterAll(() => engine.close());

  it("reports the cell views a cell reads, not the tables inside them", async () => {
    const safe = viewSafeEngine(engine);
    await engine.query("CREATE TABLE cases AS SELECT 1 AS n");
    await safe.defineView("cell1", "SELECT n FROM cases");
    // The engine's own answer binds the view: `cases` instead of `cell1`. When this fails, the workaround can go.
    expect((await engine.analyze("SELECT n * 2 AS doubled FROM cell1")).tables.map((t) => t.name)).toEqual(["cases"]);

    expect((await safe.analyze("SELECT n * 2 AS doubled FROM cell1")).tables).toEqual([{ schema: null, name: "cell1" }]);
    const both = await safe.analyze('SELECT * FROM "cases" JOIN Cell1 USING (n)');
    expect(both.tables.map((t) => t.name.toLowerCase()).sort()).toEqual(["cases", "cell1"]);
    // Not a reference: a string, a comment, a column qualifier.
    expect((await safe.analyze("SELECT 'cell1' AS x -- cell1\nFROM cases")).tables).toEqual([{ schema: null, name: "cases" }]);

    await safe.dropView("cell1");
    expect((await safe.analyze("SELECT * FROM cell1")).tables).toEqual([{ schema: null, name: "cell1" }]);
  });

  it("matches whole identifiers only", () => {
    expect(namesIdentifier("SELECT * FROM cell10", "cell1")).toBe(false);
    expect(namesIdentifier("select * from CELL1 where x", "cell1")).toBe(true);
    expect(namesIdentifier('select * from "cell1"', "cell1")).toBe(true);
    expect(namesIdentifier("select cell1.n from t", "cell1")).toBe(false);
    expect(namesIdentifier("select * from malaria.cell1", "cell1")).toBe(false);
    expect(ownReferences("SELECT * FROM malaria.observations", [{ schema: "malaria", name: "observations" }], [])).toEqual([
      { schema: "malaria", name: "observations" },
    ]);
  });
});
