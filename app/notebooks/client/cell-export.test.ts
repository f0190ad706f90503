import { afterAll, describe, expect, it } from "vitest";
import { NodeEngine } from "../../../kernel/engine/node.ts";
import { Scheduler } from "../../../kernel/runtime/index.ts";
import { selfContainedSql, sqlWithParameterComment } from "./cell-export.ts";

const engine = new NodeEngine();
afterAll(() => engine.close());

describe("selfContainedSql (Parquet exports: the server cannot read other cells by name)", () => {
  const cells = [
    { id: "a", name: "base", kind: "sql", source: "SELECT range AS n FROM range(10) -- all numbers" },
    { id: "b", name: "evens", kind: "sql", source: "WITH x AS (SELECT n FROM base WHERE n % 2 = 0) SELECT n FROM x;" },
    { id: "c", name: "big", kind: "sql", source: "SELECT n FROM evens WHERE n >= $min ORDER BY n" },
  ];

  it("inlines upstream cells as CTEs in run order; the result equals the chain's, with values bound", async () => {
    const scheduler = new Scheduler({ engine });
    await scheduler.setCells(cells);
    await scheduler.setParameters({ min: 4 });
    await scheduler.runAll();
    const sql = selfContainedSql("c", cells, scheduler.graph());
    expect(sql.startsWith('WITH "base" AS (')).toBe(true);
    expect(sql.indexOf('"base" AS')).toBeLessThan(sql.indexOf('"evens" AS'));
    expect(sql).toContain("$min");
    for (const name of ["base", "evens", "big"]) await engine.dropView(name);
    const result = await engine.query(sql, { min: 4 });
    expect(result.rows.map((r) => r.n)).toEqual([4, 6, 8]);
  });

  it("leaves a cell that reads no other cell as it is, without its trailing semicolon", () => {
    expect(selfContainedSql("b", [{ ...cells[1], source: "SELECT 1;  " }], { dependsOn: new Map(), order: [] })).toBe("SELECT 1");
  });
});

describe("sqlWithParameterComment", () => {
  it("lists values as JSON in comment lines above the untouched SQL", () => {
    const sql = "SELECT * FROM t WHERE name = $q AND p IN $p";
    const text = sqlWithParameterComment(sql, ["q", "p"], { q: "x'; DROP TABLE t; --\n*/ DELETE", p: ["202401", "202402"] });
    const lines = text.split("\n");
    expect(lines.at(-1)).toBe(sql);
    expect(lines.slice(0, -1).every((l) => l.startsWith("--"))).toBe(true);
    expect(text).toContain('$q = "x\'; DROP TABLE t; --\\n*/ DELETE"');
    expect(text).toContain('$p = ["202401","202402"]');
  });
});
