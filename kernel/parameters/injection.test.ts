/**
 * The injection corpus: values written to change a query (quotes, comments, stacked statements, UNION, parameter
 * look-alikes, unicode quotes, NUL bytes…) bound through input definitions and the real engine. Each must match only
 * rows equal to itself, and no table or view may change or appear.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeEngine } from "../engine/node.ts";
import { bindingsFor, ParameterError, parseDefinitions } from "./index.ts";
import { INJECTION_CORPUS } from "./injection-corpus.ts";

const engine = new NodeEngine();
const defs = parseDefinitions([
  { name: "name", type: "text", maxLength: 1_000 },
  { name: "list", type: "multi-select" },
  { name: "other", type: "text" },
  { name: "n", type: "number" },
]);
const SNAPSHOT = `SELECT schema_name, table_name, estimated_size, sql FROM duckdb_tables()
  UNION ALL SELECT schema_name, view_name, NULL, sql FROM duckdb_views() WHERE NOT internal ORDER BY ALL`;
let before: unknown;

/** The schema and every row of every table we own. */
async function state() {
  const objects = (await engine.query(SNAPSHOT)).rows;
  const x = (await engine.query("SELECT * FROM x ORDER BY a")).rows;
  const t = (await engine.query("SELECT name FROM t ORDER BY id")).rows;
  return { objects, x, t };
}

beforeAll(async () => {
  // The corpus goes in bound as a list too: no value is ever spliced, even in the test.
  await engine.defineView("t", "SELECT * FROM (SELECT unnest($values) AS name, generate_subscripts($values, 1) AS id)", {
    values: INJECTION_CORPUS,
  });
  await engine.defineView("x", "SELECT * FROM range(3) r(a)", { unused: null });
  await engine.defineView("v", "SELECT a * 2 AS b FROM x");
  before = await state();
}, 60_000);

afterAll(() => engine.close());

const rowsEqualTo = (value: string) => INJECTION_CORPUS.filter((v) => v === value).map((name) => ({ name }));

describe("the injection corpus, bound through the engine", () => {
  it("the corpus table holds every value intact", async () => {
    expect((await state()).t.map((r) => r.name)).toEqual(INJECTION_CORPUS);
  });

  it.each(INJECTION_CORPUS.map((v) => [JSON.stringify(v), v]))("= %s matches only itself", async (_label, value) => {
    const params = bindingsFor(defs, { name: value, other: "Bo", list: [] });
    const result = await engine.query("SELECT name FROM t WHERE name = $name ORDER BY id", params);
    expect(result.rows).toEqual(rowsEqualTo(value));
    const listed = await engine.query(
      "SELECT name FROM t WHERE name IN (SELECT unnest($list)) ORDER BY id",
      bindingsFor(defs, { name: "", list: [value, "plain"] }),
    );
    expect(listed.rows).toEqual(INJECTION_CORPUS.filter((v) => v === value || v === "plain").map((name) => ({ name })));
  });

  it("a value inside a function stays text: contains() finds exactly the values holding it", async () => {
    for (const value of INJECTION_CORPUS) {
      const r = await engine.query(
        "SELECT name FROM t WHERE contains(name, $name) ORDER BY id",
        bindingsFor(defs, { name: value }),
      );
      expect(r.rows.map((row) => row.name)).toEqual(INJECTION_CORPUS.filter((v) => v.includes(value)));
    }
  });

  it("a cell materialized with bound parameters (CREATE TABLE … AS) holds only the matching rows", async () => {
    for (const value of ["'; DROP TABLE x; --", "$other", "\u0000", "' OR '1'='1"]) {
      await engine.defineView("cell_result", "SELECT name FROM t WHERE name = $name", bindingsFor(defs, { name: value }));
      expect((await engine.query("SELECT name FROM cell_result")).rows).toEqual(rowsEqualTo(value));
    }
    await engine.dropView("cell_result");
  });

  it("a value of the wrong type is refused before it reaches SQL", () => {
    expect(() => bindingsFor(defs, { n: "1 OR 1=1" as unknown as number })).toThrow(ParameterError);
    expect(() => bindingsFor(defs, { n: "1 OR 1=1" as unknown as number })).toThrow("`n`: '1 OR 1=1' is not a number");
    expect(() => bindingsFor(defs, { list: "a','b" as unknown as string[] })).toThrow("`list`: expected a list of options");
    expect(() => bindingsFor(defs, { name: ["x"] as unknown as string })).toThrow("`name`: expected text");
  });

  it("changed and created nothing", async () => {
    expect(await state()).toEqual(before);
  });
});
