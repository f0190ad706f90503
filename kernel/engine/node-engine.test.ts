import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineError } from "./errors.ts";
import { NodeEngine } from "./node-engine.ts";
import { writeBaseDataset } from "./test-support/dataset.ts";
import { type RangeServer, startRangeServer } from "./test-support/range-server.ts";

let server: RangeServer;
let file: string;
let dir: string;
const http: { method: string; range?: string }[] = [];
const engine = new NodeEngine({ onHttpRequest: (method, _url, range) => http.push({ method, range }) });

beforeAll(async () => {
  const written = await writeBaseDataset();
  file = path.basename(written.file);
  dir = written.dir;
  server = await startRangeServer(written.dir);
  await engine.attach("malaria", server.url(file));
}, 60_000);

afterAll(async () => {
  await engine.close();
  await server?.close();
});

describe("NodeEngine over an HTTP dataset file", () => {
  it("attaches the dataset lazily and reads it with range requests only", async () => {
    expect(http).toHaveLength(0); // attach() only registers
    const result = await engine.query(
      "SELECT l.level2_name AS district, sum(value) AS total FROM malaria.observations o JOIN malaria.locations l USING (location_id) WHERE field_id = 'cases' GROUP BY ALL ORDER BY district",
    );
    expect(result.columns).toEqual([
      { name: "district", type: "VARCHAR" },
      { name: "total", type: "DOUBLE" },
    ]);
    // F1: 24 × 10 + 2 × 78 = 396; F2 adds 1000 a month.
    expect(result.rows).toEqual([
      { district: "Bo District", total: 396 },
      { district: "Kenema District", total: 24396 },
    ]);
    expect(result.totalRows).toBe(2);
    expect(http.length).toBeGreaterThan(0);
    expect(http.every((r) => r.range !== undefined)).toBe(true);
    const log = await server.requests();
    expect(log.every((r) => r.range !== null)).toBe(true);
    expect(log.some((r) => r.method === "HEAD")).toBe(true);
  });

  it("attaching the same slug twice is a no-op", async () => {
    await engine.attach("malaria", server.url(file));
    expect(engine.datasets()).toEqual(["malaria"]);
    expect((await engine.query("SELECT count(*) AS n FROM malaria.fields")).rows).toEqual([{ n: 2 }]);
  });

  it("refuses a slug that is not a plain lower-case identifier", async () => {
    await expect(engine.attach("x' AS y; --", server.url(file))).rejects.toThrow("Dataset slug");
    expect(engine.datasets()).toEqual(["malaria"]);
  });

  it("caps rows kept for display and still reports the total", async () => {
    const result = await engine.query(
      "SELECT * FROM malaria.observations ORDER BY field_id, period_start, location_id",
      undefined,
      { maxRows: 10 },
    );
    expect(result.rows).toHaveLength(10);
    expect(result.totalRows).toBe(96);
    expect(result.truncated).toBe(true);
    expect(result.rows[0]).toMatchObject({
      field_id: "cases",
      period_start: "2023-01-01",
      period_id: "202301",
      disaggregation: null,
    });
    const types = Object.fromEntries(result.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ period_start: "DATE", value: "DOUBLE", field_id: "VARCHAR" });
  });

  it("binds $name parameters, lists included, without splicing", async () => {
    const result = await engine.query(
      "SELECT count(*) AS n FROM malaria.observations WHERE field_id = $field AND list_contains($places, location_id) AND period_start >= $from::DATE",
      { field: "cases", places: ["F1", "F2"], from: "2024-01-01" },
    );
    expect(result.rows).toEqual([{ n: 24 }]);
    const hostile = await engine.query("SELECT count(*) AS n FROM malaria.fields WHERE field_id = $f", { f: "x' OR '1'='1" });
    expect(hostile.rows).toEqual([{ n: 0 }]);
  });

  it("refuses a query whose parameter has no value, naming it", async () => {
    await expect(engine.query("SELECT $missing AS x", {})).rejects.toThrow("$missing has no value");
  });

  it("reports DuckDB's message and the position in the user's SQL", async () => {
    const sql = "SELECT nope\nFROM malaria.fields";
    const error = await engine.query(sql).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toContain("Binder Error");
    expect((error as EngineError).position).toBe(sql.indexOf("nope"));
    const syntax = (await engine.query("SELECT 1 +").catch((e: unknown) => e)) as EngineError;
    expect(syntax.message).toContain("syntax error");
    expect(syntax.position).toBe(10);
  });

  it("keeps positions right after a parameter is rewritten", async () => {
    const sql = "SELECT $value AS v, missing_column FROM malaria.fields";
    const error = (await engine.query(sql, { value: [1, 2, 3] }).catch((e: unknown) => e)) as EngineError;
    expect(error.position).toBe(sql.indexOf("missing_column"));
  });

  it("defines a view, or a table when the SQL has parameters", async () => {
    expect(await engine.defineView("cases", "SELECT * FROM malaria.observations WHERE field_id = 'cases'")).toEqual({
      kind: "view",
    });
    expect(
      await engine.defineView("recent", "SELECT * FROM cases WHERE period_start >= $from::DATE", { from: "2024-07-01" }),
    ).toEqual({ kind: "table" });
    expect((await engine.query("SELECT count(*) AS n FROM recent")).rows).toEqual([{ n: 12 }]);
    // Switching kind replaces the other object.
    expect(await engine.defineView("recent", "SELECT 1 AS one")).toEqual({ kind: "view" });
    expect((await engine.query("SELECT * FROM recent")).rows).toEqual([{ one: 1 }]);
    await engine.dropView("recent");
    await expect(engine.query("SELECT * FROM recent")).rejects.toThrow("recent");
  });

  it("restores definitions and datasets after a restart", async () => {
    await engine.defineView("after_restart", "SELECT count(*) AS n FROM cases");
    await engine.restart();
    expect((await engine.query("SELECT n FROM after_restart")).rows).toEqual([{ n: 48 }]);
  });

  it("reports a view's SQL error at the position in the cell's text", async () => {
    const sql = "SELECT field_id,\n  bogus FROM malaria.fields";
    const error = (await engine.defineView("broken", sql).catch((e: unknown) => e)) as EngineError;
    expect(error.position).toBe(sql.indexOf("bogus"));
    const firstLine = (await engine
      .defineView("broken", "SELECT bogus FROM malaria.fields")
      .catch((e: unknown) => e)) as EngineError;
    expect(firstLine.position).toBe(7);
  });

  it("refuses a second statement after a semicolon", async () => {
    const error = (await engine.query("SELECT 1; DROP VIEW cases").catch((e: unknown) => e)) as EngineError;
    expect(error.kind).toBe("input");
    expect(error.position).toBe(8);
    expect((await engine.query("SELECT 1 AS x;")).rows).toEqual([{ x: 1 }]);
  });
});

