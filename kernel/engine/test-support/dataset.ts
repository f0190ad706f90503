/** Writes a small base-format dataset file (DESIGN.md) with native DuckDB, in the storage version DuckDB-WASM reads. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

export async function writeBaseDataset(
  dir = mkdtempSync(path.join(tmpdir(), "kernel-ds-")),
  name = "malaria.duckdb",
): Promise<{ dir: string; file: string }> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  const file = path.join(dir, name);
  try {
    await conn.run(`ATTACH '${file.replaceAll("'", "''")}' AS d (STORAGE_VERSION 'v1.4.0')`);
    await conn.run(`CREATE TABLE d.locations AS SELECT * FROM (VALUES
      ('L0', 'Country', 1, 'National', NULL, 'L0', 'Country', NULL, NULL),
      ('D1', 'Bo District', 2, 'District', 'L0', 'L0/D1', 'Country', 'Bo District', NULL),
      ('D2', 'Kenema District', 2, 'District', 'L0', 'L0/D2', 'Country', 'Kenema District', NULL),
      ('F1', 'Bo Clinic', 3, 'Facility', 'D1', 'L0/D1/F1', 'Country', 'Bo District', 'Bo Clinic'),
      ('F2', 'Kenema Clinic', 3, 'Facility', 'D2', 'L0/D2/F2', 'Country', 'Kenema District', 'Kenema Clinic')
    ) t(location_id, name, level, level_name, parent_id, path, level1_name, level2_name, level3_name)`);
    await conn.run(`CREATE TABLE d.fields AS SELECT * FROM (VALUES
      ('cases', 'Malaria cases', 'Confirmed cases', 'cases', 'abc123', 'sum'),
      ('tested', 'Tested', 'People tested', 'people', 'def456', 'sum')
    ) t(field_id, name, description, unit, source_field_id, aggregation)`);
    // 2 fields × 24 months × 2 facilities = 96 rows; values are deterministic so tests can check sums.
    await conn.run(`CREATE TABLE d.observations AS
      SELECT 'src1' AS source, f.field_id, NULL::VARCHAR AS disaggregation, l.location_id, 'Monthly' AS period_type,
             strftime(m, '%Y%m') AS period_id, m::DATE AS period_start, (m + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS period_end,
             (CASE f.field_id WHEN 'cases' THEN 10 ELSE 100 END + month(m) + CASE l.location_id WHEN 'F1' THEN 0 ELSE 1000 END)::DOUBLE AS value,
             NULL::VARCHAR AS value_text
      FROM (VALUES ('cases'), ('tested')) f(field_id)
      CROSS JOIN (VALUES ('F1'), ('F2')) l(location_id)
      CROSS JOIN range(DATE '2023-01-01', DATE '2025-01-01', INTERVAL 1 MONTH) r(m)
      ORDER BY f.field_id, period_start`);
    await conn.run("DETACH d");
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return { dir, file };
}
