import { afterAll, describe, expect, it } from "vitest";
import { NodeEngine } from "../../../kernel/engine/node.ts";
import { BROWSER_EXPORT_MAX_ROWS, cellColumnTypes, exportRoute, sqlWithParameterComment } from "./cell-export.ts";

const engine = new NodeEngine();
afterAll(() => engine.close());

describe("exportRoute (docs/decisions/0012-streamed-exports.md)", () => {
  it("writes small results in the browser and streams large ones and Parquet from the server", () => {
    expect(exportRoute("csv", 0)).toBe("browser");
    expect(exportRoute("csv", BROWSER_EXPORT_MAX_ROWS.csv)).toBe("browser");
    expect(exportRoute("csv", BROWSER_EXPORT_MAX_ROWS.csv + 1)).toBe("server");
    expect(exportRoute("csv-bom", 1_000_000)).toBe("server");
    expect(exportRoute("json", 100_001)).toBe("server");
    expect(exportRoute("xlsx", 50_000)).toBe("browser");
    expect(exportRoute("xlsx", 50_001)).toBe("server");
    expect(exportRoute("parquet", 1)).toBe("server");
  });
});

describe("cellColumnTypes", () => {
  it("reads a cell's DuckDB types from the catalog (the batches say DOUBLE for a DECIMAL)", async () => {
    await engine.defineView("my cell", "SELECT 1234567.89::DECIMAL(12,2) AS amount, 'x' AS label");
    expect(await cellColumnTypes(engine, "my cell")).toEqual({ amount: "DECIMAL(12,2)", label: "VARCHAR" });
    const { columns } = await engine.query('SELECT * FROM "my cell"');
    expect(columns[0].type).toBe("DOUBLE");
    expect(await cellColumnTypes(engine, "no such cell")).toEqual({});
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
