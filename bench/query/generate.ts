/**
 * The query benchmark's dataset: a real published-format file (connectors/publish `writeDatasetFileFromTable`, storage
 * v1.4.0), dense monthly facility data: facilities × 60 months × 140 fields, ~4% of cells not reported.
 * Rows are made by native DuckDB from a cross join (10M rows in seconds; no JS row objects), values from integer
 * arithmetic only, so the same size gives the same file on any machine and DuckDB version.
 * A `.meta.json` beside the file lets a later run reuse it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import type { FieldRow, LocationRow } from "../../connectors/core/types.ts";
import { writeDatasetFileFromTable } from "../../connectors/publish/index.ts";

const GENERATOR_VERSION = 1;
export const DATA_DIR = fileURLToPath(new URL("../.data/", import.meta.url));

export interface QuerySize {
  facilities: number;
  districts: number;
  regions: number;
  months: number;
  fields: number;
  /** Percent of facility × month × field cells left out (not reported). */
  missingPercent: number;
}

export const FULL_SIZE: QuerySize = { facilities: 1240, districts: 16, regions: 4, months: 60, fields: 140, missingPercent: 4 };
export const QUICK_SIZE: QuerySize = { ...FULL_SIZE, facilities: 124 };

export interface GeneratedDataset {
  file: string;
  size: QuerySize;
  rows: number;
  bytes: number;
  generatorVersion: number;
  seconds: number;
}

/** An 11-character id shaped like a DHIS2 uid, from a deterministic integer (no randomness: same everywhere). */
export function uid(prefix: string, n: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let x = (n + 1) * 2654435761;
  let out = prefix;
  while (out.length < 11) {
    out += alphabet[x % alphabet.length];
    x = Math.floor(x / alphabet.length) + 7919 * out.length;
  }
  return out;
}

export function benchLocations(size: QuerySize): { rows: LocationRow[]; facilityIds: string[] } {
  const country: LocationRow = loc("C", 0, "Benchland", 1, "Country", null, "");
  const rows: LocationRow[] = [country];
  const regions = Array.from({ length: size.regions }, (_, r) =>
    loc("R", r, `Region ${r + 1}`, 2, "Region", country.location_id, country.path),
  );
  const districts = Array.from({ length: size.districts }, (_, d) => {
    const region = regions[d % size.regions];
    return loc("D", d, `District ${String(d + 1).padStart(2, "0")}`, 3, "District", region.location_id, region.path);
  });
  const facilities = Array.from({ length: size.facilities }, (_, f) => {
    const district = districts[f % size.districts];
    return loc("F", f, `Facility ${String(f + 1).padStart(4, "0")}`, 4, "Facility", district.location_id, district.path);
  });
  rows.push(...regions, ...districts, ...facilities);
  return { rows, facilityIds: facilities.map((f) => f.location_id) };
}

function loc(
  prefix: string,
  n: number,
  name: string,
  level: number,
  levelName: string,
  parent: string | null,
  parentPath: string,
) {
  const id = uid(prefix, n);
  return {
    location_id: id,
    code: null,
    name,
    level,
    level_name: levelName,
    parent_id: parent,
    path: `${parentPath}/${id}`,
    geometry: null,
  };
}

/** Field 0 is "tested", field 1 "confirmed": the ratio query divides them. */
export function benchFields(size: QuerySize): FieldRow[] {
  const named = ["Malaria tests performed", "Malaria confirmed cases", "ANC 1st visit", "Measles doses given"];
  return Array.from({ length: size.fields }, (_, k) => ({
    field_id: uid("E", k),
    name: named[k] ?? `Indicator ${String(k + 1).padStart(3, "0")}`,
    description: null,
    unit: k === 0 ? "tests" : "count",
    source_field_id: null,
    aggregation: "sum" as const,
  }));
}

export function defaultDatasetPath(size: QuerySize): string {
  return path.join(DATA_DIR, `query-${size.facilities}x${size.months}x${size.fields}-v${GENERATOR_VERSION}.duckdb`);
}

export async function ensureDataset(size: QuerySize, file = defaultDatasetPath(size)): Promise<GeneratedDataset> {
  const metaPath = `${file}.meta.json`;
  if (existsSync(file) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as GeneratedDataset;
    if (meta.generatorVersion === GENERATOR_VERSION && JSON.stringify(meta.size) === JSON.stringify(size)) {
      return { ...meta, file, seconds: 0 };
    }
  }
  rmSync(file, { force: true });
  mkdirSync(path.dirname(file), { recursive: true });
  const started = performance.now();
  const { rows: locations, facilityIds } = benchLocations(size);
  const fields = benchFields(size);
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    temp_directory: `${file}.spill`,
  });
  const conn = await instance.connect();
  try {
    // Ids are generated above (letters and digits only), so they can sit in the SQL text.
    const values = (ids: string[]) => ids.map((id, k) => `(${k}, '${id}')`).join(",");
    await conn.run(`CREATE TABLE fac AS SELECT * FROM (VALUES ${values(facilityIds)}) t(k, location_id)`);
    await conn.run(`CREATE TABLE fld AS SELECT * FROM (VALUES ${values(fields.map((f) => f.field_id))}) t(k, field_id)`);
    // A facility's size (1..40), a field's scale and a seasonal swing give plausible magnitudes; confirmed (field 1)
    // is ~30% of tested (field 0) so the ratio query returns a positivity rate.
    await conn.run(`CREATE TABLE obs AS
      WITH months AS (SELECT (DATE '2020-01-01' + INTERVAL (i) MONTH)::DATE AS m, i FROM range(${size.months}) t(i))
      SELECT 'bench-hmis' AS source, f.field_id, NULL::VARCHAR AS disaggregation, l.location_id, 'Monthly' AS period_type,
             strftime(mo.m, '%Y%m') AS period_id, mo.m AS period_start, last_day(mo.m) AS period_end,
             ((1 + (l.k * 37) % 40) * (CASE f.k WHEN 0 THEN 10 WHEN 1 THEN 3 ELSE 1 + f.k % 7 END)
              * (80 + ((f.k * 7919 + l.k * 104729 + mo.i * 1299709) * 2654435761) % 41
                 + CASE WHEN month(mo.m) BETWEEN 5 AND 9 THEN 20 ELSE 0 END) // 100)::DOUBLE AS value,
             NULL::VARCHAR AS value_text
      FROM fld f CROSS JOIN fac l CROSS JOIN months mo
      WHERE ((f.k * 31337 + l.k * 7727 + mo.i * 104723) * 2246822519) % 100 >= ${size.missingPercent}`);
    const summary = await writeDatasetFileFromTable(conn, { name: "obs" }, file, { locations, fields });
    const generated: GeneratedDataset = {
      file,
      size,
      rows: summary.observations,
      bytes: summary.bytes,
      generatorVersion: GENERATOR_VERSION,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    writeFileSync(metaPath, `${JSON.stringify(generated, null, 2)}\n`);
    return generated;
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(`${file}.spill`, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const size = process.argv.includes("--quick") ? QUICK_SIZE : FULL_SIZE;
  ensureDataset(size).then((g) => console.log(JSON.stringify(g, null, 2)));
}
