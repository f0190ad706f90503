import { afterAll, describe, expect, it } from "vitest";
import { NodeEngine } from "../../kernel/engine/node.ts";
import { exportCsv, exportJson } from "../../kernel/exporters/index.ts";
import { probeExport, streamExport } from "./stream-export.server.ts";

const engine = new NodeEngine();
afterAll(() => engine.close());

/** Every awkward value; `id` orders it. */
const TRICKY = `SELECT * FROM (VALUES
  (1, 'plain', 2.0::DOUBLE, 9007199254740993::BIGINT, DATE '2024-01-31', TIMESTAMP '2024-01-31 13:45:00', 1234567.89::DECIMAL(12,2), true, [1, 2]),
  (2, 'has "quotes", commas', -0.25::DOUBLE, -42::BIGINT, DATE '1999-12-31', NULL, 0.10::DECIMAL(12,2), false, []),
  (3, E'line one\\nline two\\r\\nthree', -0.0::DOUBLE, NULL, NULL, NULL, -5.00::DECIMAL(12,2), NULL, NULL),
  (4, '=HYPERLINK("x")', 3.141592653589793::DOUBLE, 123::BIGINT, DATE '2024-02-29', TIMESTAMP '2024-02-29 00:00:01.5', 0::DECIMAL(12,2), NULL, [3]),
  (5, '', 100::DOUBLE, 0::BIGINT, NULL, NULL, NULL, true, NULL),
  (6, NULL, NULL, '-9223372036854775808'::BIGINT, NULL, NULL, NULL, NULL, NULL),
  (7, E'-1\\t@x', 1e21::DOUBLE, 1::BIGINT, NULL, NULL, 99.99::DECIMAL(12,2), NULL, NULL),
  (8, 'Kénéma — 東京 ✓ 🦟', 0.1::DOUBLE, 2::BIGINT, NULL, NULL, NULL, NULL, NULL)
) t(id, name, x, big, day, stamp, amount, flag, list) ORDER BY id`;

function collector() {
  const chunks: Uint8Array[] = [];
  const sink = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
  return { sink, text: () => Buffer.concat(chunks).toString("utf8") };
}

describe("the server stream's CSV (written by native DuckDB)", () => {
  it("is byte for byte the kernel exporter's CSV of the same result (browser engine, DECIMAL types given)", async () => {
    const server = collector();
    const summary = await streamExport({ sql: TRICKY, params: {}, datasets: {}, format: "csv" }, server.sink);
    expect(summary.rows).toBe(8);
    const browser = collector();
    const types = Object.fromEntries((await probeExport({ sql: TRICKY, params: {}, datasets: {} })).map((c) => [c.name, c.type]));
    await exportCsv(engine.stream(TRICKY), browser.sink, { types });
    expect(server.text()).toBe(browser.text());
    expect(server.text().split("\r\n").slice(0, 2)).toEqual([
      "id,name,x,big,day,stamp,amount,flag,list",
      '1,plain,2,9007199254740993,2024-01-31,2024-01-31T13:45:00.000Z,1234567.89,true,"[1,2]"',
    ]);
    expect(server.text()).toContain(`\r\n4,"'=HYPERLINK(""x"")",3.141592653589793,`);
    expect(server.text()).toContain('\r\n3,"line one\nline two\r\nthree",0,,,,-5.00,,\r\n');
  });

  it("writes the header alone for 0 rows, with a BOM on request; binds values", async () => {
    const out = collector();
    await streamExport(
      { sql: "SELECT i AS n FROM range(10) t(i) WHERE i > $min", params: { min: 100 }, datasets: {}, format: "csv-bom" },
      out.sink,
    );
    expect(out.text()).toBe("\uFEFFn\r\n");
  });

  it("JSON: DECIMAL exact with its scale, big integers as strings, the same values as the browser's JSON", async () => {
    const server = collector();
    await streamExport({ sql: TRICKY, params: {}, datasets: {}, format: "json" }, server.sink);
    const rows = JSON.parse(server.text());
    expect(rows[0]).toEqual({
      id: 1,
      name: "plain",
      x: 2,
      big: "9007199254740993",
      day: "2024-01-31",
      stamp: "2024-01-31T13:45:00.000Z",
      amount: 1234567.89,
      flag: true,
      list: [1, 2],
    });
    expect(server.text()).toContain('"amount":0.10');
    const browser = collector();
    const types = Object.fromEntries((await probeExport({ sql: TRICKY, params: {}, datasets: {} })).map((c) => [c.name, c.type]));
    await exportJson(engine.stream(TRICKY), browser.sink, { types });
    expect(rows).toEqual(JSON.parse(browser.text()));
  });

  it("refuses anything but one SELECT and reports missing values", async () => {
    const out = collector();
    await expect(streamExport({ sql: "SELECT $x AS v", params: {}, datasets: {}, format: "csv" }, out.sink)).rejects.toThrow(
      /\$x has no value/,
    );
    await expect(
      streamExport({ sql: "SELECT 1; SELECT 2", params: {}, datasets: {}, format: "json" }, collector().sink),
    ).rejects.toThrow(/Only one SELECT/);
    await expect(
      streamExport({ sql: "SELECT * FROM read_text('/etc/passwd')", params: {}, datasets: {}, format: "csv" }, collector().sink),
    ).rejects.toThrow(/disabled|not allowed/i);
  });
});
