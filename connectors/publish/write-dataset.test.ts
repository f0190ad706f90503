import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Observation } from "../core/types.ts";
import { openDuckDB } from "./duckdb.ts";
import { sampleDataset, sampleValue } from "./testing/sample-dataset.ts";
import { writeDatasetFile, writeDatasetFileFromTable } from "./write-dataset.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "publish-write-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function query(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await openDuckDB();
  try {
    await db.connection.run(`ATTACH '${file}' AS ds (READ_ONLY)`);
    return (await db.connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe("writeDatasetFile", () => {
  it("writes observations sorted by field then period, locations with level columns, and fields", async () => {
    const data = sampleDataset({ facilitiesPerDistrict: 3, fieldCount: 3, months: 14 });
    const file = path.join(dir, "v1.duckdb");
    const summary = await writeDatasetFile(file, {
      observations: data.observationBatches(500),
      locations: data.locations,
      fields: data.fields,
    });
    expect(summary.observations).toBe(data.observationCount);
    expect(summary.observationsWithUnknownLocation).toBe(0);
    expect(summary.levelColumns.map((l) => l.alias)).toEqual(["country", "region", "district", "health_facility"]);
    // Only the database file is left: no staging CSV, spill directory or WAL.
    expect(readdirSync(dir)).toEqual(["v1.duckdb"]);

    const [order] = await query(
      file,
      `SELECT count(*) FILTER (WHERE NOT ok) AS out_of_order FROM (
         SELECT field_id > lag(field_id) OVER w OR (field_id = lag(field_id) OVER w AND period_start >= lag(period_start) OVER w)
                OR lag(field_id) OVER w IS NULL AS ok
         FROM ds.observations WINDOW w AS (ORDER BY rowid))`,
    );
    expect(Number(order.out_of_order)).toBe(0);

    const sums = await query(
      file,
      `SELECT district, level_3_name, sum(value) AS total FROM ds.observations JOIN ds.locations USING (location_id)
       WHERE field_id = 'F2' GROUP BY ALL ORDER BY district`,
    );
    const expected = new Map<string, number>();
    for (const loc of data.locations.filter((l) => l.level === 4)) {
      const district = data.locations.find((l) => l.location_id === loc.parent_id)?.name as string;
      for (let m = 0; m < 14; m++) expected.set(district, (expected.get(district) ?? 0) + sampleValue(loc.location_id, 1, m));
    }
    expect(sums.map((r) => [r.district, r.level_3_name, r.total])).toEqual(
      [...expected].sort().map(([d, total]) => [d, d, total]),
    );

    const [region] = await query(file, `SELECT region, country, level_4_name FROM ds.locations WHERE location_id = 'R2D1F1'`);
    expect(region).toEqual({ region: "Région 2", country: "Sierra Leone", level_4_name: "Facility R2D1F1" });
    const [field] = await query(file, `SELECT description, aggregation FROM ds.fields WHERE field_id = 'F1'`);
    expect(field).toEqual({ description: 'Cases "confirmed", by RDT\nsecond line', aggregation: "sum" });
    const [types] = await query(file, `SELECT typeof(period_start) AS ps, typeof(value) AS v FROM ds.observations LIMIT 1`);
    expect(types).toEqual({ ps: "DATE", v: "DOUBLE" });
  });

  it("keeps awkward text exactly: quotes, commas, newlines, empty strings apart from NULL", async () => {
    const base: Observation = {
      source: "s",
      field_id: "F1",
      disaggregation: null,
      location_id: "C1",
      period_type: "Yearly",
      period_id: "2021",
      period_start: "2021-01-01",
      period_end: "2021-12-31",
      value: null,
      value_text: null,
    };
    const texts = ['say "hi", then\nleave', "", " padded ", "naïve ✓", null];
    const rows = texts.map((t, i) => ({ ...base, location_id: `L${i}`, value_text: t, disaggregation: t, value: i + 0.1 }));
    const file = path.join(dir, "text.duckdb");
    await writeDatasetFile(file, { observations: [rows], locations: [], fields: [] });
    const back = await query(file, `SELECT value_text, disaggregation, value FROM ds.observations ORDER BY location_id`);
    expect(back.map((r) => r.value_text)).toEqual(texts);
    expect(back.map((r) => r.disaggregation)).toEqual(texts);
    expect(back.map((r) => r.value)).toEqual([0.1, 1.1, 2.1, 3.1, 4.1]);
  });

  it("names the batch, row and column of a bad value and leaves no file behind", async () => {
    const data = sampleDataset({ facilitiesPerDistrict: 1, fieldCount: 1, months: 1 });
    const [batch] = [...data.observationBatches()];
    const broken = batch.map((o, i) => (i === 4 ? { ...o, period_start: "2020-1-01" } : o));
    const file = path.join(dir, "bad.duckdb");
    await expect(
      writeDatasetFile(file, { observations: [batch, broken], locations: data.locations, fields: data.fields }),
    ).rejects.toThrow("observations batch 2, row 5, column `period_start`: '2020-1-01' is not a date (YYYY-MM-DD)");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("rejects a location whose path does not end with its own id, and refuses to overwrite a file", async () => {
    const data = sampleDataset({ facilitiesPerDistrict: 1 });
    const locations = data.locations.map((l) => (l.location_id === "R1" ? { ...l, path: "/C1" } : l));
    const file = path.join(dir, "v1.duckdb");
    await expect(writeDatasetFile(file, { observations: [], locations, fields: [] })).rejects.toThrow(
      "locations row 2 (location_id 'R1'): path '/C1' must start with '/' and end with the location's own id",
    );
    expect(existsSync(file)).toBe(false);
    await writeDatasetFile(file, { observations: [], locations: data.locations, fields: data.fields });
    await expect(writeDatasetFile(file, { observations: [], locations: [], fields: [] })).rejects.toThrow("already exists");
  });

  it("counts observations whose location or field is unknown instead of dropping them", async () => {
    const data = sampleDataset({ facilitiesPerDistrict: 1, fieldCount: 2, months: 1 });
    const file = path.join(dir, "v1.duckdb");
    const summary = await writeDatasetFile(file, {
      observations: data.observationBatches(),
      locations: data.locations.filter((l) => l.location_id !== "R1D1F1"),
      fields: data.fields.slice(1),
    });
    expect(summary.observations).toBe(data.observationCount);
    expect(summary.observationsWithUnknownLocation).toBe(2);
    expect(summary.observationsWithUnknownField).toBe(data.observationCount / 2);
  });
});

describe("writeDatasetFileFromTable", () => {
  it("writes from a caller's DuckDB table, casting and sorting", async () => {
    const data = sampleDataset({ facilitiesPerDistrict: 2, fieldCount: 2, months: 3 });
    const db = await openDuckDB();
    try {
      const c = db.connection;
      // Text dates and an extra column, as a read_csv load might produce them.
      await c.run(
        `CREATE TABLE staged AS SELECT * FROM (VALUES
          ('x', 'F2', NULL, 'R1D1F1', 'Monthly', '202002', '2020-02-01', '2020-02-29', '5', NULL, 'extra'),
          ('x', 'F1', NULL, 'R1D1F2', 'Monthly', '202003', '2020-03-01', '2020-03-31', '7', NULL, 'extra'),
          ('x', 'F1', '<5y', 'R1D1F1', 'Monthly', '202001', '2020-01-01', '2020-01-31', NULL, 'n/a', 'extra'))
          t(source, field_id, disaggregation, location_id, period_type, period_id, period_start, period_end, value, value_text, other)`,
      );
      const file = path.join(dir, "from-table.duckdb");
      const summary = await writeDatasetFileFromTable(c, { name: "staged" }, file, data);
      expect(summary.observations).toBe(3);
      // The caller's connection is left as it was: the target is detached.
      const attached = (await c.runAndReadAll("SELECT database_name FROM duckdb_databases() WHERE NOT internal")).getRowsJS();
      expect(attached.flat()).toEqual(["memory"]);
      const rows = await query(file, "SELECT field_id, period_id, value, value_text FROM ds.observations");
      expect(rows).toEqual([
        { field_id: "F1", period_id: "202001", value: null, value_text: "n/a" },
        { field_id: "F1", period_id: "202003", value: 7, value_text: null },
        { field_id: "F2", period_id: "202002", value: 5, value_text: null },
      ]);
    } finally {
      db.close();
    }
  });
});