describe("parseTables", () => {
  it("uses DuckDB's binder: CTEs excluded, schema-qualified names kept", async () => {
    const refs = await engine.parseTables(
      "WITH a AS (SELECT * FROM cell1) SELECT * FROM a JOIN malaria.locations USING (location_id), cell2 WHERE x IN (SELECT y FROM cell3 WHERE z = $p)",
    );
    expect(refs).toEqual(
      expect.arrayContaining([
        { schema: null, name: "cell1" },
        { schema: null, name: "cell2" },
        { schema: null, name: "cell3" },
        { schema: "malaria", name: "locations" },
      ]),
    );
    expect(refs).toHaveLength(4);
  });

  it("names a cell's view as the reference once it exists, not the tables inside it", async () => {
    await engine.defineView("analysis_step", "SELECT * FROM malaria.observations WHERE field_id = 'cases'");
    expect(await engine.parseTables("SELECT count(*) FROM analysis_step")).toEqual([{ schema: null, name: "analysis_step" }]);
    expect(await engine.parseTables("SELECT * FROM analysis_step a JOIN malaria.locations l USING (location_id)")).toEqual(
      expect.arrayContaining([
        { schema: null, name: "analysis_step" },
        { schema: "malaria", name: "locations" },
      ]),
    );
    // The analysis leaves the connection's own catalog alone: the view still answers queries.
    expect((await engine.query("SELECT count(*) AS n FROM analysis_step")).rows[0].n).toBeGreaterThan(0);
  });

  it("survives USING joins on tables that do not exist yet", async () => {
    const refs = await engine.parseTables("SELECT * FROM first_step f JOIN second_step s USING (location_id)");
    expect(refs).toEqual([
      { schema: null, name: "first_step" },
      { schema: null, name: "second_step" },
    ]);
  });

  it("does not mistake a column qualifier, a string or a comment for a table", async () => {
    const refs = await engine.parseTables("SELECT cell1.a, 'FROM cell9' AS s -- FROM cell8\nFROM cell1");
    expect(refs).toEqual([{ schema: null, name: "cell1" }]);
  });

  it("reports a syntax error with its position", async () => {
    const error = (await engine.parseTables("SELECT * FROM").catch((e: unknown) => e)) as EngineError;
    expect(error).toBeInstanceOf(EngineError);
    expect(error.position).toBe(13);
  });

  it("lists $name parameters", async () => {
    expect((await engine.analyze("SELECT $a, '$b', $a + $c")).parameters).toEqual(["a", "c"]);
  });
});

describe("a server without range support", () => {
  it("fails loudly instead of downloading the whole file", async () => {
    const plain = await startRangeServer(dir, { ranges: false });
    const other = new NodeEngine();
    try {
      await other.attach("malaria", plain.url(file));
      await expect(other.query("SELECT count(*) FROM malaria.fields")).rejects.toThrow(/range/);
      expect((await plain.requests()).every((r) => r.method === "HEAD")).toBe(true);
    } finally {
      await other.close();
      await plain.close();
    }
  });
});

describe("stream (export)", () => {
  it("yields the whole result, uncapped, in batches", async () => {
    let rows = 0;
    let columns: string[] = [];
    for await (const chunk of engine.stream("SELECT * FROM malaria.observations CROSS JOIN range(50) WHERE field_id = $f", {
      f: "cases",
    })) {
      rows += chunk.rows.length;
      columns = chunk.columns.map((c) => c.name);
    }
    expect(rows).toBe(48 * 50);
    expect(columns).toContain("period_start");
  });

  it("reports an error with its position", async () => {
    const consume = async () => {
      for await (const _ of engine.stream("SELECT oops FROM malaria.fields")) void _;
    };
    await expect(consume()).rejects.toMatchObject({ position: 7 });
  });
});
