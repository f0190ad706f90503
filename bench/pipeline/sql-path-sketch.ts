/**
 * A SKETCH, not the product: how fast CSV → dataset file could be if the rows never went through JavaScript.
 * Every harmonization step of a long/wide tabular source is a function of one cell or one combination of cells with
 * few distinct values (a 10M-row file names ~1,200 places, 60 periods, 140 data elements and a few thousand distinct
 * value strings). So: DuckDB reads the CSV; the real JS readers (matcher, period reader, field lookup, value cleaner)
 * run once per DISTINCT value; DuckDB joins the small maps back and writeDatasetFileFromTable writes the file.
 * Same semantics as the row-by-row harmonizer, with DuckDB's parallel reader doing the 10M-row work.
 * Not done here: rejected rows with their row numbers (an anti-join on `rowid`, which follows file order), the
 * unmatched report, wide layouts (an UNPIVOT), encodings other than UTF-8.
 *
 * Run by `npm run bench:pipeline -- --sketch` (figures prefixed sketch_, beside the real ones, never instead of them), or
 * alone: `node --import tsx bench/pipeline/sql-path-sketch.ts <csv>` (the csv from generate.ts, with its .meta.json).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { FieldRow } from "../../connectors/core/types.ts";
import { createMatcher } from "../../connectors/harmonize/locations/index.ts";
import {
  ColumnMappingSchema,
  createLocationReader,
  createPeriodReader,
  createValueCleaner,
} from "../../connectors/harmonize/mapping/index.ts";
import { writeDatasetFileFromTable } from "../../connectors/publish/index.ts";
import { expectEqual, firstRowOf } from "./check.ts";
import type { GeneratedCsv } from "./generate.ts";
import { round, rssMb, startRssSampler } from "./measure.ts";
import type { PhaseResult } from "./phase-result.ts";
import { benchHierarchy } from "./shape.ts";
import { benchSpec } from "./spec.ts";

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const id = (s: string) => `"${s.replaceAll('"', '""')}"`;

async function distinct(connection: DuckDBConnection, columns: string[]): Promise<string[][]> {
  const sql = `SELECT DISTINCT ${columns.map((c) => `coalesce(${id(c)}, '')`).join(", ")} FROM raw`;
  return (await connection.runAndReadAll(sql)).getRows().map((r) => r.map((v) => String(v)));
}

/** A small VARCHAR/DOUBLE table from JS rows (thousands of rows: the appender's row API is plenty). */
async function mapTable(
  connection: DuckDBConnection,
  name: string,
  columns: Array<[string, "VARCHAR" | "DOUBLE"]>,
  rows: unknown[][],
) {
  await connection.run(`CREATE TABLE ${name} (${columns.map(([c, t]) => `${id(c)} ${t}`).join(", ")})`);
  const appender = await connection.createAppender(name);
  for (const row of rows) {
    row.forEach((v, i) => {
      if (v === null || v === undefined) appender.appendNull();
      else if (columns[i][1] === "DOUBLE") appender.appendDouble(v as number);
      else appender.appendVarchar(String(v));
    });
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}
export async function sketchPhase(csv: GeneratedCsv): Promise<PhaseResult> {
  const spec = benchSpec(csv.csvPath, csv.size);
  const mapping = ColumnMappingSchema.parse(spec.mapping);
  if (mapping.layout.kind !== "long") throw new Error("sketch: long layout only");
  const { fieldColumn, valueColumn } = mapping.layout;
  const locations = benchHierarchy(csv.size).rows;
  const fields = spec.fields as FieldRow[];
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-bench-sketch-"));
  const baselineRssMb = rssMb();
  const sampler = startRssSampler(100);
  const started = performance.now();
  const lap = (() => {
    let last = started;
    const laps: Record<string, number> = {};
    return (name?: string) => {
      const now = performance.now();
      if (name) laps[`${name}_s`] = round((now - last) / 1000, 2);
      last = now;
      return laps;
    };
  })();

  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    temp_directory: path.join(dir, "spill"),
  });
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE raw AS SELECT * FROM read_csv(${lit(csv.csvPath)}, header = true, all_varchar = true)`);
    lap("read_csv");

    const locationColumns = mapping.location.map((l) => l.column).sort();
    const readLocation = createLocationReader(mapping.location, createMatcher(locations, {}));
    const locationRows = (await distinct(connection, locationColumns)).map((cells) => {
      const reading = readLocation(Object.fromEntries(locationColumns.map((c, i) => [c, cells[i]])));
      return [...cells, reading.ok ? reading.locationId : null];
    });
    await mapTable(
      connection,
      "loc_map",
      [...locationColumns.map((c) => [c, "VARCHAR"] as [string, "VARCHAR"]), ["location_id", "VARCHAR"]],
      locationRows,
    );

    const readPeriod = createPeriodReader(mapping.period);
    const periodRows = (await distinct(connection, [mapping.period.column])).map(([raw]) => {
      const r = readPeriod(raw);
      return r.ok ? [raw, r.period.periodType, r.period.periodId, r.period.start, r.period.end] : [raw, null, null, null, null];
    });
    await mapTable(
      connection,
      "period_map",
      [
        ["raw", "VARCHAR"],
        ["period_type", "VARCHAR"],
        ["period_id", "VARCHAR"],
        ["period_start", "VARCHAR"],
        ["period_end", "VARCHAR"],
      ],
      periodRows,
    );

    const fieldByKey = new Map<string, string>();
    for (const f of fields) fieldByKey.set(f.name, f.field_id);
    for (const f of fields) fieldByKey.set(f.field_id, f.field_id);
    const fieldRows = (await distinct(connection, [fieldColumn])).map(([raw]) => [raw, fieldByKey.get(raw.trim()) ?? null]);
    await mapTable(
      connection,
      "field_map",
      [
        ["raw", "VARCHAR"],
        ["field_id", "VARCHAR"],
      ],
      fieldRows,
    );

    const clean = createValueCleaner(mapping.values);
    const valueRows = (await distinct(connection, [valueColumn])).map(([raw]) => {
      const v = clean(raw);
      return [raw, typeof v === "number" ? v : null, typeof v === "string" ? v : null, v === null ? "blank" : null];
    });
    await mapTable(
      connection,
      "value_map",
      [
        ["raw", "VARCHAR"],
        ["value", "DOUBLE"],
        ["value_text", "VARCHAR"],
        ["blank", "VARCHAR"],
      ],
      valueRows,
    );
    lap("distinct_maps");

    const on = (table: string, columns: string[], mapColumns: string[]) =>
      `JOIN ${table} ON ${columns.map((c, i) => `coalesce(r.${id(c)}, '') = ${table}.${id(mapColumns[i])}`).join(" AND ")}`;
    await connection.run(`CREATE VIEW obs AS
      SELECT ${lit(mapping.source)} AS source, field_map.field_id, NULL AS disaggregation, loc_map.location_id,
             period_map.period_type, period_map.period_id, period_map.period_start, period_map.period_end,
             value_map.value, value_map.value_text
      FROM raw r
      ${on("loc_map", locationColumns, locationColumns)}
      ${on("period_map", [mapping.period.column], ["raw"])}
      ${on("field_map", [fieldColumn], ["raw"])}
      ${on("value_map", [valueColumn], ["raw"])}
      WHERE loc_map.location_id IS NOT NULL AND period_map.period_id IS NOT NULL AND field_map.field_id IS NOT NULL
        AND value_map.blank IS NULL`);
    const file = path.join(dir, "sketch.duckdb");
    const summary = await writeDatasetFileFromTable(connection, { name: "obs" }, file, { locations, fields });
    const laps = lap("join_sort_write");
    const seconds = (performance.now() - started) / 1000;
    const rss = sampler.stop();
    expectEqual("sketch observations", summary.observations, csv.rows);
    expectEqual(
      "sketch value sum",
      (await firstRowOf(file, "SELECT sum(value) AS total FROM d.observations")).total,
      csv.valueSum,
    );
    return {
      phase: "sketch",
      seconds,
      rows: csv.rows,
      rss,
      baselineRssMb,
      figures: { rows_per_s: round(csv.rows / seconds), ...laps },
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const csvPath = path.resolve(process.argv[2] ?? "");
  const csv = { ...(JSON.parse(readFileSync(`${csvPath}.meta.json`, "utf8")) as GeneratedCsv), csvPath };
  console.log(JSON.stringify(await sketchPhase(csv)));
}
