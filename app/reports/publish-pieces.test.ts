import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "./csv.ts";
import { inlineUpstream, type SqlCell } from "./inline-cells.ts";
import { runTileSql } from "./run-cell.server.ts";
import { tableRefsOf } from "./table-refs.server.ts";
import { decideReportAccess, type ReportAccessFacts } from "./visibility.ts";

async function cell(id: string, name: string, sql: string): Promise<SqlCell> {
  const refs = await tableRefsOf(sql);
  if (!refs.ok) throw new Error(refs.message);
  return { id, name, sql, tables: refs.tables };
}

describe("table references (DuckDB's parser)", () => {
  it("finds dataset tables and cells, not the statement's own CTEs", async () => {
    const refs = await tableRefsOf(
      "WITH q AS (SELECT 1 AS x) SELECT * FROM malaria.observations o JOIN up USING (x) JOIN q ON TRUE WHERE v = $p",
    );
    expect(refs).toEqual({
      ok: true,
      tables: [
        { schema: "malaria", name: "observations" },
        { schema: null, name: "up" },
      ],
    });
    expect((await tableRefsOf("SELEC nothing")).ok).toBe(false);
  });
});

describe("inlining upstream cells as CTEs", () => {
  it("puts the cells a cell reads before it, in dependency order, and names the datasets they use", async () => {
    const cells = [
      await cell("c1", "base", "SELECT location_id, value FROM malaria.observations;"),
      await cell("c2", "unrelated", "SELECT 42 AS answer"),
      await cell("c3", "totals", "SELECT location_id, sum(value) AS total FROM base GROUP BY 1 -- comment"),
      await cell("c4", "top", "WITH t AS (SELECT * FROM totals) SELECT * FROM t ORDER BY total DESC"),
    ];
    const plan = inlineUpstream(cells, "c4", ["malaria", "other"]);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.upstream).toEqual(["base", "totals"]);
    expect(plan.datasets).toEqual(["malaria"]);
    expect(plan.sql.indexOf('"base" AS')).toBeLessThan(plan.sql.indexOf('"totals" AS'));
    expect(plan.sql).not.toContain("42");
    expect(plan.sql).not.toMatch(/;\s*\n/);
  });

  it("refuses cycles and unknown names, naming the cell", async () => {
    const cycle = [await cell("a", "a", "SELECT * FROM b"), await cell("b", "b", "SELECT * FROM a")];
    const refused = inlineUpstream(cycle, "a", []);
    expect(refused.ok).toBe(false);
    const missing = inlineUpstream([await cell("x", "x", "SELECT * FROM nowhere")], "x", []);
    expect(missing).toMatchObject({ ok: false, message: expect.stringContaining("`nowhere`") });
  });
});

describe("running a tile's SQL on native DuckDB", () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "reports-unit-"));
    file = path.join(dir, "demo.duckdb");
    const instance = await DuckDBInstance.create(file);
    const conn = await instance.connect();
    await conn.run(
      "CREATE TABLE observations AS SELECT 'L' || (i % 3) AS location_id, i::BIGINT AS n, (i * 1.5)::DECIMAL(10,2) AS value, DATE '2024-01-01' + i::INTEGER AS day FROM range(7000) t(i)",
    );
    conn.closeSync();
    instance.closeSync();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs inlined cells with bound parameters, caps the rows and keeps the total, with numbers as numbers", async () => {
    const cells = [
      await cell("c1", "base", "SELECT * FROM demo.observations WHERE n >= $from_n"),
      await cell("c2", "sorted", "SELECT location_id, n, value, day FROM base ORDER BY n"),
    ];
    const plan = inlineUpstream(cells, "c2", ["demo"]);
    if (!plan.ok) throw new Error(plan.message);
    const result = await runTileSql({ sql: plan.sql, params: { from_n: 10 }, datasets: { demo: file }, limit: 5_000 });
    expect(result.totalRows).toBe(6_990);
    expect(result.rows).toHaveLength(5_000);
    expect(result.rows[0]).toEqual({ location_id: "L1", n: 10, value: 15, day: "2024-01-11" });
    expect(result.columns.map((c) => c.name)).toEqual(["location_id", "n", "value", "day"]);
    expect(toCsv(result.columns, result.rows.slice(0, 1))).toBe("location_id,n,value,day\r\nL1,10,15,2024-01-11\r\n");
  });

  it("cannot read server files from a cell", async () => {
    await expect(runTileSql({ sql: "SELECT * FROM read_text('/etc/passwd')", params: {}, datasets: {} })).rejects.toThrow();
  });
});

describe("report visibility", () => {
  const report = (over: Partial<ReportAccessFacts>): ReportAccessFacts => ({
    ownerId: "owner",
    visibility: "workspace",
    linkToken: null,
    groupIds: [],
    ...over,
  });
  const viewer = { id: "v", role: "viewer", groupIds: ["g1"] };

  it("workspace: every signed-in user; anonymous must sign in", () => {
    expect(decideReportAccess(viewer, report({}), null)).toBe("allowed");
    expect(decideReportAccess(null, report({}), null)).toBe("sign-in");
  });
  it("groups: members only", () => {
    expect(decideReportAccess(viewer, report({ visibility: "groups", groupIds: ["g1"] }), null)).toBe("allowed");
    expect(decideReportAccess(viewer, report({ visibility: "groups", groupIds: ["g2"] }), null)).toBe("forbidden");
  });
  it("link: the token opens it, signed in or not; without it, no", () => {
    const linked = report({ visibility: "link", linkToken: "secret-token" });
    expect(decideReportAccess(null, linked, "secret-token")).toBe("allowed");
    expect(decideReportAccess(viewer, linked, "secret-token")).toBe("allowed");
    expect(decideReportAccess(viewer, linked, null)).toBe("forbidden");
    expect(decideReportAccess(viewer, linked, "secret-tokeX")).toBe("forbidden");
    expect(decideReportAccess(null, linked, "wrong")).toBe("sign-in");
  });
  it("nobody: the owner and admins only", () => {
    const hidden = report({ visibility: "nobody" });
    expect(decideReportAccess(viewer, hidden, null)).toBe("forbidden");
    expect(decideReportAccess({ id: "owner", role: "analyst", groupIds: [] }, hidden, null)).toBe("allowed");
    expect(decideReportAccess({ id: "a", role: "admin", groupIds: [] }, hidden, null)).toBe("allowed");
  });
});
